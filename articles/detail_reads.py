"""One article a reader may see, and its neighbours, each in one SQL statement.

An article's detail needs the article (by id or slug) if a reader may see it,
its category, and its newer, older and newest other articles. Built with the
ORM, with the visibility rules as subqueries, those queries took several times
longer to build than to run, and every detail request builds them; so they are
written out here in SQL, from the rules of ``articles.visibility``:

- the article: live, not expired, not scheduled for later, ``published_at``
  set and reached, no view restriction on it or on any page above it, and its
  category live, not expired and not scheduled for later;
- a neighbour: the same rules in a category already known to be visible, so
  only its own page rules and a restriction on itself are left to test.

tests/api/test_visibility.py runs every rule through the detail endpoint, its
neighbours and the list (which uses ``visible_articles``).
"""

from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone
from wagtail.models import Page

from articles.models import VERSION_FIELDS, ArticlePage, CategoryPage
from articles.visibility import (
    PUBLISHED,
    page_rules_params,
    page_rules_sql,
    unrestricted_itself_sql,
    unrestricted_sql,
)
from cms.replicas import read_connection

RELATED = 5  # how many of the newest other articles of the category
_STEP = Page.steplen
_ARTICLE_FIELDS = ("id", "slug", "title", "path", "depth", "url_path")
_ARTICLE_FIELDS += ("published_at", *VERSION_FIELDS)
_LINK_FIELDS = ("id", "slug", "title", "url_path", "path", "depth")
_TIMES = ("published_at", "last_published_at")
# Backends return times as they store them (SQLite: text); convert as the ORM.
_TIME = ArticlePage._meta.get_field("published_at").cached_col

_TABLES = {
    "page": connection.ops.quote_name(Page._meta.db_table),
    "article": connection.ops.quote_name(ArticlePage._meta.db_table),
    "category": connection.ops.quote_name(CategoryPage._meta.db_table),
}

# The article (page p, article a) and its category (page c), every rule of
# articles.visibility; parameters: the id or slug, then _article_params.
_ARTICLE = f"""
SELECT p.id, p.slug, p.title, p.path, p.depth, p.url_path,
       p.last_published_at, p.live_revision_id, a.published_at,
       c.id AS category_id, c.slug AS category_slug, c.title AS category_title
FROM {{page}} p
JOIN {{article}} a ON a.page_ptr_id = p.id
JOIN {{page}} c ON c.path = substr(p.path, 1, length(p.path) - {_STEP})
JOIN {{category}} cc ON cc.page_ptr_id = c.id
WHERE p.{{lookup}} = %s AND {page_rules_sql("p")}
  AND {PUBLISHED.shown_sql("a")}
  AND {page_rules_sql("c")}
  AND {unrestricted_sql("p")}
"""

# A sibling in a category known to be shown: its own page rules and no
# restriction on itself (one above it would hide the article too). Parameters:
# path pattern, depth, the article's id, page_rules_params, then the where's.
_NEIGHBOURS_PART = f"""
SELECT * FROM (
    SELECT '{{kind}}' AS kind, p.id, p.slug, p.title,
           p.url_path, p.path, p.depth, a.published_at
    FROM {{page}} p JOIN {{article}} a ON a.page_ptr_id = p.id
    WHERE p.path LIKE %s AND p.depth = %s AND p.id <> %s AND {page_rules_sql("p")}
      AND {unrestricted_itself_sql("p")}
      {{where}}
    ORDER BY {{order}} LIMIT {{limit}}
) {{kind}}
"""
# PUBLISHED, and (published_at, id) after or before the article's, written
# with one bound on each side of published_at, so that both databases walk
# the (published_at, id) index from the article and stop at the first rows
# (given two upper bounds, SQLite took "now" and walked every newer row).
# Parameters: now; key, now, key, id; earlier of key and now, key, id.
_PUBLISHED = "AND a.published_at <= %s"
_AFTER = (
    "AND a.published_at >= %s AND a.published_at <= %s"
    " AND (a.published_at > %s OR a.page_ptr_id > %s)"
)
_BEFORE = "AND a.published_at <= %s AND (a.published_at < %s OR a.page_ptr_id < %s)"
_NEWEST_FIRST = "a.published_at DESC, a.page_ptr_id DESC"

