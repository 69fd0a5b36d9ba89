"""The public site's own pages: home, search, the changelog and robots.txt."""

import uuid

from django.core.cache import cache
from django.db import DatabaseError, connections
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views import defaults
from django.views.decorators.http import require_GET, require_safe
from django.views.static import serve

from therapies import catalog, pagecache, search
from therapies.models import (
    COMBINATION_LIST_ORDER,
    CombinationEntry,
    EvidenceLevel,
    TherapyArticle,
    TherapyClass,
    TrialNote,
)
from therapies.views import paginate

FEATURED_COMBINATIONS = 4


def _class_counts() -> list[tuple[str, str, int]]:
    counts = catalog.therapy_class_counts()
    return [(value, label, counts[value]) for value, label in TherapyClass.choices
            if counts[value]]  # fmt: skip


def _a_to_z() -> list[tuple]:
    """An A–Z index of published pages, each list capped with a link to all of them."""
    return [
        (heading, anchor, reverse(list_url), *catalog.published_titles(item_model))
        for heading, anchor, list_url, item_model in [
            ("Therapies", "index-therapies", "therapies:therapy_list", TherapyArticle),
            ("Combinations", "index-combinations", "therapies:combination_list",
             CombinationEntry),
            ("Trial notes", "index-trials", "therapies:trial_list", TrialNote),
        ]
    ]  # fmt: skip


def _featured() -> list:
    return pagecache.memo(
        "featured_combinations",
        lambda: list(
            CombinationEntry.version_model()
            .objects.published()
            .listed()
            .select_related("item")
            .order_by(COMBINATION_LIST_ORDER[0], "-published_at")[:FEATURED_COMBINATIONS]
        ),
    )


def home(request):
    # The data comes from cached summaries; the template caches its rendered fragments too.
    return render(
        request,
        "portal/home.html",
        {
            "classes": _class_counts(),
            "updates": catalog.recent_updates(),
            "featured": _featured(),
            "trial_counts": catalog.trial_counts(fields=("phase",))["phase"],
            "index": _a_to_z(),
        },
    )


def search_view(request):
    query = search.clean_query(request.GET.get("q"))
    kinds = [version_model for _, version_model in catalog.KINDS.values()]
    results = search.search(query, kinds) if query else []
    page = paginate(request, results)
    search.load(page.object_list, query)
    return render(request, "portal/search.html", {"query": query, "page": page,
                                                  "total": len(results)})  # fmt: skip


def updates(request):
    rows = paginate(request, catalog.changelog_rows())
    return render(
        request, "portal/updates.html", {"page": rows, "versions": catalog.load_versions(rows)}
    )


def evidence_scale(request):
    """The published evidence scale: each level with its one-line definition."""
    return render(request, "portal/evidence.html", {"levels": list(EvidenceLevel)})


@require_GET
def favicon(request):
    # Resolved per request: the hashed static name exists only after collectstatic.
    return redirect(static("img/favicon.svg"), permanent=True)


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /markdownx/",
        "Disallow: /search/",
        "Disallow: /review/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_safe
def healthz(request):
    """Liveness, for a process supervisor or a load balancer: 200 "ok" while the process
    answers. It touches nothing else (a database outage must not get every worker killed);
    /readyz says whether the process can serve. Plain HTTP too, never cached."""
    return _never_cached(HttpResponse("ok\n", content_type="text/plain"))


@require_safe
def readyz(request):
    """Readiness: 200 when the database, the read replica (if DATABASE_REPLICA_URL is set) and
    the cache answer; 503 otherwise, saying which did not. A broken connection is dropped, so
    the next request reconnects once the server is back. Plain HTTP too, never cached."""
    checks = {alias: _database_answers(alias) for alias in connections}
    checks["cache"] = _cache_answers()
    ready = all(state == "ok" for state in checks.values())
    body = "".join(f"{name}: {state}\n" for name, state in checks.items())
    return _never_cached(HttpResponse(body, content_type="text/plain", status=200 if ready
                                      else 503))  # fmt: skip


def _never_cached(response):
    response["Cache-Control"] = "no-store"
    return response


def _database_answers(alias: str) -> str:
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        connection.close()  # reconnect on the next request, not reuse a dead connection
        return f"unavailable ({type(error).__name__})"
    return "ok"


def _cache_answers() -> str:
    key = f"readyz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", timeout=5)
        answered = cache.get(key) == "1"
        cache.delete(key)
    except Exception as error:  # noqa: BLE001 — any client error means "not ready"
        return f"unavailable ({type(error).__name__})"
    return "ok" if answered else "unavailable (nothing stored)"


def constant(request):
    """The same small answer every time: the framework's ceiling for `make bench`."""
    return HttpResponse("ok\n", content_type="text/plain")


def too_many_requests(request, exception):
    """A request over its rate limit (django-ratelimit's RATELIMIT_VIEW)."""
    response = HttpResponse("Too many requests: wait a minute and try again.\n",
                            content_type="text/plain", status=429)  # fmt: skip
    response["Retry-After"] = "60"
    return response


# --- error pages: JSON under /api/, the site's own pages elsewhere --------------------------------


def _api_error(request, status: int, code: str, detail: str):
    """An error of the open data API in its own JSON shape (therapies/api.py's ErrorOut)."""
    if not request.path.startswith("/api/"):
        return None
    return JsonResponse({"error": code, "detail": detail, "parameter": None}, status=status)


def bad_request(request, exception):
    return _api_error(request, 400, "bad_request", "The request could not be read (a "
                      "control character, or a malformed header).") or defaults.bad_request(
        request, exception
    )  # fmt: skip


def page_not_found(request, exception):
    return _api_error(request, 404, "not_found", "No such endpoint; see /api/v1/docs/.") or (
        defaults.page_not_found(request, exception)
    )


def server_error(request):
    return _api_error(request, 500, "server_error", "Something went wrong on our side.") or (
        defaults.server_error(request)
    )


def media(request, path, document_root=None):
    """Uploaded figures under DEBUG (Django's `serve`): a name the file system refuses (too
    long, say) is a missing file, not a 500."""
    try:
        return serve(request, path, document_root=document_root)
    except OSError:
        raise Http404("No such file.") from None
