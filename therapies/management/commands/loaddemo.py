"""`manage.py loaddemo`: demo users and real, cited demo content, loaded through the workflow.

Idempotent: users, cancer types and citations are matched by their keys, and an item that
already exists is left as it is, so running it twice changes nothing.
"""

import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from therapies import ctgov, demo_data, importer, kinds, trust, workflow
from therapies.models import (
    CancerType,
    Citation,
    CombinationEntry,
    ConflictOfInterestStatement,
    TherapyArticle,
    TrialNote,
    VersionState,
)

DEMO_PASSWORD = "demo"  # noqa: S105 — documented demo logins, created only by this command
DEMO_USERS = [
    # username, full name, group, superuser
    ("editor", "Erin Editor", "Editors", False),
    ("editor2", "Eli Editor", "Editors", False),
    ("moderator", "Dr. Morgan Moderator", "Moderators", False),
    ("moderator2", "Dr. Mina Moderator", "Moderators", False),
    # Declares an interest in pembrolizumab, to show the conflict-of-interest refusal.
    ("moderator3", "Dr. Max Moderator", "Moderators", False),
    ("admin", "Ada Admin", None, True),
]
VERSION_KEYS = {"title", "summary", "body", "change_summary", "citations"}
DEMO_RECORDS = Path(demo_data.__file__).parent / "demo_records"


