"""Public detail pages. Each reads the item's published version only, through `published()`,
and runs a fixed number of queries whatever the amount of content."""

from django.shortcuts import get_object_or_404, render

from therapies.models import (
    CombinationEntry,
    TherapyArticle,
    TrialNote,
    VersionState,
)


def _published_item(item_model, **lookup):
    """The item with its published version as `.published`, or 404 for drafts and unknowns."""
    return get_object_or_404(item_model.objects.published(), **lookup)


def _citations(version):
    return version.citation_links.select_related("citation")


def therapy_detail(request, slug):
    item = _published_item(TherapyArticle, slug=slug)
    version = item.published
    combinations = (
        CombinationEntry.objects.published()
        .filter(
            versions__state=VersionState.PUBLISHED,
            versions__therapies=item,
        )
        .distinct()
    )
    trials = (
        TrialNote.objects.published()
        .filter(versions__state=VersionState.PUBLISHED, versions__therapies=item)
        .distinct()
    )
    return render(
        request,
        "therapies/therapy_detail.html",
        {
            "item": item,
            "version": version,
            "cancer_types": version.cancer_types.all(),
            "citations": _citations(version),
            "combinations": combinations,
            "trials": trials,
        },
    )


def combination_detail(request, slug):
    item = _published_item(CombinationEntry, slug=slug)
    version = item.published
    return render(
        request,
        "therapies/combination_detail.html",
        {
            "item": item,
            "version": version,
            # Only therapies that are themselves published are linked.
            "therapies": version.therapies.published(),
            "citations": _citations(version),
        },
    )


def trial_detail(request, nct_id):
    item = _published_item(TrialNote, nct_id=nct_id.upper())
    version = item.published
    return render(
        request,
        "therapies/trial_detail.html",
        {
            "item": item,
            "version": version,
            "therapies": version.therapies.published(),
            "combinations": version.combinations.published(),
            "citations": _citations(version),
        },
    )
