"""The public site in a real browser."""

import pytest

from tests.factories import TherapyArticleVersionFactory

# Transactional (the live server reads what the test writes); the migrations' groups and
# permissions are restored after the previous test's flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_home_page_renders_in_chromium_without_serious_accessibility_problems(
    live_server, page, axe, shot
):
    TherapyArticleVersionFactory(state="published", title="Anti-PD-1 antibodies")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server.url + "/")
    assert "Anti-PD-1 antibodies" in page.content()
    shot(page, "home")
    violations = axe(page)
    serious = [v for v in violations if v[1] in ("serious", "critical")]
    print("axe (minor and moderate):", [v for v in violations if v not in serious])
    assert not serious, serious


def test_the_api_docs_render_from_our_own_files_under_the_sites_csp(live_server, page, shot):
    """Swagger UI lists the operations; the browser reports no CSP violation and loads
    nothing from another origin."""
    TherapyArticleVersionFactory(state="published", item__slug="anti-pd-1")
    violations, foreign = [], []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)  # fmt: skip
    page.on("request", lambda request: foreign.append(request.url)
            if not request.url.startswith((live_server.url, "data:")) else None)  # fmt: skip
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server.url + "/api/v1/docs/")
    page.wait_for_selector(".opblock-summary-path", timeout=15000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/therapies/{slug}/versions/" in text.replace("\u200b", "")
               for text in paths), paths  # fmt: skip
    shot(page, "api-docs")
    assert violations == [] and foreign == []
