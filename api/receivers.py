"""What retires the cached API answers (``api.response_cache``): any change a
reader could see, in the admin, an import or a command. Connected in
``ApiConfig.ready``.

A new content version is set at once and again once the transaction commits:
a request between the two could otherwise cache what the database held before
the commit under the new version.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from api.response_cache import new_content_version


def content_changed(sender, **kwargs) -> None:
    new_content_version()
    transaction.on_commit(new_content_version)


def connect() -> None:
    from articles.models import NewsImage

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
