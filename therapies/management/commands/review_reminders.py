"""`manage.py review_reminders`: email the moderators a digest of published pages whose
periodic re-review is overdue or due within 30 days. Run it daily or weekly from cron."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.management.base import BaseCommand
from django.urls import reverse

from therapies import trust, workflow
from therapies.models import VERSION_KINDS


class Command(BaseCommand):
    help = "Email moderators the pages that are overdue or due for re-review."

    def handle(self, *args, **options):
        due = trust.versions_due_for_review()
        if not due:
            self.stdout.write("Nothing is due for review; no email sent.")
            return
        recipients = set()
        for version_model in VERSION_KINDS:
            recipients |= set(
                workflow.moderators_for(version_model)
                .exclude(email="")
                .values_list("email", flat=True)
            )
        lines = []
        for version in due:
            state = "OVERDUE since" if version.review_overdue else "due"
            lines.append(
                f"- {version.title} ({version.item._meta.verbose_name}): {state} "
                f"{version.review_due:%Y-%m-%d}; last reviewed {version.approved_at:%Y-%m-%d}"
            )
        overdue = sum(version.review_overdue for version in due)
        body = (
            f"{len(due)} published page(s) need their periodic re-review ({overdue} overdue):"
            "\n\n"
            + "\n".join(lines)
            + f"\n\nThe full list: {settings.SITE_URL}{reverse('review_due')}\n"
        )
        # Blind copies: moderators do not learn each other's addresses from the digest.
        EmailMessage(
            f"[Re-review] {len(due)} page(s) due, {overdue} overdue", body,
            bcc=sorted(recipients),
        ).send()  # fmt: skip
        self.stdout.write(
            self.style.SUCCESS(
                f"Digest of {len(due)} page(s) sent to {len(recipients)} moderators."
            )
        )
