"""The API's shapes for the OpenAPI schema, and the list's parameters.

The answers themselves are built by ``api.representation`` (articles and
categories) and the views; these serializers only describe them (as
``api.images.ImageSerializer`` does the Image object).
"""

from datetime import UTC, datetime

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.body import BODY_SCHEMA
from api.change_feed import CURSOR, CURSOR_MAX_LENGTH, CURSOR_PATTERN, INVALID_CURSOR
from api.images import ImageSerializer
from articles.selectors import ORDERINGS, search_query_words


class CategoryRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()


class CategorySerializer(CategoryRefSerializer):
    description = serializers.CharField(allow_blank=True)
    url = serializers.CharField(read_only=True)
    article_count = serializers.IntegerField(read_only=True)


class ArticleLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField(read_only=True)
    published_at = serializers.DateTimeField()


class ArticleSummarySerializer(ArticleLinkSerializer):
    """An article in lists."""

    excerpt = serializers.CharField(allow_blank=True)
    category = CategoryRefSerializer(read_only=True)
    tags = serializers.ListField(child=serializers.CharField(), read_only=True)
    updated_at = serializers.DateTimeField()
    feature_image = ImageSerializer(allow_null=True, read_only=True)
    view_count = serializers.IntegerField()


class SeoSerializer(serializers.Serializer):
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)


@extend_schema_field(BODY_SCHEMA)
class BodyField(serializers.ReadOnlyField):
    """The body's typed blocks (``api.body``)."""


class ArticleSerializer(ArticleSummarySerializer):
    """The full article."""

    body = BodyField()
    body_html = serializers.CharField(read_only=True)
    newer = ArticleLinkSerializer(allow_null=True, read_only=True)
    older = ArticleLinkSerializer(allow_null=True, read_only=True)
    related = ArticleLinkSerializer(many=True, read_only=True)
    seo = SeoSerializer(read_only=True)


class ArticlePreviewSerializer(ArticleSerializer):
    """The Article, as it would be if the draft were published now."""

    preview = serializers.BooleanField(read_only=True)


class ChangeSerializer(serializers.Serializer):
    """A change readers can see: an object shown or shown differently
    (``upsert``, with its current shape), or no longer shown (``delete``)."""

    id = serializers.IntegerField(help_text="The article's or category's id.")
    kind = serializers.ChoiceField(choices=["article", "category"])
    action = serializers.ChoiceField(choices=["upsert", "delete"])
    at = serializers.DateTimeField(help_text="When the change was recorded.")
    article = ArticleSummarySerializer(
        required=False, help_text="An article's upsert: its summary, as the list shows."
    )
    category = CategorySerializer(
        required=False, help_text="A category's upsert: the Category."
    )
    slug = serializers.CharField(
        required=False, help_text="A delete: the slug it had (with `id`, nothing else)."
    )


class ChangeListSerializer(serializers.Serializer):
    changes = ChangeSerializer(many=True)
    next_cursor = serializers.CharField(
        help_text="Give it as `since` next time (also when `changes` is empty)."
    )
    has_more = serializers.BooleanField(
        help_text="More changes follow at once: ask again with `next_cursor`."
    )


@extend_schema_field(
    {"type": "string", "maxLength": CURSOR_MAX_LENGTH, "pattern": CURSOR_PATTERN}
)
class CursorField(serializers.Field):
    """A cursor, or empty (from the beginning): the pattern allows both. Not
    a CharField, to which drf-spectacular adds ``minLength`` or a ``oneOf`` an
    empty value matches twice."""

    def to_internal_value(self, data) -> str:
        if not isinstance(data, str) or not CURSOR.fullmatch(data):
            raise serializers.ValidationError(INVALID_CURSOR)
        return data

    def to_representation(self, value) -> str:
        return value


class ChangeParams(serializers.Serializer):
    """Query parameters of ``GET /api/v1/changes/``."""

    since = CursorField(
        required=False,
        help_text="The `next_cursor` of the last answer; left out or empty: from "
        "the beginning (a full sync, in pages). A cursor older than the kept "
        "changes, or given before the database was restored from a backup, "
        "answers 410.",
    )
    limit = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=500,
        help_text="Changes per answer: default 100, at most 500.",
    )


class SiteSerializer(serializers.Serializer):
    name = serializers.CharField()
    language = serializers.CharField(help_text="BCP 47 language code.")
    timezone = serializers.CharField(help_text="IANA time zone of all times.")
    visit_count = serializers.IntegerField(help_text="The portal's visit counter.")
    article_count = serializers.IntegerField()


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details, served as ``application/problem+json``."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Messages by query parameter name: 400; 403 of the preview; "
        "404 of a `page` past the last one.",
    )


