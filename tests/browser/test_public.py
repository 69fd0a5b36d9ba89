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
