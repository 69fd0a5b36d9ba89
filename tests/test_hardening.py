"""Hardening (issue 12): bounded work per request, and a clear 4xx for what is malformed."""

import sys

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import CitationFactory, TherapyArticleVersionFactory, make_editor
from therapies import workflow
from therapies.markdown import MAX_MARKDOWN_BYTES, render_markdown
from therapies.models import MAX_CITATIONS

pytestmark = pytest.mark.django_db

PREVIEW = "/markdownx/markdownify/"


# --- Markdown: linear work, bounded size ---------------------------------------------------------


def work(text: str) -> int:
    """The renderer's work on `text`: the Python and C functions it calls (a count, not a
    time, so the same on any machine)."""
    calls = 0

    def count(frame, event, arg):
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(count)
    try:
        render_markdown(text)
    finally:
        sys.setprofile(None)
    return calls


# Units that, repeated, made a parser backtrack: unclosed brackets and links (quadratic in
# Python-Markdown: 10,000 "[" took 29 s), emphasis runs, code spans, raw HTML, reference
# definitions, repeated headings (their ids are de-duplicated), deep nesting.
PATHOLOGICAL = {
    "unclosed brackets": "[",
    "unclosed links": "[a](",
    "unclosed images": "![",
    "closers without openers": "](",
    "emphasis runs": "*a",
    "underscores": "_a ",
    "strong and strike runs": "**a~~",
    "mixed delimiters": "*_",
    "code spans": "`a",
    "raw HTML openers": "<a",
    "unclosed autolinks": "<http://a",
    "entity starts": "&#",
    "unfinished reference definitions": "[x]: <",
    "repeated headings": "# a\n",
    "table rows": "|x|y|\n",
    "deep lists": "".join("  " * depth + "- a\n" for depth in range(60)),
    "deep quotes": "> " * 60 + "a\n",
}


@pytest.mark.parametrize("unit", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_markdown_work_grows_linearly_with_the_input(unit):
    small = unit * (4000 // len(unit) + 1)
    # Twice the input costs about twice the work (a quadratic parser costs four times).
    assert work(small * 2) <= 2.3 * work(small)


def test_ten_thousand_brackets_render_as_text():
    html = render_markdown("[" * 10_000)
    assert html == "<p>" + "[" * 10_000 + "</p>"


def body_of(size: int) -> str:
    return "é" * (size // 2)  # two bytes each in UTF-8: the limit counts bytes


def test_the_workflow_refuses_a_body_over_the_limit():
    version = TherapyArticleVersionFactory(state="draft")
    editor = make_editor()
    workflow.edit(version, by=editor, body=body_of(MAX_MARKDOWN_BYTES))  # at the limit: taken
    with pytest.raises(ValidationError, match="at most 200"):
        workflow.edit(version, by=editor, body=body_of(MAX_MARKDOWN_BYTES + 2))


def test_the_admin_form_refuses_a_body_over_the_limit(admin_client):
    version = TherapyArticleVersionFactory(state="draft")
    url = reverse("admin:therapies_therapyarticle_change", args=[version.item.pk])
    page = admin_client.get(url)
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {name: value for name, value in data.items() if value not in (None, [])}
    data.update(body=body_of(MAX_MARKDOWN_BYTES + 2), loaded_version=version.pk,
                loaded_edit_count=version.edit_count)  # fmt: skip
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "too long" in str(response.context["adminform"].form.errors)
    version.refresh_from_db()
    assert len(version.body) < MAX_MARKDOWN_BYTES


# --- the Markdown preview ------------------------------------------------------------------------


def test_the_preview_refuses_a_body_over_the_limit(admin_client):
    response = admin_client.post(PREVIEW, {"content": body_of(MAX_MARKDOWN_BYTES + 2)})
    assert response.status_code == 400 and b"too long" in response.content


def test_the_preview_without_content_is_a_400(admin_client):
    assert admin_client.post(PREVIEW, {}).status_code == 400


def test_the_preview_answers_only_post(admin_client):
    assert admin_client.get(PREVIEW).status_code == 405


def test_the_preview_is_rate_limited_per_user(client, settings):
    settings.MARKDOWN_PREVIEW_RATE = "3/m"
    first, second = make_editor("first"), make_editor("second")
    client.force_login(first)
    answers = [client.post(PREVIEW, {"content": "x"}).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    client.force_login(second)  # another editor has their own allowance
    assert client.post(PREVIEW, {"content": "x"}).status_code == 200


# --- citations and request sizes -----------------------------------------------------------------


def test_a_version_cites_at_most_200_sources():
    version = TherapyArticleVersionFactory(state="draft")
    too_many = [f"NCT{n:08d}" for n in range(MAX_CITATIONS + 1)]
    with pytest.raises(ValidationError, match="at most 200 sources"):
        workflow.edit(version, by=make_editor(), citations=too_many)


def test_the_citations_formset_builds_at_most_200_forms(admin_client):
    version = TherapyArticleVersionFactory(state="draft")
    CitationFactory()
    url = reverse("admin:therapies_therapyarticle_citations", args=[version.item.pk, 1])
    response = admin_client.post(url, {
        "form-TOTAL_FORMS": "2000", "form-INITIAL_FORMS": "0",
        "loaded_edit_count": version.edit_count,
    })  # fmt: skip
    assert response.status_code == 200
    formset = response.context["formset"]
    assert len(formset.forms) == MAX_CITATIONS
    assert "at most 200" in " ".join(formset.non_form_errors())


def test_a_request_body_over_a_megabyte_is_refused(admin_client):
    response = admin_client.post(PREVIEW, {"content": "x" * (1024 * 1024 + 1)})
    assert response.status_code == 400
