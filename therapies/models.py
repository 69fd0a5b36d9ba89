"""The portal's content: three kinds of item, each with a history of versions.

An *item* (`TherapyArticle`, `CombinationEntry`, `TrialNote`) is what URLs and links point at:
a slug or an NCT ID that never changes. Its *versions* hold the editable content. At most one
version of an item is published — a partial unique index guarantees it — so a published page
stays live, unchanged, while its next version is drafted and reviewed. Every state change
goes through `therapies.workflow`; `save()` here only derives fields (the rendered HTML).
"""

import json
from collections.abc import Mapping
from functools import lru_cache
from urllib.parse import quote

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import connections, models, router, transaction
from django.db.models import Prefetch, Q, Value
from django.db.models.functions import Lower
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from markdownx.models import MarkdownxField

from portal.logs import log_audit_event
from therapies import audit, kinds
from therapies.fields import RegulatoryStatusField, StringListField
from therapies.markdown import html_to_text, render_markdown, validate_markdown_size
from therapies.validators import (
    normalize_doi,
    validate_doi,
    validate_http_url,
    validate_nct_id,
    validate_not_future_date,
    validate_partial_date,
    validate_pmid,
    validate_single_line,
)

# ---------------------------------------------------------------------------------------------
# Vocabularies
# ---------------------------------------------------------------------------------------------


