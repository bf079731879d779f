"""``manage.py setup_newsroom``: the newsroom's roles and approval workflow."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.newsroom import create_demo_users, setup_newsroom


class Command(BaseCommand):
    help = (
        "Create or repair the groups Phóng viên, Biên tập viên, Lãnh đạo duyệt and "
        "the workflow Duyệt tin bài (idempotent); --demo-users adds a login per role "
        "(DEBUG only)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo-users",
            action="store_true",
            help="also create phongvien, bientap and lanhdao (password = username)",
        )

    def handle(self, *args, demo_users=False, **options):
        if demo_users and not settings.DEBUG:
            raise CommandError("Refusing to create known logins with DEBUG off.")
        workflow = setup_newsroom()
        self.stdout.write(
            f"Workflow '{workflow.name}': "
            + " → ".join(task.name for task in workflow.tasks)
        )
        if demo_users:
            create_demo_users(log=self.stdout.write)
