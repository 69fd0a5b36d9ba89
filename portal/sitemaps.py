"""/sitemap.xml: published items only, with the date their live version was published."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from therapies.models import CombinationEntry, TherapyArticle, TrialNote


class PublishedItemSitemap(Sitemap):
    changefreq = "monthly"
    item_model = None

    def items(self):
        return self.item_model.objects.published().order_by("pk")

    def lastmod(self, item):
        return item.published.published_at


class TherapySitemap(PublishedItemSitemap):
    item_model = TherapyArticle
    priority = 0.8


class CombinationSitemap(PublishedItemSitemap):
    item_model = CombinationEntry
    priority = 0.7


class TrialSitemap(PublishedItemSitemap):
    item_model = TrialNote
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
