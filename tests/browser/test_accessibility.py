"""Accessibility in Chromium: axe-core (from the npm registry, installed by `make
test-browser`) on every public page type and on the desk's screens, with zero violations of
impact serious or critical — Django admin's widgets included — and the minor ones printed;
then the keyboard alone through navigation, search, filters and the workflow buttons, with a
visible focus at every stop."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import has_visible_focus, serious
from therapies.models import CombinationEntry, TherapyArticle, TrialNote

# The groups and permissions the migrations create are restored after each test's flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def public_pages() -> dict[str, str]:
    therapy = TherapyArticle.objects.published().first()
    combination = CombinationEntry.objects.published().first()
    return {
        "home": "/",
        "therapy list": "/therapies/",
        "combination list": "/combinations/",
        "trial list": "/trials/",
        "filtered trial list": "/trials/?phase=PHASE3&status=COMPLETED",
        "therapy": therapy.get_absolute_url(),
        "combination": combination.get_absolute_url(),
        "trial": "/trials/NCT01844505/",
        "search": "/search/?q=melanoma",
        "empty search": "/search/",
        "updates": "/updates/",
        "evidence levels": "/about/evidence/",
        "history": therapy.get_history_url(),
        "not found": "/therapies/no-such-therapy/",
    }


def test_every_public_page_type_has_no_serious_accessibility_violation(
    live_server, page, demo, axe, shot
):
    found = {}
    for name, path in public_pages().items():
        for width in (1366, 390):
            page.set_viewport_size({"width": width, "height": 900})
            response = page.goto(live_server.url + path)
            assert response.status == (404 if name == "not found" else 200), name
            problems = serious(axe(page))
            if problems:
                found[f"{name} at {width} px"] = problems
        shot(page, f"public-{name.replace(' ', '-')}")
    assert not found, found


def test_the_not_found_page_is_friendly(live_server, page, demo):
    response = page.goto(live_server.url + "/therapies/no-such-therapy/")
    assert response.status == 404
    expect(page.locator("main")).to_contain_text(re.compile("not found|could not find", re.I))
    expect(page.get_by_role("link", name="Therapies").first).to_be_visible()
    expect(page.locator("#site-search-q")).to_be_visible()


def admin_pages() -> dict[str, str]:
    in_review = TherapyArticle.objects.get(slug="car-t-cell-therapy")
    trial = TrialNote.objects.get(nct_id="NCT01844505")
    number = in_review.in_progress.number
    return {
        "dashboard": reverse("admin:index"),
        "change form": in_review.get_admin_url(),
        "trial change form": trial.get_admin_url(),
        "add form": reverse("admin:therapies_therapyarticle_add"),
        "review screen": reverse("admin:therapies_therapyarticle_review",
                                 args=[in_review.pk, number]),
        "request changes": reverse("admin:therapies_therapyarticle_workflow",
                                   args=[in_review.pk, number, "request_changes"]),
        "compare": reverse("admin:therapies_therapyarticle_compare", args=[in_review.pk]),
        "history": reverse("admin:therapies_therapyarticle_history", args=[in_review.pk]),
        "list": reverse("admin:therapies_therapyarticle_changelist"),
        "re-review report": reverse("review_due"),
    }  # fmt: skip


@pytest.mark.parametrize("username", ["moderator2", "editor"])
def test_the_desks_screens_have_no_serious_accessibility_violation(
    live_server, page, demo, axe, shot, sign_in, username
):
    sign_in(page, username)
    found = {}
    for name, path in admin_pages().items():
        page.set_viewport_size({"width": 1366, "height": 900})
        response = page.goto(live_server.url + path)
        if response.status == 403:
            continue  # not this person's screen (the report is for moderators)
        assert response.status == 200, (name, response.status)
        page.wait_for_load_state("networkidle")
        problems = serious(axe(page))
        if problems:
            found[name] = problems
        shot(page, f"desk-{username}-{name.replace(' ', '-')}")
    assert not found, found


@pytest.mark.parametrize("width", [1280, 1366])
def test_the_dashboard_fits_a_laptop_screen(live_server, page, demo, sign_in, width):
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, "moderator2")
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll('#content-main table')]
            .filter(t => t.getBoundingClientRect().right > document.documentElement.clientWidth
                         || t.scrollWidth > t.clientWidth + 1)
            .map(t => t.closest('section') ? t.closest('section').id || t.closest('section')
                      .getAttribute('aria-labelledby') : 'table')"""
    )
    assert overflowing == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # Every column of the review queue is on screen: kind, version, author, waiting, reviewer.
    queue = page.locator("section[aria-labelledby=queue-review-heading] table")
    for heading in ("Content", "Author", "Waiting", "Reviewer"):
        expect(queue.get_by_role("columnheader", name=heading)).to_be_in_viewport()


