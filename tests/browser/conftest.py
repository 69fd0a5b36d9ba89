"""Browser tests (issue 13): Playwright for Python driving Debian's Chromium against Django's
live server. Run them with `make test-browser`; `make test` leaves them out (marker
`browser`), since they need Chromium and axe-core installed."""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "var" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "var" / "screenshots"


@pytest.fixture(scope="session", autouse=True)
def _async_unsafe_allowed():
    """Playwright's sync API runs an event loop in the test's thread; Django's ORM refuses to
    run there unless told it is safe (it is: one test at a time). Set only while browser
    tests run, so that no other test's subprocess inherits it."""
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if before is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Playwright's own browser download is not available here: Debian's Chromium instead.
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test-browser`, which installs it.")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True,
            "args": ["--no-sandbox", "--disable-dev-shm-usage"]}  # fmt: skip


@pytest.fixture
def axe():
    """Run axe-core on a page: its violations as (id, impact, target) triples."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make test-browser`, which installs axe-core.")

    def run(page):
        page.add_script_tag(path=str(AXE))
        return page.evaluate(
            "async () => (await axe.run()).violations.map("
            "v => [v.id, v.impact, v.nodes.map(n => n.target.join(' ')).slice(0, 3)])"
        )

    return run


@pytest.fixture
def shot():
    """Save a screenshot of `page` as a test artefact: var/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str):
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # axe-core is injected into pages whose Content-Security-Policy forbids inline script.
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture
def sign_in(live_server):
    """Sign a page's browser context in through the admin's login form, as a person does."""

    def run(page, username: str, password: str = "demo"):
        page.goto(live_server.url + "/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("input[type=submit]")
        page.wait_for_url(live_server.url + "/admin/")
        return page

    return run


@pytest.fixture
def people(django_user_model):
    """An editor and two moderators (each with a current conflict-of-interest statement
    declaring nothing), all with the password "demo"."""
    from tests.factories import make_editor, make_moderator

    users = {"editor": make_editor("editor"), "moderator": make_moderator("moderator"),
             "moderator2": make_moderator("moderator2")}  # fmt: skip
    for user in users.values():
        user.set_password("demo")
        user.save()
    return users


def serious(violations):
    """The violations of impact serious or critical; the rest are printed, not failed."""
    worst = [v for v in violations if v[1] in ("serious", "critical")]
    minor = [v for v in violations if v not in worst]
    if minor:
        print("axe (minor and moderate):", minor)
    return worst


def has_visible_focus(page) -> bool:
    """Whether the focused element shows a focus indicator: an outline or a box shadow."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el || el === document.body) return false;
            const style = getComputedStyle(el);
            const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
            return outline || (style.boxShadow && style.boxShadow !== 'none');
        }"""
    )


@pytest.fixture
def demo():
    """The demo content and its users (password "demo"), loaded as `make run` does."""
    from django.core.management import call_command

    call_command("loaddemo", stdout=open(os.devnull, "w"))  # noqa: SIM115
