"""Shapes of the counting endpoints (API.md).

``MostViewedArticleSerializer`` is a minimal ArticleSummary; the read API's
own ArticleSummary serializer replaces it when the branches meet.
"""

from rest_framework import serializers

from counters.selectors import PERIODS

MOST_VIEWED_MAX = 50


class ViewCountedSerializer(serializers.Serializer):
    view_count = serializers.IntegerField()
    counted = serializers.BooleanField()


class VisitCountedSerializer(serializers.Serializer):
    visit_count = serializers.IntegerField()
    counted = serializers.BooleanField()


class MostViewedParamsSerializer(serializers.Serializer):
    period = serializers.ChoiceField(choices=PERIODS, default="week")
    category = serializers.SlugField(required=False, allow_unicode=False)
    limit = serializers.IntegerField(min_value=1, max_value=MOST_VIEWED_MAX, default=10)


class CategoryRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField(source="title")


class ImageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    alt = serializers.CharField(source="description")
    caption = serializers.CharField()
    credit = serializers.CharField()

    def get_url(self, image) -> str:
        return self.context["request"].build_absolute_uri(image.file.url)


class MostViewedArticleSerializer(serializers.Serializer):
    """An article summary plus its views in the period. The view expects
    ``category``, ``view_count`` and ``period_views`` set on each article."""

    id = serializers.IntegerField()
    slug = serializers.CharField()
    url = serializers.SerializerMethodField()
    title = serializers.CharField()
    excerpt = serializers.CharField(source="get_excerpt")
    category = CategoryRefSerializer()
    tags = serializers.SerializerMethodField()
    published_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField(source="last_published_at")
    feature_image = ImageSerializer(allow_null=True)
    view_count = serializers.IntegerField()
    period_views = serializers.IntegerField()

    def get_url(self, article) -> str:
        return article.get_url()

    def get_tags(self, article) -> list[str]:
        return [tag.name for tag in article.tags.all()]


class MostViewedSerializer(serializers.Serializer):
    period = serializers.CharField()
    results = MostViewedArticleSerializer(many=True)
