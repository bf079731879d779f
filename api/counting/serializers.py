"""Shapes of the counting endpoints (docs/api.md) and the most-viewed parameters."""

from rest_framework import serializers

from api.serializers import ArticleSummarySerializer
from counters.selectors import PERIODS

MOST_VIEWED_MAX = 50


class ViewCountedSerializer(serializers.Serializer):
    view_count = serializers.IntegerField(
        help_text="All-time views of the article, this one included if counted."
    )
    counted = serializers.BooleanField(
        help_text="False for a repeat by the same visitor within the dedupe "
        "window, a bot or a signed-in editor."
    )


class VisitCountedSerializer(serializers.Serializer):
    visit_count = serializers.IntegerField(
        help_text="The site's visit counter, this visit included if counted."
    )
    counted = serializers.BooleanField(
        help_text="False within a visitor's visit window, or for a bot or editor."
    )


class MostViewedParams(serializers.Serializer):
    """Query parameters of ``GET /api/v1/articles/most-viewed/``; anything else
    is a 400."""

    period = serializers.ChoiceField(
        choices=PERIODS,
        default="week",
        help_text="day: today; week: the last 7 days; month: the last 30 days "
        "(today included, site time); all: all-time views.",
    )
    category = serializers.SlugField(
        required=False, max_length=255, help_text="A category's slug."
    )
    limit = serializers.IntegerField(
        min_value=1,
        max_value=MOST_VIEWED_MAX,
        default=10,
        help_text=f"Default 10, max {MOST_VIEWED_MAX}.",
    )


class MostViewedArticleSerializer(ArticleSummarySerializer):
    """An ArticleSummary plus its views in the period."""

    period_views = serializers.IntegerField(help_text="Views in the period.")


class MostViewedSerializer(serializers.Serializer):
    period = serializers.ChoiceField(choices=PERIODS)
    results = MostViewedArticleSerializer(many=True)
