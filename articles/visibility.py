"""What a reader may see: the rules, once, and every form the reads need.

A reader sees an article when it is published (``published_at`` set and
reached), its page is live, not expired and not scheduled for later, no view
restriction covers it or a page above it, and its category is live, not
expired and not scheduled for later. A category is shown by the same page
rules and restrictions.

The rules on a page's own columns are :data:`PAGE_RULES` and
:data:`PUBLISHED`; each :class:`Rule` writes itself as an ORM ``Q``, as SQL
that keeps the pages it allows and as SQL that finds the pages it hides. The
restriction rule ("a restriction covers its page's subtree") is written in
its three forms beside them. Every read takes its form from here:
``articles.selectors`` (ORM), ``articles.detail_reads`` (SQL of the detail and
neighbours), ``articles.pg_search`` and the counts (:func:`hidden_article_ids`).

Hidden articles are few, and each way of being hidden can be found through an
index: ``published_at`` (``article_published_id``), the page's ``live``,
``expire_at`` and ``go_live_at`` (the partial indexes of migration 0003), the
subtree of a restricted page or of a hidden category (a range of ``path``).
So "visible" is written as "not among the hidden" where a whole set is read:
a count of visible articles is a count over one index with a hashed
``NOT IN``, and a search can leave out hidden articles without joining the
pages at all.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length, Substr
from wagtail.models import Page, PageViewRestriction

from articles.models import ArticlePage, CategoryPage

#: Above every character of a treebeard path (digits and capitals): the paths
#: of a page and of its descendants are exactly those in [path, path || "~").
PATH_END = "~"
assert max(Page.alphabet) < PATH_END


@dataclass(frozen=True)
class Rule:
    """A column a shown page passes: a flag that is true (``test`` "true"),
    or a time reached by now ("reached") or still ahead of now ("ahead");
    ``unset_passes``: whether a time not set passes."""

    column: str
    test: str
    unset_passes: bool = False

    def q(self, *, now: datetime) -> Q:
        """The ORM form: the pages that pass."""
        if self.test == "true":
            return Q(**{self.column: True})
        lookup = "lte" if self.test == "reached" else "gt"
        passes = Q(**{f"{self.column}__{lookup}": now})
        if self.unset_passes:
            return Q(**{f"{self.column}__isnull": True}) | passes
        return passes

    def shown_sql(self, alias: str) -> str:
        """SQL keeping the pages that pass, on table ``alias``; one
        parameter: True for a flag, else now."""
        column = f"{alias}.{self.column}"
        if self.test == "true":
            return f"{column} = %s"
        passes = f"{column} {'<=' if self.test == 'reached' else '>'} %s"
        if self.unset_passes:
            return f"({column} IS NULL OR {passes})"
        return f"{column} IS NOT NULL AND {passes}"

    def hidden_sql(self) -> str:
        """SQL finding the rows that fail, on the table itself (the form each
        partial index holds); no parameter for a flag, else now."""
        if self.test == "true":
            return f"NOT {self.column}"
        fails = f"{self.column} {'>' if self.test == 'reached' else '<='} %s"
        return fails if self.unset_passes else f"{self.column} IS NULL OR {fails}"

    def param(self, now):
        return True if self.test == "true" else now


#: The rules on a page's own columns (articles and categories alike).
PAGE_RULES = (
    Rule("live", "true"),
    Rule("expire_at", "ahead", unset_passes=True),
    Rule("go_live_at", "reached", unset_passes=True),
)
#: An article's own rule: published, and not for later.
PUBLISHED = Rule("published_at", "reached")


def page_rules_q(*, now: datetime) -> Q:
    q = Q()
    for rule in PAGE_RULES:
        q &= rule.q(now=now)
    return q


def page_rules_sql(alias: str) -> str:
    """The page rules on table ``alias``; parameters :func:`page_rules_params`."""
    return " AND ".join(rule.shown_sql(alias) for rule in PAGE_RULES)


def page_rules_params(now) -> list:
    return [rule.param(now) for rule in PAGE_RULES]


# --- a view restriction covers its page and every page below it ---------------


def unrestricted_q() -> Q:
    """No restriction on the page or above it, as a subquery (a restricted
    page's path is a prefix of the page's path): no extra query, unlike
    ``PageQuerySet.public``."""
    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    return ~Exists(restricted)


def unrestricted_sql(alias: str) -> str:
    """:func:`unrestricted_q` in SQL, on table ``alias``."""
    return (
        f"NOT EXISTS (SELECT 1 FROM {_TABLES['restriction']} r"
        f" JOIN {_TABLES['page']} rp ON rp.id = r.page_id"
        f" WHERE rp.path = substr({alias}.path, 1, length(rp.path)))"
    )


def unrestricted_itself_sql(alias: str) -> str:
    """No restriction on the page itself: enough below a page known to be
    unrestricted (an article's siblings, their category shown)."""
    return (
        f"NOT EXISTS (SELECT 1 FROM {_TABLES['restriction']} r"
        f" WHERE r.page_id = {alias}.id)"
    )


def shown_page_q(*, now: datetime) -> Q:
    """A page (a category) a reader may see, as a filter."""
    return page_rules_q(now=now) & unrestricted_q()


# --- the hidden articles, as one subquery ----------------------------------------

_TABLES = {
    name: connection.ops.quote_name(model._meta.db_table)
    for name, model in (
        ("page", Page),
        ("article", ArticlePage),
        ("category", CategoryPage),
        ("restriction", PageViewRestriction),
    )
}
_HIDDEN_PAGES = "\n    UNION ".join(
    f"SELECT id, path, depth FROM {{page}} WHERE {rule.hidden_sql()}"
    for rule in PAGE_RULES
)
_HIDDEN = f"""
WITH hidden_pages AS (
    -- One select per partial index: SQLite scans every page for an OR.
    {_HIDDEN_PAGES}
)
SELECT page_ptr_id FROM {{article}}
    WHERE {PUBLISHED.hidden_sql()}
UNION ALL
SELECT id FROM hidden_pages
UNION ALL
SELECT p.id FROM {{restriction}} r
    JOIN {{page}} rp ON rp.id = r.page_id
    JOIN {{page}} p ON p.path >= rp.path AND p.path < rp.path || '{PATH_END}'
UNION ALL
SELECT p.id FROM hidden_pages cp
    JOIN {{category}} c ON c.page_ptr_id = cp.id
    JOIN {{page}} p ON p.path > cp.path AND p.path < cp.path || '{PATH_END}'
        AND p.depth = cp.depth + 1
""".format(**_TABLES)


def hidden_article_ids(*, now: datetime) -> RawSQL:
    """Ids of the articles (and other pages) a reader may not see at ``now``.

    For ``pk__in``/``exclude(pk__in=...)`` on any model keyed by article id.
    Holds every page that is not live, expired or scheduled, not only
    articles; an id may appear more than once.
    """
    at = connection.ops.adapt_datetimefield_value(now)
    params = [at for rule in PAGE_RULES if rule.test != "true"]
    return RawSQL(_HIDDEN, (*params, at))
