"""New articles only the admin's autosave has saved (``articles.drafts``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AutosavedNewArticle(models.Model):
    """A new article created by Wagtail's autosave, not yet saved by its editor.

    Wagtail 8 saves a new page as soon as its form is typed in, so an abandoned
    form leaves a draft holding the slug. The row goes when the editor saves,
    submits or publishes; until then the draft is abandoned once nobody has it
    open, and its slug is given to the next article that wants it.
    """

    page = models.OneToOneField(
        "articles.ArticlePage",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("autosaved new article")
        verbose_name_plural = _("autosaved new articles")

    def __str__(self) -> str:
        return f"autosaved new article {self.page_id}"


class NewArticleKey(models.Model):
    """The one article an open "new article" form makes, however many times it posts.

    Each new-article form carries a random key (``ArticlePageForm``). Wagtail's
    autosave and the editor's own save both post that form to the create view,
    and either may arrive first; the first post that claims the key creates the
    article and binds it here, every later one edits that article instead
    (``articles.drafts.create_article_once``).
    """

    key = models.UUIDField(primary_key=True)
    page = models.OneToOneField(
        "articles.ArticlePage",
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("new article form")
        verbose_name_plural = _("new article forms")

    def __str__(self) -> str:
        return f"new article form {self.key}"
