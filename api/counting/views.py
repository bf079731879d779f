"""POST a view or a visit; GET the most viewed articles.

Thin: identity comes from ``counters.visitors``, counting from
``counters.services``, ranking from ``counters.selectors``, what a reader may
see from ``articles.selectors``, and the summaries from ``api.representation``
as on the article list. Errors, rendering and caching are the read API's (the
``REST_FRAMEWORK`` settings, ``api.caching``).
"""

import logging

import redis
from django.conf import settings
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView
from wagtail.models import Site

from api import representation
from api.counting.serializers import (
    MostViewedArticleSerializer,
    MostViewedParams,
    MostViewedSerializer,
    ViewCountedSerializer,
    VisitCountedSerializer,
)
from api.params import (
    MAX_PAGE_ID,
    refuse_query_params,
    validated_params,
    visible_category,
)
from api.schema import PROBLEM, PROBLEM_TYPE
from api.views import ReadView
from articles import detail_reads, selectors
from counters.selectors import most_viewed
from counters.services import CountingUnavailable, count_view, count_visit
from counters.visitors import (
    VISITOR_COOKIE,
    VISITOR_HEADER,
    Visitor,
    client_address,
    visitor_from_request,
)

logger = logging.getLogger(__name__)

VISITOR_COOKIE_AGE = 365 * 24 * 3600

_VISITOR_ID = (
    "8 to 64 of A-Z a-z 0-9 _ -; anything else is ignored and the visitor is "
    "then known by a daily hash of address and user agent."
)
VISITOR_PARAMETERS = [
    OpenApiParameter(
        VISITOR_HEADER,
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description=f"The visitor's id (apps, other origins). {_VISITOR_ID}",
    ),
    OpenApiParameter(
        VISITOR_COOKIE,
        OpenApiTypes.STR,
        OpenApiParameter.COOKIE,
        description="The visitor's id as set by an earlier answer; used when "
        f"{VISITOR_HEADER} is not sent. {_VISITOR_ID}",
    ),
    OpenApiParameter(
        "Set-Cookie",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=[200],
        description=f"{VISITOR_COOKIE}=<id>, for a year, SameSite=Lax, not "
        f"HttpOnly: sent when the request carried neither {VISITOR_HEADER} nor "
        f"{VISITOR_COOKIE}.",
    ),
    OpenApiParameter(
        "Retry-After",
        OpenApiTypes.INT,
        OpenApiParameter.HEADER,
        response=[429, 503],
        required=True,
        description="Seconds to wait before counting again.",
    ),
]


