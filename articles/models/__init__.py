"""Content models: the image model and the category/article pages."""

from articles.models.images import NewsImage, NewsRendition
from articles.models.pages import (
    ArticlePage,
    ArticlePageTag,
    CategoryPage,
    unique_article_slug,
)
from articles.models.previews import ArticlePreview
from articles.models.search import ArticleSearchEntry

__all__ = [
    "ArticlePage",
    "ArticlePageTag",
    "ArticlePreview",
    "ArticleSearchEntry",
    "CategoryPage",
    "NewsImage",
    "NewsRendition",
    "unique_article_slug",
]
