"""The public page cache: whole pages for anonymous readers, invalidated exactly.

Every cacheable page depends on a few *scopes*: an item's detail and history pages on that
item's scope (`"trial:NCT01234567"`), every other public page (home, lists, search, updates,
feeds, sitemap) on the `catalogue` scope, and all of them on `all`. Each scope has a
*generation* in the cache: the time, in nanoseconds, of its last change. A page is stored
with the generations it was rendered under and served only while they are still current, so
a publication makes exactly the pages it changed stale — the item's own pages, the pages of
the items that link it or that it links, and the catalogue pages — without a TTL guess.

Generations are bumped at once and again when the transaction commits: the first makes the
change visible to this process immediately, the second closes the window in which a reader
could re-cache the old page while the publishing transaction was still open. They double as
each page's `ETag` and `Last-Modified`, so conditional requests are answered with 304.

Why hand-written rather than Django's `UpdateCacheMiddleware`/`FetchFromCacheMiddleware`:
those expire pages by time only and key them on every `Vary: Cookie` value. They are built
on the same pieces used here — Django's cache framework (local memory by default, Redis when
`REDIS_URL` is set) and `django.utils.cache`'s conditional-request helpers.

The local-memory cache belongs to one process: with several workers, or a scheduler in its
own process, set `REDIS_URL` so that all of them share the generations (`check --deploy`
warns otherwise).
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import re
import time
from datetime import datetime
from datetime import time as clock

from django.conf import settings
from django.core import checks
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import http_date

from portal import routers

ALL = "all"
CATALOGUE = "catalogue"
PREFIX = "pagecache"
# A stored page is dropped after a day even if nothing changed: only to bound memory, never
# for correctness (generations decide that). The date is part of every page's stamp anyway,
# because pages show whether a review is overdue.
PAGE_TIMEOUT = 24 * 3600

# Public pages and open data endpoints by URL name: an item's pages depend on its scope, the
# rest on the catalogue. (An `as_of` answer is stored under the same scopes: every public
# change bumps them, which a moment in the past does not need but never gets wrong.)
_ITEM_KEYS = {"therapy": "slug", "combination": "slug", "trial": "nct_id"}
_COLLECTIONS = {"therapy": "therapies", "combination": "combinations", "trial": "trials"}
ITEM_PAGES = {
    **{f"therapies:{kind}_{page}": (kind, key) for kind, key in _ITEM_KEYS.items()
       for page in ("detail", "history", "version")},
    **{f"api-v1:{_COLLECTIONS[kind]}-{endpoint}": (kind, key) for kind, key in _ITEM_KEYS.items()
       for endpoint in ("detail", "versions", "version")},
    "api-v1:trials-fhir": ("trial", "nct_id"),
}  # fmt: skip
CATALOGUE_PAGES = frozenset({
    "home", "search", "updates", "evidence_scale", "updates_feed", "updates_rss",
    "updates_atom", "sitemap", "sitemap_section", "robots_txt", "therapies:therapy_list",
    "therapies:combination_list", "therapies:trial_list", "therapies:trial_conditions",
    "api-v1:therapies-list", "api-v1:combinations-list", "api-v1:trials-list",
    "api-v1:cancer-types-list", "api-v1:cancer-types-detail", "api-v1:citations-list",
    "api-v1:citations-detail", "api-v1:evidence-levels-list", "api-v1:evidence-levels-detail",
    "api-v1:openapi-json", "api-v1:index",
})  # fmt: skip
# The open data API answers everyone alike (it reads no session): its answers are cached and
# carry validators whoever asks, and validators even when the page cache is off.
API_PREFIX = "/api/"


def item_scope(kind: str, key: str) -> str:
    return f"{kind}:{key}"


# A scope's generation outlives every page stored under it (PAGE_TIMEOUT), then lapses: a
# lapsed generation restarts at now, which only makes older pages stale, so expiry is safe —
# and addresses made up by a crawler leave nothing behind for long.
GENERATION_TIMEOUT = 2 * PAGE_TIMEOUT


_PLAIN_SCOPE = re.compile(r"[-\w:.]+", re.ASCII)


def _generation_key(scope: str) -> str:
    if len(scope) > 100 or not _PLAIN_SCOPE.fullmatch(scope):
        # An address made up of a long key, or of characters a cache key should not hold
        # (spaces, controls): hashed, never stored as given.
        scope = hashlib.blake2b(scope.encode(), digest_size=16).hexdigest()
    return f"{PREFIX}:gen:{scope}"


_sequence = itertools.count()


def _new_generation() -> int:
    # Nanoseconds, so a generation is also the time of the change (Last-Modified); the low
    # digits are replaced by a per-process sequence so two bumps never write the same value.
    return time.time_ns() // 1000 * 1000 + next(_sequence) % 1000


def _read_generations(found: dict, scopes) -> tuple[int, ...]:
    """The current generation of each scope, from `found` (a `get_many` result); a scope
    with none yet (new, or evicted) starts at now — never at an old value, so an evicted
    generation cannot bring a stale page back."""
    keys = [_generation_key(scope) for scope in scopes]
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, _new_generation(), timeout=GENERATION_TIMEOUT)  # a bump wins
        found = {**found, **cache.get_many(missing)}
    return tuple(found.get(key, 0) for key in keys)


def generations(scopes) -> tuple[int, ...]:
    return _read_generations(cache.get_many([_generation_key(s) for s in scopes]), scopes)


def catalogue_stamp() -> str:
    """The catalogue's generations as a fragment-cache key part: a rendered chart, matrix
    or A–Z list stored under it is shown until the catalogue changes."""
    return "-".join(str(generation) for generation in generations((ALL, CATALOGUE)))


def context(request) -> dict:
    """Template context processor: `catalogue_stamp`, for `{% cache … catalogue_stamp %}`
    around a catalogue-wide fragment (counts, charts, the matrix, A–Z lists). Passed
    uncalled: the template calls it only where a fragment asks for it, so other pages pay
    nothing."""
    return {"catalogue_stamp": catalogue_stamp}


def bump(scopes) -> None:
    """Make every page of these scopes stale, now and again when the transaction commits."""
    scopes = sorted(set(scopes))
    if not scopes:
        return

    def write():
        cache.set_many({_generation_key(scope): _new_generation() for scope in scopes},
                       GENERATION_TIMEOUT)  # fmt: skip

    write()
    transaction.on_commit(write)


def invalidate_all() -> None:
    """Every cached page and summary is stale (after a bulk load or a deploy)."""
    bump([ALL])


def memo(name: str, compute, *, scope: str = CATALOGUE):
    """`compute()`'s value, cached until `scope` changes: for the catalogue's counts and
    filter choices, which stay exact because every publication bumps the catalogue."""
    key = f"{PREFIX}:data:{name}"
    found = cache.get_many([key, _generation_key(ALL), _generation_key(scope)])
    stamp = _read_generations(found, (ALL, scope))
    entry = found.get(key)
    if entry is not None and entry[0] == stamp:
        return entry[1]
    value = compute()
    cache.set(key, (stamp, value), PAGE_TIMEOUT)
    return value


def check_shared_cache(app_configs=None, **kwargs):
    """`check --deploy`: a page cache in local memory is per process, so with several
    workers (or a scheduler in its own process) a publication would not reach the others."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if settings.PAGE_CACHE and backend.endswith("LocMemCache"):
        return [
            checks.Warning(
                "The page cache is in local memory, which each process has its own of.",
                hint="Set REDIS_URL when more than one process serves pages or publishes "
                "(gunicorn workers, the publish_scheduled cron job), or PAGE_CACHE=0.",
                id="therapies.W001",
            )
        ]
    return []