class VersionState(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved (scheduled)"
    PUBLISHED = "published", "Published"
    SUPERSEDED = "superseded", "Superseded"
    UNPUBLISHED = "unpublished", "Unpublished"
    DISCARDED = "discarded", "Discarded"


# The text-search configuration of the stored vectors and of every query against them.
SEARCH_CONFIG = "english"

# Limits, named once: the fields, the forms and the workflow read them from here.
# What a version changes, for reviewers and the changelog: room for an import's summary that
# names every registry field that changed, old → new.
CHANGE_SUMMARY_MAX_LENGTH = 1000
CORRECTION_NOTE_MAX_LENGTH = 300  # the public "Corrected on <date>: <note>"
SUPPORTS_MAX_LENGTH = 300  # the statement a cited source backs
MAX_CITATIONS = 200  # sources one version cites: a long review cites well under a hundred
REVIEWER_NAME_MAX_LENGTH = 200  # an outside reviewer's name, on a review-link comment
REVIEWER_COMMENT_MAX_LENGTH = 5000  # an outside reviewer's comment
REVIEW_INTERVAL_MONTHS = 12  # an approval stays current this long, unless settings say
COI_MAX_AGE_MONTHS = 12  # a conflict-of-interest statement counts this long
REVIEW_CLAIM_HOURS = 24  # a moderator's "being reviewed by" marker holds this long
REGISTRY_TEXT_MAX_LENGTH = 2000  # a registry title or name (ctgov.MAX_TEXT)
REGISTRY_DIFFERENCE_MAX_LENGTH = 500  # the public "Differs from the registry: <reason>"
# The registry facts only an import writes (workflow.edit refuses them from anyone else).
REGISTRY_ONLY_FIELDS = ("registry_record",)


# A version in one of these states is the item's work in progress; an item has at most one.
IN_PROGRESS_STATES = (
    VersionState.DRAFT,
    VersionState.IN_REVIEW,
    VersionState.CHANGES_REQUESTED,
    VersionState.APPROVED,
)
# Only these may be changed by an editor; every other state is read-only.
EDITABLE_STATES = (VersionState.DRAFT, VersionState.CHANGES_REQUESTED)


class TherapyClass(models.TextChoices):
    CHECKPOINT_INHIBITOR = "checkpoint_inhibitor", "Immune checkpoint inhibitors"
    CAR_T = "car_t", "CAR-T cell therapy"
    ADOPTIVE_CELL_TRANSFER = "adoptive_cell_transfer", "Adoptive cell transfer (TIL, TCR-T)"
    CANCER_VACCINE = "cancer_vaccine", "Cancer vaccines"
    CYTOKINE = "cytokine", "Cytokine therapy"
    ONCOLYTIC_VIRUS = "oncolytic_virus", "Oncolytic viruses"
    BISPECIFIC_ENGAGER = "bispecific_engager", "Bispecific T-cell engagers"
    OTHER = "other", "Other immunotherapies"


class EvidenceLevel(models.TextChoices):
    """The portal's published evidence scale, strongest first (shown at /about/evidence/)."""

    STANDARD_OF_CARE = "standard_of_care", "Approved standard of care"
    PHASE3 = "phase3", "Phase 3 evidence"
    PHASE2 = "phase2", "Phase 2 evidence"
    EARLY_PHASE = "early_phase", "Early-phase evidence"
    PRECLINICAL = "preclinical", "Preclinical evidence"

    @property
    def definition(self) -> str:
        return EVIDENCE_DEFINITIONS[self]

    @property
    def anchor(self) -> str:
        return f"level-{self.value}"


EVIDENCE_DEFINITIONS = {
    EvidenceLevel.STANDARD_OF_CARE: (
        "Approved by a major regulator (such as the FDA or EMA) for at least one cancer, or "
        "recommended as standard treatment in major clinical guidelines."
    ),
    EvidenceLevel.PHASE3: (
        "Shown in at least one randomised phase 3 trial, but not approved for this use."
    ),
    EvidenceLevel.PHASE2: (
        "Shown in phase 2 trials, without confirmation in a randomised phase 3 trial yet."
    ),
    EvidenceLevel.EARLY_PHASE: (
        "Tested only in phase 1 or early phase 1 trials: safety and first signs of activity."
    ),
    EvidenceLevel.PRECLINICAL: (
        "Studied only in the laboratory or in animals; not yet tested in people."
    ),
}


class TrialPhase(models.TextChoices):
    """ClinicalTrials.gov's phase enumeration; a two-phase trial joins its phases with `_`."""

    NA = "NA", "Not applicable"
    EARLY_PHASE1 = "EARLY_PHASE1", "Early phase 1"
    PHASE1 = "PHASE1", "Phase 1"
    PHASE1_PHASE2 = "PHASE1_PHASE2", "Phase 1/2"
    PHASE2 = "PHASE2", "Phase 2"
    PHASE2_PHASE3 = "PHASE2_PHASE3", "Phase 2/3"
    PHASE3 = "PHASE3", "Phase 3"
    PHASE4 = "PHASE4", "Phase 4"


class OverallStatus(models.TextChoices):
    """ClinicalTrials.gov's overallStatus enumeration."""

    ACTIVE_NOT_RECRUITING = "ACTIVE_NOT_RECRUITING", "Active, not recruiting"
    COMPLETED = "COMPLETED", "Completed"
    ENROLLING_BY_INVITATION = "ENROLLING_BY_INVITATION", "Enrolling by invitation"
    NOT_YET_RECRUITING = "NOT_YET_RECRUITING", "Not yet recruiting"
    RECRUITING = "RECRUITING", "Recruiting"
    SUSPENDED = "SUSPENDED", "Suspended"
    TERMINATED = "TERMINATED", "Terminated"
    WITHDRAWN = "WITHDRAWN", "Withdrawn"
    AVAILABLE = "AVAILABLE", "Available"
    NO_LONGER_AVAILABLE = "NO_LONGER_AVAILABLE", "No longer available"
    TEMPORARILY_NOT_AVAILABLE = "TEMPORARILY_NOT_AVAILABLE", "Temporarily not available"
    APPROVED_FOR_MARKETING = "APPROVED_FOR_MARKETING", "Approved for marketing"
    WITHHELD = "WITHHELD", "Withheld"
    UNKNOWN = "UNKNOWN", "Unknown status"


class StudyType(models.TextChoices):
    """ClinicalTrials.gov's studyType enumeration."""

    INTERVENTIONAL = "INTERVENTIONAL", "Interventional"
    OBSERVATIONAL = "OBSERVATIONAL", "Observational"
    EXPANDED_ACCESS = "EXPANDED_ACCESS", "Expanded access"


class RegistryDateType(models.TextChoices):
    """Whether a registry date or enrollment is what happened or what is planned."""

    ACTUAL = "ACTUAL", "actual"
    ESTIMATED = "ESTIMATED", "estimated"


def choice_order(field: str, choices) -> models.Case:
    """Order rows by the position of `field`'s value in `choices` (not alphabetically)."""
    return models.Case(
        *[models.When(**{field: value}, then=models.Value(position))
          for position, value in enumerate(choices)],
        default=models.Value(len(choices)),
        output_field=models.IntegerField(),
    )  # fmt: skip


# The orderings of the public lists, defined once: the views order by them and the partial
# indexes below are built on the very same expressions, so the database reads a list's first
# page from an index instead of sorting every published row.
THERAPY_LIST_ORDER = (choice_order("therapy_class", TherapyClass.values), models.F("title"))
COMBINATION_LIST_ORDER = (choice_order("evidence_level", EvidenceLevel.values), models.F("title"))
# Trial notes without a start date come after the dated ones, in either direction.
UNDATED_LAST = models.Case(
    models.When(start_date="", then=models.Value(1)), default=models.Value(0),
    output_field=models.IntegerField(),
)  # fmt: skip
TRIAL_LIST_ORDERS = {
    "-start": (UNDATED_LAST, models.F("start_date").desc(), models.F("title")),
    "start": (UNDATED_LAST, models.F("start_date"), models.F("title")),
    "title": (models.F("title"),),
}


def published_indexes(prefix: str, *orders) -> list[models.Index]:
    """Partial indexes over a kind's published versions: by title (the A–Z index), by
    publication time (newest first, the sitemap's dates), and one per list ordering."""
    published = Q(state=VersionState.PUBLISHED)
    return [
        models.Index(Lower("title"), name=f"{prefix}_pub_title_idx", condition=published),
        models.Index(models.F("published_at").desc(),
                     name=f"{prefix}_pub_at_idx", condition=published),
        *(models.Index(*order, name=f"{prefix}_pub_order{n}_idx", condition=published)
          for n, order in enumerate(orders, start=1)),
    ]  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Reference data
# ---------------------------------------------------------------------------------------------


class CancerType(models.Model):
    name = models.CharField("name", max_length=120, unique=True, validators=[validate_single_line])
    slug = models.SlugField("slug", max_length=120, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Citation(models.Model):
    """A source a version cites: a PubMed ID, a DOI, an NCT ID or a web address."""

    class Kind(models.TextChoices):
        PMID = "pmid", "PubMed ID"
        DOI = "doi", "DOI"
        NCT = "nct", "ClinicalTrials.gov ID"
        URL = "url", "Web address"

    VALIDATORS = {
        Kind.PMID: validate_pmid,
        Kind.DOI: validate_doi,
        Kind.NCT: validate_nct_id,
        Kind.URL: validate_http_url,
    }

    kind = models.CharField("kind", max_length=4, choices=Kind.choices)
    value = models.CharField(
        "identifier",
        max_length=500,
        help_text="PubMed ID (digits), bare DOI (10.xxxx/…), NCT + 8 digits, or an https URL.",
    )
    label = models.CharField(
        "reference",
        max_length=500,
        blank=True,
        validators=[validate_single_line],
        help_text="How the source is cited, e.g. 'Larkin J, et al. N Engl J Med. 2015;373:23-34.'",
    )
    # Kept on both of the pair (workflow.link_same_paper): one join shows readers a single
    # reference for a paper cited by its PubMed ID in one place and its DOI in another.
    same_as = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="same paper as",
        help_text="The same paper under another identifier (its DOI and its PubMed ID): "
                  "readers see one reference.",
    )  # fmt: skip

    class Meta:
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="citation_unique_source"),
        ]

    def __str__(self):
        return self.label or f"{self.get_kind_display()} {self.value}"

    @classmethod
    def normalize_value(cls, kind: str, value: str) -> str:
        """The identifier as stored: stripped, and a DOI without its resolver prefix."""
        return normalize_doi(value or "") if kind == cls.Kind.DOI else (value or "").strip()

    def clean(self):
        self.value = self.normalize_value(self.kind, self.value)
        validator = self.VALIDATORS.get(self.kind)
        if validator:
            try:
                validator(self.value)
            except ValidationError as error:
                raise ValidationError({"value": error.messages}) from None

    @property
    def url(self) -> str:
        """The address a reader follows for this source; never anything but http(s), even
        for a row that skipped validation."""
        if self.kind == self.Kind.URL:
            return self.value if self.value.lower().startswith(("https://", "http://")) else ""
        return {
            self.Kind.PMID: f"https://pubmed.ncbi.nlm.nih.gov/{self.value}/",
            self.Kind.DOI: f"https://doi.org/{quote(self.value, safe='/:;()[]<>._-')}",
            self.Kind.NCT: f"https://clinicaltrials.gov/study/{self.value}",
        }.get(self.kind, "")

    def is_locked(self) -> bool:
        """True once any version past the draft stage cites it: from then on it is part of
        reviewed content and changing it would change published pages without review."""
        return any(
            model.objects.filter(citations=self)
            .exclude(state__in=[VersionState.DRAFT, VersionState.CHANGES_REQUESTED])
            .exists()
            for model in VERSION_KINDS
        )


# ---------------------------------------------------------------------------------------------
# Items and versions: shared behaviour
# ---------------------------------------------------------------------------------------------


class ContentItemQuerySet(models.QuerySet):
    def published(self):
        """Items that have a published version, with that version prefetched as `.published`.

        Every public query starts here, so nothing unpublished can reach a reader.
        """
        version_model = self.model.version_model()
        return self.filter(versions__state=VersionState.PUBLISHED).prefetch_related(
            Prefetch(
                "versions",
                queryset=version_model.objects.filter(state=VersionState.PUBLISHED).select_related(
                    "reviewed_by"
                ),
                to_attr="_published_versions",
            )
        )


_KEY_MARK = "item-key"


@lru_cache(maxsize=64)
def _url_around_key(url_name: str, script_prefix: str, urlconf: str) -> tuple[str, str]:
    before, _, after = reverse(url_name, urlconf, args=[_KEY_MARK]).partition(_KEY_MARK)
    return before, after


