"""Signal receivers of the articles app, connected in ``ArticlesConfig.ready``.

Images get their API renditions whenever they are saved, whatever saved them
(single upload, multiple upload, importer, shell). Articles are search-indexed
on save by ``articles.indexing`` in place of modelsearch's own handler, so that
a bulk import can index them once at the end. What readers see changing is
recorded on commit (``articles.changes``) after anything that may change it:
a page published, unpublished, moved or deleted, a view restriction or a site
saved or deleted (the articles concerned when the page is an article, else
all), a tag renamed or deleted, an image saved (its caption shows in the
summaries featuring it).
"""

from django.db.models.signals import post_delete, post_save, pre_delete
from taggit.models import Tag
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from articles import changes
from articles.renditions import generate_api_renditions


def make_api_renditions(sender, instance, raw=False, **kwargs):
    if raw or not instance.file:
        return  # fixtures load rows, not files
    generate_api_renditions(instance)


def page_changed(sender, instance, **kwargs) -> None:
    from articles.models import ArticlePage

    if issubclass(instance.specific_class or Page, ArticlePage):
        changes.record_on_commit(article_ids=[instance.pk])
    else:  # a category (or above): every article below it may change
        changes.record_on_commit()


def everything_may_change(sender, raw=False, **kwargs) -> None:
    if not raw:
        changes.record_on_commit()


def feature_image_changed(sender, instance, created=False, raw=False, **kwargs):
    """Its caption, alt or credit shows in the summaries that feature it."""
    from articles.models import ArticlePage

    if created or raw:
        return
    featuring = ArticlePage.objects.filter(feature_image=instance)
    if ids := list(featuring.values_list("pk", flat=True)):
        changes.record_on_commit(article_ids=[], refreshed=ids)


def tag_changed(sender, instance, created=False, raw=False, **kwargs):
    """A tag renamed, or about to be deleted: the summaries listing it."""
    from articles.models import ArticlePageTag

    if created or raw:
        return
    tagged = ArticlePageTag.objects.filter(tag=instance)
    if ids := list(tagged.values_list("content_object_id", flat=True)):
        changes.record_on_commit(article_ids=[], refreshed=ids)


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
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(page_changed, dispatch_uid=f"articles.changes.{id(signal)}")
    post_delete.connect(page_changed, sender=Page, dispatch_uid="articles.changes.page")
    post_save.connect(
        feature_image_changed, sender=NewsImage, dispatch_uid="articles.changes.image"
    )
    for signal in (post_save, pre_delete):
        signal.connect(
            tag_changed, sender=Tag, dispatch_uid=f"articles.changes.tag.{id(signal)}"
        )
    for model in (PageViewRestriction, Site):
        for signal in (post_save, post_delete):
            signal.connect(
                everything_may_change,
                sender=model,
                dispatch_uid=f"articles.changes.{model.__name__}.{id(signal)}",
            )
