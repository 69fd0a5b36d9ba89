"""Public pages of the three kinds of content: lists with filters, detail pages and each
item's public history. Everything reads published versions only (`published()`), and each
page runs a fixed number of queries whatever the amount of content. Staff preview renders a
version that is not (yet) published through exactly the same code (`render_version`)."""

import datetime
import json

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q
from django.db.models.functions import Lower
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.csrf import csrf_failure as default_csrf_failure

from therapies import catalog, kinds, opendata, releases, trust
from therapies.citations import cited_numbers, number_markers
from therapies.citations import references as citation_references
from therapies.fields import REGULATORY_DATE_MEANS, REGULATORY_STATUSES, source_url
from therapies.models import (
    COMBINATION_LIST_ORDER,
    REVIEWER_COMMENT_MAX_LENGTH,
    REVIEWER_NAME_MAX_LENGTH,
    THERAPY_LIST_ORDER,
    TRIAL_LIST_ORDERS,
    CombinationEntry,
    CombinationEntryVersion,
    EvidenceLevel,
    OverallStatus,
    RegistrySnapshot,
    TherapyArticle,
    TherapyArticleVersion,
    TherapyClass,
    TrialNote,
    TrialNoteVersion,
    TrialPhase,
    VersionState,
)
from therapies.validators import NCT_ID_RE, validate_single_line

PAGE_SIZE = 20
MAX_PAGES = 50


class CappedPaginator(Paginator):
    """Pages over the first MAX_PAGES pages of results only.

    Counting every match, or skipping to page 2,000 with OFFSET, reads ever more rows as the
    catalogue grows; here the count stops one past the cap and deeper results are reached
    by narrowing the filters. `total`, when the caller knows it cheaply (from a cached
    count), is shown instead of the capped count.
    """

    def __init__(self, object_list, per_page, *, total: int | None = None):
        super().__init__(object_list, per_page)
        self.limit = per_page * MAX_PAGES
        self.total = total

    @cached_property
    def found(self) -> int:
        """Matches counted up to one past the cap."""
        if self.total is not None:
            return self.total
        if hasattr(self.object_list, "query"):
            # Counting needs no order, and stops one past the cap.
            return self.object_list.order_by()[: self.limit + 1].count()
        return len(self.object_list)

    @cached_property
    def count(self) -> int:
        return min(self.found, self.limit)

    @property
    def truncated(self) -> bool:
        """More matches exist than the pages show."""
        return self.found > self.limit

    @property
    def found_label(self) -> str:
        """How many matched, as the result count says it: exact, or "more than 1,000"."""
        if self.truncated and self.total is None:
            return f"More than {self.limit:,}"
        return f"{self.found:,}"


def paginate(request, queryset, per_page: int = PAGE_SIZE, *, total: int | None = None):
    """The requested page; a missing, odd or too-high page number gives a valid page."""
    return CappedPaginator(queryset, per_page, total=total).get_page(request.GET.get("page"))


def _citations(version):
    return version.citation_links.select_related("citation", "citation__same_as")


# --- detail pages ----------------------------------------------------------------------------


# A detail page lists at most this many linked pages of a kind, with a link to all of them:
# a therapy may be linked by thousands of trial notes.
RELATED_LIMIT = 50


def _linked(version_model, **links) -> tuple[list, bool]:
    """Published versions of another kind linked as `links` say, by title, with their items:
    one query for at most RELATED_LIMIT of them, and whether there are more."""
    found = list(
        version_model.objects.published()
        .listed()
        .filter(**links)
        .select_related("item")
        .order_by(Lower("title"))[: RELATED_LIMIT + 1]
    )
    return found[:RELATED_LIMIT], len(found) > RELATED_LIMIT


def partial_date_text(value: str) -> str:
    """A date as precise as it was given: "16 February 2024", "April 2010" or "1998"."""
    parts = (value or "").split("-")
    try:
        if len(parts) == 3:
            return f"{int(parts[2])} {datetime.date(*map(int, parts)).strftime('%B %Y')}"
        if len(parts) == 2:
            return datetime.date(int(parts[0]), int(parts[1]), 1).strftime("%B %Y")
    except ValueError:
        return value
    return value


