"""Hardening (issue 12): bounded work per request, and a clear 4xx for what is malformed."""

import io
import re
import sys

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import (
    CitationFactory,
    TherapyArticleVersionFactory,
    TrialNoteVersionFactory,
    make_editor,
    make_user,
)
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
    data.update(body=body_of(MAX_MARKDOWN_BYTES + 2))
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "too long" in str(response.context["adminform"].form.errors)
    version.refresh_from_db()
    assert len(version.body) < MAX_MARKDOWN_BYTES

    # A page naming a version that does not exist is refused, never reported as saved.
    response = admin_client.post(url, {**data, "body": "Short.", "loaded_version": 99})
    assert response.status_code == 200 and "does not exist" in response.content.decode()
    version.refresh_from_db()
    assert version.body != "Short."


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


# --- every input is a 4xx, never a 500 -----------------------------------------------------------

# Hostile values, already percent-encoded where they travel in an address.
HOSTILE = {
    "NUL": "%00",
    "NUL after a real key": "NCT01844505%00",
    "a control character": "%01",
    "a header break": "%0d%0aSet-Cookie:%20x=1",
    "overlong": "x" * 5000,
    "not UTF-8": "%ff%fe",
    "a parent folder": "..%2F..%2Fetc%2Fpasswd",
    "negative": "-1",
    "huge": "9" * 40,
}
QUERY_NAMES = ("q", "page", "p", "o", "e", "sort", "phase", "status", "condition",
               "therapy", "results", "class", "level", "action", "kind", "all",
               "_changelist_filters")  # fmt: skip
FORM_NAMES = ("title", "body", "summary", "change_summary", "loaded_edit_count",
              "loaded_version", "comment", "content", "form-TOTAL_FORMS", "number")  # fmt: skip


def url_routes(patterns=None, prefix=""):
    """Every URL pattern of the site as a route string with `{}` for each parameter."""
    from django.urls import URLResolver, get_resolver

    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + re.sub(r"<[^>]+>|\(\?P<\w+>[^)]*\)", "{}", str(pattern.pattern))
        route = route.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")
        if isinstance(pattern, URLResolver):
            yield from url_routes(pattern.url_patterns, route)
        else:
            yield route


def crawl(client, value: str, *, post: bool) -> list[str]:
    """Every route with `value` in each parameter and query; the requests answered 5xx."""
    failures = []
    query = "&".join(f"{name}={value}" for name in QUERY_NAMES)
    form = {name: value.replace("%00", "\x00").replace("%01", "\x01") for name in FORM_NAMES}
    for route in sorted(set(url_routes())):
        if "logout" in route:
            continue
        url = "/" + route.replace("{}", value)
        response = client.get(f"{url}?{query}")
        if response.status_code >= 500:
            failures.append(f"GET {url[:80]} → {response.status_code}")
        if post:
            response = client.post(url, form)
            if response.status_code >= 500:
                failures.append(f"POST {url[:80]} → {response.status_code}")
    return failures


@pytest.fixture
def site():
    """A little of everything, so that list pages and admin pages have rows to show."""
    TherapyArticleVersionFactory(state="published", item__slug="anti-pd-1")
    TrialNoteVersionFactory(state="published", item__nct_id="NCT01844505")
    TrialNoteVersionFactory(state="draft")


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_no_hostile_value_anywhere_is_a_500(site, value):
    from django.test import Client

    anonymous = Client(raise_request_exception=False)
    staff = Client(raise_request_exception=False)
    staff.force_login(make_user("staff", superuser=True))
    failures = crawl(anonymous, value, post=False) + crawl(staff, value, post=True)
    assert not failures, "\n".join(failures)


# --- figure uploads ------------------------------------------------------------------------------

UPLOAD = "/markdownx/upload/"


def image_bytes(kind="PNG", size=(40, 30), mode="RGB") -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new(mode, size, "teal").save(out, kind)
    return out.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(client, data: bytes, name="figure.png", content_type="image/png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(UPLOAD, {"image": SimpleUploadedFile(name, data, content_type)})


@pytest.mark.parametrize("kind,extension", [("PNG", "png"), ("JPEG", "jpg")])
def test_a_figure_is_stored_re_encoded_under_its_real_type(admin_client, media, kind, extension):
    # Declared as a page, with a script after the image's bytes.
    response = upload(admin_client, image_bytes(kind) + b"<script>alert(1)</script>",
                      name="figure.png", content_type="text/html")  # fmt: skip
    assert response.status_code == 200
    code = response.json()["image_code"]
    assert re.fullmatch(rf"!\[\]\(/media/markdownx/[0-9a-f-]{{36}}\.{extension}\)", code)
    [stored] = (media / "markdownx").iterdir()
    assert b"<script>" not in stored.read_bytes()


def test_a_large_figure_is_scaled_down(admin_client, media):
    from PIL import Image

    upload(admin_client, image_bytes(size=(4000, 1000)))
    [stored] = (media / "markdownx").iterdir()
    assert Image.open(stored).size == (2000, 500)


@pytest.mark.parametrize("data,name,content_type", [
    (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "x.svg", "image/svg+xml"),
    (image_bytes("GIF", mode="P"), "x.gif", "image/gif"),
    (b"not an image at all", "x.png", "image/png"),
    (image_bytes(), "x.html", "image/png"),  # an image named as a page
    (image_bytes()[:20], "x.png", "image/png"),  # cut short
])  # fmt: skip
def test_anything_but_a_png_or_jpeg_is_refused(admin_client, media, data, name, content_type):
    response = upload(admin_client, data, name, content_type)
    assert response.status_code == 400 and "image" in response.json()
    assert not (media / "markdownx").exists()


def test_an_upload_without_a_file_is_a_400(admin_client, media):
    assert admin_client.post(UPLOAD, {}).status_code == 400


def test_uploads_answer_only_staff_posts(client, admin_client, media):
    assert admin_client.get(UPLOAD).status_code == 405
    response = upload(client, image_bytes())
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize("url", [
    "/trials/%00/", "/trials/NCT01844505%00/", "/trials/%00/history/",
    "/search/?q=pembro%00lizumab", "/admin/therapies/auditevent/?action=%00",
])  # fmt: skip
def test_a_nul_byte_in_an_address_is_a_400(admin_client, url):
    assert admin_client.get(url).status_code == 400


def test_a_nul_byte_in_a_form_is_a_400_but_line_breaks_are_text(admin_client):
    assert admin_client.post(PREVIEW, {"content": "a\x00b"}).status_code == 400
    assert admin_client.post(PREVIEW, {"content": "a\r\n\tb"}).status_code == 200


def test_a_non_numeric_save_counter_is_refused_not_a_500(admin_client):
    version = TherapyArticleVersionFactory(state="draft")
    url = reverse("admin:therapies_therapyarticle_citations", args=[version.item.pk, 1])
    response = admin_client.post(url, {"form-TOTAL_FORMS": "0", "form-INITIAL_FORMS": "0",
                                       "loaded_edit_count": "abc"})  # fmt: skip
    assert response.status_code == 400 and "save counter" in response.content.decode()
