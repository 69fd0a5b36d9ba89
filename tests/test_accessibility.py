"""Accessibility of the public pages, checked on their HTML and the style sheet's colours:
landmarks, a skip link, one h1 and no skipped heading levels, a label for every control,
alternative text, and WCAG 2.2 AA contrast for the palette's text/background pairs."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

pytestmark = pytest.mark.django_db

PAGES = ["/", "/therapies/", "/therapies/car-t-cell-therapy/", "/combinations/",
         "/combinations/anti-pd-1-plus-anti-ctla-4/", "/trials/", "/trials/NCT01844505/",
         "/trials/NCT01844505/history/", "/search/?q=melanoma", "/search/", "/updates/",
         "/no-such-page/"]  # fmt: skip


class Outline(HTMLParser):
    """Collects what the checks need from one page."""

    def __init__(self):
        super().__init__()
        self.tags, self.headings, self.ids, self.label_for = [], [], set(), set()
        self.controls, self.images, self.links, self.html_lang = [], [], [], None
        self._label_depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "label":
            self._label_depth += 1
            if attrs.get("for"):
                self.label_for.add(attrs["for"])
        if tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden", "submit"):
            self.controls.append((attrs, self._label_depth > 0))
        if tag == "img":
            self.images.append(attrs)
        if tag == "a":
            self.links.append(attrs)

    def handle_endtag(self, tag):
        if tag == "label":
            self._label_depth -= 1


@pytest.fixture
def demo(db):
    call_command("loaddemo", verbosity=0)


@pytest.mark.parametrize("url", PAGES)
def test_page_structure(client, demo, url):
    response = client.get(url)
    assert response.status_code in (200, 404)
    page = Outline()
    page.feed(response.content.decode())
    assert page.html_lang == "en"
    for landmark in ("header", "nav", "main", "footer"):
        assert landmark in page.tags, f"{url}: no <{landmark}>"
    skip = page.links[0]
    assert skip.get("href") == "#main" and "main" in page.ids, f"{url}: no skip link first"
    assert page.headings.count(1) == 1, f"{url}: {page.headings.count(1)} h1 elements"
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1, f"{url}: heading level jumps from h{before} to h{after}"
    for attrs, wrapped in page.controls:
        labelled = wrapped or attrs.get("id") in page.label_for or attrs.get("aria-label")
        assert labelled, f"{url}: unlabelled control {attrs}"
    for image in page.images:
        assert "alt" in image, f"{url}: image without alt"


def relative_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    lighter, darker = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def palette() -> dict[str, str]:
    css = (Path(settings.BASE_DIR) / "static/css/site.css").read_text()
    return dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", css))


@pytest.mark.parametrize("text,background", [
    ("ink", "paper"), ("ink", "tint"), ("muted", "paper"), ("muted", "tint"),
    ("accent", "paper"), ("accent", "tint"), ("accent-dark", "paper"), ("paper", "accent"),
    ("paper", "ink"),
])  # fmt: skip
def test_palette_meets_wcag_aa_contrast(text, background):
    colours = palette()
    assert contrast(colours[text], colours[background]) >= 4.5


@pytest.mark.parametrize("text,background", [
    ("#1c4d31", "#d7efe0"), ("#173f66", "#dfeaf7"), ("#5c3d06", "#fdf1d8"),
    ("#4b2259", "#f1e6f5"), ("#1d3d5c", "#e6edf5"), ("#6b7785", "#ffffff"),
])  # fmt: skip
def test_badges_and_secondary_text_meet_wcag_aa_contrast(text, background):
    assert contrast(text, background) >= 4.5
