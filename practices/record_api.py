"""Read-only JSON API for the conference record and the convention articles."""

from rest_framework import serializers, viewsets

from kb.models import Session
from practices.api import with_error_responses
from practices.counts import with_published_counts
from taxonomy.models import ConventionArticle


class SessionSerializer(serializers.ModelSerializer):
    conference = serializers.SlugRelatedField(read_only=True, slug_field="slug")
    section = serializers.SlugRelatedField(read_only=True, slug_field="code", allow_null=True)
    region = serializers.SlugRelatedField(read_only=True, slug_field="slug", allow_null=True)
    speakers = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    organisations = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    finding_count = serializers.IntegerField(read_only=True)
    practice_count = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Session
        fields = [
            "slug",
            "kind",
            "title",
            "question",
            "summary",
            "order",
            "conference",
            "section",
            "region",
            "speakers",
            "organisations",
            "finding_count",
            "practice_count",
            "url",
        ]

    def get_url(self, session) -> str:
        return self.context["request"].build_absolute_uri(session.get_absolute_url())


class PublishedCountsMixin:
    """Each row given ``practice_count`` and ``finding_count`` (its published entries under
    ``count_relation``) off the facet index, once the rows of the page are known."""

    count_relation = ""

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)  # every list is paginated (settings.REST_FRAMEWORK)
        return with_published_counts(page, self.count_relation)

    def get_object(self):
        return with_published_counts([super().get_object()], self.count_relation)[0]


@with_error_responses(SessionSerializer, "No session has that slug.")
class SessionViewSet(PublishedCountsMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = SessionSerializer
    lookup_field = "slug"
    count_relation = "session"

    def get_queryset(self):
        return (
            Session.objects.select_related("conference", "section", "region")
            .prefetch_related("speakers", "organisations")
            .order_by("conference__start_date", "order")
        )


class ArticleSerializer(serializers.ModelSerializer):
    pillar = serializers.SlugRelatedField(read_only=True, slug_field="slug", allow_null=True)
    finding_count = serializers.IntegerField(read_only=True)
    practice_count = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = ConventionArticle
        fields = [
            "number",
            "title",
            "chapter",
            "chapter_title",
            "pillar",
            "summary",
            "official_url",
            "finding_count",
            "practice_count",
            "url",
        ]

    def get_url(self, article) -> str:
        return self.context["request"].build_absolute_uri(article.get_absolute_url())


@with_error_responses(ArticleSerializer, "No convention article has that number.")
class ArticleViewSet(PublishedCountsMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ArticleSerializer
    lookup_field = "number"
    count_relation = "articles"

    def get_queryset(self):
        return ConventionArticle.objects.select_related("pillar").order_by("number")
