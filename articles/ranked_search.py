"""Relevance-ordered search on SQLite without a per-row ranking subquery.

Wagtail's SQLite backend (``modelsearch``) orders by relevance through a
correlated subquery that runs the FTS5 ``MATCH`` again for every candidate row
(bench/README.md has what that cost). Here the match
runs once, for every matching entry's BM25 score; a second query keeps the
matches the caller's queryset allows; the order (score, then newest id, as the
backend orders) is made in Python and only the page asked for is loaded. The
query, the ranking expression and the index tables are the backend's own.
"""

from django.db.models import QuerySet
from modelsearch.backends.base import BaseSearchResults
from modelsearch.utils import get_descendants_content_types_pks

from articles.results import ArticleResults, rows_in_order

#: Ids per ``IN (...)`` list: SQLite refuses more than 32,766 parameters.
ID_BATCH = 10_000


def ranked_on_sqlite(
    results: BaseSearchResults, *, allowed: QuerySet, rows: QuerySet
) -> ArticleResults:
    """``results`` (a relevance-ordered search of Wagtail's SQLite backend) in
    that order: the matches that ``allowed`` holds, from ``rows``."""
    from modelsearch.backends.database.sqlite.query import MatchExpression, normalize
    from modelsearch.backends.database.sqlite.sqlite import SQLiteFTSIndexEntry

    compiler = results.query_compiler
    config = compiler.get_config(results.backend)
    query = compiler.build_search_query(normalize(compiler.query), config=config)
    scored = SQLiteFTSIndexEntry.objects.filter(
        MatchExpression(compiler.fields or compiler.FTS_TABLE_FIELDS, query)
    ).annotate(
        score=compiler._build_rank_expression(compiler.get_search_vectors(), config)
    )
    # The content type is tested here, not in SQL: with it in the WHERE clause
    # SQLite walks the entries by content type and runs the MATCH for each.
    types = set(get_descendants_content_types_pks(compiler.queryset.model))
    scores = {
        int(pk): score
        for pk, content_type, score in scored.values_list(
            "index_entry__object_id", "index_entry__content_type", "score"
        )
        if content_type in types
    }
    # The matches as a list, tested against ``allowed`` directly: in the
    # backend's shape (``pk IN (allowed)``) SQLite's plan is far slower.
    matches = list(scores)
    pks = []
    for start in range(0, len(matches), ID_BATCH):
        batch = matches[start : start + ID_BATCH]
        pks += allowed.order_by().filter(pk__in=batch).values_list("pk", flat=True)
    # The backend's order: lower BM25 first (SQLite's bm25() is negative), then -pk.
    pks.sort(key=lambda pk: (scores[pk], -pk))
    return ArticleResults(
        count=lambda: len(pks), page=lambda part: rows_in_order(rows, pks[part])
    )