class Command(BaseCommand):
    help = "Load demo users (password 'demo') and cited demo content. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has content (used by `make run`).",
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and any(kind.item_model.objects.exists() for kind in kinds.all_kinds()):
            self.stdout.write("Content already present; demo not loaded.")
            return
        # The demo's workflow steps would otherwise mail every moderator about each of them.
        dummy = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
        with override_settings(MAILERS=dummy), transaction.atomic():
            users = self.load_users()
            self.citations = {}
            self.cancer_types = {
                slug: CancerType.objects.get_or_create(slug=slug, defaults={"name": name})[0]
                for slug, name in demo_data.CANCER_TYPES
            }
            created = 0
            for entry in demo_data.THERAPIES:
                created += self.load_published(TherapyArticle, entry["slug"], entry, users)
            for entry in demo_data.COMBINATIONS:
                created += self.load_published(CombinationEntry, entry["slug"], entry, users)
            for entry in demo_data.TRIALS:
                created += self.load_published(TrialNote, entry["nct_id"], entry, users)
            for entry in demo_data.IMPORTED_TRIALS:
                created += self.load_imported(entry, users)
            for entry in demo_data.UNPUBLISHED_ITEMS:
                created += self.load_unpublished(entry, users)
            if created:  # corrections of what was just published, before the pending work
                self.load_corrections(users)
            for entry in demo_data.PENDING_UPDATES:
                self.load_pending(entry, users)
            if created:  # trust-and-provenance demo, only on a first load
                self.load_trust_demo(users)
            self.link_same_papers(users)
        self.stdout.write(self.style.SUCCESS(f"Demo loaded: {created} new items."))

    def load_corrections(self, users) -> None:
        """Published content corrected the way a correction is made: a new version written by
        an editor, approved by a moderator, and marked corrected with a public note."""
        for entry in demo_data.CORRECTIONS:
            kind = kinds.get(entry["kind"])
            item = kind.item_model.objects.get(**{kind.key_field: entry["key"]})
            version = workflow.new_version(item, by=users["editor2"])
            workflow.edit(version, by=users["editor2"],
                          **self.fields_for(kind.item_model, entry["version"]))  # fmt: skip
            workflow.submit(version, by=users["editor2"])
            workflow.approve(version, by=users["moderator"])
            workflow.mark_correction(version, by=users["moderator2"], note=entry["correction"])

    def link_same_papers(self, users) -> None:
        """One paper cited by its PubMed ID and its DOI: one reference for readers."""
        for one, other in demo_data.SAME_PAPER:
            first, second = (Citation.objects.filter(kind=spec["kind"], value=spec["value"])
                             .first() for spec in (one, other))  # fmt: skip
            if first is not None and second is not None and first.same_as_id != second.pk:
                workflow.link_same_paper(first, second, by=users["admin"])

    # -- users ------------------------------------------------------------------------------

    def load_trust_demo(self, users) -> None:
        """An update that flags dependent content, a correction, an overdue re-review and an
        active review link — so every trust screen has something to show."""
        for entry in demo_data.LATER_UPDATES:
            item_model = kinds.get(entry["kind"]).item_model
            item = item_model.objects.get(slug=entry["slug"])
            version = workflow.new_version(item, by=users["editor"])
            workflow.edit(
                version, by=users["editor"], **self.fields_for(item_model, entry["version"])
            )
            workflow.submit(version, by=users["editor"])
            workflow.approve(version, by=users["moderator"])
        # The TIL-versus-ipilimumab note was approved over a year ago (as if loaded then), so
        # its periodic re-review is overdue.
        til_trial = TrialNote.objects.get(nct_id="NCT02278887").published
        long_ago = timezone.now() - datetime.timedelta(days=400)
        # The reviewer's statement kept with the approval is dated as of that review too.
        statement = (
            {**til_trial.reviewer_coi, "declared_on": long_ago.date().isoformat()}
            if til_trial.reviewer_coi
            else til_trial.reviewer_coi
        )
        type(til_trial).objects.filter(pk=til_trial.pk).update(
            created_at=long_ago, updated_at=long_ago, submitted_at=long_ago,
            approved_at=long_ago, published_at=long_ago, reviewer_coi=statement,
        )  # fmt: skip
        ctla4 = TherapyArticle.objects.get(slug="anti-ctla-4-antibodies").published
        workflow.mark_correction(
            ctla4, by=users["moderator2"],
            note="The list of approved anti-CTLA-4 antibodies was incomplete: tremelimumab "
            "(approved with durvalumab for unresectable liver cancer) has been added.",
        )  # fmt: skip
        in_review = TherapyArticle.objects.get(slug="car-t-cell-therapy").in_progress
        trust.create_review_link(
            in_review,
            users["moderator"],
            days=14,
            label="Dr. Rivera, haematologist (outside expert)",
        )

    def load_users(self) -> dict:
        User = get_user_model()
        users = {}
        for username, full_name, group, superuser in DEMO_USERS:
            first, _, last = full_name.rpartition(" ")
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "email": f"{username}@example.org",
                    "first_name": first,
                    "last_name": last,
                    "is_staff": True,
                    "is_superuser": superuser,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            if group:
                user.groups.add(Group.objects.get(name=group))
            if group == "Moderators" or superuser:
                self.load_statement(user)
            users[username] = user
        return users

    def load_statement(self, user) -> None:
        interested = user.username == "moderator3"
        ConflictOfInterestStatement.objects.get_or_create(
            user=user,
            defaults={
                "statement": (
                    "Paid advisory board member for a manufacturer of pembrolizumab (demo)."
                    if interested
                    else "No financial relationships with the makers of the therapies on this "
                    "portal (demo statement)."
                ),
                "agents": ["pembrolizumab"] if interested else [],
                "sponsors": ["Merck Sharp & Dohme LLC"] if interested else [],
            },
        )

    # -- content ----------------------------------------------------------------------------

    def citation_list(self, specs) -> list:
        citations = []
        for spec in specs:
            key = (spec["kind"], spec["value"])
            if key not in self.citations:
                citation, _ = Citation.objects.get_or_create(
                    kind=spec["kind"], value=spec["value"], defaults={"label": spec["label"]}
                )
                citation.full_clean()
                self.citations[key] = citation
            citations.append((self.citations[key], spec.get("supports", "")))
        return citations

    def fields_for(self, item_model, entry: dict) -> dict:
        """Workflow field values for one version of `item_model` from a demo entry."""
        fields = {key: entry[key] for key in VERSION_KEYS if key in entry}
        if "citations" in entry:
            fields["citations"] = self.citation_list(entry["citations"])
        kind = kinds.of(item_model)
        version_model = kind.version_model
        for name in version_model.CONTENT_FIELDS:  # the kind's own fields, as declared
            if name in entry and name not in fields:
                field = version_model._meta.get_field(name)
                fields[name] = "" if entry[name] is None and not field.null else entry[name]
        for link, target in kind.links.items():  # links named by their items' keys
            if link in entry:
                linked = kinds.get(target)
                fields[link] = list(
                    linked.item_model.objects.filter(**{f"{linked.key_field}__in": entry[link]})
                )
        if "cancer_types" in entry:
            fields["cancer_types"] = [self.cancer_types[s] for s in entry["cancer_types"]]
        return fields

    def versions_of(self, entry: dict) -> list[dict]:
        """A demo entry's versions, oldest first; shared keys live on the entry itself."""
        shared = {key: value for key, value in entry.items() if key != "versions"}
        return [{**shared, **version} for version in entry.get("versions", [entry])]

    def load_published(self, item_model, key: str, entry: dict, users) -> int:
        if item_model.objects.filter(**{item_model.KEY_FIELD: key}).exists():
            return 0
        authors = [users["editor"], users["editor2"]]
        for number, spec in enumerate(self.versions_of(entry)):
            author = authors[number % 2]
            fields = self.fields_for(item_model, spec)
            if number == 0:
                version = workflow.create_item(item_model, by=author, key=key, **fields)
            else:
                version = workflow.new_version(version.item, by=author)
                workflow.edit(version, by=author, **fields)
            workflow.submit(version, by=author)
            workflow.approve(
                version, by=users["moderator"] if number % 2 == 0 else users["moderator2"]
            )
        return 1

    def load_imported(self, entry: dict, users) -> int:
        """A trial note as the registry import creates it, written by an editor and approved
        by a moderator — the path every imported note takes."""
        key = entry["record"].removesuffix(".json")
        if TrialNote.objects.filter(nct_id=key).exists():
            return 0
        result = importer.run(ctgov.read([DEMO_RECORDS / entry["record"]]))
        if result.created != 1:
            raise RuntimeError(f"The demo record {entry['record']} did not import: {result}")
        version = TrialNote.objects.get(nct_id=key).in_progress
        workflow.edit(version, by=users["editor"], **self.fields_for(TrialNote, entry))
        workflow.submit(version, by=users["editor"])
        workflow.approve(version, by=users["moderator"])
        return 1

    def load_unpublished(self, entry: dict, users) -> int:
        item_model = kinds.get(entry["kind"]).item_model
        key = entry[item_model.KEY_FIELD]
        if item_model.objects.filter(**{item_model.KEY_FIELD: key}).exists():
            return 0
        spec = self.versions_of(entry)[-1]
        version = workflow.create_item(item_model, by=users["editor2"], key=key,
                                       **self.fields_for(item_model, spec))  # fmt: skip
        self.move_to(version, entry["state"], entry, users)
        return 1

    def load_pending(self, entry: dict, users) -> None:
        item_model = kinds.get(entry["kind"]).item_model
        item = item_model.objects.filter(**{item_model.KEY_FIELD: entry["slug"]}).first()
        if item is None or item.in_progress is not None:
            return
        author = users["editor"]
        version = workflow.new_version(item, by=author)
        workflow.edit(version, by=author, **self.fields_for(item_model, entry["version"]))
        self.move_to(version, entry["state"], entry, users)

    def move_to(self, version, state: str, entry: dict, users) -> None:
        author = version.author
        if state == VersionState.DRAFT:
            return
        workflow.submit(version, by=author)
        if state == VersionState.CHANGES_REQUESTED:
            workflow.request_changes(
                version, by=users["moderator"], comment=entry["review_comment"]
            )
        elif state == VersionState.APPROVED:
            publish_at = timezone.now() + datetime.timedelta(days=entry.get("publish_in_days", 7))
            workflow.approve(version, by=users["moderator2"], publish_at=publish_at,
                             comment=entry.get("review_comment", ""))  # fmt: skip
