"""What the API keeps of its own: each article's built representation."""

from django.db import models


class ArticleDocument(models.Model):
    """An article's JSON as the detail endpoint answers it, built once per
    published version (``api.documents``), without the parts that change
    between versions: view count, category, newer/older/related.

    ``source`` names what it was built from (format, revision, publication
    time); a row whose ``source`` no longer matches the live article is
    rebuilt on the next read. ``references`` lists the images, pages,
    documents and embeds the JSON shows (" image:12 page:40 "), so that a
    change to one of them deletes exactly the rows that showed it.
    """

    article = models.OneToOneField(
        "articles.ArticlePage",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="api_document",
    )
    source = models.CharField(max_length=100)
    data = models.TextField(help_text="JSON; absolute URLs start with ORIGIN.")
    references = models.TextField(blank=True)
    built_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "article document"

    def __str__(self) -> str:
        return f"API document of article {self.article_id}"
