"""Hardening (issue 12): bounded work per request, and a clear 4xx for what is malformed."""

import datetime
import io
import json
import re
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import (
    CitationFactory,
    TherapyArticleVersionFactory,
    TrialNoteVersionFactory,
    make_editor,
    make_moderator,
    make_user,
)
from therapies import notifications, workflow
from therapies.markdown import MAX_MARKDOWN_BYTES, render_markdown
from therapies.models import MAX_CITATIONS, AuditEvent, Notification

pytestmark = pytest.mark.django_db

PREVIEW = "/markdownx/markdownify/"
DATA = Path(__file__).parent / "data" / "ctgov"


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


@pytest.mark.parametrize("unit", ["<ul>", "<dl>", "<li><ul>", "<section>", "<b><p>"])
def test_raw_html_nested_past_the_limit_is_shown_as_text(unit):
    """The sanitizer's own work grows with the square of the nesting (200 KB of "<ul>" took
    it 11 s): what nests deeper than MAX_HTML_DEPTH never reaches it as markup."""
    from therapies.markdown import MAX_HTML_DEPTH

    html = render_markdown(unit * (MAX_MARKDOWN_BYTES // len(unit)))
    assert "<ul>" not in html and "<section>" not in html and "&lt;" in html
    shallow = render_markdown("<sup>" * 3 + "x" + "</sup>" * 3 + " " + unit * 10)
    assert "<sup><sup><sup>x</sup></sup></sup>" in shallow
    assert MAX_HTML_DEPTH == 100


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


@pytest.mark.parametrize("header", ["HTTP_COOKIE", "HTTP_USER_AGENT", "HTTP_REFERER"])
def test_a_nul_byte_in_a_header_is_a_400(client, header):
    assert client.get("/", **{header: "sessionid=a\x00b"}).status_code == 400


def test_the_health_check_answers_get_and_head(client):
    assert client.get("/healthz").content == b"ok\n"
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_a_nul_byte_in_a_form_is_a_400_but_line_breaks_are_text(admin_client):
    assert admin_client.post(PREVIEW, {"content": "a\x00b"}).status_code == 400
    assert admin_client.post(PREVIEW, {"content": "a\r\n\tb"}).status_code == 200


def test_a_non_numeric_save_counter_is_refused_not_a_500(admin_client):
    version = TherapyArticleVersionFactory(state="draft")
    url = reverse("admin:therapies_therapyarticle_citations", args=[version.item.pk, 1])
    response = admin_client.post(url, {"form-TOTAL_FORMS": "0", "form-INITIAL_FORMS": "0",
                                       "loaded_edit_count": "abc"})  # fmt: skip
    assert response.status_code == 400 and "save counter" in response.content.decode()


# --- a scheduler that keeps going ----------------------------------------------------------------


@pytest.fixture
def schedule(db):
    """Three versions due for publication (the middle one will fail) and one published
    version due for unpublication; `now` is after all of them."""
    from django.utils import timezone

    moderator = make_moderator("mod", email="mod@example.org")
    now = timezone.now()
    due = [
        TherapyArticleVersionFactory(
            state="approved", publish_at=now - datetime.timedelta(minutes=3 - n),
            reviewed_by=moderator, title=f"Due {n}",
        )
        for n in range(3)
    ]  # fmt: skip
    expiring = TherapyArticleVersionFactory(
        state="published", title="Expiring", unpublish_at=now - datetime.timedelta(minutes=1)
    )
    return {"due": due, "expiring": expiring, "now": now, "moderator": moderator}


def fail_for(version, monkeypatch):
    real = workflow._publish

    def publish(candidate, *args, **kwargs):
        if candidate.pk == version.pk:
            raise RuntimeError("disk full")
        return real(candidate, *args, **kwargs)

    monkeypatch.setattr(workflow, "_publish", publish)


def test_one_failing_version_does_not_stop_the_scheduler(
    schedule, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    first, broken, last = schedule["due"]
    fail_for(broken, monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        published = workflow.publish_due(now=schedule["now"])
    assert [version.pk for version in published] == [first.pk, last.pk]
    for version, state in ((first, "published"), (broken, "approved"), (last, "published"),
                           (schedule["expiring"], "unpublished")):  # fmt: skip
        version.refresh_from_db()
        assert version.state == state
    [event] = AuditEvent.objects.filter(action="schedule_failed")
    assert (event.version_id, event.comment) == (broken.pk, "RuntimeError: disk full")
    [message] = [m for m in mailoutbox if "[Scheduler]" in m.subject]
    assert message.bcc == ["mod@example.org"]
    assert "Publication of “Due 1” (version 1): RuntimeError: disk full" in message.body


def test_a_failure_is_reported_once_a_day_and_retried_every_run(schedule, monkeypatch,
                                                                mailoutbox):  # fmt: skip
    broken = schedule["due"][1]
    fail_for(broken, monkeypatch)
    for minutes in range(3):
        workflow.publish_due(now=schedule["now"] + datetime.timedelta(minutes=minutes))
    assert AuditEvent.objects.filter(action="schedule_failed").count() == 1
    monkeypatch.undo()
    assert [v.pk for v in workflow.publish_due(now=schedule["now"])] == [broken.pk]


def test_a_failing_unpublication_does_not_stop_the_others(schedule, monkeypatch):
    other = TherapyArticleVersionFactory(state="published", unpublish_at=schedule["now"])
    real = workflow._after_unpublish

    def after(version, why):
        if version.pk == schedule["expiring"].pk:
            raise RuntimeError("mail server down")
        return real(version, why)

    monkeypatch.setattr(workflow, "_after_unpublish", after)
    workflow.publish_due(now=schedule["now"])
    other.refresh_from_db()
    schedule["expiring"].refresh_from_db()
    assert (other.state, schedule["expiring"].state) == ("unpublished", "published")
    assert AuditEvent.objects.filter(action="schedule_failed").count() == 1


def test_a_failure_to_record_a_failure_does_not_stop_the_run_either(schedule, monkeypatch):
    first, broken, last = schedule["due"]
    fail_for(broken, monkeypatch)
    real_record = AuditEvent.record.__func__

    def record(cls, version, **kwargs):
        if kwargs.get("action") == "schedule_failed":
            raise RuntimeError("audit table locked")
        return real_record(cls, version, **kwargs)

    monkeypatch.setattr(AuditEvent, "record", classmethod(record))
    published = workflow.publish_due(now=schedule["now"])
    assert [version.pk for version in published] == [first.pk, last.pk]
    schedule["expiring"].refresh_from_db()
    assert schedule["expiring"].state == "unpublished"


def test_overdue_scheduled_moves_are_shown_to_moderators(schedule, monkeypatch, client):
    fail_for(schedule["due"][1], monkeypatch)
    workflow.publish_due(now=schedule["now"])  # the other moves happen
    late = TherapyArticleVersionFactory(
        state="approved", title="Never run",
        publish_at=schedule["now"] - workflow.SCHEDULE_GRACE - datetime.timedelta(minutes=1),
    )  # fmt: skip
    client.force_login(schedule["moderator"])
    page = client.get(reverse("admin:index")).content.decode()
    assert "Scheduled moves overdue (2)" in page  # a failure at once, a delay after a while
    assert "Due 1" in page and "disk full" in page
    assert "Never run" in page and "is it running?" in page
    overdue = workflow.overdue_schedule(now=schedule["now"] + datetime.timedelta(hours=1))
    assert {(v.title, v.problem) for v in overdue} == {
        ("Due 1", "RuntimeError: disk full"),
        ("Never run", "The scheduler has not run since: is it running?"),
    }
    client.force_login(make_editor("just-an-editor"))
    assert "Scheduled moves overdue" not in client.get(reverse("admin:index")).content.decode()
    assert late.state == "approved"


# --- one-line fields, and mail that cannot fail silently ----------------------------------------

LINE_BREAKS = ["Title\nBcc: victim@example.org", "Title\r\nX: y", "Tab\there", "NUL\x00",
               "Line\u2028separator"]  # fmt: skip


@pytest.mark.parametrize("value", LINE_BREAKS)
@pytest.mark.parametrize("field", ["title", "change_summary"])
def test_the_workflow_refuses_a_line_break_in_a_one_line_field(field, value):
    version = TherapyArticleVersionFactory(state="draft")
    with pytest.raises(ValidationError, match="one line"):
        workflow.edit(version, by=make_editor(), **{field: value})


def test_the_admin_refuses_a_line_break_in_a_title(admin_client):
    version = TherapyArticleVersionFactory(state="draft")
    url = reverse("admin:therapies_therapyarticle_change", args=[version.item.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {name: value for name, value in data.items() if value not in (None, [])}
    response = admin_client.post(url, {**data, "title": "Two\nlines"})
    assert "one line" in str(response.context["adminform"].form.errors)


@pytest.mark.parametrize("model,field", [
    ("Citation", "label"), ("CancerType", "name"), ("ReviewLink", "label"),
    ("ExternalReviewComment", "name"), ("TrialNoteVersion", "sponsor"),
    ("TrialNoteVersion", "brief_title"), ("TrialNoteVersion", "official_title"),
])  # fmt: skip
def test_labels_and_names_are_one_line_too(model, field):
    from therapies import models

    with pytest.raises(ValidationError, match="one line"):
        getattr(models, model)._meta.get_field(field).run_validators("a\nb")


def test_the_import_puts_a_registry_title_with_a_line_break_on_one_line():
    from therapies import ctgov, registry
    from therapies.ctgov import RegistryRecord

    record = ctgov.parse(json.loads((DATA / "NCT03934567.json").read_text()))
    broken = RegistryRecord(**{**record.__dict__, "brief_title": "Two\nlines\tand a tab"})
    assert registry.version_fields(broken)["brief_title"] == "Two lines and a tab"


@pytest.fixture
def broken_mail(settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.test_hardening.FailingBackend"}}


class FailingBackend:
    """A mail server that is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


def notify():
    notifications.send("review_due", ["mod@example.org"], versions=[], overdue=[])


def test_a_notification_that_fails_is_kept_and_retried(
    broken_mail, settings, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        notify()
    [notification] = Notification.objects.all()
    assert notification.failed and notification.attempts == 1
    assert notification.last_error == "ConnectionRefusedError: the mail server is down"
    assert notifications.retry_due() == (0, 0)  # not due yet: it waits two minutes
    later = notification.next_attempt_at + datetime.timedelta(seconds=1)
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert notifications.retry_due(now=later) == (1, 0)
    notification.refresh_from_db()
    assert notification.sent_at is not None and not notification.failed
    assert mailoutbox[0].to == ["mod@example.org"]


def test_a_notification_is_given_up_after_its_tries_but_stays_listed(
    broken_mail, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify()
    notification = Notification.objects.get()
    for _ in range(notifications.MAX_ATTEMPTS):
        notifications.retry_due(now=notification.next_attempt_at or notification.created_at)
        notification.refresh_from_db()
    assert notification.attempts == notifications.MAX_ATTEMPTS
    assert notification.next_attempt_at is None and notifications.unsent().count() == 1


def test_the_admin_says_how_many_notifications_could_not_be_sent(
    broken_mail, settings, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            notify()
    client.force_login(make_moderator("mod2"))
    page = client.get(reverse("admin:index")).content.decode()
    assert "3 notifications could not be sent" in page
    listing = client.get(reverse("admin:therapies_notification_changelist"),
                         {"status": "unsent"}).content.decode()  # fmt: skip
    assert listing.count("the mail server is down") == 3
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    client.post(reverse("admin:therapies_notification_changelist"), {
        "action": "retry_now", "_selected_action": list(Notification.objects.values_list(
            "pk", flat=True)),
    })  # fmt: skip
    assert notifications.unsent().count() == 0
    client.force_login(make_editor("plain-editor"))
    assert "could not be sent" not in client.get(reverse("admin:index")).content.decode()


def test_a_subject_is_always_one_line(django_capture_on_commit_callbacks, mailoutbox):
    version = TherapyArticleVersionFactory(state="in_review")
    type(version).objects.filter(pk=version.pk).update(title="Old\nBcc: victim@example.org")
    version.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        notifications.send("submitted", ["mod@example.org"], version=version)
    [message] = mailoutbox
    assert "\n" not in message.subject and message.bcc == []


# --- unpublishing settles what is in flight ------------------------------------------------------


def test_unpublishing_sends_a_version_in_review_back_with_the_reason(
    django_capture_on_commit_callbacks, mailoutbox
):
    author, moderator = make_editor("writer", email="writer@example.org"), make_moderator("m")
    live = TherapyArticleVersionFactory(state="published", author=author)
    in_review = TherapyArticleVersionFactory(state="in_review", item=live.item, author=author)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.unpublish(live.item, by=moderator, comment="Superseded by the 2026 guideline.")
    in_review.refresh_from_db()
    assert in_review.state == "changes_requested"
    assert "unpublished while this version was in review" in in_review.review_comment
    assert "Superseded by the 2026 guideline." in in_review.review_comment
    assert [m.to for m in mailoutbox] == [["writer@example.org"]]
    with pytest.raises(workflow.WorkflowError):
        workflow.approve(in_review, by=moderator)
    assert live.item.versions.filter(state="published").count() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("attempt", range(4))
def test_unpublish_and_approve_racing_never_bring_the_item_back_unseen(attempt):
    """Whichever wins, the other is told: the item is offline with the version sent back, or
    online with the new version and the unpublish refused — never offline and then back."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("row-level concurrency is exercised on PostgreSQL")
    author = make_editor(f"author{attempt}")
    moderators = [make_moderator(f"m{attempt}a"), make_moderator(f"m{attempt}b")]
    live = TherapyArticleVersionFactory(state="published", author=author)
    draft = TherapyArticleVersionFactory(state="in_review", item=live.item, author=author)
    barrier = threading.Barrier(2)
    outcomes = {}

    def run(name, move):
        try:
            barrier.wait()
            move()
            outcomes[name] = "done"
        except (workflow.WorkflowError, ValidationError) as error:
            outcomes[name] = f"refused: {error}"
        except Exception as error:  # a deadlock or any other database error fails the test
            outcomes[name] = f"error: {type(error).__name__}: {error}"
        finally:
            connections.close_all()

    item = type(live.item).objects.get(pk=live.item.pk)
    copy = type(draft).objects.get(pk=draft.pk)
    threads = [
        threading.Thread(target=run, args=("unpublish", lambda: workflow.unpublish(
            item, by=moderators[0], comment="Withdrawn."))),
        threading.Thread(target=run, args=("approve", lambda: workflow.approve(
            copy, by=moderators[1]))),
    ]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not [o for o in outcomes.values() if o.startswith("error")], outcomes
    draft.refresh_from_db()
    published = live.item.versions.filter(state="published")
    if outcomes["unpublish"] == "done":
        assert outcomes["approve"].startswith("refused")
        assert draft.state == "changes_requested" and not published.exists()
    else:
        assert outcomes["approve"] == "done" and outcomes["unpublish"].startswith("refused")
        assert list(published) == [draft]


# --- sign-in -------------------------------------------------------------------------------------

LOGIN = "/admin/login/"


def sign_in(client, username, password, address="203.0.113.7", **headers):
    return client.post(LOGIN, {"username": username, "password": password,
                               "next": "/admin/"}, REMOTE_ADDR=address, **headers)  # fmt: skip


@pytest.fixture
def staff_user():
    user = make_editor("guessme")
    user.set_password("correct horse battery staple")
    user.save()
    return user


def test_five_wrong_passwords_lock_the_account_even_with_the_right_one(client, staff_user):
    for _ in range(4):
        assert sign_in(client, "guessme", "wrong").status_code == 200  # the form, again
    assert sign_in(client, "guessme", "wrong").status_code == 429  # the fifth locks
    locked = sign_in(client, "guessme", "correct horse battery staple")
    assert locked.status_code == 429
    assert "Too many failed sign-ins (5 in a row)" in locked.content.decode()
    assert "locked for 15 minutes" in locked.content.decode()
    # The account stays locked from another address too.
    other = sign_in(client, "guessme", "correct horse battery staple", address="198.51.100.9")
    assert other.status_code == 429


def test_the_address_is_locked_out_for_every_account(client, staff_user):
    for n in range(5):
        sign_in(client, f"nobody{n}", "wrong")
    assert sign_in(client, "guessme", "correct horse battery staple").status_code == 429


def test_the_lock_lifts_after_the_cool_off(client, staff_user):
    from axes.models import AccessAttempt
    from django.utils import timezone

    for _ in range(5):
        sign_in(client, "guessme", "wrong")
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    response = sign_in(client, "guessme", "correct horse battery staple")
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_behind_a_proxy_the_forwarded_client_address_is_counted(client, staff_user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for n in range(5):  # one client, spoofing a different left-most address each time
        sign_in(client, f"nobody{n}", "wrong", address=proxy,
                HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.50")  # fmt: skip
    locked = sign_in(client, "guessme", "correct horse battery staple", address=proxy,
                     HTTP_X_FORWARDED_FOR="203.0.113.50")  # fmt: skip
    assert locked.status_code == 429
    another_client = sign_in(client, "guessme", "correct horse battery staple",
                             address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.51")  # fmt: skip
    assert another_client.status_code == 302


@pytest.mark.parametrize("forwarded", ["1.2.3.4:5678", "[2001:db8::1]:80", "garbage", ""])
def test_a_forwarded_value_that_is_no_address_falls_back_to_the_peer(
    client, staff_user, settings, forwarded
):
    settings.TRUSTED_PROXY_COUNT = 1
    response = sign_in(client, "guessme", "wrong", address="10.0.0.2",
                       HTTP_X_FORWARDED_FOR=forwarded)  # fmt: skip
    assert response.status_code == 200
    from axes.models import AccessAttempt

    assert AccessAttempt.objects.get().ip_address == "10.0.0.2"


@pytest.mark.parametrize("password", ["password", "12345678901234", "short1A!", "guessme2026!"])
def test_staff_passwords_are_checked_by_django_s_validators(admin_client, password):
    response = admin_client.post(reverse("admin:auth_user_add"), {
        "username": "guessme2026", "password1": password, "password2": password,
        "usable_password": "true",
    })  # fmt: skip
    assert response.status_code == 200  # the form again, with why
    assert not get_user_model().objects.filter(username="guessme2026").exists()


def test_a_session_ends_after_an_hour_without_a_request(client, settings):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    assert settings.SESSION_COOKIE_AGE == 3600 and settings.SESSION_SAVE_EVERY_REQUEST
    client.force_login(make_editor("idle"))
    assert client.get("/admin/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    # The cached copy (cached_db sessions) expires at the same moment as the row.
    from django.core.cache import cache

    cache.clear()
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


# --- a second factor -----------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _no_otp_throttle(settings):
    # django-otp pauses after a wrong code (1 s, then doubling): no waiting in tests.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def totp_code(device) -> str:
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, digits=device.digits):0{device.digits}d}"


def with_authenticator(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def test_without_an_authenticator_the_password_is_enough(client, staff_user):
    assert sign_in(client, "guessme", "correct horse battery staple").status_code == 302


def test_with_an_authenticator_its_code_is_asked_for(client, staff_user):
    device = with_authenticator(staff_user)
    refused = sign_in(client, "guessme", "correct horse battery staple")
    assert refused.status_code == 200 and "Please enter your OTP token" in refused.content.decode()
    password = "correct horse battery staple"
    wrong = client.post(LOGIN, {"username": "guessme", "password": password,
                                "otp_token": "000000"}, REMOTE_ADDR="203.0.113.7")  # fmt: skip
    assert wrong.status_code == 200
    signed_in = client.post(LOGIN, {"username": "guessme",
                                    "password": "correct horse battery staple",
                                    "otp_token": totp_code(device), "next": "/admin/"})  # fmt: skip
    assert signed_in.status_code == 302 and signed_in["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.fixture
def required(settings):
    settings.REQUIRE_2FA = True


def test_when_required_a_moderator_must_set_one_up_first(client, required):
    moderator = make_moderator("mfa-mod")
    client.force_login(moderator)
    sent = client.get("/admin/therapies/therapyarticle/")
    assert sent.status_code == 302
    assert sent["Location"] == "/admin/2fa/?next=/admin/therapies/therapyarticle/"
    setup = client.get(sent["Location"]).content.decode()
    assert 'class="two-factor-qr"' in setup and "<path" in setup and "Key: <code>" in setup
    assert "set one up to continue" in setup
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=moderator)
    assert not device.confirmed
    wrong = client.post(sent["Location"], {"code": "000000"})
    assert "not right" in wrong.content.decode()
    done = client.post(sent["Location"], {"code": totp_code(device)})
    assert done.status_code == 302 and done["Location"] == "/admin/therapies/therapyarticle/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/therapies/therapyarticle/").status_code == 200


def test_when_required_editors_are_not_asked(client, required):
    client.force_login(make_editor("mfa-editor"))
    assert client.get("/admin/").status_code == 200


def test_when_required_a_session_without_the_code_is_sent_to_enter_it(client, required):
    moderator = make_moderator("mfa-mod2")
    device = with_authenticator(moderator)
    client.force_login(moderator)  # e.g. a session from before 2FA was required
    sent = client.get("/admin/")
    assert sent["Location"] == "/admin/2fa/?next=/admin/"
    page = client.get(sent["Location"]).content.decode()
    assert "Enter the code your authenticator app shows" in page
    assert 'class="two-factor-qr"' not in page
    assert client.post(sent["Location"], {"code": totp_code(device)}).status_code == 302
    assert client.get("/admin/").status_code == 200
    assert client.post(PREVIEW, {"content": "x"}).status_code == 200


# --- an audit trail nobody can quietly edit ------------------------------------------------------


def three_events():
    version = TherapyArticleVersionFactory(state="draft")
    editor = make_editor("chain-editor")
    for title in ("One", "Two", "Three"):
        workflow.edit(version, by=editor, title=title)
    return list(AuditEvent.objects.order_by("id"))


def verify_audit(*args) -> tuple[int, str]:
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    try:
        call_command("verify_audit", *args, stdout=out)
    except CommandError as error:
        return error.returncode, str(error)
    return 0, out.getvalue()


def tamper(sql: str, params=()):
    """Change the audit table as someone past the triggers would (the owner switching them
    off; here inside the test's transaction, which is rolled back)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks in the way
            cursor.execute("ALTER TABLE therapies_auditevent DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER therapies_auditevent_no_update")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE therapies_auditevent ENABLE TRIGGER USER")


def test_every_event_joins_the_chain():
    events = three_events()
    assert events[0].prev_hash == "" and all(len(e.hash) == 64 for e in events)
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    status, out = verify_audit()
    assert status == 0
    assert f"{len(events)} audit events verified; the chain holds. Head: {events[-1].hash}" in out


def test_an_altered_event_breaks_the_chain_where_it_was_altered():
    events = three_events()
    tamper("UPDATE therapies_auditevent SET comment = 'nothing to see' WHERE id = %s",
           [events[1].pk])  # fmt: skip
    status, message = verify_audit()
    assert status == 1
    assert f"broken at event {events[1].pk}" in message and "contents were altered" in message


def test_a_removed_event_breaks_the_chain_after_it():
    events = three_events()
    tamper("DELETE FROM therapies_auditevent WHERE id = %s", [events[1].pk])
    status, message = verify_audit()
    assert status == 1 and f"broken at event {events[2].pk}" in message
    assert "an event was removed" in message


def test_a_cut_off_tail_is_caught_with_a_recorded_head():
    events = three_events()
    head = events[-1].hash
    assert verify_audit("--head", head)[0] == 0
    tamper("DELETE FROM therapies_auditevent WHERE id = %s", [events[-1].pk])
    status, message = verify_audit("--head", head)
    assert status == 1 and "is not in the audit trail" in message


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_application_s_role_cannot_get_past_the_triggers():
    """Connected as a role with data privileges only (`grant_app_role`), the portal can
    append audit events but not change, delete or truncate them, even asking for
    maintenance, nor switch the triggers off."""
    import psycopg
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("database roles are PostgreSQL's")
    three_events()
    role = "portal_app_test"
    with connection.cursor() as cursor:
        try:
            cursor.execute(f"DROP ROLE IF EXISTS {role}")
            cursor.execute(f"CREATE ROLE {role} LOGIN")
        except Exception as error:  # noqa: BLE001
            pytest.skip(f"this test's database role cannot create roles: {error}")
    call_command("grant_app_role", role, stdout=io.StringIO())
    params = connection.get_connection_params()
    attacks = {
        "delete": "DELETE FROM therapies_auditevent",
        "update": "UPDATE therapies_auditevent SET comment = 'x'",
        "truncate": "TRUNCATE therapies_auditevent",
        "disable": "ALTER TABLE therapies_auditevent DISABLE TRIGGER ALL",
        "drop": "DROP TRIGGER therapies_auditevent_append_only ON therapies_auditevent",
    }
    refused = {}
    try:
        address = {"host": params.get("host") or "127.0.0.1", "port": params.get("port")}
        with psycopg.connect(**address, dbname=params["dbname"], user=role,
                             autocommit=True) as app:  # fmt: skip
            for name, statement in attacks.items():
                try:
                    app.execute("SET therapies.audit_maintenance = 'on'")
                    app.execute(statement)
                except psycopg.Error as error:
                    refused[name] = str(error).splitlines()[0]
            count = app.execute("SELECT count(*) FROM therapies_auditevent").fetchone()[0]
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP OWNED BY {role}")
            cursor.execute(f"DROP ROLE {role}")
    assert set(refused) == set(attacks), refused
    assert "append-only" in refused["delete"] and "append-only" in refused["update"]
    assert "must be owner" in refused["disable"] and "must be owner" in refused["drop"]
    assert count == AuditEvent.objects.count() == 3


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_moves_never_fork_the_chain():
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("row-level concurrency is exercised on PostgreSQL")
    versions = [TherapyArticleVersionFactory(state="draft") for _ in range(2)]
    editor = make_editor("racer")
    barrier = threading.Barrier(2)

    def edit_many(version):
        try:
            barrier.wait()
            for n in range(10):
                workflow.edit(version, by=editor, title=f"Title {n}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=edit_many, args=(v,)) for v in versions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert AuditEvent.objects.count() == 20
    assert verify_audit()[0] == 0


def test_check_deploy_warns_when_the_portal_connects_as_owner_or_superuser():
    from django.db import connection

    from therapies.apps import check_database_role

    if connection.vendor != "postgresql":
        assert check_database_role(databases=["default"]) == []
        return
    [warning] = check_database_role(databases=["default"])  # the test runner's role owns all
    assert warning.id == "therapies.W002"


def test_review_links_and_reviewers_names_are_one_line_in_the_trust_rules():
    from therapies import trust

    version = TherapyArticleVersionFactory(state="in_review")
    moderator = make_moderator("sharer")
    with pytest.raises(ValidationError) as refused:
        trust.create_review_link(version, moderator, days=3, label="Dr A\nBcc: x@example.org")
    assert "label" in refused.value.message_dict
    link = trust.create_review_link(version, moderator, days=3, label="Dr A. Expert")
    with pytest.raises(ValidationError) as refused:
        trust.add_external_comment(link, name="Eve\nBcc: x@example.org", body="Looks right.")
    assert "name" in refused.value.message_dict
