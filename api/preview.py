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

from api.errors import PROBLEM_CONTENT_TYPE, problem_response
from api.representation import preview_detail
from api.serializers import ArticlePreviewSerializer
from api.views import PROBLEM, ReadView, validated_params
from articles.previews import InvalidPreviewToken, previewed_article


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
        response = Response(preview_detail(article, request=request))
        patch_cache_control(response, no_store=True)
        return response