# --- the keyboard alone ------------------------------------------------------------------------


def tab_to(page, matches, *, limit: int = 120, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the focused element satisfies the JavaScript predicate
    `matches` (given the element), checking at each stop that the focus can be seen."""
    if page.evaluate(f"() => ({matches})(document.activeElement)"):
        return  # already there (a form's first field has the focus when it opens)
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focused = page.evaluate("() => document.activeElement !== document.body")
        if focused:
            assert has_visible_focus(page), page.evaluate(
                "() => document.activeElement.outerHTML.slice(0, 200)"
            )
        if page.evaluate(f"() => ({matches})(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached {matches}")


def test_a_reader_navigates_searches_and_filters_with_the_keyboard(live_server, page, demo):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server.url + "/")
    tab_to(page, "el => el.classList.contains('skip-link')")
    tab_to(page, "el => el.textContent.trim() === 'Trials'")
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + "/trials/")
    # A chart bar is a link: Enter filters the list.
    tab_to(page, "el => el.closest('.bar-chart') && el.textContent.includes('Phase 3')")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"\?phase=PHASE3$"))
    # The filters: choose a status with the arrow keys, apply with Enter.
    tab_to(page, "el => el.name === 'status'")
    page.keyboard.press("ArrowDown")
    chosen = page.evaluate("() => document.activeElement.value")
    assert chosen
    tab_to(page, "el => el.textContent.trim() === 'Apply'")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"status={chosen}"))
    # Every list's filters work the same way: the first choice of the first filter.
    for path in ("/therapies/", "/combinations/"):
        page.goto(live_server.url + path)
        tab_to(page, "el => el.tagName === 'SELECT' && el.closest('form.filters')")
        name = page.evaluate("() => document.activeElement.name")
        page.keyboard.press("ArrowDown")
        value = page.evaluate("() => document.activeElement.value")
        tab_to(page, "el => el.textContent.trim() === 'Apply'")
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(rf"{name}={re.escape(value)}"))
    # The search box in the header.
    tab_to(page, "el => el.id === 'site-search-q'", backwards=True)
    page.keyboard.type("ipilimumab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=ipilimumab"))
    expect(page.locator("main")).to_contain_text("CheckMate 067")


def test_a_moderator_claims_and_sends_back_with_the_keyboard(live_server, page, demo, sign_in):
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, "moderator2")
    tab_to(page, "el => el.tagName === 'BUTTON' && el.textContent.startsWith('Claim')")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/versions/\d+/review/$"))
    tab_to(page, "el => el.tagName === 'SUMMARY'")  # a folded run of unchanged paragraphs
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.parentElement.open")
    tab_to(page, "el => el.id === 'id_comment'")
    page.keyboard.type("Please cite the five-year update.")
    tab_to(page, "el => el.textContent.trim() === 'Request changes'")
    page.keyboard.press("Enter")
    expect(page.locator(".messagelist")).to_contain_text("Request changes: done")


def test_an_editor_saves_and_submits_with_the_keyboard(live_server, page, demo, sign_in):
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, "editor")
    page.goto(live_server.url + reverse("admin:therapies_therapyarticle_add"))
    tab_to(page, "el => el.id === 'id_title'")
    page.keyboard.type("Keyboard-only article")
    tab_to(page, "el => el.id === 'id_therapy_class'")
    page.keyboard.press("ArrowDown")
    tab_to(page, "el => el.id === 'id_summary'")
    page.keyboard.type("Typed without a mouse.")
    tab_to(page, "el => el.id === 'id_body'")
    page.keyboard.type("Written with the keyboard alone.")
    tab_to(page, "el => el.id === 'id_add_citations'")
    page.keyboard.type("PMID: 26027431")
    tab_to(page, "el => el.name === '_saveandsubmit'")
    page.keyboard.press("Enter")
    expect(page.locator(".messagelist")).to_contain_text("Saved and submitted for review")
