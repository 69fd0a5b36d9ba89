"""Static files in production: WhiteNoise's compressed, hashed files."""

import logging

from django.contrib.staticfiles import finders
from django.core.files.storage import FileSystemStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """A file `collectstatic` has not processed (not run after a change, or not at all) is
    linked by its plain name, and logged, instead of failing the whole page with a 500: the
    page still renders, and the one missing asset shows the mistake."""

    def url(self, name, force=False):
        try:
            return super().url(name, force)
        except ValueError:
            # Not a static file at all: say so, as the storage does (WhiteNoise asks about
            # such names at start-up, to tell hashed files from others, and expects this).
            if finders.find(name) is None:
                raise
            logger.error("Static file %r is not in collectstatic's output", name)
            return FileSystemStorage.url(self, name)
