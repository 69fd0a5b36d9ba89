"""/sitemap.xml: published items only, with the date their live version was published.

While every section fits in one file (SECTION_LIMIT addresses: 500, a 70 KB answer that
renders in about 15 ms), /sitemap.xml is the sitemap itself; beyond that it is a sitemap
index whose sections (/sitemap-<section>.xml?p=N) are read a page at a time, so no request
reads every trial note of a 50,000-trial catalogue.
"""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import Paginator
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from therapies import catalog
from therapies.models import CombinationEntry, TherapyArticle, TrialNote

SECTION_LIMIT = 500


class CountedPaginator(Paginator):
    """A paginator told its count (a cached one) instead of counting the rows again."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # fills the cached_property


class PublishedItemSitemap(Sitemap):
    changefreq = "monthly"
    limit = SECTION_LIMIT
    item_model = None
    kind = ""

    def items(self):
        # (key, published_at) of the published versions: one query a page, ordered by an
        # index, and tuples rather than two model instances for each address.
        return (
            self.item_model.version_model()
            .objects.published()
            .order_by("item_id")
            .values_list("item__" + self.item_model.KEY_FIELD, "published_at")
        )

    @property
    def paginator(self):
        return CountedPaginator(
            self._items(), self.limit, count=catalog.published_counts()[self.kind]
        )

    def location(self, row):
        return self.item_model.detail_url(row[0])

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        # Each address written here as one string, not by the template: DTL's lookups,
        # escaping and date filter for 4,000 values were most of a section's cost.
        for url in urls:
            day = timezone.localdate(url["lastmod"]).isoformat()
            url["xml"] = mark_safe(
                f"<url><loc>{escape(url['location'])}</loc><lastmod>{day}</lastmod>"
                f"<changefreq>{self.changefreq}</changefreq>"
                f"<priority>{self.priority}</priority></url>"
            )
        return urls

    def lastmod(self, row):
        return row[1]

    def get_latest_lastmod(self):
        # Django's default reads every item for the newest date; the database knows it.
        published = self.item_model.version_model().objects.published()
        return published.aggregate(latest=Max("published_at"))["latest"]


class TherapySitemap(PublishedItemSitemap):
    item_model = TherapyArticle
    kind = "therapy"
    priority = 0.8


class CombinationSitemap(PublishedItemSitemap):
    item_model = CombinationEntry
    kind = "combination"
    priority = 0.7


class TrialSitemap(PublishedItemSitemap):
    item_model = TrialNote
    kind = "trial"
    priority = 0.6


class StaticSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        return ["home", "therapies:therapy_list", "therapies:combination_list",
                "therapies:trial_list", "updates", "evidence_scale"]  # fmt: skip

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "pages": StaticSitemap,
    "therapies": TherapySitemap,
    "combinations": CombinationSitemap,
    "trials": TrialSitemap,
}


def sitemap(request):
    """The whole sitemap while it fits in one file per section, else the sitemap index."""
    if max(catalog.published_counts().values(), default=0) <= SECTION_LIMIT:
        return sitemap_views.sitemap(request, SITEMAPS)
    return sitemap_views.index(request, SITEMAPS, sitemap_url_name="sitemap_section")


def sitemap_section(request, section):
    return sitemap_views.sitemap(request, SITEMAPS, section=section)
