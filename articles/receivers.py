"""Signal receivers of the articles app, connected in ``ArticlesConfig.ready``.

Images get their API renditions whenever they are saved, whatever saved them
(single upload, multiple upload, importer, shell). Articles are search-indexed
on save by ``articles.indexing`` in place of modelsearch's own handler, so that
a bulk import can index them once at the end. What readers see changing is not
here: ``articles.reader_changes`` owns it.
"""

from django.db.models.signals import post_delete, post_save

from articles.renditions import generate_api_renditions


def make_api_renditions(sender, instance, raw=False, **kwargs):
    if raw or not instance.file:
        return  # fixtures load rows, not files
    generate_api_renditions(instance)


def connect() -> None:
    from articles import indexing
    from articles.models import ArticlePage, NewsImage

    post_save.connect(
        make_api_renditions, sender=NewsImage, dispatch_uid="articles.api_renditions"
    )
    post_save.connect(
        indexing.index_on_save, sender=ArticlePage, dispatch_uid="articles.index"
    )
    post_delete.connect(
        indexing.unindex_on_delete, sender=ArticlePage, dispatch_uid="articles.unindex"
    )