def _item_url(url_name: str, key: str) -> str:
    """reverse(url_name, args=[key]), with the resolver walked once per URL name: a list
    page links 20–50 items, and reverse() for each was a tenth of the page. Keys are slugs
    and NCT IDs (validated on save), which reverse() would not quote."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    before, after = _url_around_key(url_name, get_script_prefix(), urlconf)
    return f"{before}{key}{after}"


class ContentItem(models.Model):
    """The stable identity of a piece of content; its versions hold the content."""

    KEY_FIELD = "slug"  # the field URLs and links use
    URL_NAME = ""  # prefix of the public URL names: "<URL_NAME>_detail", "<URL_NAME>_history"

    created_at = models.DateTimeField("created", auto_now_add=True)

    objects = ContentItemQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        version = self.published or self.latest
        return version.title if version else self.key

    def get_absolute_url(self):
        return self.detail_url(self.key)

    @classmethod
    def detail_url(cls, key: str) -> str:
        return _item_url(f"therapies:{cls.URL_NAME}_detail", key)

    def get_history_url(self):
        return _item_url(f"therapies:{self.URL_NAME}_history", self.key)

    @classmethod
    def version_model(cls):
        return cls._meta.get_field("versions").related_model

    @property
    def published(self):
        """The published version, or None. Uses the prefetch from `published()` when present."""
        if hasattr(self, "_published_versions"):
            return self._published_versions[0] if self._published_versions else None
        return self.versions.filter(state=VersionState.PUBLISHED).first()

    @property
    def in_progress(self):
        """The version being drafted, reviewed or scheduled, or None (there is at most one)."""
        return self.versions.filter(state__in=IN_PROGRESS_STATES).first()

    @property
    def latest(self):
        """The newest version that was not discarded, or None."""
        return self.versions.exclude(state=VersionState.DISCARDED).order_by("-number").first()

    def get_admin_url(self):
        meta = self._meta
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[self.pk])

    @property
    def key(self) -> str:
        """What URLs and links name the item by: its slug, or a trial note's NCT ID."""
        return getattr(self, self.KEY_FIELD)


class ContentVersionQuerySet(models.QuerySet):
    # Columns a list, a feed or a link never shows: the body in its three forms, the search
    # vector and the reviewer's statement — most of a row's size.
    BODY_FIELDS = ("body", "body_html", "body_text", "search_vector", "reviewer_coi")

    def published(self):
        """Published versions only: where every public list of versions starts."""
        return self.filter(state=VersionState.PUBLISHED)

    def listed(self):
        """Without the body columns: what lists, feeds and links read."""
        return self.defer(*self.BODY_FIELDS)


class ContentVersion(models.Model):
    """One version of an item's content, with its place in the editorial workflow."""

    # Fields copied when a new version starts from an older one; subclasses add their own.
    CONTENT_FIELDS: tuple[str, ...] = ("title", "summary", "body")
    # Content a new version does not inherit: each version states it afresh (a trial note's
    # reason to differ from the registry holds for the facts it was written about).
    NOT_CARRIED_OVER: tuple[str, ...] = ("registry_difference",)

    number = models.PositiveIntegerField("version", editable=False)
    state = models.CharField(
        "state",
        max_length=20,
        choices=VersionState.choices,
        default=VersionState.DRAFT,
        editable=False,
        db_index=True,
        help_text="Changed only by the editorial workflow, never typed.",
    )
    title = models.CharField("title", max_length=200, validators=[validate_single_line])
    summary = models.TextField(
        "summary",
        max_length=400,
        help_text="Plain text, one or two sentences; shown in lists and search results.",
    )
    body = MarkdownxField(
        "body",
        help_text="Markdown. Rendered and sanitized on the server.",
        validators=[validate_markdown_size],
    )
    body_html = models.TextField("rendered body", editable=False, blank=True)
    body_text = models.TextField("body as plain text", editable=False, blank=True)
    # PostgreSQL full-text index of the version (weighted title > summary > body), derived on
    # save; empty on SQLite, where search falls back to simple matching.
    search_vector = SearchVectorField(null=True, editable=False)
    change_summary = models.CharField(
        "change summary",
        max_length=CHANGE_SUMMARY_MAX_LENGTH,
        blank=True,
        validators=[validate_single_line],
        help_text="What this version changes, for reviewers and the public changelog.",
    )

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="author",
        editable=False,
    )
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name="last edited by",
    )
    created_at = models.DateTimeField("created", default=timezone.now, editable=False)
    updated_at = models.DateTimeField("last saved", default=timezone.now, editable=False)
    # Optimistic concurrency: each save increments it; a save based on an older value is refused.
    edit_count = models.PositiveIntegerField("saves", default=0, editable=False)

    submitted_at = models.DateTimeField("submitted", null=True, blank=True, editable=False)
    # "Being reviewed by <name> since <time>": a moderator's marker on a version in review.
    # It only tells other moderators; it never stops them. Cleared when the version leaves
    # review (workflow.claim_review, release_review).
    review_claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name="being reviewed by",
    )
    review_claimed_at = models.DateTimeField(
        "being reviewed since", null=True, blank=True, editable=False
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name="approved by",
    )
    approved_at = models.DateTimeField("approved", null=True, blank=True, editable=False)
    # The approver's conflict-of-interest statement as it stood at approval ({"declared_on",
    # "agents", "sponsors"}), so the page shows what was on file then, not a later update.
    reviewer_coi = models.JSONField(
        "reviewer's conflict-of-interest statement", null=True, blank=True, editable=False
    )
    publish_at = models.DateTimeField("scheduled for", null=True, blank=True, editable=False)
    unpublish_at = models.DateTimeField("unpublish at", null=True, blank=True, editable=False)
    published_at = models.DateTimeField("published", null=True, blank=True, editable=False)
    # When it stopped being the live version (superseded by the next one, or unpublished):
    # with `published_at`, the span in which readers saw it, which `?as_of=` and data
    # releases read (therapies/opendata.py). Empty while live, and for what never was.
    live_until = models.DateTimeField("live until", null=True, blank=True, editable=False)
    review_comment = models.TextField(
        "reviewer's comment",
        blank=True,
        editable=False,
        help_text="The moderator's latest request for changes, shown to the author.",
    )

    corrected_at = models.DateTimeField("corrected", null=True, blank=True, editable=False)
    correction_note = models.CharField(
        "correction note",
        max_length=CORRECTION_NOTE_MAX_LENGTH,
        blank=True,
        editable=False,
        help_text="Public note shown as 'Corrected on <date>: <note>'.",
    )

    objects = ContentVersionQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(state=VersionState.PUBLISHED),
                name="%(app_label)s_%(class)s_one_published",
                violation_error_message="An item can have only one published version.",
            ),
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(state__in=IN_PROGRESS_STATES),
                name="%(app_label)s_%(class)s_one_in_progress",
                violation_error_message="An item can have only one version in progress.",
            ),
            models.UniqueConstraint(
                fields=["item", "number"], name="%(app_label)s_%(class)s_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(state__in=VersionState.values),
                name="%(app_label)s_%(class)s_known_state",
            ),
        ]

    def __str__(self):
        return f"{self.title} (v{self.number}, {self.get_state_display().lower()})"

    def save(self, *args, **kwargs):
        # Derived fields only, written with the row. Workflow rules live in
        # therapies/workflow.py, which also tells the public side (therapies.catalog) what a
        # move changed; the model never reaches into the read side.
        self.body_html = render_markdown(self.body)
        self.body_text = html_to_text(self.body_html)
        if self.number is None:
            last = type(self).objects.filter(item_id=self.item_id).aggregate(n=models.Max("number"))
            self.number = (last["n"] or 0) + 1
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        update_fields = kwargs.get("update_fields")
        indexed = connections[using].vendor == "postgresql" and (
            update_fields is None or bool(set(update_fields) & self.indexed_fields())
        )
        if indexed:
            # The search vector in the same INSERT or UPDATE, computed by PostgreSQL from
            # this version's values (no second UPDATE).
            self.search_vector = self.search_document()
            if update_fields is not None:
                kwargs["update_fields"] = [*update_fields, "search_vector"]
        super().save(*args, **kwargs)
        if indexed:
            self.search_vector = None  # the expression, spent: the row holds the vector

    def indexed_fields(self) -> set[str]:
        """What the search vector is made of (a change to any of them rewrites it): title,
        summary, body and the kind's own keyword fields."""
        own = {name for name in kinds.of(self).keyword_fields if "__" not in name}
        return {"title", "summary", "body", "body_text", *own}

    def search_document(self) -> SearchVector:
        """The weighted full-text vector of this version (title A, summary and keywords B,
        body C), as an expression PostgreSQL evaluates when the row is written."""

        def part(text: str, weight: str) -> SearchVector:
            return SearchVector(Value(text, output_field=models.TextField()), weight=weight,
                                config=SEARCH_CONFIG)  # fmt: skip

        return (
            part(self.title, "A")
            + part(f"{self.summary} {self.search_keywords()}", "B")
            + part(self.body_text, "C")
        )

    def search_keywords(self) -> str:
        """Text a reader may search for besides title, summary and body (weighted like the
        summary): the kind's keyword fields — agents, identifiers, conditions."""
        words = []
        for path in kinds.of(self).keyword_fields:
            owner, name = (self.item, path[6:]) if path.startswith("item__") else (self, path)
            field = owner._meta.get_field(name)
            if field.choices:
                words.append(getattr(owner, f"get_{name}_display")())
            else:
                value = getattr(owner, name)
                words += value if isinstance(value, list) else [value]
        return " ".join(str(word) for word in words)

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def is_live(self) -> bool:
        return self.state == VersionState.PUBLISHED

    @property
    def is_in_review(self) -> bool:
        return self.state == VersionState.IN_REVIEW

    @property
    def is_scheduled(self) -> bool:
        """Approved, waiting for its publication time."""
        return self.state == VersionState.APPROVED

    @property
    def is_sent_back(self) -> bool:
        """A moderator requested changes; the author works on it again."""
        return self.state == VersionState.CHANGES_REQUESTED

    @property
    def is_superseded(self) -> bool:
        return self.state == VersionState.SUPERSEDED

    def copy_into(self, new_version) -> None:
        """Copy this version's content (fields and links) into the unsaved `new_version`.

        The copy's m2m links and citations are written once `new_version` has been saved, by
        `copy_relations_into`.
        """
        for name in self.CONTENT_FIELDS:
            if name not in self.NOT_CARRIED_OVER:
                setattr(new_version, name, getattr(self, name))

    def copy_relations_into(self, new_version) -> None:
        for field in self._meta.many_to_many:
            through = field.remote_field.through
            if through._meta.auto_created:
                getattr(new_version, field.name).set(getattr(self, field.name).all())
            else:
                rows = through.objects.filter(version=self)
                through.objects.bulk_create(
                    [through(**{**row.copyable_fields(), "version": new_version}) for row in rows]
                )


