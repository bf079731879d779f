"""Page-number pagination of API.md: ``page``, ``page_size`` (20, max 100)."""

from django.db.models import QuerySet
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination


class ArticlePagination(PageNumberPagination):
    """``{"count", "next", "previous", "results"}``; a page past the end is 404.

    Parameters are validated beforehand (``api.serializers.ArticleListParams``),
    so only a page past the last one can fail here.
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as error:
            # Name the parameter, as every other parameter error does.
            raise PageNotFound(str(error.detail)) from None


class PageNotFound(NotFound):
    """A page number past the last page (404), naming ``page``."""

    parameter = "page"


class Counted:
    """``queryset`` with its count known beforehand, for the paginator (which
    would otherwise run ``queryset.count()``)."""

    def __init__(self, queryset: QuerySet, *, count: int):
        self.queryset = queryset
        self._count = count

    @property
    def ordered(self) -> bool:
        return self.queryset.ordered

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):
        return self.queryset[index]
