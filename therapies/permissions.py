"""Who may do what: Django permissions on a model, never group names. The one helper the
workflow, the trust rules and the admin ask."""

from __future__ import annotations

from django.db import models

# The ClinicalTrials.gov import's own account (therapies.importer): it writes drafts of
# trial notes and nothing else. Whatever permissions it is given, it can never decide about
# content — approve, schedule, send back, publish, unpublish, correct, discard or dismiss —
# so nothing it writes reaches readers without a moderator.
IMPORT_USERNAME = "ctgov-import"
IMPORT_DISPLAY_NAME = "ClinicalTrials.gov import"
IMPORT_ACTIONS = frozenset({"add", "change", "view"})


def permission(model: type[models.Model] | models.Model, action: str) -> str:
    """The full permission name of `action` on `model`, e.g.
    `therapies.approve_therapyarticleversion`."""
    meta = model._meta
    return f"{meta.app_label}.{action}_{meta.model_name}"


def is_import_user(user) -> bool:
    """The import's account: its username, and no password (it never signs in), so that a
    person's account given that name by mistake is not taken for it."""
    return (
        user is not None
        and getattr(user, "username", None) == IMPORT_USERNAME
        and not user.has_usable_password()
    )


def can(user, action: str, model: type[models.Model] | models.Model) -> bool:
    """Whether `user` (signed in and active) has the permission to `action` `model`s."""
    if is_import_user(user) and action not in IMPORT_ACTIONS:
        return False
    return bool(
        user is not None and user.is_authenticated and user.has_perm(permission(model, action))
    )
