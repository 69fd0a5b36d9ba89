"""Numeric claims without a source: the sentences of a body that state a number — a
percentage, a hazard or odds ratio, a P value, a duration in weeks, months or years, a count
of patients — in a paragraph that marks no source (`[@pmid:…]`).

The review screen lists them before a moderator approves (advice in the evidence checklist),
and the demo's self-check requires none. Read from the Markdown source block by block
(paragraphs, list items, table rows, quotes), the way a reader meets the text: a marker
anywhere in the paragraph covers its sentences. Code blocks and headings state no claims.
"""

from __future__ import annotations

import re

from therapies.markdown import MARKER_RE, markdown_blocks

# A number starts where no other digit is (the possessive run never backtracks): a long run
# of digits and commas is read once, not once per starting point.
_NUMBER = r"(?<![\d,.])\d[\d,]*+(?:\.\d+)?"
NUMERIC_CLAIM = re.compile(
    "|".join([
        rf"{_NUMBER}\s?%",  # a percentage, a confidence interval
        rf"\b{_NUMBER}\s*(?:per\s?cent|percent)\b",
        rf"\b(?:HR|OR|RR|hazard ratio|odds ratio|risk ratio|relative risk)\b[^.;]{{0,40}}?"
        rf"{_NUMBER}",
        r"\b[Pp]\s*[=<>≤]\s*0?\.\d+",  # a P value
        # A duration ("16.4 months", "3 to 6 weeks"); not an adjective ("5-year data").
        rf"\b{_NUMBER}(?:\s*(?:-|–|to)\s*{_NUMBER})?\s+"
        r"(?:months?|mo|weeks?|wk|years?|yr|days?)\b",
        rf"\b{_NUMBER}\s+(?:\w+[ -]){{0,3}}?(?:patients|participants|people|subjects|"
        r"children|adults|men|women|persons|cases)\b",  # a count of people
        rf"\b[Nn]\s*=\s*{_NUMBER}",
    ])
)  # fmt: skip
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“(\[A-Z0-9])")
_MARKUP = re.compile(r"[*_`#>|]+|^\s*(?:[-+*]|\d+[.)])\s+", re.M)
# A link's text runs to the next bracket (no run of "[" rescans the rest of the text).
_LINK = re.compile(r"\[([^\]\[]{0,1000})\]\([^)\s]{0,2000}\)")


def _is_prose(block: str) -> bool:
    stripped = block.lstrip()
    return not stripped.startswith(("#", "```", "~~~", "<")) and not block.startswith("    ")


def _plain(text: str) -> str:
    text = _LINK.sub(r"\1", text)
    return re.sub(r"\s+", " ", _MARKUP.sub("", text)).strip()


def _rows(block: str) -> list[str]:
    """A table's rows each stand alone (a marker in one row covers that row); any other
    block is one paragraph."""
    lines = block.splitlines()
    if len(lines) > 1 and all(line.lstrip().startswith("|") for line in lines):
        return [line for line in lines if not re.fullmatch(r"[\s|:-]+", line)]
    return [block]


def uncited_numeric_sentences(markdown: str) -> list[str]:
    """The sentences stating a number in paragraphs that mark no source, in plain text, in
    order."""
    found = []
    for block in markdown_blocks(markdown or ""):
        if not _is_prose(block):
            continue
        for paragraph in _rows(block):
            if MARKER_RE.search(paragraph):
                continue
            for sentence in _SENTENCE_END.split(_plain(paragraph)):
                if NUMERIC_CLAIM.search(sentence):
                    found.append(sentence)
    return found