class VersionCitation(models.Model):
    """A citation attached to one version, in order, with what it supports."""

    citation = models.ForeignKey(Citation, on_delete=models.PROTECT, verbose_name="source")
    supports = models.CharField(
        "supports",
        max_length=SUPPORTS_MAX_LENGTH,
        blank=True,
        help_text="Which statement this source backs, e.g. 'overall survival at 5 years'.",
    )
    position = models.PositiveSmallIntegerField("order", default=0)

    class Meta:
        abstract = True
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "citation"], name="%(app_label)s_%(class)s_once"
            ),
        ]

    def __str__(self):
        return str(self.citation)

    def copyable_fields(self) -> dict:
        return {"citation": self.citation, "supports": self.supports, "position": self.position}


def version_permissions(model_name: str, verbose: str) -> list[tuple[str, str]]:
    """The workflow's custom permissions for one version model (codenames are per model, so a
    permission on trial notes never lets anyone act on therapy articles)."""
    return [
        (f"submit_{model_name}", f"Can submit a {verbose} for review"),
        (f"approve_{model_name}", f"Can approve and publish a {verbose}"),
        (f"request_changes_{model_name}", f"Can send a {verbose} back with comments"),
        (f"schedule_{model_name}", f"Can schedule publication of a {verbose}"),
        (f"unpublish_{model_name}", f"Can unpublish a {verbose}"),
        (f"discard_{model_name}", f"Can discard a draft {verbose}"),
        (f"correct_{model_name}", f"Can mark a published {verbose} as corrected"),
    ]


# ---------------------------------------------------------------------------------------------
# Therapy articles
# ---------------------------------------------------------------------------------------------


class TherapyArticle(ContentItem):
    URL_NAME = "therapy"

    slug = models.SlugField(
        "slug", max_length=120, unique=True, help_text="The page's address; never changes."
    )

    class Meta:
        ordering = ["slug"]
        verbose_name = "therapy article"


def assessed_on_field():
    """When the evidence was last checked against the literature and the registry (Cochrane's
    "assessed as up to date"): the re-review reminder counts from it."""
    return models.DateField(
        "assessed as up to date", null=True, blank=True, validators=[validate_not_future_date],
        help_text="The day the evidence was last checked against the literature and the "
                  "registry. Left empty, approval records the day of the review.",
    )  # fmt: skip


