"""The editorial desk (issue 13): what editors and moderators see in the admin."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.factories import TherapyArticleVersionFactory, make_editor
from therapies import workflow

pytestmark = pytest.mark.django_db


def test_the_admin_names_the_portal(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert "Immunotherapy Atlas" in page and "Django administration" not in page


def test_the_history_says_states_in_words(admin_client):
    version = TherapyArticleVersionFactory(state="draft", author=make_editor("writer"))
    workflow.submit(version, by=version.author)
    url = reverse("admin:therapies_therapyarticle_history", args=[version.item.pk])
    page = admin_client.get(url).content.decode()
    assert "Draft → In review" in page and "draft → in_review" not in page


def test_view_on_site_opens_the_preview_until_the_item_is_live(admin_client):
    draft = TherapyArticleVersionFactory(state="draft")
    url = reverse("admin:therapies_therapyarticle_change", args=[draft.item.pk])
    page = admin_client.get(url).content.decode()
    preview = reverse("admin:therapies_therapyarticle_preview", args=[draft.item.pk, 1])
    assert f'href="{preview}"' in page
    assert admin_client.get(preview).status_code == 200
    live = TherapyArticleVersionFactory(state="published")
    url = reverse("admin:therapies_therapyarticle_change", args=[live.item.pk])
    assert f'href="{live.item.get_absolute_url()}"' in admin_client.get(url).content.decode()


def test_the_scheduler_can_keep_running_beside_the_development_server(monkeypatch):
    due = TherapyArticleVersionFactory(
        state="approved", publish_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    passes = []

    def sleep(seconds):
        passes.append(seconds)
        raise KeyboardInterrupt  # Ctrl-C after the first pass

    monkeypatch.setattr("time.sleep", sleep)
    out = io.StringIO()
    call_command("publish_scheduled", "--every", "30", stdout=out)
    due.refresh_from_db()
    assert due.state == "published" and passes == [30.0]
    assert "Scheduler: a pass every 30 s" in out.getvalue()
    assert out.getvalue().rstrip().endswith("Scheduler stopped.")


def test_make_run_starts_the_scheduler_and_sets_the_site_address():
    from pathlib import Path

    makefile = (Path(__file__).resolve().parent.parent / "Makefile").read_text()
    run = makefile.split("\nrun: venv\n", 1)[1].split("\n\n", 1)[0]
    assert "publish_scheduled --every 30 &" in run and "trap " in run
    assert "SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)}" in run
