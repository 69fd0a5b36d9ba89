"""Who may do what: Django permissions on a model, never group names. The one helper the
workflow, the trust rules and the admin ask."""

from __future__ import annotations

from django.db import models


def permission(model: type[models.Model] | models.Model, action: str) -> str:
    """The full permission name of `action` on `model`, e.g.
    `therapies.approve_therapyarticleversion`."""
    meta = model._meta
    return f"{meta.app_label}.{action}_{meta.model_name}"


def can(user, action: str, model: type[models.Model] | models.Model) -> bool:
    """Whether `user` (signed in and active) has the permission to `action` `model`s."""
    return bool(
        user is not None and user.is_authenticated and user.has_perm(permission(model, action))
    )
