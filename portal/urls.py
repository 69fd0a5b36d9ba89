from django.conf import settings
from django.conf.urls.static import static as media_patterns
from django.contrib import admin
from django.urls import include, path

from portal import sitemaps, two_factor, views
from portal.feeds import AtomUpdatesFeed, UpdatesFeed
from therapies import editor_views
from therapies import views as therapy_views
from therapies.admin import review_due_report
from therapies.api import api

# markdownx's endpoints, served by our own views (therapies/editor_views.py) instead of
# `markdownx.urls`, which would let anonymous visitors render Markdown and upload images,
# and which take a figure's type and extension from what the browser declares.
markdownx_patterns = [
    path("upload/", editor_views.figure_upload, name="markdownx_upload"),
    path("markdownify/", editor_views.markdown_preview, name="markdownx_markdownify"),
]

# The admin's sign-in asks for the authenticator code of those who set one up.
admin.site.login_form = two_factor.StaffLoginForm
# The admin names the portal, not "Django administration".
admin.site.site_header = settings.PORTAL_NAME
admin.site.site_title = f"{settings.PORTAL_NAME} · editorial desk"
admin.site.index_title = "Editorial desk"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search_view, name="search"),
    path("updates/", views.updates, name="updates"),
    path("about/evidence/", views.evidence_scale, name="evidence_scale"),
    path("review/<str:token>/", therapy_views.review_link, name="review_link"),
    path("feeds/updates/", UpdatesFeed(), name="updates_feed"),
    path("feeds/updates/rss/", UpdatesFeed(), name="updates_rss"),
    path("feeds/updates/atom/", AtomUpdatesFeed(), name="updates_atom"),
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.sitemap_section, name="sitemap_section"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    # Browsers (and the admin, which links no icon) ask for /favicon.ico on every visit.
    path("favicon.ico", views.favicon, name="favicon"),
    path("api/v1/", api.urls),
    path("releases/", therapy_views.release_index, name="releases"),
    path("releases/<str:release>/<str:name>", therapy_views.release_file, name="release_file"),
    path("", include("therapies.urls")),
    path("admin/review-due/", admin.site.admin_view(review_due_report), name="review_due"),
    path("admin/2fa/", two_factor.two_factor, name="two_factor"),
    path("admin/", admin.site.urls),
    path("markdownx/", include(markdownx_patterns)),
]

handler400 = "portal.views.bad_request"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"

if settings.BENCH_ENDPOINTS:
    urlpatterns.append(path("_bench/constant/", views.constant, name="bench_constant"))

if settings.DEBUG:
    urlpatterns += media_patterns(
        settings.MEDIA_URL, view=views.media, document_root=settings.MEDIA_ROOT
    )
