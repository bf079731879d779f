"""``manage.py load_demo``: the demo articles (idempotent)."""

from django.core.management.base import BaseCommand

from articles.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo categories, images and articles; a second run adds nothing."

    def handle(self, *args, **options):
        load_demo(log=self.stdout.write)
