"""Requests refused before any view sees them."""

import ipaddress
import re
import zoneinfo

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import JsonResponse
from django.utils import timezone
from django_ratelimit.core import get_usage

# C0 controls and DEL. In an address or a query nothing legitimate uses them; a form's text
# may hold tabs and line breaks (a textarea), nothing else.
_IN_ADDRESS = re.compile(r"[\x00-\x1f\x7f]")
_IN_FORM = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ControlCharacters(SuspiciousOperation):
    """Answered 400 by Django's handler (templates/400.html), and logged as suspicious."""


class RefuseControlCharactersMiddleware:
    """400 for a NUL byte or another control character in the path, a header (a cookie, the
    user agent), a query parameter, a form field or an uploaded file's name — anywhere it
    could reach a database (PostgreSQL refuses NUL in text with an error), a header (a line
    break splits it) or a log line.

    Hand-written: no library does this, and Django passes such values to views as they are.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _IN_ADDRESS.search(request.path_info):
            raise ControlCharacters("A control character in the address.")
        if any(_IN_FORM.search(value) for key, value in request.META.items()
               if key.startswith("HTTP_") and isinstance(value, str)):  # fmt: skip
            raise ControlCharacters("A control character in a header.")  # a cookie, a UA
        if _has(request.GET, _IN_ADDRESS):
            raise ControlCharacters("A control character in the query.")
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded", "multipart/form-data",
        ):  # fmt: skip
            if _has(request.POST, _IN_FORM):
                raise ControlCharacters("A control character in a form field.")
            names = [upload.name or "" for upload in request.FILES.values()]
            if any(_IN_ADDRESS.search(name) for name in names):
                raise ControlCharacters("A control character in a file name.")
        return self.get_response(request)


def _has(data, pattern) -> bool:
    return any(
        pattern.search(key) or any(pattern.search(value) for value in values)
        for key, values in data.lists()
    )


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies that each
    append the address they saw to X-Forwarded-For, the entry the outermost of them added —
    counted from the right, so that what a client writes into the header itself is never
    taken. (Written here because django-ipware counts the proxies listed inside the header,
    which a proxy such as nginx does not list itself in.)"""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        header = request.META.get("HTTP_X_FORWARDED_FOR", "")
        forwarded = [part.strip() for part in header.split(",") if part.strip()]
        if len(forwarded) >= proxies and _is_address(forwarded[-proxies]):
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _is_address(value: str) -> bool:
    # A port, brackets or anything else a misconfigured proxy appends is not an address (it
    # would not fit the lockout table's address column either).
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


class EditorialTimeZoneMiddleware:
    """Times on the editorial desk (/admin/ and the editor's own views) are entered and shown
    in EDITORIAL_TIME_ZONE; everywhere else in TIME_ZONE. Stored times are UTC either way."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.zone = zoneinfo.ZoneInfo(settings.EDITORIAL_TIME_ZONE)

    def __call__(self, request):
        if not request.path.startswith("/admin/"):
            return self.get_response(request)
        with timezone.override(self.zone):
            return self.get_response(request)


API_PREFIX = "/api/"


def _client(group, request) -> str:
    return client_address(request)


class ApiRateLimitMiddleware:
    """The open data API's per-client rate limit (settings.API_RATE, per client address).

    Every answer says where the client stands, in the IETF draft's fields: RateLimit-Limit,
    RateLimit-Remaining, RateLimit-Reset (seconds until the window ends) and
    RateLimit-Policy. Over the limit: 429 with Retry-After and a JSON body. Counted by
    django-ratelimit in the cache (Redis when REDIS_URL is set, shared by every worker);
    CORS preflights are not counted.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIX) or request.method == "OPTIONS":
            return self.get_response(request)
        # HEAD is answered wherever GET is (RFC 9110): as the GET, without its body.
        head = request.method == "HEAD"
        if head:
            request.method = "GET"
        response = self._limited(request)
        if head and not response.streaming:
            length = len(response.content)
            response.content = b""
            response["Content-Length"] = str(length)
        return response

    def _limited(self, request):
        usage = get_usage(request, group="api", key=_client, rate=settings.API_RATE,
                          increment=True)  # fmt: skip
        if usage is None:  # no limit configured
            return self.get_response(request)
        reset = max(int(usage["time_left"]), 1)
        if usage["should_limit"]:
            response = JsonResponse(
                {"error": "too_many_requests", "parameter": None,
                 "detail": f"Over the limit of {settings.API_RATE} requests; try again in "
                           f"{reset} s."},
                status=429,
            )  # fmt: skip
            response["Retry-After"] = str(reset)
        else:
            response = self.get_response(request)
        period = settings.API_RATE.partition("/")[2]
        response["RateLimit-Limit"] = str(usage["limit"])
        response["RateLimit-Remaining"] = str(max(usage["limit"] - usage["count"], 0))
        response["RateLimit-Reset"] = str(reset)
        response["RateLimit-Policy"] = f"{usage['limit']};w={_seconds(period)}"
        return response


def _seconds(period: str) -> int:
    """The window of a django-ratelimit rate's period ("m", "10m", "h") in seconds."""
    match = re.fullmatch(r"(\d*)([smhd])", period.strip())
    if not match:
        return 60
    count, unit = match.groups()
    return int(count or 1) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit]