def regulatory_rows(version) -> list[dict]:
    """The therapy's "Approval status" table: each key agent's status in words, its date
    (and what the date means), the indication and the source's address."""
    rows = []
    for entry in getattr(version, "regulatory_status", None) or []:
        rows.append({
            "agent": entry.get("agent", ""),
            "status": entry.get("status", ""),
            "label": REGULATORY_STATUSES.get(entry.get("status"), entry.get("status", "")),
            "date": entry.get("date", ""), "date_text": partial_date_text(entry.get("date", "")),
            # "approved on 16 February 2024", but "approved in April 2010"
            "date_means": REGULATORY_DATE_MEANS.get(entry.get("status"), "").replace(
                " on", " on" if len(entry.get("date", "")) == 10 else " in"
            ),
            "indication": entry.get("indication", ""),
            "source": source_url(entry.get("source", "")),
        })  # fmt: skip
    return rows


def _therapy_context(item, version):
    combinations, more_combinations = _linked(CombinationEntryVersion, therapies=item)
    trials, more_trials = _linked(TrialNoteVersion, therapies=item)
    return {
        "regulatory": regulatory_rows(version),
        "cancer_types": version.cancer_types.all(),
        "combinations": combinations,
        "more_combinations": more_combinations,
        "trials": trials,
        "more_trials": more_trials,
    }


def _combination_context(item, version):
    # Only therapies that are themselves published are linked; one that was withdrawn is
    # named (by its last public title) without a link. One query for both.
    rows = (
        TherapyArticleVersion.objects.filter(
            item__combination_versions=version,
            state__in=[VersionState.PUBLISHED, VersionState.UNPUBLISHED],
        )
        .listed()
        .select_related("item")
        .order_by("item__slug", "-number")
    )
    therapies, withdrawn, seen = [], [], set()
    rows = list(rows)
    live = {row.item_id for row in rows if row.state == VersionState.PUBLISHED}
    for row in rows:
        if row.state == VersionState.PUBLISHED:
            therapies.append(row)
        elif row.item_id not in live and row.item_id not in seen:
            withdrawn.append(row.title)
            seen.add(row.item_id)
    return {"therapies": therapies, "withdrawn_therapies": withdrawn}


def _trial_context(item, version):
    return {
        # The latest import of the record: when the registry was last checked.
        "registry_snapshot": RegistrySnapshot.objects.filter(nct_id=item.nct_id)
        .only("checked_at", "last_update")
        .first(),
        "therapies": TherapyArticleVersion.objects.published()
        .listed()
        .filter(item__trial_versions=version)
        .select_related("item")
        .order_by("item__slug"),
        "combinations": CombinationEntryVersion.objects.published()
        .listed()
        .filter(item__trial_versions=version)
        .select_related("item")
        .order_by("item__slug"),
    }


# What each kind's detail page shows besides the version (its template is the kind's).
DETAIL_CONTEXT = {
    "therapy": _therapy_context,
    "combination": _combination_context,
    "trial": _trial_context,
}

SCHEMA_STUDY_STATUS = {
    # schema.org MedicalStudyStatus for ClinicalTrials.gov's overallStatus, where one exists.
    OverallStatus.ACTIVE_NOT_RECRUITING: "ActiveNotRecruiting",
    OverallStatus.COMPLETED: "Completed",
    OverallStatus.ENROLLING_BY_INVITATION: "EnrollingByInvitation",
    OverallStatus.NOT_YET_RECRUITING: "NotYetRecruiting",
    OverallStatus.RECRUITING: "Recruiting",
    OverallStatus.SUSPENDED: "Suspended",
    OverallStatus.TERMINATED: "Terminated",
    OverallStatus.WITHDRAWN: "Withdrawn",
}


