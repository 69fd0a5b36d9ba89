"""Server-side Markdown rendering with an allowlist sanitizer.

Every piece of editor-written Markdown reaches a page, the admin preview (markdownx), the API
or a feed only through `render_markdown`, so what an editor types can never run script.

The parser is markdown-it-py (CommonMark): its work grows linearly with the input, and it
bounds nesting (`maxNesting`). Python-Markdown, used before, rescans the rest of a paragraph
for every unclosed `[`, so 10,000 of them held a core for half a minute, and deeply nested
lists overflowed its recursion limit.
"""

import re
from collections import Counter
from html import escape, unescape
from urllib.parse import quote, unquote

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    # headings, paragraphs and breaks
    "h2", "h3", "h4", "h5", "h6", "p", "br", "hr",
    # lists
    "ul", "ol", "li",
    # tables
    "table", "thead", "tbody", "tr", "th", "td",
    # links, emphasis, code, quotes
    "a", "em", "strong", "del", "sup", "sub", "code", "pre", "blockquote",
    # figures uploaded through the editor (src restricted below)
    "img",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "sup": {"class"},  # only class="cite": a citation marker (see _filter_attribute)
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "th": {"scope"},
    "img": {"src", "alt", "title"},
}  # fmt: skip
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# Links must name one of those schemes; "#sec-…" jumps to a heading of the same page.
ALLOWED_LINK_PREFIXES = ("http://", "https://", "mailto:", "#")

# Heading anchors carry this prefix, so an id written by an editor can never collide with
# (or clobber) an id the page's own template uses.
HEADING_ID_PREFIX = "sec-"
_HEADING_ID = re.compile(rf"^{HEADING_ID_PREFIX}[a-z0-9-]+(_[0-9]+)?$")


# The most Markdown accepted in one body (forms, workflow, preview): 200 KB of UTF-8, several
# times the longest review article, and a bound on the work one request can ask for.
MAX_MARKDOWN_BYTES = 200 * 1024


def validate_markdown_size(value: str) -> None:
    if value and len(value.encode("utf-8", "surrogatepass")) > MAX_MARKDOWN_BYTES:
        raise ValidationError(
            "The text is too long: at most %(limit)s of Markdown.",
            code="markdown_too_long", params={"limit": filesizeformat(MAX_MARKDOWN_BYTES)},
        )  # fmt: skip


def _heading_ids(state) -> None:
    """Give every heading an id, "sec-" and its slug, "_1", "_2"… for repeats (as
    Python-Markdown's toc did, so links to sections keep working). Written here rather than
    taken from mdit-py-plugins' anchors, whose de-duplication is quadratic in repeats."""
    seen = Counter()
    for index, token in enumerate(state.tokens):
        if token.type != "heading_open":
            continue
        inline = state.tokens[index + 1]
        text = "".join(child.content for child in inline.children or ()
                       if child.type in ("text", "code_inline"))  # fmt: skip
        slug = HEADING_ID_PREFIX + (slugify(text) or "section")
        repeat = seen[slug]
        seen[slug] += 1
        token.attrSet("id", f"{slug}_{repeat}" if repeat else slug)


# --- citation markers ---------------------------------------------------------------------------
#
# `[@pmid:26027431]`, `[@doi:10.1056/NEJMoa1504030]`, `[@nct:NCT01844505]` or several at once,
# `[@pmid:26027431; @nct:NCT01844505]`, mark the source of a statement. They render as
# `<sup class="cite"><a href="#cite:pmid:26027431">pmid:26027431</a></sup>`; the page, the
# preview and the API number them against the version's references (therapies.citations:
# `number_markers`), since the numbers depend on the version's citations, which a body's
# rendering does not know. Written as a markdown-it inline rule so that a marker inside code
# stays code.
CITATION_KINDS = ("pmid", "doi", "nct", "url")
# An identifier runs to the next space, ";", "]", "[" or "@", and is at most 500 characters:
# no run of "[@" can make the match rescan the rest of the line.
_ONE_MARKER = r"@(?:pmid|doi|nct|url):[^\s;\]\[@]{1,500}"
MARKER_RE = re.compile(rf"\[({_ONE_MARKER}(?:\s*;\s*{_ONE_MARKER})*)\]", re.I)
MARKER_HREF_PREFIX = "#cite:"


def _marker_parts(text: str) -> list[tuple[str, str]]:
    """(kind, identifier) of each source one marker names, in its order."""
    parts = []
    for part in re.split(r"\s*;\s*", text):
        kind, _, value = part.lstrip("@").partition(":")
        if (kind.lower(), value) not in parts:
            parts.append((kind.lower(), value))
    return parts


_MARKER_LINK = re.compile(r'<a href="#cite:([^"]*)"')


def cited_in(html: str) -> list[tuple[str, str]]:
    """(kind, identifier) of every source the rendered `html` marks, in order of first
    appearance, each once. Read from the sanitized HTML, so markers inside code do not
    count, and whatever renders as a marker does."""
    found = []
    for match in _MARKER_LINK.finditer(html or ""):
        kind, _, value = unquote(unescape(match.group(1))).partition(":")
        if kind in CITATION_KINDS and value and (kind, value) not in found:
            found.append((kind, value))
    return found


