"""What retires the API's stored answers: any change a reader could see, in
the admin, an import or a command. Connected in ``ApiConfig.ready``.

- Cached answers (``api.response_cache``): a new content version, set at once
  and again once the transaction commits (a request between the two could
  otherwise cache what the database held before the commit under the new
  version); also when ``articles.changes`` records a change, so what time
  alone changed (a go-live, an expiry) retires answers once the scheduler has
  recorded it.
- Stored article documents (``api.documents``): those showing the image,
  document, page or tag that changed are deleted, likewise at once and on
  commit.
  An article's own publication needs nothing here: its document names the
  version it was built from.
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from taggit.models import Tag
from wagtail.documents import get_document_model
from wagtail.embeds.models import Embed
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from api import documents
from api.response_cache import new_content_version
from cms import replicas
from cms.backups import database_restored


def content_changed(sender, **kwargs) -> None:
    new_content_version()
    transaction.on_commit(new_content_version)
    # With a read replica: once more when it has replayed the change.
    transaction.on_commit(partial(replicas.when_replayed, new_content_version))


def _forget(**which) -> None:
    documents.forget(**which)
    transaction.on_commit(partial(documents.forget, **which))


def image_changed(sender, instance, created=False, raw=False, **kwargs) -> None:
    if not created and not raw:  # a new image is in no document yet
        _forget(reference=f"image:{instance.pk}")


def document_changed(sender, instance, created=False, raw=False, **kwargs) -> None:
    if not created and not raw:
        _forget(reference=f"document:{instance.pk}")


def page_changed(sender, instance, **kwargs) -> None:
    """A page published, unpublished or deleted: links to it change. Above an
    article (a category, the home page) its URL is part of theirs too."""
    from articles.models import ArticlePage

    if issubclass(instance.specific_class or Page, ArticlePage):
        _forget(reference=f"page:{instance.pk}")
    else:
        _forget(reference="page:")


def links_moved(sender, **kwargs) -> None:
    _forget(reference="page:")  # a moved page moves every page below it


def embeds_changed(sender, raw=False, **kwargs) -> None:
    if not raw:
        _forget(reference="embed")


def tag_changed(sender, instance, created=False, raw=False, **kwargs) -> None:
    """A tag renamed or about to be deleted (its articles' links to it go
    first, so after the delete they could not be found): the documents and
    answers showing it."""
    from articles.models import ArticlePageTag

    if created or raw:
        return
    tagged = ArticlePageTag.objects.filter(tag=instance)
    ids = list(tagged.values_list("content_object_id", flat=True))
    if ids:
        _forget(article_ids=ids)
        content_changed(sender)


def site_changed(sender, **kwargs) -> None:
    _forget()  # root paths: every link may change


def connect() -> None:
    from articles.changes import changes_recorded
    from articles.models import NewsImage

    changes_recorded.connect(content_changed, dispatch_uid="api.cache.changes")
    # A backup restored: everything kept was built from other data.
    database_restored.connect(content_changed, dispatch_uid="api.cache.restored")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(content_changed, dispatch_uid=f"api.cache.{id(signal)}")
    # Deleting an article deletes its Page row too: one receiver covers both.
    post_delete.connect(content_changed, sender=Page, dispatch_uid="api.cache.page")
    for model in (NewsImage, PageViewRestriction, Site):
        for signal in (post_save, post_delete):
            signal.connect(
                content_changed,
                sender=model,
                dispatch_uid=f"api.cache.{model.__name__}.{id(signal)}",
            )

    receivers = [
        (image_changed, NewsImage, (post_save, post_delete)),
        (document_changed, get_document_model(), (post_save, post_delete)),
        (embeds_changed, Embed, (post_save, post_delete)),
        (site_changed, Site, (post_save, post_delete)),
        (tag_changed, Tag, (post_save, pre_delete)),
        (page_changed, None, (page_published, page_unpublished)),
        (page_changed, Page, (post_delete,)),
        (links_moved, None, (post_page_move,)),
    ]
    for receiver, model, signals in receivers:
        for signal in signals:
            signal.connect(
                receiver,
                sender=model,
                dispatch_uid=f"api.documents.{receiver.__name__}.{id(signal)}",
            )