class TherapyArticleVersion(ContentVersion):
    CONTENT_FIELDS = (
        *ContentVersion.CONTENT_FIELDS, "therapy_class", "evidence_level", "key_agents",
        "regulatory_status", "assessed_on",
    )  # fmt: skip

    item = models.ForeignKey(
        TherapyArticle, on_delete=models.CASCADE, related_name="versions", verbose_name="article"
    )
    therapy_class = models.CharField("therapy class", max_length=30, choices=TherapyClass.choices)
    evidence_level = models.CharField(
        "evidence level",
        max_length=20,
        choices=EvidenceLevel.choices,
        blank=True,
        help_text="The strongest evidence for the therapy, on the scale at /about/evidence/.",
    )
    key_agents = StringListField(
        "key agents", help_text="Generic names, one per line, e.g. pembrolizumab."
    )
    regulatory_status = RegulatoryStatusField("regulatory status")
    assessed_on = assessed_on_field()
    cancer_types = models.ManyToManyField(
        CancerType, blank=True, related_name="therapy_versions", verbose_name="cancer types"
    )
    citations = models.ManyToManyField(
        Citation, through="TherapyArticleCitation", blank=True, related_name="+"
    )

    class Meta(ContentVersion.Meta):
        verbose_name = "therapy article version"
        permissions = version_permissions("therapyarticleversion", "therapy article")
        indexes = published_indexes("therapy", THERAPY_LIST_ORDER)


class TherapyArticleCitation(VersionCitation):
    version = models.ForeignKey(
        TherapyArticleVersion, on_delete=models.CASCADE, related_name="citation_links"
    )

    class Meta(VersionCitation.Meta):
        verbose_name = "citation"


# ---------------------------------------------------------------------------------------------
# Combination entries
# ---------------------------------------------------------------------------------------------


class CombinationEntry(ContentItem):
    URL_NAME = "combination"

    slug = models.SlugField(
        "slug", max_length=120, unique=True, help_text="The page's address; never changes."
    )

    class Meta:
        ordering = ["slug"]
        verbose_name = "combination entry"
        verbose_name_plural = "combination entries"


class CombinationEntryVersion(ContentVersion):
    CONTENT_FIELDS = (*ContentVersion.CONTENT_FIELDS, "other_treatments", "evidence_level",
                      "key_trials", "assessed_on")  # fmt: skip

    item = models.ForeignKey(
        CombinationEntry, on_delete=models.CASCADE, related_name="versions", verbose_name="entry"
    )
    # Links point at items, not versions, so they survive every new version of the therapy.
    therapies = models.ManyToManyField(
        TherapyArticle,
        related_name="combination_versions",
        verbose_name="therapies combined",
        help_text="The immunotherapies combined, one or more therapy articles; with the other "
        "treatments below, a combination has at least two treatments.",
    )
    # Chemo-immunotherapy is a combination whose partner is not an immunotherapy, so it has
    # no therapy article here: it is named, not linked.
    other_treatments = StringListField(
        "other treatments combined",
        item_validators=[validate_single_line],
        help_text="Treatments in the combination that are not immunotherapies covered by a "
        "therapy article, one per line, e.g. “platinum-based chemotherapy”.",
    )
    evidence_level = models.CharField(
        "evidence level", max_length=20, choices=EvidenceLevel.choices
    )
    key_trials = StringListField(
        "key trials",
        item_validators=[validate_nct_id],
        help_text="NCT IDs, one per line, e.g. NCT01844505.",
    )
    assessed_on = assessed_on_field()
    citations = models.ManyToManyField(
        Citation, through="CombinationEntryCitation", blank=True, related_name="+"
    )

    class Meta(ContentVersion.Meta):
        verbose_name = "combination entry version"
        permissions = version_permissions("combinationentryversion", "combination entry")
        indexes = published_indexes("combination", COMBINATION_LIST_ORDER)


class CombinationEntryCitation(VersionCitation):
    version = models.ForeignKey(
        CombinationEntryVersion, on_delete=models.CASCADE, related_name="citation_links"
    )

    class Meta(VersionCitation.Meta):
        verbose_name = "citation"


# ---------------------------------------------------------------------------------------------
# Clinical-trial notes
# ---------------------------------------------------------------------------------------------


class TrialNote(ContentItem):
    KEY_FIELD = "nct_id"
    URL_NAME = "trial"

    nct_id = models.CharField(
        "NCT ID",
        max_length=11,
        unique=True,
        validators=[validate_nct_id],
        help_text="The ClinicalTrials.gov identifier: NCT followed by 8 digits.",
    )

    class Meta:
        ordering = ["nct_id"]
        verbose_name = "clinical-trial note"
        constraints = [
            models.CheckConstraint(
                condition=Q(nct_id__regex=r"^NCT[0-9]{8}\Z"), name="trialnote_nct_id_format"
            ),
        ]

    @property
    def registry_url(self) -> str:
        return f"https://clinicaltrials.gov/study/{self.nct_id}"

    @property
    def registry_history_url(self) -> str:
        return f"https://clinicaltrials.gov/study/{self.nct_id}?tab=history"

    @property
    def registry_results_url(self) -> str:
        return f"https://clinicaltrials.gov/study/{self.nct_id}?tab=results"


