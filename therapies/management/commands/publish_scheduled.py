"""`manage.py publish_scheduled`: publish approved versions whose time has come, unpublish
items whose unpublish time has passed, and try again the notifications that could not be
sent. Idempotent; safe to run every minute from cron or a worker, even two at once (each move
is a conditional UPDATE in workflow.publish_due). A move that fails is reported and retried
by the next run; it never stops the others."""

from django.core.management.base import BaseCommand

from therapies import notifications, workflow


class Command(BaseCommand):
    help = "Publish scheduled versions that are due and unpublish expired ones."

    def handle(self, *args, **options):
        published = workflow.publish_due()
        for version in published:
            self.stdout.write(f"Published {version.item} (version {version.number}).")
        self.stdout.write(self.style.SUCCESS(f"{len(published)} scheduled version(s) published."))
        sent, failing = notifications.retry_due()
        if sent or failing:
            self.stdout.write(f"Notifications retried: {sent} sent, {failing} still failing.")
