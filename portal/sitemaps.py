"""/sitemap.xml: published items only, with the date their live version was published.

While every section fits in one file (SECTION_LIMIT addresses: 1,000, which renders in tens
of milliseconds), /sitemap.xml is the sitemap itself; beyond that it is a sitemap index whose
sections (/sitemap-<section>.xml?p=N) are read a page at a time, so no request reads every
trial note of a 50,000-trial catalogue.
"""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import Paginator
from django.db.models import Max
from django.urls import reverse

from therapies import catalog
from therapies.models import CombinationEntry, TherapyArticle, TrialNote

SECTION_LIMIT = 1000


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
        # Published versions with their items: one query a page, ordered by an index.
        return (
            self.item_model.version_model()
            .objects.published()
            .select_related("item")
            .only("item__" + self.item_model.KEY_FIELD, "published_at")
            .order_by("item_id")
        )

    @property
    def paginator(self):
        return CountedPaginator(
            self._items(), self.limit, count=catalog.published_counts()[self.kind]
        )

    def location(self, version):
        return version.item.get_absolute_url()

    def lastmod(self, version):
        return version.published_at

    def get_latest_lastmod(self):
        # Django's default reads every item for the newest date; the database knows it.
        return self.items().aggregate(latest=Max("published_at"))["latest"]


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
