"""Page-number pagination (docs/api.md): ``page``, ``page_size`` (20, max 100),
and the pages' links in the body (``next``, ``previous``) and in an RFC 8288
``Link`` header (``next``, ``prev``, ``first``, ``last``)."""

from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param


class ArticlePagination(PageNumberPagination):
    """``{"count", "count_is_estimate", "next", "previous", "results"}``; a
    page past the end is 404.

    Parameters are validated beforehand (``api.serializers.ArticleListParams``),
    so only a page past the last one can fail here. Results that can count and
    fetch a page in one query (``articles.results.ArticleResults``) are told
    which page beforehand.
    """

    #: Docs of the flag (docs/api.md): a search matching much of the archive.
    ESTIMATE = (
        "True when `count` is an estimate: a search matching much of the "
        "archive is counted from a sample (its pages near the estimated end "
        "may be short or empty). Otherwise false: `count` is exact."
    )
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        self.count_is_estimate = False
        if hasattr(queryset, "expect"):
            size = self.get_page_size(request)
            number = int(request.query_params.get(self.page_query_param, 1))
            queryset.expect(slice((number - 1) * size, number * size))
        try:
            page = super().paginate_queryset(queryset, request, view)
        except NotFound as error:
            # Name the parameter, as every other parameter error does.
            raise PageNotFound(str(error.detail)) from None
        self.count_is_estimate = getattr(queryset, "count_is_estimate", False)
        return page

    def get_paginated_response(self, data):
        response = Response(
            {
                "count": self.page.paginator.count,
                "count_is_estimate": self.count_is_estimate,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )
        response["Link"] = self.link_header()
        return response

    def get_paginated_response_schema(self, schema):
        answer = super().get_paginated_response_schema(schema)
        properties = answer["properties"]
        answer["properties"] = {
            "count": properties["count"],
            "count_is_estimate": {"type": "boolean", "description": self.ESTIMATE},
            **{key: value for key, value in properties.items() if key != "count"},
        }
        answer["required"] = [*answer.get("required", []), "count_is_estimate"]
        return answer

    def link_header(self) -> str:
        """RFC 8288 links to the next, previous, first and last pages (the
        first page's URL without ``page``, as ``previous`` in the body)."""
        url = self.request.build_absolute_uri()
        number = self.page.number
        last = self.page.paginator.num_pages

        def page_url(n: int) -> str:
            if n == 1:
                return remove_query_param(url, self.page_query_param)
            return replace_query_param(url, self.page_query_param, n)

        links = []
        if number < last:
            links.append((page_url(number + 1), "next"))
        if number > 1:
            links.append((page_url(number - 1), "prev"))
        links += [(page_url(1), "first"), (page_url(last), "last")]
        return ", ".join(f'<{target}>; rel="{rel}"' for target, rel in links)


class PageNotFound(NotFound):
    """A page number past the last page (404), naming ``page``."""

    parameter = "page"
