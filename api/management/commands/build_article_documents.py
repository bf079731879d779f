"""``manage.py build_article_documents``: every visible article's API document.

Documents are otherwise built on the first read of each published version
(``api.documents``); this makes them all ahead of time, e.g. after an upgrade
that changed ``api.documents.FORMAT``, so that no reader waits for one.
"""

import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from api.representation import build_documents
from articles.selectors import visible_articles


class Command(BaseCommand):
    help = "Build the stored API document of every visible article."

    def handle(self, *args, verbosity, **options):
        ids = list(visible_articles().values_list("pk", flat=True))
        with tqdm(
            total=len(ids),
            unit="article",
            file=sys.stderr,
            disable=verbosity < 1 or not sys.stderr.isatty(),
        ) as bar:
            built = 0
            for _ in build_documents(article_ids=ids):
                built += 1
                bar.update(1)
        self.stdout.write(f"article documents built: {built}")