class CountingUnavailableError(APIException):
    """503 with ``Retry-After``: the count was not made, or not confirmed (a
    retry then answers ``counted: false`` if it was)."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = (
        "Counting is unavailable for a moment; try again after Retry-After seconds."
    )
    default_code = "counting_unavailable"

    def __init__(self, *, wait: int):
        super().__init__()
        self.wait = wait  # DRF's handler turns it into Retry-After


def counting_responses(serializer) -> dict:
    """200, or problem details: 400 (a query parameter), 404 (nothing to count),
    429 (too many counting requests from the address), 503 (counting could not
    be made or confirmed now: a database lock, Redis not answering)."""
    return {
        200: OpenApiResponse(
            serializer,
            description="Counted, or not (see `counted`). Never cached "
            "(`Cache-Control: no-store`).",
        ),
        (400, PROBLEM_TYPE): PROBLEM,
        (404, PROBLEM_TYPE): PROBLEM,
        (429, PROBLEM_TYPE): PROBLEM,
        (503, PROBLEM_TYPE): PROBLEM,
    }


def counted(count, **kwargs):
    """``count(**kwargs)``, its "try again" answered as a 503."""
    try:
        return count(**kwargs)
    except CountingUnavailable as unavailable:
        raise CountingUnavailableError(wait=unavailable.retry_after) from unavailable


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


class CountView(APIView):
    """A POST that counts: no body, no query parameters, throttled per address."""

    authentication_classes: list = []
    permission_classes: list = []
    throttle_classes = [CountingThrottle]

    def initialize_request(self, request, *args, **kwargs):
        # The session user (an editor is not counted), taken before DRF, which
        # authenticates nobody here, replaces request.user with None.
        self.session_user = getattr(request, "user", None)
        return super().initialize_request(request, *args, **kwargs)

    def visitor(self, request: Request) -> Visitor:
        refuse_query_params(request)
        return visitor_from_request(request._request, user=self.session_user)

    def respond(self, request: Request, data: dict, visitor: Visitor) -> Response:
        response = Response(data)
        if not visitor.has_id:
            # The key we counted under, so the next request dedupes against it.
            # Readable by scripts (not HttpOnly): it grants nothing, and a
            # frontend may forward it as X-Visitor-Id. A POST answer is never
            # cached (api.caching), so no shared cache can hand it to others.
            response.set_cookie(
                VISITOR_COOKIE,
                visitor.key,
                max_age=VISITOR_COOKIE_AGE,
                samesite="Lax",
                secure=request.is_secure(),
                httponly=False,
            )
        return response


class ArticleViewsView(CountView):
    @extend_schema(
        operation_id="articles_views_create",
        request=None,
        parameters=VISITOR_PARAMETERS,
        responses=counting_responses(ViewCountedSerializer),
        summary="Count one view of an article",
        description="No body. A visitor counts once per article per dedupe "
        "window (default 24 h); bots and signed-in editors are not counted. "
        "Unknown or hidden articles are 404.",
    )
    def post(self, request: Request, article_id: int) -> Response:
        if article_id > MAX_PAGE_ID:
            raise Http404
        visitor = self.visitor(request)
        # One prepared statement of the visibility rules (the ORM's queryset
        # cost more to build than to run).
        article = detail_reads.visible_article(pk=article_id)
        if article is None:
            raise Http404
        result = counted(count_view, page=article, visitor=visitor)
        data = ViewCountedSerializer(
            {"view_count": result.count, "counted": result.counted}
        ).data
        return self.respond(request, data, visitor)


class SiteVisitsView(CountView):
    @extend_schema(
        operation_id="site_visits_create",
        request=None,
        parameters=VISITOR_PARAMETERS,
        responses=counting_responses(VisitCountedSerializer),
        summary="Count one visit of the site",
        description="No body. A visitor's visit lasts 30 minutes (default): "
        "within it, further visits are not counted.",
    )
    def post(self, request: Request) -> Response:
        visitor = self.visitor(request)
        site = (
            Site.find_for_request(request._request)
            or Site.objects.filter(is_default_site=True).first()
        )
        if site is None:
            raise Http404  # no site configured: nothing to count
        result = counted(count_visit, site=site, visitor=visitor)
        data = VisitCountedSerializer(
            {"visit_count": result.count, "counted": result.counted}
        ).data
        return self.respond(request, data, visitor)


class MostViewedView(ReadView):
    serializer_class = MostViewedArticleSerializer

    @extend_schema(
        operation_id="articles_most_viewed",
        parameters=[MostViewedParams],
        responses={
            200: OpenApiResponse(
                MostViewedSerializer,
                description="The period and its ranked articles (may be none).",
            ),
            (400, PROBLEM_TYPE): PROBLEM,
            (404, PROBLEM_TYPE): PROBLEM,
        },
        summary="The most viewed articles of a period",
        description="Ranked by views in the period, most first (the newer "
        "article first on a tie); articles not viewed in the period are left "
        "out. An unknown category is 404.",
    )
    def get(self, request: Request) -> Response:
        params = validated_params(request, MostViewedParams)
        period, limit = params["period"], params["limit"]
        parent = None
        if "category" in params:
            parent = visible_category(params["category"])
        ranked = most_viewed(
            period=period,
            limit=limit,
            page_ids=selectors.visible_articles().values("pk"),
            parent=parent,
        )
        rows = (
            selectors.visible_articles()
            .only(*representation.SUMMARY_COLUMNS)
            .in_bulk([pk for pk, _ in ranked])
        )
        # An article unpublished since the ranking was read is left out.
        articles = [rows[pk] for pk, _ in ranked if pk in rows]
        results = representation.article_summaries(
            articles, request=request, period_views=dict(ranked)
        )
        return Response({"period": period, "results": results})
