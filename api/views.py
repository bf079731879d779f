"""Read endpoints of API v1: thin views over ``articles.selectors`` and
``api.queries``, answering the shapes in ``api.serializers``."""

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from wagtail.models import Site

from api import documents, queries, summaries
from api.pagination import ArticlePagination, Counted
from api.params import (
    MAX_PAGE_ID,
    refuse_query_params,
    validated_params,
    visible_category,
)
from api.schema import PAGE_OR_CATEGORY_NOT_FOUND, PROBLEM, PROBLEM_TYPE
from api.serializers import (
    ArticleListParams,
    ArticleSerializer,
    ArticleSummarySerializer,
    CategorySerializer,
    SiteSerializer,
)
from articles import selectors
from articles.models import ArticlePage
from counters.selectors import visit_count


class ReadView(GenericAPIView):
    """Shared by the read endpoints: no authentication, no parameters unless said."""

    authentication_classes: list = []
    permission_classes: list = []


class CachedReadView(ReadView):
    """A read whose answers the shared cache may keep (``api.response_cache``):
    what it answers depends on the URL, host and ``Accept`` only."""

    cache_answers = True


class ArticleListView(CachedReadView):
    pagination_class = ArticlePagination
    serializer_class = ArticleSummarySerializer

    @extend_schema(
        operation_id="articles_list",
        parameters=[ArticleListParams],
        responses={
            200: ArticleSummarySerializer(many=True),
            (400, PROBLEM_TYPE): PROBLEM,
            (404, PROBLEM_TYPE): PAGE_OR_CATEGORY_NOT_FOUND,
        },
        summary="Articles, newest first, filtered, searched and paginated",
    )
    def get(self, request: Request) -> Response:
        params = validated_params(request, ArticleListParams)
        narrowing = Q()
        if "category" in params:
            narrowing &= Q(path__startswith=visible_category(params["category"]).path)
        if "tag" in params:
            narrowing &= Q(tagged_items__tag__name=params["tag"])
        if "published_after" in params:
            narrowing &= Q(published_at__gte=params["published_after"])
        if "published_before" in params:
            narrowing &= Q(published_at__lt=params["published_before"])
        if "search" in params:
            size = self.paginator.get_page_size(request)
            start = (params.get("page", 1) - 1) * size
            results = selectors.search_articles(
                query=params["search"],
                narrowing=narrowing,
                rows=summaries.summary_rows(ArticlePage.objects.all()),
                expected=slice(start, start + size),
            )
        else:
            articles = selectors.visible_articles().filter(narrowing)
            ordering = params.get("ordering", queries.DEFAULT_ORDERING)
            results = Counted(
                queries.ordered(summaries.summary_rows(articles), ordering),
                count=selectors.count_visible_articles(narrowing=narrowing),
            )
        page = queries.set_view_counts(self.paginate_queryset(results))
        return self.get_paginated_response(summaries.summaries(page, request=request))


class ArticleDetailBase(CachedReadView):
    serializer_class = ArticleSerializer

    def article_response(self, request: Request, **lookup) -> Response:
        refuse_query_params(request)
        data = documents.detail_answer(request=request, **lookup)
        if data is None:
            raise Http404
        return Response(data)


class ArticleDetailView(ArticleDetailBase):
    @extend_schema(
        operation_id="articles_retrieve",
        responses={
            200: ArticleSerializer,
            (400, PROBLEM_TYPE): PROBLEM,
            (404, PROBLEM_TYPE): PROBLEM,
        },
        summary="One article by id",
    )
    def get(self, request: Request, pk: int) -> Response:
        if pk > MAX_PAGE_ID:
            raise Http404  # the database would refuse the number, not say "none"
        return self.article_response(request, pk=pk)


class ArticleBySlugView(ArticleDetailBase):
    @extend_schema(
        operation_id="articles_by_slug",
        responses={
            200: ArticleSerializer,
            (400, PROBLEM_TYPE): PROBLEM,
            (404, PROBLEM_TYPE): PROBLEM,
        },
        summary="One article by slug (unique site-wide)",
    )
    def get(self, request: Request, slug: str) -> Response:
        return self.article_response(request, slug=slug)


class CategoryListView(CachedReadView):
    serializer_class = CategorySerializer

    @extend_schema(
        operation_id="categories_list",
        responses={
            200: inline_serializer(
                "CategoryList",
                {
                    "count": serializers.IntegerField(),
                    "results": CategorySerializer(many=True),
                },
            ),
            (400, PROBLEM_TYPE): PROBLEM,
        },
        summary="All categories, in site order",
    )
    def get(self, request: Request) -> Response:
        refuse_query_params(request)
        categories = list(selectors.visible_categories())
        serializer = self.get_serializer(
            categories,
            many=True,
            context={
                **self.get_serializer_context(),
                "article_counts": selectors.category_article_counts(),
            },
        )
        return Response({"count": len(categories), "results": serializer.data})


class CategoryDetailView(CachedReadView):
    serializer_class = CategorySerializer

    @extend_schema(
        operation_id="categories_retrieve",
        responses={
            200: CategorySerializer,
            (400, PROBLEM_TYPE): PROBLEM,
            (404, PROBLEM_TYPE): PROBLEM,
        },
        summary="One category by slug",
    )
    def get(self, request: Request, slug: str) -> Response:
        refuse_query_params(request)
        category = selectors.visible_categories().filter(slug=slug).first()
        if category is None:
            raise Http404
        counts = selectors.category_article_counts()
        serializer = self.get_serializer(
            category,
            context={**self.get_serializer_context(), "article_counts": counts},
        )
        return Response(serializer.data)


class SiteView(CachedReadView):
    serializer_class = SiteSerializer

    @extend_schema(
        operation_id="site_retrieve",
        responses={200: SiteSerializer, (400, PROBLEM_TYPE): PROBLEM},
        summary="The site: name, language, time zone and counters",
    )
    def get(self, request: Request) -> Response:
        refuse_query_params(request)
        site = Site.find_for_request(request)
        data = {
            "name": (site.site_name if site else "") or settings.WAGTAIL_SITE_NAME,
            "language": settings.LANGUAGE_CODE,
            "timezone": settings.TIME_ZONE,
            "visit_count": visit_count(site=site) if site else 0,
            "article_count": selectors.count_visible_articles(),
        }
        return Response(SiteSerializer(data).data)
