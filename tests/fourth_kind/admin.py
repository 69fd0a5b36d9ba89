from django.contrib import admin

from tests.fourth_kind.models import GuidelineNote
from therapies.admin import VersionedItemAdmin, item_form


@admin.register(GuidelineNote)
class GuidelineNoteAdmin(VersionedItemAdmin):
    version_fields = ("title", "issuer", "summary", "body", "agents", "therapies",
                      "change_summary")  # fmt: skip
    form = item_form(GuidelineNote, version_fields)