_SQL = {
    "id": _ARTICLE.format(**_TABLES, lookup="id"),
    "slug": _ARTICLE.format(**_TABLES, lookup="slug"),
    "neighbours": " UNION ALL ".join(
        _NEIGHBOURS_PART.format(
            **_TABLES, kind=kind, where=where, order=order, limit=limit
        )
        for kind, where, order, limit in (
            ("newer", _AFTER, "a.published_at, a.page_ptr_id", 1),
            ("older", _BEFORE, _NEWEST_FIRST, 1),
            ("related", _PUBLISHED, _NEWEST_FIRST, RELATED),
        )
    ),
}


def visible_article(*, pk: int | None = None, slug: str | None = None):
    """The article with id ``pk`` or slug ``slug`` if a reader may see it,
    else ``None``: an unsaved ``ArticlePage`` holding only its id, slug,
    title, tree position, ``url_path``, publication fields and
    ``live_revision_id``, plus
    ``category_id``, ``category_slug`` and ``category_title``."""
    lookup, value = ("id", pk) if slug is None else ("slug", slug)
    now = _now()
    rules = page_rules_params(now)
    rows = _rows(_SQL[lookup], [value, *rules, PUBLISHED.param(now), *rules])
    if not rows:
        return None
    row = rows[0]
    article = ArticlePage(
        **{name: row[name] for name in _ARTICLE_FIELDS}, page_ptr_id=row["id"]
    )
    for name in ("category_id", "category_slug", "category_title"):
        setattr(article, name, row[name])
    return article


@dataclass(frozen=True)
class Neighbours:
    """Pages with ``id``, ``slug``, ``title``, ``url_path``, ``path``, ``depth``
    and ``published_at`` set."""

    newer: Page | None = None
    older: Page | None = None
    related: list[Page] = field(default_factory=list)


def neighbours_of(*, article: ArticlePage) -> Neighbours:
    """The newer and older article of ``article``'s category by
    (``published_at``, id), and its :data:`RELATED` newest other articles,
    in one query. The category must be visible (see the module's docstring);
    ``article`` may be a draft with another ``published_at`` than its row."""
    adapt = connection.ops.adapt_datetimefield_value
    at = timezone.now()
    published = article.published_at or at  # a draft never published: now
    now, key, before = adapt(at), adapt(published), adapt(min(published, at))
    siblings = [f"{article.path[:-_STEP]}%", article.depth, article.pk]
    siblings += page_rules_params(now)
    params = [*siblings, key, now, key, article.pk]
    params += [*siblings, before, key, article.pk]
    params += [*siblings, now]
    found: dict[str, list[Page]] = {"newer": [], "older": [], "related": []}
    for row in _rows(_SQL["neighbours"], params):
        # A Page is enough to give the URL (``get_url_parts``), and cheaper.
        page = Page(**{name: row[name] for name in _LINK_FIELDS})
        page.published_at = row["published_at"]
        found[row["kind"]].append(page)
    # UNION ALL keeps no order of its own: sort the newest first again.
    related = sorted(found["related"], key=lambda a: (a.published_at, a.pk))
    return Neighbours(
        newer=next(iter(found["newer"]), None),
        older=next(iter(found["older"]), None),
        related=related[::-1],
    )


def _rows(sql: str, params: list) -> list[dict]:
    """The rows of ``sql`` as dicts, times as aware datetimes on every backend."""
    reads = read_connection()
    with reads.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    convert = connection.ops.get_db_converters(_TIME)
    for row in rows:
        for name in _TIMES:
            if name in row:
                for converter in convert:
                    row[name] = converter(row[name], _TIME, reads)
    return rows


def _now():
    return connection.ops.adapt_datetimefield_value(timezone.now())
