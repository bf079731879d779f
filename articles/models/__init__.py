"""Content models: the image model and the category/article pages."""

from articles.models.changes import CHANGE_LOG_ID, Change, ChangeLog
from articles.models.drafts import AutosavedNewArticle, NewArticleKey
from articles.models.images import NewsImage, NewsRendition
from articles.models.imports import LegacyImport
from articles.models.pages import (
    VERSION_FIELDS,
    ArticlePage,
    ArticlePageTag,
    CategoryPage,
    unique_article_slug,
)
from articles.models.previews import ArticlePreview
from articles.models.search import ArticleSearchEntry
from articles.models.tally import TALLY_ID, ArticleTally

__all__ = [
    "CHANGE_LOG_ID",
    "TALLY_ID",
    "VERSION_FIELDS",
    "ArticlePage",
    "ArticlePageTag",
    "ArticlePreview",
    "ArticleSearchEntry",
    "ArticleTally",
    "AutosavedNewArticle",
    "CategoryPage",
    "Change",
    "ChangeLog",
    "LegacyImport",
    "NewArticleKey",
    "NewsImage",
    "NewsRendition",
    "unique_article_slug",
]
