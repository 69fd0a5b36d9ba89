"""The public site's own pages (home for now; search, updates and feeds come later)."""

from django.shortcuts import render

from therapies.models import CombinationEntry, TherapyArticle, TrialNote


def home(request):
    return render(
        request,
        "portal/home.html",
        {
            "therapies": TherapyArticle.objects.published(),
            "combinations": CombinationEntry.objects.published(),
            "trials": TrialNote.objects.published(),
        },
    )