def structured_data(request, item, version, citations) -> list[str]:
    """schema.org JSON-LD for the page: a MedicalWebPage — about a MedicalTrial for trial
    notes, which is also given as its own top-level block. Each block is JSON text with <, >
    and & escaped so it cannot close its script tag."""
    url = request.build_absolute_uri(item.get_absolute_url())
    page = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": version.title,
        "headline": version.title,
        "description": version.summary,
        "url": url,
        "inLanguage": "en",
        "version": str(version.number),
        "citation": [reference.url for reference in citation_references(citations)],
    }
    if version.published_at:
        page["dateModified"] = version.published_at.isoformat()
    if version.approved_at:
        page["lastReviewed"] = version.approved_at.date().isoformat()
    if version.reviewed_by:
        page["reviewedBy"] = {"@type": "Person", "name": opendata.public_name(version.reviewed_by)}
    if kinds.of(item).schema_type == "MedicalTrial":
        trial = {
            "@type": "MedicalTrial",
            "name": version.title,
            "identifier": item.nct_id,
            "url": item.registry_url,
            "healthCondition": [
                {"@type": "MedicalCondition", "name": c} for c in version.conditions
            ],
        }
        # No phase: schema.org retired MedicalTrial's `phase` (the vocabulary test says so).
        if version.overall_status in SCHEMA_STUDY_STATUS:
            trial["status"] = f"https://schema.org/{SCHEMA_STUDY_STATUS[version.overall_status]}"
        if version.sponsor:
            trial["sponsor"] = {"@type": "Organization", "name": version.sponsor}
        page["about"] = trial
        blocks = [page, {"@context": "https://schema.org", **trial}]
    else:
        page["about"] = {"@type": "MedicalTherapy", "name": version.title}
        blocks = [page]
    return [
        json.dumps(block, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        for block in blocks
    ]


def render_version(request, item, version, *, preview=False, status=200, **extra):
    """The public page of `item` showing `version`; `preview` adds a not-public banner."""
    kind = kinds.of(item)
    extra_context = DETAIL_CONTEXT.get(kind.name, lambda item, version: {})
    citations = list(_citations(version))
    references = citation_references(citations)
    body_html = number_markers(version.body_html, references)
    context = {
        "item": item,
        "version": version,
        "citations": citations,
        "references": references,
        "body_html": body_html,
        "cited_numbers": cited_numbers(body_html),
        "preview": preview,
        "review_due": trust.next_review_due(version),
        "review_overdue": version.state == VersionState.PUBLISHED
        and trust.is_review_overdue(version),
        "pinned": None,
        "reviewer_statement": trust.statement_at_review(version),
        "assessed_on": getattr(version, "assessed_on", None),
        "canonical_url": request.build_absolute_uri(item.get_absolute_url()),
        "structured_data": structured_data(request, item, version, citations),
        **extra_context(item, version),
        **extra,
    }
    return render(request, kind.detail_template, context, status=status)


def _published_detail(request, item_model, **lookup):
    """The item's published version, or 404 for drafts, unpublished items and unknown keys:
    one query for the version, its item and its reviewer."""
    version = get_object_or_404(
        item_model.version_model().objects.published().select_related("item", "reviewed_by"),
        **{f"item__{field}": value for field, value in lookup.items()},
    )
    item = version.item
    item._published_versions = [version]  # item.published, without a query
    return render_version(request, item, version)


def therapy_detail(request, slug):
    return _published_detail(request, TherapyArticle, slug=slug)


def combination_detail(request, slug):
    return _published_detail(request, CombinationEntry, slug=slug)


def _canonical_nct(nct_id: str):
    """A lower-case NCT ID redirects to the canonical upper-case address (one URL a page)."""
    canonical = nct_id.upper()
    return canonical if canonical != nct_id and NCT_ID_RE.fullmatch(canonical) else None


def trial_detail(request, nct_id):
    if canonical := _canonical_nct(nct_id):
        return redirect("therapies:trial_detail", nct_id=canonical, permanent=True)
    return _published_detail(request, TrialNote, nct_id=nct_id)


def _pinned_detail(request, item_model, number, **lookup):
    """Version `number` of an item exactly as it was published, whatever it is now
    (superseded, or taken down with its item), with a banner linking the current version:
    the public page a citation of that version points at. Drafts, reviews and scheduled
    versions are never found here."""
    version = get_object_or_404(
        opendata.ever_published(item_model.version_model()).select_related("item",
                                                                            "reviewed_by"),
        number=number, **{f"item__{field}": value for field, value in lookup.items()},
    )  # fmt: skip
    item = version.item
    current = (
        item.versions.filter(state=VersionState.PUBLISHED).only("number", "published_at").first()
    )
    item._published_versions = [current] if current else []
    response = render_version(request, item, version, pinned={"current": current})
    if current is None:
        response["X-Robots-Tag"] = "noindex"  # a withdrawn page stays citable, not indexed
    return response


def therapy_version(request, slug, number):
    return _pinned_detail(request, TherapyArticle, number, slug=slug)


def combination_version(request, slug, number):
    return _pinned_detail(request, CombinationEntry, number, slug=slug)


def trial_version(request, nct_id, number):
    if canonical := _canonical_nct(nct_id):
        return redirect("therapies:trial_version", nct_id=canonical, number=number,
                        permanent=True)  # fmt: skip
    return _pinned_detail(request, TrialNote, number, nct_id=nct_id)


def _history(request, item_model, **lookup):
    """An item's public history: its published and superseded versions with their change
    summaries — never drafts, reviews or comments."""
    item = get_object_or_404(item_model.objects.published(), **lookup)
    versions = (
        catalog.public_history(item_model.version_model())
        .filter(item=item)
        .select_related("reviewed_by")
        .order_by("-number")
    )
    return render(
        request,
        "therapies/history.html",
        {"item": item, "version": item.published, "versions": paginate(request, versions)},
    )


def therapy_history(request, slug):
    return _history(request, TherapyArticle, slug=slug)


def combination_history(request, slug):
    return _history(request, CombinationEntry, slug=slug)


def trial_history(request, nct_id):
    if canonical := _canonical_nct(nct_id):
        return redirect("therapies:trial_history", nct_id=canonical, permanent=True)
    return _history(request, TrialNote, nct_id=nct_id)


# --- lists -----------------------------------------------------------------------------------


class FilterForm(forms.Form):
    """A GET filter form: unknown or malformed values are ignored, never an error page."""

    def value(self, name: str) -> str:
        self.is_valid()  # computes cleaned_data; an invalid value is simply left out
        return self.cleaned_data.get(name) or ""

    @property
    def filtered(self) -> bool:
        return any(self.value(name) for name in self.fields if name != "sort")

    def controls(self) -> list[dict]:
        """Each field as its template draws it: a select's options with the chosen one
        marked, or a text input's attributes. Django's widgets render a template per option
        (dozens per list page); the filter bar draws them in one loop instead."""
        controls = []
        for field in self:
            chosen = str(field.value() or "")
            control = {"id": field.id_for_label, "name": field.html_name, "label": field.label,
                       "value": chosen, "attrs": field.field.widget.attrs}  # fmt: skip
            if isinstance(field.field, forms.ChoiceField):
                control["options"] = [(str(value), label, str(value) == chosen)
                                      for value, label in field.field.choices]  # fmt: skip
            controls.append(control)
        return controls


def _choice(label, choices, empty="All"):
    return forms.ChoiceField(label=label, required=False, choices=[("", empty), *choices])


class TherapyFilterForm(FilterForm):
    def __init__(self, *args, cancer_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["therapy_class"] = _choice("Therapy class", TherapyClass.choices)
        self.fields["cancer"] = _choice("Cancer type", cancer_types)


def therapy_list(request):
    form = TherapyFilterForm(request.GET, cancer_types=catalog.therapy_cancer_types())
    versions = (
        TherapyArticle.version_model()
        .objects.published()
        .listed()
        .select_related("item")
        .prefetch_related("cancer_types")
        .order_by(*THERAPY_LIST_ORDER)
    )
    if therapy_class := form.value("therapy_class"):
        versions = versions.filter(therapy_class=therapy_class)
    if cancer := form.value("cancer"):
        versions = versions.filter(cancer_types__slug=cancer)
    total = None if form.filtered else catalog.published_counts()["therapy"]
    return render(
        request,
        "therapies/therapy_list.html",
        {"form": form, "page": paginate(request, versions, total=total),
         "filtered": form.filtered},
    )  # fmt: skip


class CombinationFilterForm(FilterForm):
    class_a = _choice("Combines", TherapyClass.choices, empty="Any class")
    class_b = _choice("with", TherapyClass.choices, empty="Any class")
    evidence = _choice("Evidence level", EvidenceLevel.choices)


def combination_list(request):
    form = CombinationFilterForm(request.GET)
    versions = (
        CombinationEntry.version_model()
        .objects.published()
        .listed()
        .select_related("item")
        .order_by(*COMBINATION_LIST_ORDER)
    )
    versions = catalog.with_classes(versions, form.value("class_a"), form.value("class_b"))
    if evidence := form.value("evidence"):
        versions = versions.filter(evidence_level=evidence)
    if therapy := request.GET.get("therapy", "").strip():  # from a therapy page: "see all"
        versions = versions.filter(therapies__slug=therapy)
    class_a, class_b = form.value("class_a"), form.value("class_b")
    if not (form.filtered or therapy):
        total = catalog.published_counts()["combination"]
    elif class_a and class_b and not (evidence or therapy):
        total = catalog.class_pair_count(class_a, class_b)  # the matrix cell's own count
    else:
        total = None
    page = paginate(request, versions, total=total)
    catalog.attach_combined_therapies(page.object_list)
    return render(
        request,
        "therapies/combination_list.html",
        {
            "form": form,
            "page": page,
            "matrix": catalog.combination_matrix(),
            "class_labels": dict(TherapyClass.choices),
            "short_labels": catalog.SHORT_CLASS_LABELS,
            "filtered": form.filtered or bool(therapy),
        },
    )


class TrialFilterForm(FilterForm):
    SORTS = [("-start", "Start date, newest first"), ("start", "Start date, oldest first"),
             ("title", "Title")]  # fmt: skip
    # Whether the registry record has posted results (as of the last approved import).
    RESULTS = [("posted", "Results posted"), ("none", "No results posted")]

    def __init__(self, *args, therapies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"] = _choice("Phase", TrialPhase.choices)
        self.fields["status"] = _choice("Overall status", OverallStatus.choices)
        # Any condition may be typed (suggested as one types, from /trials/conditions/);
        # the most common ones are offered as a list.
        self.fields["condition"] = forms.CharField(
            label="Condition", required=False, max_length=200,
            widget=forms.TextInput(attrs={
                "list": "condition-choices", "autocomplete": "off",
                "data-suggest": reverse("therapies:trial_conditions"),
                "placeholder": "e.g. Melanoma",
            }),
        )  # fmt: skip
        self.fields["therapy"] = _choice("Therapy", therapies)
        self.fields["results"] = _choice("Results", self.RESULTS)
        self.fields["sort"] = forms.ChoiceField(label="Sort by", required=False, choices=self.SORTS)


def _trial_therapy_choices(selected: str) -> list[tuple[str, str]]:
    """The therapies most linked by trial notes, plus the one asked for if it is not among
    them (it comes from a therapy page's "all trial notes" link; looked up either way, so
    the page's query count does not depend on which therapy it is)."""
    choices = catalog.trial_therapies()
    if selected:
        asked = (
            TherapyArticleVersion.objects.published().filter(item__slug=selected)
            .values_list("item__slug", "title").first()
        )  # fmt: skip
        if asked and asked[0] not in dict(choices):
            choices = [*choices, asked]
    return choices


def trial_list(request):
    therapies = _trial_therapy_choices(request.GET.get("therapy", "").strip())
    form = TrialFilterForm(request.GET, therapies=therapies)
    versions = TrialNote.version_model().objects.published().listed().select_related("item")
    if phase := form.value("phase"):
        versions = versions.filter(phase=phase)
    if status := form.value("status"):
        versions = versions.filter(overall_status=status)
    if condition := form.value("condition"):  # the whole condition as registered, any case
        matches = Q(pk__in=[])
        for spelling in catalog.spellings_of(condition):
            matches |= Q(conditions__has_entry=spelling)
        versions = versions.filter(matches)
    if therapy := form.value("therapy"):
        versions = versions.filter(therapies__slug=therapy)
    if results := form.value("results"):
        versions = versions.filter(results_posted=True) if results == "posted" else (
            versions.exclude(results_posted=True)
        )  # fmt: skip
    counts = catalog.trial_counts()
    total = None if form.filtered else sum(count for _, _, count in counts["phase"])
    ordering = TRIAL_LIST_ORDERS[form.value("sort") or "-start"]
    return render(
        request,
        "therapies/trial_list.html",
        {
            "form": form,
            "page": paginate(request, versions.order_by(*ordering), total=total),
            "phase_chart": catalog.bar_chart(counts["phase"]),
            "status_chart": catalog.bar_chart(counts["overall_status"]),
            "common_conditions": catalog.common_conditions(),
            "filtered": form.filtered,
        },
    )


def trial_conditions(request):
    """Conditions named by published trial notes that contain what the reader typed (`q`),
    as JSON for the condition field's suggestions: [{"name", "trials"}], at most 10."""
    found = catalog.matching_conditions(request.GET.get("q", "")[:200])
    return JsonResponse({"conditions": [{"name": name, "trials": n} for name, n in found]})


# --- shareable review links ------------------------------------------------------------------


class ExternalCommentForm(forms.Form):
    name = forms.CharField(label="Your name and role", max_length=REVIEWER_NAME_MAX_LENGTH,
                           validators=[validate_single_line])  # fmt: skip
    body = forms.CharField(label="Your comment", max_length=REVIEWER_COMMENT_MAX_LENGTH,
                           widget=forms.Textarea)  # fmt: skip


def review_link(request, token):
    """One version, exactly as its public page would show it, for an outside reviewer with a
    signed link; they may leave a comment for the moderators. Every use is logged."""
    link = trust.find_review_link(token)
    if link is None:
        raise Http404("No such review link.")
    if problem := link.problem():
        trust.log_use(link, request, request.method.lower(), outcome=problem)
        response = render(
            request, "therapies/review_link_gone.html", {"link": link, "problem": problem},
            status=410,
        )  # fmt: skip
        response["Cache-Control"] = "private, no-store"
        return response
    version = link.version
    form = ExternalCommentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            trust.add_external_comment(link, **form.cleaned_data)
            trust.log_use(link, request, "post")
            return redirect(f"{link.get_absolute_url()}?thanks=1#comment")
        trust.log_use(link, request, "post", outcome="invalid")
    else:
        trust.log_use(link, request, "view")
    response = render_version(
        request, version.item, version, preview=True, review_link=link, comment_form=form,
        thanks=request.GET.get("thanks") == "1", status=400 if form.errors else 200,
    )  # fmt: skip
    response["X-Robots-Tag"] = "noindex, nofollow"
    # "same-origin": the token never leaks to linked sites, yet the comment form still posts
    # with its real Origin ("no-referrer" makes browsers send "Origin: null", which CSRF refuses).
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response


def csrf_failure(request, reason=""):
    """Django's CSRF refusal (settings.CSRF_FAILURE_VIEW). On a review link it is logged as a
    refused use, like every other use, and the outside reviewer is told what to do; elsewhere
    Django's own page is shown."""
    match = request.resolver_match
    if match is None or match.url_name != "review_link":
        return default_csrf_failure(request, reason)
    link = trust.find_review_link(match.kwargs.get("token", ""))
    if link is not None:
        trust.log_use(link, request, request.method.lower(), outcome="refused")
    response = render(request, "therapies/review_link_refused.html", {"link": link}, status=403)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


# --- data releases -----------------------------------------------------------------------------


def release_index(request):
    """The published data releases, newest first: files with their checksums, and what
    changed since the release before."""
    return render(request, "therapies/releases.html", {"releases": releases.published()})


def release_file(request, release, name):
    """One file of a published release, only if its manifest lists it."""
    path = releases.release_file(release, name)
    if path is None:
        raise Http404("No such release file.")
    content_type = {"jsonl": "application/x-ndjson", "csv": "text/csv; charset=utf-8",
                    "json": "application/json", "md": "text/markdown; charset=utf-8"}.get(
        name.rsplit(".", 1)[-1], "text/plain; charset=utf-8")  # fmt: skip
    response = FileResponse(path.open("rb"), as_attachment=not name.endswith(".md"),
                            filename=name, content_type=content_type)  # fmt: skip
    # A release never changes once published (a new one gets a new address).
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
