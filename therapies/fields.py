"""Model fields edited one entry per line: a list of strings, and the regulatory status of
a therapy's key agents."""

import datetime
import json
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from therapies.validators import (
    validate_doi,
    validate_http_url,
    validate_partial_date,
    validate_pmid,
)


class LinesFormField(forms.CharField):
    """A textarea where each non-blank line is one list entry."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, *, encoder=None, decoder=None, **kwargs):
        # JSONField.formfield() passes its encoder/decoder; a list of lines needs neither.
        kwargs.setdefault("help_text", "One entry per line.")
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(entry) for entry in value)
        return value

    def to_python(self, value):
        if isinstance(value, list | tuple):
            return [str(entry).strip() for entry in value if str(entry).strip()]
        text = super().to_python(value)
        return [line.strip() for line in text.splitlines() if line.strip()]

    def has_changed(self, initial, data):
        return self.to_python(initial or []) != self.to_python(data or "")


class StringListField(models.JSONField):
    """A JSON list of strings; `validators` given here run on each entry."""

    def __init__(self, *args, item_validators=(), **kwargs):
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        self.item_validators = list(item_validators)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.item_validators:
            kwargs["item_validators"] = self.item_validators
        return name, path, args, kwargs

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if not isinstance(value, list) or not all(isinstance(entry, str) for entry in value):
            raise ValidationError("Expected a list of text entries.", code="invalid_list")
        errors = []
        for entry in value:
            for validator in self.item_validators:
                try:
                    validator(entry)
                except ValidationError as error:
                    errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": LinesFormField, **kwargs})


@StringListField.register_lookup
class HasEntry(models.Lookup):
    """`conditions__has_entry="Melanoma"`: the list holds exactly this entry.

    PostgreSQL answers it with JSON containment (`@>`), which a GIN index serves; SQLite,
    where Django's `contains` is not supported for JSON, with `json_each`.
    """

    lookup_name = "has_entry"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return ("%s", [value])

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} @> %s::jsonb", [*lhs_params, json.dumps([self.rhs])]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"EXISTS (SELECT 1 FROM json_each({lhs}) WHERE value = %s)", [*lhs_params, self.rhs]


# --- regulatory status, one agent per line -----------------------------------------------------

REGULATORY_STATUSES = {
    "approved": "Approved",
    "accelerated": "Accelerated approval (confirmatory trial pending)",
    "withdrawn": "Approval withdrawn",
    "investigational": "Investigational (not approved)",
}
# What the date of an entry means, by its status.
REGULATORY_DATE_MEANS = {
    "approved": "approved on", "accelerated": "approved on", "withdrawn": "withdrawn on",
    "investigational": "status checked on",
}  # fmt: skip
_SOURCE = re.compile(r"(?:(pmid|doi):\s*(\S+)|(https?://\S+))", re.I)
AGENT_MAX_LENGTH = 100
INDICATION_MAX_LENGTH = 300


def parse_source(text: str) -> tuple[str, str] | None:
    """(kind, identifier) of a status's source: "pmid:…", "doi:…" or an https address."""
    match = _SOURCE.fullmatch((text or "").strip())
    if match is None:
        return None
    if match.group(3):
        return "url", match.group(3)
    return match.group(1).lower(), match.group(2)


def source_url(source: str) -> str:
    """The address a reader follows for a status's source."""
    parsed = parse_source(source)
    if parsed is None:
        return ""
    kind, value = parsed
    return {"pmid": f"https://pubmed.ncbi.nlm.nih.gov/{value}/",
            "doi": f"https://doi.org/{value}"}.get(kind, value)  # fmt: skip


