"""POST a view or a visit; GET the most viewed articles.

Thin: identity comes from ``counters.visitors``, counting from
``counters.services``, ranking from ``counters.selectors``. Only live, public
articles count. Errors are problem+json; the read API's handler takes over
when the branches meet.
"""

import logging
from http import HTTPStatus

import redis
from django.conf import settings
from django.http import Http404
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler
from wagtail.models import Site

from api.counting.serializers import (
    MostViewedArticleSerializer,
    MostViewedParamsSerializer,
    ViewCountedSerializer,
    VisitCountedSerializer,
)
from articles.models import ArticlePage, CategoryPage
from counters.selectors import most_viewed, view_counts
from counters.services import count_view, count_visit
from counters.visitors import (
    VISITOR_COOKIE,
    Visitor,
    client_address,
    visitor_from_request,
)

logger = logging.getLogger(__name__)

# Article ids are 32-bit in the database; a larger one is simply unknown.
MAX_ID = 2**31 - 1
VISITOR_COOKIE_AGE = 365 * 24 * 3600


def problem_exception_handler(exc, context):
    """DRF errors as RFC 9457 problem details (``application/problem+json``)."""
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    problem = {
        "type": "about:blank",
        "title": HTTPStatus(response.status_code).phrase,
        "status": response.status_code,
    }
    if isinstance(exc, exceptions.ValidationError):
        problem["detail"] = "Invalid parameters."
        problem["errors"] = {
            field: [str(message) for message in messages]
            for field, messages in response.data.items()
        }
    else:
        problem["detail"] = str(response.data.get("detail", ""))
    response.data = problem
    response.content_type = "application/problem+json"
    return response


class CountingThrottle(SimpleRateThrottle):
    """Counting requests per client address (trusted proxies resolved), at
    ``COUNTING_THROTTLE_RATE``. Fails open if its cache (Redis) is down."""

    scope = "counting"

    def get_rate(self):
        return settings.COUNTING_THROTTLE_RATE or None  # empty: no limit

    def get_cache_key(self, request, view):
        return self.cache_format % {
            "scope": self.scope,
            "ident": client_address(request._request),
        }

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except redis.RedisError as error:
            logger.warning("Redis unreachable (%s): not throttling", error)
            return True


class CountingView(APIView):
    authentication_classes = []
    permission_classes = []

    def get_exception_handler(self):
        return problem_exception_handler


class CountView(CountingView):
    throttle_classes = [CountingThrottle]

    def initialize_request(self, request, *args, **kwargs):
        # The session user (an editor is not counted), taken before DRF, which
        # authenticates nobody here, replaces request.user with None.
        self.session_user = getattr(request, "user", None)
        return super().initialize_request(request, *args, **kwargs)

    def visitor(self, request: Request) -> Visitor:
        return visitor_from_request(request._request, user=self.session_user)

    def respond(self, request: Request, data: dict, visitor: Visitor) -> Response:
        response = Response(data)
        if not visitor.has_id:
            # The key we counted under, so the next request dedupes against it.
            # Readable by scripts (not HttpOnly): it grants nothing, and a
            # frontend may forward it as X-Visitor-Id.
            response.set_cookie(
                VISITOR_COOKIE,
                visitor.key,
                max_age=VISITOR_COOKIE_AGE,
                samesite="Lax",
                secure=request.is_secure(),
                httponly=False,
            )
        return response


def visible_articles():
    """Articles a reader may see: live (published, not expired, not scheduled)
    and public (not in a restricted section)."""
    return ArticlePage.objects.live().public()


class ArticleViewsView(CountView):
    def post(self, request: Request, article_id: int) -> Response:
        if article_id > MAX_ID:
            raise Http404
        article = visible_articles().filter(pk=article_id).only("pk").first()
        if article is None:
            raise Http404
        visitor = self.visitor(request)
        result = count_view(page=article, visitor=visitor)
        data = ViewCountedSerializer(
            {"view_count": result.count, "counted": result.counted}
        ).data
        return self.respond(request, data, visitor)


class SiteVisitsView(CountView):
    def post(self, request: Request) -> Response:
        site = Site.find_for_request(request._request) or Site.objects.get(
            is_default_site=True
        )
        visitor = self.visitor(request)
        result = count_visit(site=site, visitor=visitor)
        data = VisitCountedSerializer(
            {"visit_count": result.count, "counted": result.counted}
        ).data
        return self.respond(request, data, visitor)


class MostViewedView(CountingView):
    def get(self, request: Request) -> Response:
        params = MostViewedParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        period, limit = params.validated_data["period"], params.validated_data["limit"]
        parent = None
        if "category" in params.validated_data:
            slug = params.validated_data["category"]
            parent = CategoryPage.objects.live().public().filter(slug=slug).first()
            if parent is None:
                raise exceptions.ValidationError(
                    {"category": [f"No category {slug!r}."]}
                )
        ranked = most_viewed(
            period=period,
            limit=limit,
            page_ids=visible_articles().values("pk"),
            parent=parent,
        )
        articles = self.summaries(ranked)
        results = MostViewedArticleSerializer(
            articles, many=True, context={"request": request}
        ).data
        return Response({"period": period, "results": results})

    def summaries(self, ranked: list[tuple[int, int]]) -> list[ArticlePage]:
        pages = (
            visible_articles()
            .select_related("feature_image")
            .prefetch_related("tagged_items__tag")
            .in_bulk([pk for pk, _ in ranked])
        )
        parent_paths = {page.path[: -ArticlePage.steplen] for page in pages.values()}
        categories = {
            category.path: category
            for category in CategoryPage.objects.filter(path__in=parent_paths)
        }
        totals = view_counts(page_ids=list(pages))
        articles = []
        for pk, views in ranked:
            page = pages[pk]
            page.category = categories.get(page.path[: -ArticlePage.steplen])
            page.view_count = totals.get(pk, 0)
            page.period_views = views
            articles.append(page)
        return articles