# --- the middleware ----------------------------------------------------------------------------


def page_scopes(request) -> tuple[str, ...] | None:
    """The scopes a request's page depends on, or None when it must not be cached: page
    cache off, not a read, a signed-in (or message-carrying) visitor, or not a public page."""
    if request.method not in ("GET", "HEAD"):
        return None
    if request.path_info.startswith(API_PREFIX):
        return _path_scopes(request.path_info)
    if not settings.PAGE_CACHE:
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return None
    return _path_scopes(request.path_info)


@functools.lru_cache(maxsize=4096)
def _path_scopes(path: str) -> tuple[str, ...] | None:
    # Remembered per path (the URL patterns never change while the process runs): a cached
    # page costs one cache round trip and little else.
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.view_name in CATALOGUE_PAGES:
        return (ALL, CATALOGUE)
    if match.view_name in ITEM_PAGES:
        kind, argument = ITEM_PAGES[match.view_name]
        key = match.kwargs[argument]
        return (ALL, item_scope(kind, key.upper() if argument == "nct_id" else key))
    return None


def _storable(request, response) -> bool:
    """Only a complete, public, anonymous page: never one that sets a cookie or carries a
    CSRF token, and never one its view marked private or no-store."""
    cache_control = response.get("Cache-Control", "")
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def _api_answer(request, response) -> bool:
    """An open data API answer that is not stored but still carries validators: an error
    (400, 404) reads the same data as the page would, so it changes when that does."""
    return (request.path_info.startswith(API_PREFIX) and response.status_code in (200, 400, 404)
            and not response.streaming)  # fmt: skip