def _citation_marker(state, silent: bool) -> bool:
    if not state.src.startswith("[@", state.pos):
        return False
    match = MARKER_RE.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        token = state.push("citation_marker", "sup", 0)
        token.meta = {"ids": _marker_parts(match.group(1))}
    state.pos = match.end()
    return True


def _render_marker(renderer, tokens, index, options, env) -> str:
    links = []
    for kind, value in tokens[index].meta["ids"]:
        target = quote(f"{kind}:{value}", safe=":/;()._-")
        links.append(f'<a href="{MARKER_HREF_PREFIX}{escape(target)}">{escape(kind)}:'
                     f"{escape(value)}</a>")  # fmt: skip
    return f'<sup class="cite">{", ".join(links)}</sup>'


# CommonMark with tables and strikethrough; raw HTML is parsed and then sanitized by nh3.
_PARSER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
_PARSER.core.ruler.push("heading_ids", _heading_ids)
_PARSER.inline.ruler.before("link", "citation_marker", _citation_marker)
_PARSER.add_render_rule("citation_marker", _render_marker)
# Raw HTML nested deeper than this is shown as text: the sanitizer's tree building grows
# quadratically with nesting (200 KB of "<ul>" took 11 s), and no article needs it. What
# Markdown itself nests is bounded by the parser (maxNesting).
MAX_HTML_DEPTH = 100
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>")
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed",
                   "source", "track", "wbr", "param"})  # fmt: skip
_TEXT_PARSER = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
_TEXT_PARSER.core.ruler.push("heading_ids", _heading_ids)
_TEXT_PARSER.validateLink = lambda url: True


def _too_deep(html: str) -> bool:
    """Whether tags in `html` nest deeper than MAX_HTML_DEPTH (one linear pass)."""
    depth = 0
    for match in _TAG.finditer(html):
        closing, name, self_closing = match.groups()
        if closing:
            depth = max(0, depth - 1)
        elif not self_closing and name.lower() not in _VOID:
            depth += 1
            if depth > MAX_HTML_DEPTH:
                return True
    return False


# Every link becomes a link and nh3 alone decides which addresses survive (a refused one
# leaves `<a>` without href), rather than markdown-it leaving `[x](javascript:…)` as text.
_PARSER.validateLink = lambda url: True


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "class":
        return value if (tag, value) == ("sup", "cite") else None
    if attribute == "id" and not _HEADING_ID.fullmatch(value):
        return None
    if attribute == "href" and not value.lower().startswith(ALLOWED_LINK_PREFIXES):
        return None  # relative and protocol-relative (//host) links too: absolute only
    if attribute == "src" and not _is_uploaded_image(value):
        return None
    return value


def _is_uploaded_image(src: str) -> bool:
    # Only images uploaded through the editor (MEDIA_URL + markdownx's folder); anything
    # else would load from another site, which the Content-Security-Policy also forbids.
    prefix = settings.MEDIA_URL + settings.MARKDOWNX_MEDIA_PATH
    return src.startswith(prefix) and ".." not in src and "//" not in src[1:]


def _demote_h1(html: str) -> str:
    # The page title is the only <h1>; a Markdown "# Heading" becomes an <h2>.
    return re.sub(r"<(/?)h1([ >])", r"<\1h2\2", html)


def render_markdown(text: str) -> str:
    """Return sanitized HTML for Markdown `text`.

    Guarantees: only ALLOWED_TAGS and ALLOWED_ATTRIBUTES survive; links keep http, https,
    mailto or relative URLs only (no `javascript:`), and get rel="noopener noreferrer";
    no script, style, iframe or event-handler attribute, whatever the input.
    """
    html = _PARSER.render(text or "").strip()
    if _too_deep(html):
        html = _TEXT_PARSER.render(text or "").strip()  # its raw HTML shown as text
    return nh3.clean(
        _demote_h1(html),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BLOCK_TAG = re.compile(r"</?(?:p|h[1-6]|li|td|th|tr|blockquote|pre|br|hr|ul|ol|table)\b")


def html_to_text(html: str) -> str:
    """Plain text of rendered HTML (for search and snippets): tags dropped, entities decoded,
    whitespace collapsed."""
    spaced = _BLOCK_TAG.sub(r" \g<0>", html or "")
    text = nh3.clean(spaced, tags=set(), attributes={})
    text = _CONTROL_CHARACTERS.sub("", unescape(text))
    return re.sub(r"\s+", " ", text).strip()


def markdown_blocks(text: str) -> list[str]:
    """The Markdown source of `text` cut into its blocks as a reader sees them — paragraphs,
    headings, tables, quotes, code and each item of a top-level list — in order, for the
    review screen's paragraph-level diff. Lines between blocks (blank lines) are dropped."""
    # Lines as markdown-it counts them (its token maps): only \n, \r\n and \r end a line,
    # not the Unicode separators str.splitlines() also breaks on.
    lines = re.split(r"\r\n?|\n", text or "")
    blocks, in_list = [], 0
    for token in _PARSER.parse(text or ""):
        if token.type in ("bullet_list_open", "ordered_list_open") and token.level == 0:
            in_list += 1
            continue
        if token.type in ("bullet_list_close", "ordered_list_close") and token.level == 0:
            in_list -= 1
            continue
        top = token.level == (1 if in_list else 0)
        if top and token.nesting in (0, 1) and token.map is not None:
            start, end = token.map
            blocks.append("\n".join(lines[start:end]).strip("\n"))
    return [block for block in blocks if block.strip()]
