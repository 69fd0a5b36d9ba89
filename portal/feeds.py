"""The public changelog as RSS (/feeds/updates/) and Atom (/feeds/updates/atom/)."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from therapies import catalog
from therapies.citations import plain_markers

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
        return escape(f"{version.title} (version {version.number})")

    def item_description(self, version):
        # Feed readers decode descriptions as HTML, so editor text is escaped once more:
        # whatever an editor typed arrives as text, never as markup.
        change = f" What changed: {version.change_summary}" if version.change_summary else ""
        correction = (
            f" Corrected on {version.corrected_at:%Y-%m-%d}: {version.correction_note}"
            if version.corrected_at
            else ""
        )
        # A citation marker in a plain-text field reads as the source it names.
        return escape(plain_markers(f"{version.summary}{change}{correction}"))

    def item_link(self, version):
        return version.item.get_absolute_url()

    def item_guid(self, version):
        # Atom ids must be absolute IRIs; the version number makes each update its own entry.
        return f"{settings.SITE_URL}{self.item_link(version)}#version-{version.number}"

    item_guid_is_permalink = False

    def item_pubdate(self, version):
        return version.published_at

    def item_updateddate(self, version):
        return max(filter(None, [version.published_at, version.corrected_at]))

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
