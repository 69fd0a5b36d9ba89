"""`manage.py publish_scheduled`: publish approved versions whose time has come and unpublish
items whose unpublish time has passed. Idempotent; safe to run every minute from cron or a
worker, even two at once (each move is a conditional UPDATE in workflow.publish_due)."""

from django.core.management.base import BaseCommand

from therapies import workflow


class Command(BaseCommand):
    help = "Publish scheduled versions that are due and unpublish expired ones."

    def handle(self, *args, **options):
        published = workflow.publish_due()
        for version in published:
            self.stdout.write(f"Published {version.item} (version {version.number}).")
        self.stdout.write(self.style.SUCCESS(f"{len(published)} scheduled version(s) published."))
