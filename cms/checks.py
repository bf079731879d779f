"""System checks of the project as a whole."""

from django.core import checks
from django.db import connections

#: The databases newsdesk is built and tested on: the search (FTS5 on SQLite,
#: its own GIN-indexed entries on PostgreSQL), the reads written in SQL and the
#: article tally's triggers exist for these two only.
SUPPORTED_DATABASES = ("sqlite", "postgresql")


@checks.register(checks.Tags.compatibility)
def supported_databases(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    return [
        checks.Error(
            f"The database {alias!r} is {connections[alias].vendor}; newsdesk "
            f"supports {' and '.join(SUPPORTED_DATABASES)} only.",
            hint="Set DATABASE_URL to a sqlite:// or postgres:// URL.",
            id="newsdesk.E001",
        )
        for alias in connections
        if connections[alias].vendor not in SUPPORTED_DATABASES
    ]
