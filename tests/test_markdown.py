"""The Markdown renderer: useful formatting survives, anything that could run script does not."""

import pytest

from therapies.markdown import render_markdown


@pytest.mark.parametrize(
    "markdown,expected",
    [
        ("## Mechanism", '<h2 id="sec-mechanism">Mechanism</h2>'),
        ("- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
        ("1. one\n2. two", "<ol>\n<li>one</li>\n<li>two</li>\n</ol>"),
        ("*em* **strong** `code`", "<p><em>em</em> <strong>strong</strong> <code>code</code></p>"),
        ("> quoted", "<blockquote>\n<p>quoted</p>\n</blockquote>"),
        ("[PubMed](https://pubmed.ncbi.nlm.nih.gov/26027431/)",
         '<p><a href="https://pubmed.ncbi.nlm.nih.gov/26027431/" rel="noopener noreferrer">'
         "PubMed</a></p>"),
        ("[mail](mailto:editors@example.org)",
         '<p><a href="mailto:editors@example.org" rel="noopener noreferrer">mail</a></p>'),
    ],
)  # fmt: skip
def test_allowed_markdown_is_kept(markdown, expected):
    assert render_markdown(markdown) == expected


def test_tables_are_kept():
    html = render_markdown("| Arm | n |\n|---|---|\n| Nivolumab | 316 |")
    assert "<table>" in html and "<th>Arm</th>" in html and "<td>316</td>" in html


FORBIDDEN = ["<script", "onerror", "onclick", "onmouseover", "onload", "javascript:", "data:",
             "<iframe", "<style", "<svg", "<object", "<form", "style="]  # fmt: skip


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
        '<img src=x onerror="alert(1)">',
        '<a href="https://example.org" onclick="alert(1)">x</a>',
        '<p onmouseover="alert(1)">x</p>',
        "[x](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<a href="&#106;avascript:alert(1)">x</a>',
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        '<iframe src="https://evil.example"></iframe>',
        "<style>body{display:none}</style>",
        '<svg onload="alert(1)"></svg>',
        '<object data="x.swf"></object>',
        '<form action="https://evil.example"><input name=x></form>',
        '<div style="background:url(javascript:alert(1))">x</div>',
    ],
)
def test_script_event_handlers_and_javascript_links_are_stripped(attack):
    html = render_markdown(f"Before {attack} after").lower()
    assert not [marker for marker in FORBIDDEN if marker in html]
    assert "before" in html and "after" in html


def test_h1_is_demoted_because_the_page_title_is_the_only_h1():
    assert render_markdown("# Title") == '<h2 id="sec-title">Title</h2>'


def test_editor_ids_cannot_clobber_page_ids():
    assert 'id="main"' not in render_markdown('<h2 id="main">x</h2>')


def test_empty_input():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""


@pytest.mark.parametrize("href", ["//evil.example/x", "/admin/", "relative/page", "ftp://x.org",
                                  "vbscript:msgbox(1)"])  # fmt: skip
def test_links_must_be_absolute_http_https_or_mailto(href):
    assert "href" not in render_markdown(f"[x]({href})")


def test_in_page_anchor_links_are_kept():
    assert 'href="#sec-results"' in render_markdown("[see results](#sec-results)")


def test_only_uploaded_images_are_kept(settings):
    kept = render_markdown(f"![fig]({settings.MEDIA_URL}markdownx/figure.png)")
    assert f'src="{settings.MEDIA_URL}markdownx/figure.png"' in kept
    for src in ["https://tracker.example/pixel.gif", "javascript:alert(1)",
                f"{settings.MEDIA_URL}markdownx/../../etc/passwd"]:  # fmt: skip
        assert "src=" not in render_markdown(f"![x]({src})")
