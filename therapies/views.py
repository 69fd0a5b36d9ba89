"""Public detail pages. Each reads the item's published version only, through `published()`,
and runs a fixed number of queries whatever the amount of content. Staff preview renders a
version that is not (yet) published through exactly the same code."""

from django.shortcuts import get_object_or_404, render

from therapies.models import (
    CombinationEntry,
    TherapyArticle,
    TrialNote,
    VersionState,
)


def _citations(version):
    return version.citation_links.select_related("citation")


def _therapy_context(item, version):
    linking = {"versions__state": VersionState.PUBLISHED, "versions__therapies": item}
    return {
        "cancer_types": version.cancer_types.all(),
        "combinations": CombinationEntry.objects.published().filter(**linking).distinct(),
        "trials": TrialNote.objects.published().filter(**linking).distinct(),
    }


def _combination_context(item, version):
    # Only therapies that are themselves published are linked.
    return {"therapies": version.therapies.published()}


def _trial_context(item, version):
    return {
        "therapies": version.therapies.published(),
        "combinations": version.combinations.published(),
    }


DETAIL_PAGES = {
    TherapyArticle: ("therapies/therapy_detail.html", _therapy_context),
    CombinationEntry: ("therapies/combination_detail.html", _combination_context),
    TrialNote: ("therapies/trial_detail.html", _trial_context),
}


def render_version(request, item, version, *, preview=False):
    """The public page of `item` showing `version`; `preview` adds a not-public banner."""
    template, extra_context = DETAIL_PAGES[type(item)]
    context = {
        "item": item,
        "version": version,
        "citations": _citations(version),
        "preview": preview,
        **extra_context(item, version),
    }
    return render(request, template, context)


def _published_detail(request, item_model, **lookup):
    """The item's published version, or 404 for drafts, unpublished items and unknown keys."""
    item = get_object_or_404(item_model.objects.published(), **lookup)
    return render_version(request, item, item.published)


def therapy_detail(request, slug):
    return _published_detail(request, TherapyArticle, slug=slug)


def combination_detail(request, slug):
    return _published_detail(request, CombinationEntry, slug=slug)


def trial_detail(request, nct_id):
    return _published_detail(request, TrialNote, nct_id=nct_id.upper())
