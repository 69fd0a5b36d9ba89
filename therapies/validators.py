"""Validators for the identifiers the portal cites (NCT IDs, PubMed IDs, DOIs, partial dates)
and for single-line text."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

# Matched with fullmatch and ASCII digits only: no trailing newline, no other scripts' digits.
NCT_ID_RE = re.compile(r"NCT[0-9]{8}")
PMID_RE = re.compile(r"[1-9][0-9]{0,8}")
# Crossref's recommended pattern for modern DOIs: "10." + registrant code + "/" + suffix.
DOI_RE = re.compile(r"10\.[0-9]{4,9}/[-._;()/:A-Za-z0-9<>\[\]]+")
PARTIAL_DATE_RE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


def validate_nct_id(value: str) -> None:
    """Accept ClinicalTrials.gov identifiers: `NCT` followed by exactly eight digits."""
    if not isinstance(value, str) or not NCT_ID_RE.fullmatch(value):
        raise ValidationError(
            "%(value)s is not a ClinicalTrials.gov identifier: expected NCT and 8 digits, "
            "e.g. NCT01844505.",
            code="invalid_nct_id",
            params={"value": value},
        )


def validate_pmid(value: str) -> None:
    """Accept PubMed IDs: a positive whole number of at most 9 digits, no leading zero."""
    if not isinstance(value, str) or not PMID_RE.fullmatch(value):
        raise ValidationError(
            "%(value)s is not a PubMed ID: expected a number such as 26027431.",
            code="invalid_pmid",
            params={"value": value},
        )


def validate_doi(value: str) -> None:
    """Accept bare DOIs (10.<registrant>/<suffix>), e.g. 10.1056/NEJMoa1504030."""
    if not isinstance(value, str) or not DOI_RE.fullmatch(value):
        raise ValidationError(
            "%(value)s is not a DOI: expected the bare form 10.<registrant>/<suffix>, "
            "e.g. 10.1056/NEJMoa1504030.",
            code="invalid_doi",
            params={"value": value},
        )


def validate_http_url(value: str) -> None:
    """Accept absolute http and https URLs only."""
    URLValidator(schemes=["http", "https"])(value)


def validate_partial_date(value: str) -> None:
    """Accept ClinicalTrials.gov-style dates: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, each real."""
    match = PARTIAL_DATE_RE.fullmatch(value or "")
    if not match:
        raise ValidationError(
            "%(value)s is not a date: use YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2019-03).",
            code="invalid_partial_date",
            params={"value": value},
        )
    year, month, day = match.groups()
    try:
        datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise ValidationError(
            "%(value)s is not a real calendar date.",
            code="invalid_partial_date",
            params={"value": value},
        ) from None


def normalize_doi(value: str) -> str:
    """Strip the resolver prefixes people paste (https://doi.org/, doi:) from a DOI."""
    value = value.strip()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:"):
        if value.lower().startswith(prefix):
            return value[len(prefix) :]
    return value


# Line breaks (including Unicode's), tabs and other control characters.
_NOT_ONE_LINE = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")


def validate_single_line(value: str) -> None:
    """Titles, labels, names and change summaries are one line: they end up in mail
    subjects, feed titles and log lines, where a line break could start a new header."""
    if value and _NOT_ONE_LINE.search(value):
        raise ValidationError(
            "Write this on one line: line breaks, tabs and control characters are not "
            "allowed here.",
            code="not_one_line",
        )


def validate_not_future_date(value: datetime.date) -> None:
    """A day that has come (in the current time zone)."""
    from django.utils import timezone

    if value and value > timezone.localdate():
        raise ValidationError("The date cannot be in the future.", code="future_date")
