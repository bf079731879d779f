"""``manage.py rebuild_article_search``: PostgreSQL's article search entries."""

from django.core.management.base import BaseCommand, CommandError

from articles.pg_search import rebuild_entries, uses_postgres_search


class Command(BaseCommand):
    help = (
        "Write the PostgreSQL search entry of every article (after a change to "
        "the ranking, or a load that bypassed saving)."
    )

    def handle(self, *args, **options):
        if not uses_postgres_search():
            raise CommandError("Only PostgreSQL keeps article search entries.")
        self.stdout.write(f"{rebuild_entries()} articles indexed.")