class TrialNoteVersion(ContentVersion):
    CONTENT_FIELDS = (
        *ContentVersion.CONTENT_FIELDS,
        "phase",
        "overall_status",
        "conditions",
        "interventions",
        "sponsor",
        "enrollment",
        "start_date",
        "primary_completion_date",
        *REGISTRY_ONLY_FIELDS,
        "brief_title",
        "official_title",
        "study_type",
        "collaborators",
        "enrollment_type",
        "start_date_type",
        "primary_completion_date_type",
        "completion_date",
        "completion_date_type",
        "results_posted",
        "registry_last_update",
        "registry_difference",
    )
    # The registry facts the evidence gate compares with the latest import of the trial
    # (`RegistrySnapshot`, see therapies/registry.py).
    GATED_REGISTRY_FIELDS = ("phase", "overall_status", "enrollment", "sponsor", "start_date",
                             "primary_completion_date", "completion_date")  # fmt: skip

    item = models.ForeignKey(
        TrialNote, on_delete=models.CASCADE, related_name="versions", verbose_name="trial note"
    )
    phase = models.CharField(
        "phase",
        max_length=20,
        choices=TrialPhase.choices,
        blank=True,
        help_text="As registered on ClinicalTrials.gov; empty for a study without phases "
        "(observational).",
    )
    overall_status = models.CharField(
        "overall status",
        max_length=30,
        choices=OverallStatus.choices,
        blank=True,
        help_text="As registered on ClinicalTrials.gov; leave empty until it is verified.",
    )
    conditions = StringListField("conditions", help_text="One per line.")
    interventions = StringListField("interventions", help_text="One per line.")
    sponsor = models.CharField(
        "lead sponsor", max_length=REGISTRY_TEXT_MAX_LENGTH, blank=True,
        validators=[validate_single_line],
    )  # fmt: skip
    enrollment = models.PositiveIntegerField("enrollment", null=True, blank=True)
    start_date = models.CharField(
        "start date",
        max_length=10,
        blank=True,
        validators=[validate_partial_date],
        help_text="YYYY, YYYY-MM or YYYY-MM-DD, as registered.",
    )
    primary_completion_date = models.CharField(
        "primary completion date",
        max_length=10,
        blank=True,
        validators=[validate_partial_date],
        help_text="YYYY, YYYY-MM or YYYY-MM-DD, as registered.",
    )
    # The rest of the registry facts, as ClinicalTrials.gov gives them (see therapies/ctgov.py).
    brief_title = models.CharField(
        "brief title (registry)", max_length=REGISTRY_TEXT_MAX_LENGTH, blank=True,
        validators=[validate_single_line],
    )  # fmt: skip
    official_title = models.CharField(
        "official title (registry)",
        max_length=REGISTRY_TEXT_MAX_LENGTH,
        blank=True,
        validators=[validate_single_line],
    )
    study_type = models.CharField(
        "study type", max_length=20, choices=StudyType.choices, blank=True
    )
    collaborators = StringListField("collaborators", help_text="One per line.")
    enrollment_type = models.CharField(
        "enrollment is", max_length=10, choices=RegistryDateType.choices, blank=True
    )
    start_date_type = models.CharField(
        "start date is", max_length=10, choices=RegistryDateType.choices, blank=True
    )
    primary_completion_date_type = models.CharField(
        "primary completion date is",
        max_length=10,
        choices=RegistryDateType.choices,
        blank=True,
    )
    completion_date = models.CharField(
        "completion date",
        max_length=10,
        blank=True,
        validators=[validate_partial_date],
        help_text="YYYY, YYYY-MM or YYYY-MM-DD, as registered.",
    )
    completion_date_type = models.CharField(
        "completion date is", max_length=10, choices=RegistryDateType.choices, blank=True
    )
    results_posted = models.BooleanField(
        "results posted",
        null=True,
        blank=True,
        help_text="Whether the registry record has posted results; empty when not known.",
    )
    registry_last_update = models.DateField(
        "registry last updated",
        null=True,
        blank=True,
        help_text="The registry's last-update date of the record these facts come from.",
    )
    # The record as imported (its mapped facts, `ctgov.RegistryRecord.facts()`), kept with
    # the version so that any two imports can be compared field by field. Written only by
    # the import (workflow.REGISTRY_ONLY_FIELDS).
    registry_record = models.JSONField(
        "registry record as imported", null=True, blank=True, editable=False
    )
    registry_difference = models.CharField(
        "why this differs from the registry",
        max_length=REGISTRY_DIFFERENCE_MAX_LENGTH,
        blank=True,
        help_text="Only if a registry fact here deliberately differs from the latest imported "
        "record (e.g. the registry is out of date): shown publicly as “Differs from the "
        "registry: …”, and lets the version be approved.",
    )
    therapies = models.ManyToManyField(
        TherapyArticle, blank=True, related_name="trial_versions", verbose_name="therapies"
    )
    combinations = models.ManyToManyField(
        CombinationEntry, blank=True, related_name="trial_versions", verbose_name="combinations"
    )
    citations = models.ManyToManyField(
        Citation, through="TrialNoteCitation", blank=True, related_name="+"
    )

    class Meta(ContentVersion.Meta):
        verbose_name = "clinical-trial note version"
        permissions = version_permissions("trialnoteversion", "clinical-trial note")
        # The trial list's filters; on PostgreSQL also a GIN index on the conditions (made by
        # migration 0016: it has no SQLite equivalent).
        indexes = [
            *published_indexes("trial", *TRIAL_LIST_ORDERS.values()),
            models.Index("phase", "overall_status", name="trial_pub_phase_idx",
                         condition=Q(state="published")),
            models.Index("overall_status", name="trial_pub_status_idx",
                         condition=Q(state="published")),
            models.Index("results_posted", name="trial_pub_results_idx",
                         condition=Q(state="published")),
        ]  # fmt: skip


class TrialNoteCitation(VersionCitation):
    version = models.ForeignKey(
        TrialNoteVersion, on_delete=models.CASCADE, related_name="citation_links"
    )

    class Meta(VersionCitation.Meta):
        verbose_name = "citation"


# ---------------------------------------------------------------------------------------------
# The kinds of content, each declared once (see therapies/kinds.py)
# ---------------------------------------------------------------------------------------------

kinds.register(kinds.Kind(
    "therapy", TherapyArticle, TherapyArticleVersion, url_name="therapy",
    detail_template="therapies/therapy_detail.html", list_template="therapies/therapy_list.html",
    keyword_fields=("key_agents", "therapy_class"), agent_fields=("key_agents",),
    flag_fields=("therapy_class", "key_agents"),
))  # fmt: skip
kinds.register(kinds.Kind(
    "combination", CombinationEntry, CombinationEntryVersion, url_name="combination",
    detail_template="therapies/combination_detail.html",
    list_template="therapies/combination_list.html",
    keyword_fields=("key_trials", "other_treatments"), links={"therapies": "therapy"},
    trial_fields=("key_trials",),
    min_links={"therapies": 1}, parts_fields=("therapies", "other_treatments"), min_parts=2,
    agent_fields=("other_treatments",), published_links=("therapies",),
    evidence_level_required=True,
))  # fmt: skip
kinds.register(kinds.Kind(
    "trial", TrialNote, TrialNoteVersion, url_name="trial",
    detail_template="therapies/trial_detail.html", list_template="therapies/trial_list.html",
    keyword_fields=("item__nct_id", "conditions", "interventions", "sponsor"),
    agent_fields=("interventions",), sponsor_fields=("sponsor", "collaborators"),
    links={"therapies": "therapy", "combinations": "combination"}, schema_type="MedicalTrial",
    registry=True,
))  # fmt: skip


class _KindMap(Mapping):
    """A live view of the declared kinds: name → item model (CONTENT_KINDS) or version
    model → name (VERSION_KINDS), so that a kind declared later is seen everywhere."""

    def __init__(self, by_version: bool):
        self.by_version = by_version

    def __getitem__(self, key):
        try:
            kind = kinds.of(key) if self.by_version else kinds.get(key)
        except LookupError as missing:
            raise KeyError(key) from missing
        if self.by_version and key is not kind.version_model:
            raise KeyError(key)
        return kind.name if self.by_version else kind.item_model

    def __iter__(self):
        for kind in kinds.all_kinds():
            yield kind.version_model if self.by_version else kind.name

    def __len__(self):
        return len(kinds.REGISTRY)


CONTENT_KINDS: Mapping[str, type[ContentItem]] = _KindMap(by_version=False)
VERSION_KINDS: Mapping[type[ContentVersion], str] = _KindMap(by_version=True)


# ---------------------------------------------------------------------------------------------
# The public changelog: an index derived from the versions
# ---------------------------------------------------------------------------------------------


class ChangelogEntry(models.Model):
    """One publication as readers see it in /updates/ and the feeds.

    Derived from the versions — kept current by the workflow (and by a version's `save()`),
    rebuilt by `catalog.rebuild_derived()` — so that the changelog is one indexed query
    however large the catalogue, instead of a UNION over every version of every kind.
    """

    kind = models.CharField(max_length=12, choices=[(kind, kind) for kind in CONTENT_KINDS])
    item_id = models.PositiveBigIntegerField()
    version_id = models.PositiveBigIntegerField()
    published_at = models.DateTimeField()
    visible = models.BooleanField(
        default=True,
        help_text="Shown only while the version is in the item's public history and the "
        "item is published (an unpublished item's history leaves the changelog).",
    )

    class Meta:
        verbose_name = "changelog entry"
        verbose_name_plural = "changelog entries"
        constraints = [
            models.UniqueConstraint(fields=["kind", "version_id"], name="changelog_once"),
        ]
        indexes = [
            models.Index(
                models.F("published_at").desc(), models.F("id").desc(),
                condition=Q(visible=True), name="changelog_newest_idx",
            ),
            models.Index(fields=["kind", "item_id"], name="changelog_item_idx"),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.kind} version {self.version_id} published {self.published_at:%Y-%m-%d}"


