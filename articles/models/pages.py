"""The page tree below the home page: categories and their articles."""

from django.conf import settings
from django.db import models
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from articles.blocks import ArticleBodyBlock
from articles.models.previews import mint_preview_token
from articles.scheduling import PUBLISHED_AT_HELP
from articles.text import html_to_text, normalize_strings, truncate_at_word
from articles.vietnamese import fold_for_search, nfc, slugify_vi
from cms.frontend import FrontendUrlMixin, frontend_preview_url

EXCERPT_FALLBACK_LENGTH = 200
#: The columns that name an article's published version: a new publication
#: changes them, and what is built from a version (the API's stored document)
#: is keyed by them.
VERSION_FIELDS = ("live_revision_id", "last_published_at")


class NormalizedPage(Page):
    """A page whose ``normalize_fields`` runs before every validation and save.

    Wagtail validates live pages with ``full_clean`` and drafts with
    ``minimal_clean``; both run it first. Subclasses say what it does.
    """

    class Meta:
        abstract = True

    def normalize_fields(self) -> None:
        raise NotImplementedError

    def full_clean(self, *args, **kwargs):
        self.normalize_fields()
        super().full_clean(*args, **kwargs)

    def minimal_clean(self):
        self.normalize_fields()
        super().minimal_clean()


class CategoryPage(FrontendUrlMixin, NormalizedPage):
    """A section of the portal ("Tin tức sự kiện", "Thông báo", ...)."""

    description = models.TextField(_("description"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("description")]
    template = "cms/page.html"
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["articles.ArticlePage"]

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def normalize_fields(self) -> None:
        """Title stored NFC; a missing slug folded from it (Django's drops "đ")."""
        self.title = nfc(self.title)
        self.description = nfc(self.description)
        if not self.slug:
            self.slug = slugify_vi(self.title)


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "articles.ArticlePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class ArticlePage(FrontendUrlMixin, NormalizedPage):
    """A news article. Its view count lives in ``counters``, not here: publishing
    a revision copies its fields back onto the page and would reset one kept
    here."""

    published_at = models.DateTimeField(
        _("published at"),
        null=True,
        blank=True,
        help_text=PUBLISHED_AT_HELP,
    )
    excerpt = models.TextField(
        _("excerpt"),
        blank=True,
        max_length=1000,
        help_text=_("Short summary for lists; defaults to the start of the body."),
    )
    feature_image = models.ForeignKey(
        "articles.NewsImage",
        verbose_name=_("feature image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(ArticleBodyBlock(), blank=True, verbose_name=_("body"))
    tags = ClusterTaggableManager(
        through=ArticlePageTag, blank=True, verbose_name=_("tags")
    )
    legacy_key = models.CharField(
        _("legacy source key"),
        max_length=64,
        blank=True,
        help_text=_("Identifies the old portal's page this article was imported from."),
    )

    # The admin form (articles.page_forms.ArticlePageForm) is set by
    # ArticlesConfig.ready: it uses articles.drafts, which imports these models.
    content_panels = [
        *Page.content_panels,
        FieldPanel("excerpt"),
        FieldPanel("feature_image"),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    settings_panels = [
        MultiFieldPanel(
            [FieldPanel("published_at"), FieldPanel("legacy_key", read_only=True)],
            heading=_("Publication"),
        ),
        *Page.settings_panels,
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("excerpt"),
        index.SearchField("body"),
        # Title, excerpt and body folded ("kết nạp" -> "ket nap"); queries are
        # folded the same way (articles.selectors.search_articles).
        index.SearchField("search_text"),
        index.FilterField("published_at"),
        # Lets a search run over an already filtered set (``pk__in``).
        index.FilterField("page_ptr"),
    ]
    template = "cms/page.html"
    # Indexed on save by articles.indexing instead, which an import can defer.
    search_auto_update = False
    parent_page_types = ["articles.CategoryPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            # Newest-first pages in index order; a count of the visible articles
            # is an index-only scan of it (articles.visibility).
            models.Index(
                fields=["published_at", "page_ptr"], name="article_published_id"
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["legacy_key"],
                condition=~models.Q(legacy_key=""),
                name="unique_article_legacy_key",
            )
        ]

    def normalize_fields(self) -> None:
        """Prepare the fields for validation and saving (drafts included).

        Text is stored NFC; the slug is folded from the title ("đ" -> "d") when
        missing and kept unique among all articles, not only siblings;
        ``published_at`` defaults to the first publication.
        """
        self.title = nfc(self.title)
        self.excerpt = nfc(self.excerpt)
        self.body = normalize_strings(self.body.get_prep_value())
        self.slug = unique_article_slug(self.slug or self.title, exclude_pk=self.pk)
        if self.published_at is None and self.first_published_at is not None:
            self.published_at = self.first_published_at

    def serve_preview(self, request, mode_name):
        """With ``FRONTEND_PREVIEW_URL`` set, send the admin's preview (panel
        iframe and new tab alike) to the frontend with a token for this draft.

        Wagtail's admin views have checked the user's permission already; the
        token is minted only for a user who may edit the page all the same. A
        page never saved keeps Wagtail's own preview: the API has no id for it.
        """
        if not settings.FRONTEND_PREVIEW_URL or self.pk is None:
            return super().serve_preview(request, mode_name)
        token = mint_preview_token(page=self, user=request.user)
        return HttpResponseRedirect(frontend_preview_url(token))

    def search_text(self) -> str:
        """Title, excerpt and body text folded for accent-insensitive search."""
        body_text = self._meta.get_field("body").get_searchable_content(self.body)
        return fold_for_search(" ".join([self.title, self.excerpt, *body_text]))

    def get_excerpt(self) -> str:
        """The editor's excerpt, else the start of the first paragraph."""
        if self.excerpt:
            return self.excerpt
        for block in self.body:
            if block.block_type == "paragraph":
                text = html_to_text(block.value.source)
                if text:
                    return truncate_at_word(text, max_length=EXCERPT_FALLBACK_LENGTH)
        return ""


def unique_article_slug(
    text: str, *, exclude_pk: int | None = None, ignore=None
) -> str:
    """Fold ``text`` to a slug not used by any other article (``-2``, ``-3``, ...).

    ``ignore``: a queryset of page ids whose slugs count as free (abandoned
    autosave drafts, ``articles.drafts``).
    """
    base = slugify_vi(text, max_length=240) or "bai-viet"
    others = ArticlePage.objects.filter(slug__startswith=base).exclude(pk=exclude_pk)
    if ignore is not None:
        others = others.exclude(pk__in=ignore)
    taken = set(others.values_list("slug", flat=True))
    candidate, suffix = base, 1
    while candidate in taken:
        suffix += 1
        candidate = f"{base}-{suffix}"
    return candidate
