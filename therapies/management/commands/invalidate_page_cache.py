"""`manage.py invalidate_page_cache`: make every cached public page, fragment and summary
stale at once — run it after each deploy, so no page rendered by the old templates or code
is served (publications invalidate on their own; nothing else needs it)."""

from django.core.management.base import BaseCommand

from therapies import pagecache


class Command(BaseCommand):
    help = "Make every cached public page stale (run after a deploy)."

    def handle(self, *args, **options):
        pagecache.invalidate_all()
        self.stdout.write(self.style.SUCCESS("Every cached page is stale now."))
