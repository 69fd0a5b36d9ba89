"""A fourth kind of content, declared only in the test suite: guideline notes, which link
the therapies they recommend. Declared once, as the portal's own kinds are, it must go
through the whole workflow without an edit anywhere else (tests/test_kinds.py)."""

from django.db import models

from therapies import kinds
from therapies.fields import StringListField
from therapies.models import (
    Citation,
    ContentItem,
    ContentVersion,
    TherapyArticle,
    VersionCitation,
    version_permissions,
)


class GuidelineNote(ContentItem):
    URL_NAME = "guideline"

    slug = models.SlugField("slug", max_length=120, unique=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = "guideline note"


class GuidelineNoteVersion(ContentVersion):
    CONTENT_FIELDS = (*ContentVersion.CONTENT_FIELDS, "issuer", "agents")

    item = models.ForeignKey(GuidelineNote, on_delete=models.CASCADE, related_name="versions")
    issuer = models.CharField("issuing body", max_length=200, blank=True)
    agents = StringListField("agents recommended", blank=True)
    therapies = models.ManyToManyField(
        TherapyArticle, related_name="guideline_versions", verbose_name="therapies recommended"
    )
    citations = models.ManyToManyField(
        Citation, through="GuidelineNoteCitation", blank=True, related_name="+"
    )

    class Meta(ContentVersion.Meta):
        verbose_name = "guideline note version"
        permissions = version_permissions("guidelinenoteversion", "guideline note")


class GuidelineNoteCitation(VersionCitation):
    version = models.ForeignKey(
        GuidelineNoteVersion, on_delete=models.CASCADE, related_name="citation_links"
    )

    class Meta(VersionCitation.Meta):
        verbose_name = "citation"


kinds.register(kinds.Kind(
    "guideline", GuidelineNote, GuidelineNoteVersion, url_name="guideline",
    detail_template="therapies/therapy_detail.html",
    keyword_fields=("issuer", "agents"), agent_fields=("agents",), sponsor_fields=("issuer",),
    links={"therapies": "therapy"}, min_links={"therapies": 1}, published_links=("therapies",),
))  # fmt: skip
