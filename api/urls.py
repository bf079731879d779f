"""URLs under /api/: version 1, then problem+json 404 for anything else."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api import feeds, preview, sitemaps, views
from api.errors import not_found

app_name = "api"

v1 = [
    path("articles/", views.ArticleListView.as_view(), name="article-list"),
    # Counting: POST articles/<id>/views/, GET articles/most-viewed/, POST
    # site/visits/ ("most-viewed" can never match the <int:pk> routes below).
    path("", include("api.counting.urls")),
    path(
        "articles/<int:pk>/", views.ArticleDetailView.as_view(), name="article-detail"
    ),
    path(
        "articles/slug/<slug:slug>/",
        views.ArticleBySlugView.as_view(),
        name="article-by-slug",
    ),
    path("categories/", views.CategoryListView.as_view(), name="category-list"),
    path(
        "categories/<slug:slug>/",
        views.CategoryDetailView.as_view(),
        name="category-detail",
    ),
    path("site/", views.SiteView.as_view(), name="site"),
    path("changes/", views.ChangeFeedView.as_view(), name="changes"),
    path(
        "feeds/articles.rss", feeds.ArticlesRssView.as_view(), name="feed-articles-rss"
    ),
    path(
        "feeds/articles.json",
        feeds.ArticlesJsonFeedView.as_view(),
        name="feed-articles-json",
    ),
    path("sitemap.xml", sitemaps.SitemapIndexView.as_view(), name="sitemap-index"),
    path(
        "sitemaps/articles.xml",
        sitemaps.ArticleSitemapView.as_view(),
        name="sitemap-articles",
    ),
    path(
        "sitemaps/categories.xml",
        sitemaps.CategorySitemapView.as_view(),
        name="sitemap-categories",
    ),
    path("sitemaps/news.xml", sitemaps.NewsSitemapView.as_view(), name="sitemap-news"),
    path("preview/", preview.PreviewView.as_view(), name="preview"),
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    path(
        "docs/",
        # Its script as a file of its own (?script): no inline script to allow
        # in the Content-Security-Policy (cms.settings.CSP_AREA_POLICIES).
        SpectacularSwaggerSplitView.as_view(url_name="api:schema"),
        name="docs",
    ),
]

urlpatterns = [
    path("v1/", include(v1)),
    re_path(r"^", not_found, name="not-found"),
]
