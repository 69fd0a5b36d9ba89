"""`manage.py review_reminders`: email the moderators a digest of published pages whose
periodic re-review is overdue or due within 30 days. Run it daily or weekly from cron."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from therapies import kinds, notifications, trust, workflow


class Command(BaseCommand):
    help = "Email moderators the pages that are overdue or due for re-review."

    def handle(self, *args, **options):
        due = trust.versions_due_for_review()
        if not due:
            self.stdout.write("Nothing is due for review; no email sent.")
            return
        recipients = set()
        for kind in kinds.all_kinds():
            recipients |= set(
                workflow.moderators_for(kind.version_model)
                .exclude(email="")
                .values_list("email", flat=True)
            )
        for version in due:
            version.kind_label = version.item._meta.verbose_name
        # Blind copies: moderators do not learn each other's addresses from the digest.
        notifications.send(
            "review_due", recipients, bcc=True, due=due,
            overdue=sum(version.review_overdue for version in due),
            list_url=f"{settings.SITE_URL}{reverse('review_due')}",
        )  # fmt: skip
        self.stdout.write(
            self.style.SUCCESS(
                f"Digest of {len(due)} page(s) sent to {len(recipients)} moderators."
            )
        )
