from django.urls import path

from api.counting import views

urlpatterns = [
    path(
        "articles/<int:article_id>/views/",
        views.ArticleViewsView.as_view(),
        name="article-views",
    ),
    path(
        "articles/most-viewed/",
        views.MostViewedView.as_view(),
        name="articles-most-viewed",
    ),
    path("site/visits/", views.SiteVisitsView.as_view(), name="site-visits"),
]
