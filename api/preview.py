"""``GET /api/v1/preview/?token=``: an editor's draft, shaped as an Article.

The token comes from the admin's "Preview" (``articles.previews``); it is the
only way a draft is reachable. The answer is never cached: ``no-store`` keeps
it out of browsers and CDNs, and ``api.caching`` adds no ETag to a response
that already says how to cache it.
"""

from django.utils.cache import patch_cache_control
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from wagtail.models import Page

from api.documents import article_context
from api.errors import PROBLEM_CONTENT_TYPE, problem_response
from api.images import images_with_renditions
from api.serializers import ArticleSerializer
from api.views import PROBLEM, ReadView, validated_params
from articles import selectors
from articles.detail_reads import neighbours_of
from articles.models import ArticlePage
from articles.previews import InvalidPreviewToken, previewed_article
from counters.selectors import view_count


class PreviewParams(serializers.Serializer):
    token = serializers.RegexField(
        r"^[^\x00]+$",  # as the schema says: no NUL (no token holds one)
        max_length=200,
        # Taken as sent: a token of spaces is a token that opens nothing (403),
        # as the schema (minLength 1) says, not a missing one (400).
        trim_whitespace=False,
        help_text="The preview token the admin's Preview put in the frontend's "
        "preview URL; valid for PREVIEW_TOKEN_MAX_AGE seconds (default 1 h).",
    )


class ArticlePreviewSerializer(ArticleSerializer):
    """The Article, as it would be if the draft were published now."""

    preview = serializers.SerializerMethodField()

    def get_preview(self, article) -> bool:
        return True


class PreviewView(ReadView):
    serializer_class = ArticlePreviewSerializer

    @extend_schema(
        operation_id="preview_retrieve",
        parameters=[PreviewParams],
        responses={
            200: ArticlePreviewSerializer,
            (400, PROBLEM_CONTENT_TYPE): PROBLEM,
            (403, PROBLEM_CONTENT_TYPE): PROBLEM,
        },
        summary="An editor's draft by preview token (never cached)",
        description="A missing token is a 400; a forged, expired or revoked one "
        "a 403; both name `token` in `errors`. `updated_at` (and `published_at` "
        "of a draft never published) is the time of the request.",
    )
    def get(self, request: Request) -> Response:
        params = validated_params(request, PreviewParams)
        try:
            article = previewed_article(token=params["token"])
        except InvalidPreviewToken as error:
            # A well-formed token that opens nothing is refused (403), like a
            # bad credential; a missing one is a bad request (400).
            return problem_response(
                status_code=403, detail=str(error), errors={"token": [str(error)]}
            )
        category = selectors.visible_categories().filter(
            path=article.path[: -Page.steplen]
        )
        # A hidden category hides every other article in it.
        neighbours = neighbours_of(article=article) if category.exists() else None
        context = article_context(
            _with_api_data(article), request=request, neighbours=neighbours
        )
        response = Response(ArticlePreviewSerializer(article, context=context).data)
        patch_cache_control(response, no_store=True)
        return response


def _with_api_data(article: ArticlePage) -> ArticlePage:
    """What ``api.queries.with_article_data`` adds to a stored article."""
    article.view_count = view_count(page=article)
    if article.feature_image_id is not None:
        images = images_with_renditions([article.feature_image_id])
        article.feature_image = images.get(article.feature_image_id)
    return article
