"""What the API keeps of its own: each article's built representation."""

from django.db import models


class ArticleDocument(models.Model):
    """What a published version of an article shows, as JSON, built once per
    version (``api.documents``, ``api.representation``): ``excerpt``,
    ``tags``, ``feature_image``, ``body``, ``body_html`` and ``seo``. What
    changes without a new version (id, slug, title, URL, dates, category,
    view count, newer/older/related) is not in it: it is read per request and
    joined to it for the detail, the lists, the feeds and the change feed.

    ``source`` names what it was built from (format, revision, publication
    time); a row whose ``source`` no longer matches the live article is
    rebuilt on the next read. Its ``references`` name the images, pages,
    documents and embeds the JSON shows, so that a change to one of them
    deletes exactly the documents that showed it.
    """

    article = models.OneToOneField(
        "articles.ArticlePage",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="api_document",
    )
    source = models.CharField(max_length=100)
    data = models.TextField(help_text="JSON; absolute URLs start with ORIGIN.")
    built_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "article document"

    def __str__(self) -> str:
        return f"API document of article {self.article_id}"


class DocumentReference(models.Model):
    """Something an ``ArticleDocument`` shows: an image, a page it links to, a
    document, or any embed (``kind`` "embed", ``object_id`` 0)."""

    document = models.ForeignKey(
        ArticleDocument, on_delete=models.CASCADE, related_name="references"
    )
    kind = models.CharField(max_length=20)
    object_id = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["kind", "object_id"], name="api_reference_object")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"
