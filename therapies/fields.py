"""A list-of-strings model field, edited in forms as one entry per line."""

import json

from django import forms
from django.core.exceptions import ValidationError
from django.db import models


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