class TrialCondition(models.Model):
    """A condition named by published trial notes, with how many name it.

    The trial list's common conditions and the condition field's suggestions read this small
    table (one row per distinct condition) instead of unpacking every trial note's list; the
    workflow moves its counts as versions go live or leave (`catalog.count_conditions`), a
    version saved as published recounts them, and `catalog.rebuild_derived()` rebuilds it.
    """

    name = models.CharField(max_length=500, unique=True)
    name_lower = models.CharField(max_length=500, db_index=True)
    # A signed count: the workflow adds and takes away in one statement, and a row that
    # reaches zero is deleted.
    trials = models.IntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(models.F("trials").desc(), "name", name="trialcondition_common_idx")
        ]

    def __str__(self):
        return f"{self.name} ({self.trials})"


# ---------------------------------------------------------------------------------------------
# Trust and provenance: re-check flags, review links, conflict-of-interest statements
# ---------------------------------------------------------------------------------------------


class RecheckFlagQuerySet(models.QuerySet):
    def open(self):
        return self.filter(cleared_at__isnull=True)

    def for_item(self, item):
        return self.filter(item_type=ContentType.objects.get_for_model(item), item_id=item.pk)


class RecheckFlag(models.Model):
    """An item that must be re-checked because something it depends on changed: a therapy
    it links changed (new class or key agents) or was unpublished, or the registry record of
    a trial it cites, lists or is linked from changed (and, on the trial's own note, a
    registry change that could not be written into a version under review). Cleared by
    approving a new version of the flagged item, or by a moderator dismissing it with a
    comment. Urgent flags (a trial stopped, results posted, …) sort first for moderators."""

    item_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    item_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("item_type", "item_id")
    # What raised the flag: a therapy, or a trial's registry record.
    therapy = models.ForeignKey(
        TherapyArticle, on_delete=models.CASCADE, related_name="recheck_flags_raised",
        null=True, blank=True,
    )  # fmt: skip
    trial = models.ForeignKey(
        TrialNote, on_delete=models.CASCADE, related_name="recheck_flags_raised",
        null=True, blank=True,
    )  # fmt: skip

    class Change(models.TextChoices):
        CHANGED = "changed", "class or key agents changed"
        UNPUBLISHED = "unpublished", "unpublished"
        REGISTRY = "registry", "registry changed"

    change = models.CharField(max_length=20, choices=Change, default=Change.CHANGED)
    urgent = models.BooleanField(default=False)
    # For a registry change: the registry's last-update date of the record that raised it.
    registry_last_update = models.DateField(null=True, blank=True)
    # The therapy version that caused the flag and, for a change, the once-published version
    # it was compared with: together they give the "what changed" comparison.
    therapy_version_number = models.PositiveIntegerField(null=True)
    previous_version_number = models.PositiveIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    cleared_at = models.DateTimeField(null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    clear_comment = models.TextField(blank=True)
    # The dependent item's version whose approval cleared the flag (none if dismissed): if
    # that version was only scheduled and never goes live, the flag opens again.
    cleared_by_version_number = models.PositiveIntegerField(null=True, blank=True)

    objects = RecheckFlagQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["item_type", "item_id"], name="recheck_item_idx")]
        permissions = [("dismiss_recheckflag", "Can dismiss a needs-re-check flag")]
        constraints = [
            models.CheckConstraint(
                condition=Q(therapy__isnull=False) | Q(trial__isnull=False),
                name="recheckflag_has_cause",
            ),
        ]

    def __str__(self):
        return self.reason


class RegistrySnapshot(models.Model):
    """The latest record imported from ClinicalTrials.gov for one NCT ID: what the evidence
    gate compares a trial-note version with, and what the next import compares a record
    with to know whether it changed. Staging, as in the FDAAA TrialsTracker: nothing here is
    shown to readers until a moderator approves a version made from it."""

    nct_id = models.CharField("NCT ID", max_length=11, unique=True, validators=[validate_nct_id])
    facts = models.JSONField("mapped facts")  # ctgov.RegistryRecord.facts()
    last_update = models.DateField("registry last updated", null=True, blank=True)
    first_imported_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField("facts last changed", default=timezone.now)
    checked_at = models.DateTimeField("last seen by an import", default=timezone.now)
    # The facts as last written into a version (or found already there): what the next
    # import compares a record with, so that only what the registry changed is applied.
    applied_facts = models.JSONField("facts last applied", null=True, blank=True)
    # `facts` could not be written into a version yet (one was in review or scheduled):
    # every import tries again, whether or not the record is in its input.
    pending = models.BooleanField(default=False)

    class Meta:
        ordering = ["nct_id"]
        verbose_name = "registry record"

    def __str__(self):
        return f"{self.nct_id} as of {self.last_update or 'unknown'}"


class Notification(models.Model):
    """A mail the portal sends, kept until it is delivered: one that fails is retried by the
    scheduler and shown in the admin, never only logged (therapies/notifications.py)."""

    name = models.CharField("message", max_length=50)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    recipients = models.JSONField()
    bcc = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # When the next try is due; None once sent, or once the tries are used up.
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["next_attempt_at"], name="notification_retry_idx",
                         condition=models.Q(sent_at__isnull=True)),
        ]  # fmt: skip

    def __str__(self):
        return self.subject

    @property
    def failed(self) -> bool:
        return self.sent_at is None and self.attempts > 0


class RegistrySync(models.Model):
    """One `sync_ctgov` run: what it asked the registry for and how it ended. A nightly
    `--since last` starts from the last *complete* run of the same search, so that records a
    broken-off or failed run never imported are fetched again rather than skipped."""

    query = models.CharField(max_length=500, blank=True)
    condition = models.CharField(max_length=500, blank=True)
    since = models.DateField("asked for updates since", null=True, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Every record the search matched was read and imported: none failed, the input did not
    # break off and `--max` did not stop it early.
    complete = models.BooleanField(default=False)
    summary = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["query", "condition", "-started_at"], name="registry_sync_idx")
        ]
        verbose_name = "registry sync"

    def __str__(self):
        return f"{self.query or self.condition} at {self.started_at:%Y-%m-%d %H:%M}"


