"""Read endpoints of API v1: thin views over ``articles.selectors``, answering
the shapes ``api.representation`` builds (described in ``api.serializers``)."""

from django.conf import settings
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from wagtail.models import Site

from api import change_feed, representation
from api.pagination import ArticlePagination
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
    ChangeListSerializer,
    ChangeParams,
    ProblemSerializer,
    SiteSerializer,
)
from articles import changes, selectors
from cms import epoch as database_epoch
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
        category = params.get("category")
        articles = selectors.listed_articles(
            narrowed=selectors.narrowing(
                category=visible_category(category) if category else None,
                tag=params.get("tag"),
                published_after=params.get("published_after"),
                published_before=params.get("published_before"),
                ids=params.get("ids"),
            ),
            columns=representation.SUMMARY_COLUMNS,
            ordering=params.get("ordering", selectors.DEFAULT_ORDERING),
            search=params.get("search"),
        )
        if "ids" in params:
            # The whole set in one answer unless a page_size says otherwise
            # (every id may have been left out: a page size is at least 1).
            self.paginator.page_size = len(params["ids"]) or 1
        page = self.paginate_queryset(articles)
        summaries = representation.article_summaries(page, request=request)
        if fields := params.get("fields"):
            summaries = [{name: s[name] for name in fields} for s in summaries]
        return self.get_paginated_response(summaries)


class ArticleDetailBase(CachedReadView):
    serializer_class = ArticleSerializer

    def article_response(self, request: Request, **lookup) -> Response:
        refuse_query_params(request)
        data = representation.article_detail(request=request, **lookup)
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
        counts = selectors.category_article_counts()
        results = [
            representation.category_data(
                category, request=request, article_count=counts.get(category.path, 0)
            )
            for category in categories
        ]
        return Response({"count": len(categories), "results": results})


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
        return Response(
            representation.category_data(
                category, request=request, article_count=counts.get(category.path, 0)
            )
        )


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


class ChangeFeedView(ReadView):
    """Not kept in the answer cache: time alone (a go-live, an expiry) adds
    changes, without a new content version."""

    serializer_class = ChangeListSerializer

    @extend_schema(
        operation_id="changes_list",
        parameters=[ChangeParams],
        responses={
            200: ChangeListSerializer,
            (400, PROBLEM_TYPE): PROBLEM,
            (410, PROBLEM_TYPE): OpenApiResponse(
                ProblemSerializer,
                description="The cursor is older than the changes kept "
                "(`CHANGES_RETENTION_DAYS`), or was given before the database "
                "was restored from a backup: sync again without `since`.",
            ),
        },
        summary="Changes readers can see since a cursor, with tombstones",
        description="For clients keeping a copy (apps offline, static builds): "
        "each article or category once, at its last change, oldest first; "
        "upsert with its current shape, delete with id and slug. Start without "
        "`since` (a full sync in pages), then send `next_cursor` back as it "
        "came. docs/api.md, Change feed.",
    )
    def get(self, request: Request) -> Response:
        params = validated_params(request, ChangeParams, may_be_empty=("since",))
        cursor = change_feed.decode_cursor(params.get("since", ""))
        since = cursor.seq if cursor else 0
        limit = params.get("limit", 100)
        epoch = database_epoch.current()
        if cursor:
            change_feed.check_epoch(cursor, current=epoch)
        rows = changes.changes_after(since, limit=limit + 1)
        # Read after the rows: a deletion dropped in between is then seen as
        # dropped (410), never silently missing from this page.
        pruned_through = changes.pruned_through()
        if since and pruned_through > max(since, cursor.known_drop):
            raise change_feed.CursorExpired
        has_more = len(rows) > limit
        rows = rows[:limit]
        next_cursor = change_feed.encode_cursor(
            rows[-1].seq if rows else since,
            pruned_through=pruned_through,
            epoch=epoch.value,
        )
        return Response(
            {
                "changes": change_feed.change_entries(rows, request=request),
                "next_cursor": next_cursor,
                "has_more": has_more,
            }
        )
