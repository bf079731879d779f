"""Signal receivers of the articles app, connected in ``ArticlesConfig.ready``.

Kept to one: images get their API renditions whenever they are saved, whatever
saved them (single upload, multiple upload, importer, shell).
"""

from django.db.models.signals import post_save

from articles.renditions import generate_api_renditions


def make_api_renditions(sender, instance, raw=False, **kwargs):
    if raw or not instance.file:
        return  # fixtures load rows, not files
    generate_api_renditions(instance)


def connect() -> None:
    from articles.models import NewsImage

    post_save.connect(
        make_api_renditions, sender=NewsImage, dispatch_uid="articles.api_renditions"
    )
