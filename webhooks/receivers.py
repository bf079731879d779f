"""The webhooks app listens to the changes ``articles.changes`` records;
connected in ``WebhooksConfig.ready``."""

from articles.changes import changes_recorded


def connect() -> None:
    from webhooks import services

    changes_recorded.connect(services.fan_out, dispatch_uid="webhooks.fan_out")
