"""The public changelog as RSS (/feeds/updates/) and Atom (/feeds/updates/atom/)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from therapies import catalog

FEED_LENGTH = 30


class UpdatesFeed(Feed):
    title = "Immunotherapy Atlas: reviewed updates"
    description = (
        "Every therapy article, combination entry and clinical-trial note as it is published "
        "after review, with what changed."
    )

    def link(self):
        return reverse("updates")

    def items(self):
        return catalog.load_versions(list(catalog.changelog_rows()[:FEED_LENGTH]))

    def item_title(self, version):
        return f"{version.title} (version {version.number})"

    def item_description(self, version):
        # Plain text only: the feed carries no editor-written HTML at all.
        change = f" What changed: {version.change_summary}" if version.change_summary else ""
        return f"{version.summary}{change}"

    def item_link(self, version):
        return version.item.get_absolute_url()

    def item_guid(self, version):
        return f"{self.item_link(version)}#version-{version.number}"

    item_guid_is_permalink = False

    def item_pubdate(self, version):
        return version.published_at

    def item_updateddate(self, version):
        return version.published_at

    def item_author_name(self, version):
        reviewer = version.reviewed_by
        return (
            f"Reviewed by {reviewer.get_full_name() or reviewer.get_username()}"
            if reviewer
            else None
        )

    def item_categories(self, version):
        return [version.item._meta.verbose_name]


class AtomUpdatesFeed(UpdatesFeed):
    feed_type = Atom1Feed
    subtitle = UpdatesFeed.description