class PublicationTimeField(serializers.DateTimeField):
    """An ISO 8601 date or datetime (a date is its midnight, site time).

    Times in year 1 or 9999 overflow when shifted between zones; no article is
    that old or that new, so they are clamped, which changes no result.
    """

    earliest = datetime(2, 1, 1, tzinfo=UTC)
    latest = datetime(9998, 12, 31, tzinfo=UTC)

    def enforce_timezone(self, value: datetime) -> datetime:
        if value.year <= 1:
            return self.earliest
        if value.year >= 9999:
            return self.latest
        return super().enforce_timezone(value)


#: The letters and digits a search needs one of, spelled out: in a schema's
#: pattern ``\w`` means ASCII to JavaScript and to schema tools, any letter to
#: Python. Latin letters (Vietnamese included) and digits, each of which folds
#: to a word character (``articles.vietnamese.fold_for_search``).
SEARCH_LETTERS = r"0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"


#: The keys a sparse fieldset (``fields``) may name: the ArticleSummary's.
SUMMARY_FIELDS = tuple(ArticleSummarySerializer().fields)
_FIELD = "|".join(SUMMARY_FIELDS)
#: ``ids``: at most this many, comma-separated, each from 1.
MAX_IDS = 100
MAX_ID = 2**31 - 1
IDS_PATTERN = rf"^[1-9][0-9]{{0,18}}(,[1-9][0-9]{{0,18}}){{0,{MAX_IDS - 1}}}$"


@extend_schema_field(
    {"type": "string", "pattern": rf"^({_FIELD})(,({_FIELD}))*$", "maxLength": 300}
)
class FieldsParam(serializers.CharField):
    """``fields``: the schema lists the names; the server names unknown ones."""


class ArticleListParams(serializers.Serializer):
    """Query parameters of ``GET /api/v1/articles/``; anything else is a 400."""

    page = serializers.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, help_text="1-based page."
    )
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=100, help_text="Default 20, max 100."
    )
    category = serializers.SlugField(
        required=False, max_length=255, help_text="A category's slug."
    )
    # Patterns say in the schema what the server refuses: a NUL character
    # (no database stores one). Values are taken as sent, spaces included, so
    # that maxLength means what it says.
    tag = serializers.RegexField(
        r"^[^\x00]+$",
        required=False,
        max_length=100,
        trim_whitespace=False,
        help_text="Tag name, exactly.",
    )
    search = serializers.RegexField(
        rf"^[^\x00]*[{SEARCH_LETTERS}][^\x00]*$",
        required=False,
        max_length=200,
        trim_whitespace=False,
        error_messages={"invalid": "Give at least one letter or digit."},
        help_text="Words to find in title, excerpt and body, with or without "
        "Vietnamese marks; results are ordered by relevance. At least one Latin "
        "letter (Vietnamese included) or digit.",
    )
    published_after = PublicationTimeField(
        required=False,
        help_text="ISO 8601 date or datetime; articles published at or after it "
        "(a date means its midnight, site time).",
    )
    published_before = PublicationTimeField(
        required=False,
        help_text="ISO 8601 date or datetime; articles published strictly before it.",
    )
    ordering = serializers.ChoiceField(
        required=False, choices=list(ORDERINGS), help_text="Ignored when searching."
    )
    fields = FieldsParam(
        required=False,
        max_length=300,
        help_text="Sparse fieldsets: each result holds only these ArticleSummary "
        "keys (comma-separated; in the shape's order whatever the order asked), "
        "e.g. `id,title,updated_at`. An unknown name is a 400 naming it.",
    )
    ids = serializers.RegexField(
        IDS_PATTERN,
        required=False,
        error_messages={
            "invalid": f"Give 1 to {MAX_IDS} article ids, comma-separated."
        },
        help_text=f"Only these articles (at most {MAX_IDS} ids, comma-separated): "
        "refresh a set in one request. Hidden and unknown ids are left out "
        "silently. The page size defaults to the number of ids.",
    )

    def validate_search(self, value: str) -> str:
        if not search_query_words(value):
            raise serializers.ValidationError("Give at least one letter or digit.")
        return value

    def validate_fields(self, value: str) -> tuple[str, ...]:
        names = value.split(",")
        if "" in names:
            raise serializers.ValidationError("Give field names separated by commas.")
        unknown = [name for name in names if name not in SUMMARY_FIELDS]
        if unknown:
            raise serializers.ValidationError(
                f"Unknown field: {', '.join(unknown)}. "
                f"Known: {', '.join(SUMMARY_FIELDS)}."
            )
        return tuple(name for name in SUMMARY_FIELDS if name in names)

    def validate_ids(self, value: str) -> list[int]:
        # An id past 32 bits is an unknown article: left out as any other.
        ids = {int(text) for text in value.split(",")}
        return sorted(pk for pk in ids if pk <= MAX_ID)


__all__ = [
    "ArticleLinkSerializer",
    "ArticleListParams",
    "ArticlePreviewSerializer",
    "ArticleSerializer",
    "ArticleSummarySerializer",
    "CategorySerializer",
    "ChangeListSerializer",
    "ChangeParams",
    "ImageSerializer",
    "SiteSerializer",
]
