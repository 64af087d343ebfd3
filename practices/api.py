"""Read-only JSON API for published findings and practices."""

from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets

from common.pagination import KBPagination
from practices.facets import Browse, understood
from practices.filters import FacetFilter, FindingFilterSet, PracticeFilterSet, SortFilter
from practices.models import Finding, Practice

# The filters take slugs, ISO codes and article numbers, not primary keys: say so in the OpenAPI schema.
extend_schema_field(OpenApiTypes.STR)(FacetFilter)
extend_schema_field(OpenApiTypes.STR)(SortFilter)


@extend_schema_field(
    {
        "type": "object",
        "properties": {"document": {"type": "string"}, "section": {"type": "string"}, "quote": {"type": "string"}},
    }
)
class SourceField(serializers.Field):
    """``{"document", "section", "quote"}``: where the entry's quote stands."""

    def __init__(self, **kwargs):
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, entry):
        return {"document": entry.section.document.slug, "section": entry.section.code, "quote": entry.quote}


class EntrySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    summary = serializers.CharField()
    pillars = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    regions = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    countries = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    themes = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    articles = serializers.SlugRelatedField(many=True, read_only=True, slug_field="number")
    inspire = serializers.SlugRelatedField(source="inspire_strategies", many=True, read_only=True, slug_field="slug")
    session = serializers.SlugRelatedField(read_only=True, slug_field="slug", allow_null=True)
    source = SourceField()
    url = serializers.SerializerMethodField()

    def get_url(self, entry) -> str:
        request = self.context.get("request")
        path = entry.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class PersonSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField(source="display_name")
    role = serializers.CharField()


class FindingSerializer(EntrySerializer):
    kind = serializers.CharField()
    speakers = PersonSerializer(many=True, read_only=True, help_text="Who said it; empty when the source does not say.")
    organisations = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    attribution = serializers.SerializerMethodField()

    def get_attribution(self, finding) -> str:
        """The speakers and organisations as text, or "not stated" when the source does not say."""
        return finding.attribution or "not stated"

    class Meta:
        model = Finding  # lets the OpenAPI schema type the related slugs


class PracticeSerializer(EntrySerializer):
    description = serializers.CharField()
    basis = serializers.CharField(help_text="implemented (done or in place, with who or where) or recommended.")
    rating_reason = serializers.CharField(help_text="Why this rating: what in the source the basis rests on.")
    method_url = serializers.SerializerMethodField()
    practice_type = serializers.CharField()
    child_participation = serializers.CharField()
    evidence_level = serializers.CharField()
    target_groups = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    implementers = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    last_verified = serializers.DateField(allow_null=True)

    class Meta:
        model = Practice  # lets the OpenAPI schema type the related slugs

    def get_method_url(self, practice) -> str:
        """The published rating method the basis and evidence level follow."""
        request = self.context.get("request")
        path = reverse("method")
        return request.build_absolute_uri(path) if request else path


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


def with_error_responses(serializer_class, not_found: str):
    """Document what else a read-only viewset answers: 404 for an unknown item (``not_found``), 400
    for a parameter holding a control character, 429 when throttled; each ``{"detail": ...}``."""
    errors = {
        400: OpenApiResponse(ErrorSerializer, "A parameter holds a control character."),
        429: OpenApiResponse(ErrorSerializer, "Too many requests; try again later."),
    }
    return extend_schema_view(
        list=extend_schema(responses={200: serializer_class, **errors}),
        retrieve=extend_schema(
            responses={200: serializer_class, 404: OpenApiResponse(ErrorSerializer, not_found), **errors}
        ),
    )


FACET_OPTION_SCHEMA = {
    "type": "object",
    "properties": {
        "value": {"type": "string"},
        "label": {"type": "string"},
        "count": {"type": "integer"},
        "selected": {"type": "boolean"},
        "parent": {"type": "string", "nullable": True},
        "group": {"type": "string", "nullable": True},
        "toggle_url": {"type": "string"},
    },
    "required": ["value", "label", "count", "selected", "toggle_url"],
}
UNDERSTOOD_SCHEMA = {
    "type": "object",
    "properties": {
        "facet": {"type": "string"},
        "facet_label": {"type": "string"},
        "value": {"type": "string"},
        "label": {"type": "string"},
        "count": {"type": "integer"},
        "filter_url": {"type": "string"},
        "matched": {"type": "string"},
        "relation": {"type": "string"},
        "note": {"type": "string", "nullable": True},
    },
    "required": ["facet", "value", "label", "count", "filter_url"],
}


class EntryPagination(KBPagination):
    """The API's pagination, whose list pages of entries also carry ``facets`` and ``understood``."""

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["facets"] = {
            "type": "object",
            "description": "Each facet's options, with the count each would give given the other active filters.",
            "additionalProperties": {"type": "array", "items": FACET_OPTION_SCHEMA},
        }
        schema["properties"]["understood"] = {
            "type": "array",
            "description": "The terms the words name, each with its count and a URL filtering by it.",
            "items": UNDERSTOOD_SCHEMA,
        }
        schema["required"] = [*schema.get("required", []), "facets", "understood"]
        return schema


class EntryViewSet(viewsets.ReadOnlyModelViewSet):
    """Published entries with the browse pages' parameters; a list also returns ``facets``: for each
    facet its options with the count each would give given the other active filters, and
    ``understood``: the terms the words name, each with its count and a URL filtering by it."""

    lookup_field = "slug"
    pagination_class = EntryPagination
    filter_backends = [DjangoFilterBackend]  # declares the parameters for schema generation

    def get_queryset(self):
        return self.queryset.model.objects.published().with_relations()

    def filter_queryset(self, queryset):
        """Filter leniently: unknown values, and values beyond the limits, are dropped and reported
        under ``ignored``. The filter set also orders (``sort``; relevance first when ``q`` is given)."""
        self.filterset = self.filterset_class(self.request.query_params, queryset=queryset, request=self.request)
        self.request.ignored_filters = self.filterset.all_ignored
        return self.filterset.results() if self.action == "list" else self.filterset.qs

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["facets"] = self.facets_as_json()
        response.data["understood"] = understood(self.filterset, self.build_url)
        return response

    def build_url(self, query):
        return self.request.build_absolute_uri(f"{self.request.path}?{query.urlencode()}".rstrip("?"))

    def facets_as_json(self) -> dict:
        build_url = self.build_url
        facets = {}
        for result in Browse(self.filterset).facets:
            for part in (result, result.nested):
                if part is not None:
                    facets[part.name] = [option.as_json(build_url) for option in part.shown]
        return facets


@with_error_responses(FindingSerializer, "No published finding has that slug.")
class FindingViewSet(EntryViewSet):
    queryset = Finding.objects.none()
    serializer_class = FindingSerializer
    filterset_class = FindingFilterSet

    def get_queryset(self):
        return super().get_queryset().prefetch_related("speakers", "organisations")


@with_error_responses(PracticeSerializer, "No published practice has that slug.")
class PracticeViewSet(EntryViewSet):
    queryset = Practice.objects.none()
    serializer_class = PracticeSerializer
    filterset_class = PracticeFilterSet

    def get_queryset(self):
        return super().get_queryset().prefetch_related("target_groups", "implementers")
