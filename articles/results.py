"""Articles in a known order, paged like a queryset where a queryset would be
slow: the list with its count known beforehand, and search results ranked on
SQLite or PostgreSQL. Django's paginator counts and slices them."""

from collections.abc import Callable, Sequence

from django.db.models import QuerySet

Page = Callable[[slice], list]


class ArticleResults(Sequence):
    """``count()`` and slices for a paginator.

    ``count`` says how many there are; ``page`` gives the rows of a slice, in
    order. ``count_and_page``, when given, does both in one query once
    :meth:`expect` has named the slice the caller will ask for (a paginator
    counts first, then slices).
    """

    ordered = True  # the paginator warns about unordered querysets
    #: Set by the counting callables when the count is an estimate (a search
    #: matching much of the archive: ``articles.pg_search``).
    count_is_estimate = False

    def __init__(
        self,
        *,
        count: Callable[[], int],
        page: Page,
        count_and_page: Callable[[slice], tuple[int, list]] | None = None,
    ):
        self._count_of = count
        self._page = page
        self._count_and_page = count_and_page
        self._expected: slice | None = None
        self._expected_rows: list | None = None
        self._count: int | None = None

    def expect(self, wanted: slice) -> None:
        self._expected = wanted

    def count(self) -> int:
        if self._count is None:
            if self._expected is not None and self._count_and_page is not None:
                self._count, self._expected_rows = self._count_and_page(self._expected)
            else:
                self._count = self._count_of()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        expected, start = self._expected, index.start or 0
        if (
            self._expected_rows is not None
            and index.step is None
            and expected.start <= start
            and index.stop is not None
            and index.stop <= expected.stop
        ):
            return self._expected_rows[
                start - expected.start : index.stop - expected.start
            ]
        return self._page(index)


def counted(queryset: QuerySet, *, count: int) -> ArticleResults:
    """An ordered ``queryset`` whose count is known (never counted again)."""
    return ArticleResults(count=lambda: count, page=lambda part: list(queryset[part]))


def rows_in_order(rows: QuerySet, pks: list[int]) -> list:
    """The rows of ``rows`` with ids ``pks``, in that order (one query, none
    for no ids); ids no longer found are left out."""
    found = rows.in_bulk(pks) if pks else {}
    return [found[pk] for pk in pks if pk in found]