def status_problems(entry, today: datetime.date) -> list[str]:
    """What is wrong with one status entry ({agent, status, date, source, indication})."""
    if not isinstance(entry, dict):
        return ["expected agent | status | date | source"]
    problems = []
    agent = entry.get("agent")
    if not isinstance(agent, str) or not agent.strip() or len(agent) > AGENT_MAX_LENGTH:
        problems.append(f"name the agent (at most {AGENT_MAX_LENGTH} characters)")
    if entry.get("status") not in REGULATORY_STATUSES:
        problems.append("the status is one of " + ", ".join(REGULATORY_STATUSES))
    # A regulator's announcement may give the month or the year only: as precise as the
    # source, never more.
    text = entry.get("date") or ""
    try:
        validate_partial_date(text if isinstance(text, str) else "")
    except ValidationError:
        problems.append("the date is YYYY-MM-DD (or YYYY-MM, or YYYY, as the source gives it)")
    else:
        if text > today.isoformat()[: len(text)]:
            problems.append("the date cannot be in the future")
    parsed = parse_source(entry.get("source") or "")
    if parsed is None:
        problems.append("the source is pmid:…, doi:… or a web address (an FDA label "
                        "or announcement)")  # fmt: skip
    else:
        kind, value = parsed
        try:
            {"pmid": validate_pmid, "doi": validate_doi, "url": validate_http_url}[kind](value)
        except ValidationError:
            problems.append(
                f"{value} is not a valid {kind.upper() if kind != 'url' else 'address'}"
            )
    indication = entry.get("indication", "")
    if not isinstance(indication, str) or len(indication) > INDICATION_MAX_LENGTH:
        problems.append(f"the indication is at most {INDICATION_MAX_LENGTH} characters")
    for value in entry.values():
        if isinstance(value, str) and ("\n" in value or "\r" in value or "|" in value):
            problems.append("each part is one line, without “|”")
            break
    return problems


class RegulatoryStatusFormField(forms.CharField):
    """One agent per line: `agent | status | YYYY-MM-DD | source | indication (optional)`."""

    widget = forms.Textarea(attrs={
        "rows": 4, "class": "vLargeTextField",
        "placeholder": "agent | approved | YYYY-MM-DD | https://www.fda.gov/… | indication",
    })  # fmt: skip

    def __init__(self, *, encoder=None, decoder=None, **kwargs):
        kwargs.setdefault(
            "help_text",
            "One key agent per line: agent | status | date (YYYY-MM-DD, or YYYY-MM or YYYY as "
            "the source gives it) | source (FDA label "
            "or announcement: https address, pmid:… or doi:…) | indication (optional). "
            "Status: " + "; ".join(f"{code} ({label})" for code, label
                                   in REGULATORY_STATUSES.items()) + ".",
        )  # fmt: skip
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(
                " | ".join(part for part in (entry.get("agent", ""), entry.get("status", ""),
                                             entry.get("date", ""), entry.get("source", ""),
                                             entry.get("indication", "")))
                .rstrip(" |")
                for entry in value if isinstance(entry, dict)
            )  # fmt: skip
        return value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        text = super().to_python(value)
        entries = []
        for line in text.splitlines():
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            if len(parts) < 4 or len(parts) > 5:
                raise ValidationError(f"“{line.strip()}”: write agent | status | date | source "
                                      "| indication (optional).")  # fmt: skip
            entry = dict(zip(("agent", "status", "date", "source"), parts[:4], strict=True))
            entry["status"] = entry["status"].lower()
            entry["indication"] = parts[4] if len(parts) == 5 else ""
            entries.append(entry)
        return entries

    def has_changed(self, initial, data):
        try:
            return self.to_python(initial or []) != self.to_python(data or "")
        except ValidationError:
            return True


class RegulatoryStatusField(models.JSONField):
    """Each key agent's regulatory status, with its date and source: a list of
    {agent, status, date, source, indication}."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if not isinstance(value, list):
            raise ValidationError("Expected a list of statuses.", code="invalid_list")
        today = timezone.localdate()
        errors = []
        for number, entry in enumerate(value, start=1):
            problems = status_problems(entry, today)
            if problems:
                agent = entry.get("agent") if isinstance(entry, dict) else None
                errors.append(f"Line {number}{f' ({agent})' if agent else ''}: "
                              + "; ".join(problems) + ".")  # fmt: skip
        if errors:
            raise ValidationError(errors, code="invalid_status")

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": RegulatoryStatusFormField, **kwargs})

    def prepare_value_lines(self, value) -> str:
        """The entries as the form writes them, one per line (for comparisons)."""
        return RegulatoryStatusFormField().prepare_value(value or [])
