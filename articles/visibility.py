"""The articles a reader may not see, as one small, index-driven subquery.

A reader sees an article when it is published (``published_at`` set and past),
its page is live, not expired and not scheduled for later, no view restriction
covers it or a page above it, and its category is live and current. Tested row
by row, that means joining every article to its page and testing a category
and a restriction per row: over 100,000 articles an exact count of the visible
ones took most of a list request.

Hidden articles are few, and each way of being hidden can be found through an
index: ``published_at`` (``article_published_id``), the page's ``live``,
``expire_at`` and ``go_live_at`` (the partial indexes of migration 0003), the
subtree of a restricted page or of a hidden category (a range of ``path``).
So "visible" is written as "not among the hidden": a count of visible articles
is a count over one index with a hashed ``NOT IN``, and a search can leave out
hidden articles without joining the pages at all.
"""

from datetime import datetime

from django.db import connection
from django.db.models.expressions import RawSQL
from wagtail.models import Page, PageViewRestriction

from articles.models import ArticlePage, CategoryPage

#: Above every character of a treebeard path (digits and capitals): the paths
#: of a page and of its descendants are exactly those in [path, path || "~").
PATH_END = "~"
assert max(Page.alphabet) < PATH_END

_HIDDEN_SQL = """
WITH hidden_pages AS (
    -- One select per partial index: SQLite scans every page for an OR.
    SELECT id, path, depth FROM {page} WHERE NOT live
    UNION SELECT id, path, depth FROM {page} WHERE expire_at <= %s
    UNION SELECT id, path, depth FROM {page} WHERE go_live_at > %s
)
SELECT page_ptr_id FROM {article}
    WHERE published_at IS NULL OR published_at > %s
UNION ALL
SELECT id FROM hidden_pages
UNION ALL
SELECT p.id FROM {restriction} r
    JOIN {page} rp ON rp.id = r.page_id
    JOIN {page} p ON p.path >= rp.path AND p.path < rp.path || '{end}'
UNION ALL
SELECT p.id FROM hidden_pages cp
    JOIN {category} c ON c.page_ptr_id = cp.id
    JOIN {page} p ON p.path > cp.path AND p.path < cp.path || '{end}'
        AND p.depth = cp.depth + 1
"""


def hidden_article_ids(*, now: datetime) -> RawSQL:
    """Ids of the articles (and other pages) a reader may not see at ``now``.

    For ``pk__in``/``exclude(pk__in=...)`` on any model keyed by article id.
    Holds every page that is not live, expired or scheduled, not only
    articles; an id may appear more than once.
    """
    quote = connection.ops.quote_name
    sql = _HIDDEN_SQL.format(
        page=quote(Page._meta.db_table),
        article=quote(ArticlePage._meta.db_table),
        restriction=quote(PageViewRestriction._meta.db_table),
        category=quote(CategoryPage._meta.db_table),
        end=PATH_END,
    )
    at = connection.ops.adapt_datetimefield_value(now)
    return RawSQL(sql, (at, at, at))