def _maybe_behind(stamp) -> bool:
    """Whether the page was read from a read replica that may not have the latest change yet
    (a generation younger than REPLICA_MAX_LAG_SECONDS): served, but not stored under the new
    generation, where it would outlive the lag."""
    if not routers.reading_from_replica():
        return False
    newest = max(stamp[:-1]) / 1e9
    return time.time() - newest < settings.REPLICA_MAX_LAG_SECONDS


def _validators(stamp) -> tuple[str, str]:
    """The page's ETag and Last-Modified, from its stamp (the generations and the date)."""
    generations_, day = stamp[:-1], stamp[-1]
    tag = hashlib.blake2b(repr(stamp).encode(), digest_size=12).hexdigest()
    midnight = timezone.make_aware(datetime.combine(datetime.fromisoformat(day), clock.min))
    changed = max(max(generations_) / 1e9, midnight.timestamp())
    return f'"{tag}"', http_date(changed)


class PageCacheMiddleware:
    """Serve anonymous readers' public pages from the cache (see the module docstring).

    Placed before the session, CSRF and authentication middleware so that a cached page
    costs one cache round trip and none of their work; Django's ConditionalGetMiddleware,
    placed before it, turns a matching `If-None-Match`/`If-Modified-Since` into a 304.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        scopes = page_scopes(request)
        if scopes is None:
            return self.get_response(request)
        digest = hashlib.blake2b(
            f"{request.get_host()}{request.get_full_path()}".encode(), digest_size=16
        ).hexdigest()
        page_key = f"{PREFIX}:page:{digest}"
        found = cache.get_many([page_key, *(_generation_key(scope) for scope in scopes)])
        stamp = (*_read_generations(found, scopes), timezone.localdate().isoformat())
        entry = found.get(page_key) if settings.PAGE_CACHE else None
        if entry is not None and entry[0] == stamp:
            _, status, headers, content = entry
            response = HttpResponse(content, status=status, headers=headers)
            response["X-Page-Cache"] = "hit"
        else:
            response = self.get_response(request)
            storable = _storable(request, response)
            if _maybe_behind(stamp) or not (storable or _api_answer(request, response)):
                return response
            etag, last_modified = _validators(stamp)
            response["ETag"], response["Last-Modified"] = etag, last_modified
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
            if not (storable and settings.PAGE_CACHE):  # validators, but nothing stored
                return response
            response["X-Page-Cache"] = "miss"
            headers = {k: v for k, v in response.items() if k not in ("Date", "X-Page-Cache")}
            cache.set(page_key, (stamp, response.status_code, headers, response.content),
                      PAGE_TIMEOUT)  # fmt: skip
        return response
