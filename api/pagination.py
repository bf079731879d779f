"""Page-number pagination (docs/api.md): ``page``, ``page_size`` (20, max 100)."""

from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination


class ArticlePagination(PageNumberPagination):
    """``{"count", "next", "previous", "results"}``; a page past the end is 404.

    Parameters are validated beforehand (``api.serializers.ArticleListParams``),
    so only a page past the last one can fail here. Results that can count and
    fetch a page in one query (``articles.results.ArticleResults``) are told
    which page beforehand.
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        if hasattr(queryset, "expect"):
            size = self.get_page_size(request)
            number = int(request.query_params.get(self.page_query_param, 1))
            queryset.expect(slice((number - 1) * size, number * size))
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as error:
            # Name the parameter, as every other parameter error does.
            raise PageNotFound(str(error.detail)) from None


class PageNotFound(NotFound):
    """A page number past the last page (404), naming ``page``."""

    parameter = "page"