class ReviewLink(models.Model):
    """A signed, expiring, revocable link that shows one version to an outside reviewer
    without an account and lets them comment on it."""

    MAX_DAYS = 30
    TOKEN_SALT = "therapies.reviewlink"
    # A link shows a version that is being worked on or is live, and closes once it is not.
    SHAREABLE_STATES = (VersionState.DRAFT, VersionState.IN_REVIEW,
                        VersionState.CHANGES_REQUESTED, VersionState.APPROVED,
                        VersionState.PUBLISHED)  # fmt: skip

    version_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    version_id = models.PositiveBigIntegerField()
    version = GenericForeignKey("version_type", "version_id")
    label = models.CharField(
        "shared with", max_length=200, help_text="Who the link is for, e.g. 'Dr A. Expert'.",
        validators=[validate_single_line],
    )  # fmt: skip
    # The version's save counter when it was shared: the link shows exactly that content and
    # stops working if the version is saved again.
    version_edit_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["version_type", "version_id"], name="reviewlink_idx")]

    def __str__(self):
        return f"Review link for {self.label}"

    def get_absolute_url(self):
        return reverse("review_link", args=[self.token])

    def is_active(self, now=None) -> bool:
        return self.problem(now) is None

    def problem(self, now=None) -> str | None:
        """Why the link no longer shows anything — "revoked", "expired", "gone" (its version
        was discarded, deleted, superseded or unpublished) or "changed" (the version was saved
        since) — or None."""
        if self.revoked_at is not None:
            return "revoked"
        if (now or timezone.now()) >= self.expires_at:
            return "expired"
        version = self.version
        if version is None or version.state not in self.SHAREABLE_STATES:
            return "gone"  # discarded, deleted, or no longer live (superseded, unpublished)
        if version.edit_count != self.version_edit_count:
            return "changed"
        return None

    @property
    def token(self) -> str:
        from django.core import signing

        return signing.dumps(self.pk, salt=self.TOKEN_SALT)


class ReviewLinkUse(models.Model):
    """Every use of a review link: each view and each comment (an append-only log)."""

    link = models.ForeignKey(ReviewLink, on_delete=models.CASCADE, related_name="uses")
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=20)
    outcome = models.CharField(max_length=20, default="ok")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} ({self.outcome})"


class ExternalReviewComment(models.Model):
    """A comment left through a review link, attached to the version for the moderators."""

    link = models.ForeignKey(ReviewLink, on_delete=models.PROTECT, related_name="comments")
    version_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    version_id = models.PositiveBigIntegerField()
    name = models.CharField(
        "name", max_length=REVIEWER_NAME_MAX_LENGTH, validators=[validate_single_line]
    )
    body = models.TextField("comment", max_length=REVIEWER_COMMENT_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.name}: {self.body[:60]}"


def validate_not_in_future(value):
    if value > timezone.localdate():
        raise ValidationError("The date cannot be in the future.", code="future_date")


class ConflictOfInterestStatement(models.Model):
    """A moderator's conflict-of-interest statement, as CIViC asks of its editors: free text,
    the date it was last confirmed, and the agents and sponsors they declare interests in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coi_statement"
    )
    statement = models.TextField(
        "statement", help_text="Relationships with industry, grants, advisory roles, or 'None'."
    )
    declared_on = models.DateField(
        "date", default=timezone.localdate, validators=[validate_not_in_future],
        help_text="When the statement was last made or confirmed (saving it confirms it); "
        f"approving content needs one dated within the last {COI_MAX_AGE_MONTHS} months.",
    )  # fmt: skip
    agents = StringListField(
        "agents", help_text="Drugs or products you declare an interest in, one per line."
    )
    sponsors = StringListField(
        "sponsors",
        help_text="Companies or trial sponsors you declare an interest in, one per line.",
    )

    class Meta:
        verbose_name = "conflict-of-interest statement"

    def __str__(self):
        return f"{self.user} ({self.declared_on:%Y-%m-%d})"

    @property
    def declares_nothing(self) -> bool:
        return not self.agents and not self.sponsors


# ---------------------------------------------------------------------------------------------
# Audit trail
# ---------------------------------------------------------------------------------------------


class AppendOnlyError(Exception):
    pass


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events are append-only.")

    def delete(self):
        raise AppendOnlyError("Audit events are append-only.")

    def for_item(self, item):
        return self.filter(item_type=ContentType.objects.get_for_model(item), item_id=item.pk)

    def for_version(self, version):
        return self.filter(
            version_type=ContentType.objects.get_for_model(version), version_id=version.pk
        )


class AuditEvent(models.Model):
    """One thing that happened to a version: who, when, from which state to which, and why.

    Append-only: the model refuses updates and deletes, and the database refuses them too
    (a trigger, installed by migration).
    """

    item_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    item_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("item_type", "item_id")
    version_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", null=True
    )
    version_id = models.PositiveBigIntegerField(null=True)
    version = GenericForeignKey("version_type", "version_id")
    version_number = models.PositiveIntegerField(null=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        help_text="Empty when the scheduler acted.",
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=30)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    comment = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    # The hash chain (therapies/audit.py): the previous event's hash and this one's.
    prev_hash = models.CharField("previous event's hash", max_length=64, blank=True,
                                 editable=False)  # fmt: skip
    hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    ACTION_LABELS = {
        "created": "Created", "edited": "Edited", "submitted": "Submitted for review",
        "approved": "Approved", "changes_requested": "Changes requested",
        "discarded": "Discarded", "superseded": "Superseded", "published": "Published",
        "unpublished": "Unpublished", "corrected": "Marked as corrected",
        "publication_held": "Publication held back", "shared": "Shared for review",
        "link_revoked": "Review link revoked", "flag_dismissed": "Re-check flag dismissed",
        "withdrawn": "Withdrawn from review", "review_claimed": "Review claimed",
        "review_released": "Review released", "rescheduled": "Rescheduled",
        "schedule_cancelled": "Schedule cancelled, back in review",
        "schedule_failed": "Scheduled move failed", "renamed": "Address (slug) changed",
    }  # fmt: skip

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["item_type", "item_id", "-at"], name="audit_item_idx")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} v{self.version_number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events are append-only.")

    @property
    def action_label(self) -> str:
        return self.ACTION_LABELS.get(self.action, self.action.replace("_", " ").capitalize())

    @classmethod
    def record(cls, version, *, by, action, from_state="", to_state="", comment="", **data):
        """Append what `by` (None: the scheduler) did to `version`; `data` is kept as JSON.
        The event joins the hash chain (therapies/audit.py)."""
        event = cls(
            item_type=ContentType.objects.get_for_model(version.item),
            item_id=version.item_id,
            version_type=ContentType.objects.get_for_model(version),
            version_id=version.pk,
            version_number=version.number,
            actor=by,
            action=action,
            from_state=from_state,
            to_state=to_state,
            comment=comment,
            data=json.loads(json.dumps(data)),  # as the database will give it back
        )
        with transaction.atomic():
            audit.lock_chain()
            head = cls.objects.order_by("-id").values_list("hash", flat=True).first()
            event.prev_hash = head or ""
            event.hash = audit.event_hash(event.prev_hash, event)
            event.save()
        log_audit_event(event)
        return event


class WorkerJob(models.Model):
    """When the background worker (`manage.py worker`) last ran one of its jobs, so that a
    weekly or nightly job runs once per period whichever worker process is the active one,
    and a restarted worker neither repeats nor skips it."""

    name = models.CharField(max_length=50, unique=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self):
        return self.name
