"""Query parameters of the article list, checked like input: anything unusable is a 400 naming it."""

from datetime import datetime, time

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from articles.api.editorial.reads import STATUS_CHOICES
from articles.models import Article, Section, Tag
from articles.search import MAX_QUERY_LENGTH, filter_matches
from urlkit.converters import MAX_ID


class MomentField(serializers.Field):
    """An ISO 8601 date-time, or a date (meaning its midnight); without an offset, the site's time zone."""

    default_error_messages = {
        "invalid": "Use an ISO 8601 date or date-time, e.g. 2016-03-24 or 2016-03-24T14:18:09+04:30.",
    }

    def to_internal_value(self, data):
        text = str(data).strip()
        try:
            moment = parse_datetime(text)
            if moment is None:
                day = parse_date(text)
                moment = datetime.combine(day, time.min) if day else None
        except ValueError:
            moment = None
        if moment is None:
            self.fail("invalid")
        return timezone.make_aware(moment) if timezone.is_naive(moment) else moment

    def to_representation(self, value):
        return value.isoformat()


class ArticleFilters(serializers.Serializer):
    section = serializers.CharField(required=False, max_length=255)
    tag = serializers.CharField(required=False, max_length=100)
    kind = serializers.ChoiceField(choices=Article.Kind.values, required=False)
    legacy_id = serializers.IntegerField(required=False, min_value=0, max_value=MAX_ID)
    published_after = MomentField(required=False)
    published_before = MomentField(required=False)
    q = serializers.CharField(required=False, allow_blank=True, max_length=MAX_QUERY_LENGTH)
    status = serializers.ChoiceField(choices=list(STATUS_CHOICES), required=False)

    def validate_section(self, value):
        section = Section.objects.filter(path=value.strip("/")).first()
        if section is None:
            raise serializers.ValidationError(f"No section has the path “{value}”.")
        return section

    def validate_tag(self, value):
        tag = Tag.objects.filter(slug=value).first()
        if tag is None:
            raise serializers.ValidationError(f"No tag has the slug “{value}”.")
        return tag

    def validate(self, attrs):
        after, before = attrs.get("published_after"), attrs.get("published_before")
        if after and before and after >= before:
            raise serializers.ValidationError({"published_before": ["Must be later than published_after."]})
        return attrs

    def apply(self, queryset, *, live: bool = True):
        """`queryset` narrowed by every given filter (the caller chose live or, `live=False`, a
        status first). A live list of a tag is read through the tag's own index in date order:
        it is to be ordered by `LISTED_NEWEST_FIRST` then (`tag_listed()`)."""
        data = self.validated_data
        if "section" in data:
            queryset = queryset.in_subtree(data["section"])
        if "tag" in data:
            queryset = queryset.tagged(data["tag"]) if live else queryset.filter(tags=data["tag"])
        if "kind" in data:
            queryset = queryset.filter(kind=data["kind"])
        if "legacy_id" in data:
            queryset = queryset.filter(legacy_id=data["legacy_id"])
        if "published_after" in data:
            queryset = queryset.filter(published_at__gte=data["published_after"])
        if "published_before" in data:
            queryset = queryset.filter(published_at__lt=data["published_before"])
        if data.get("q"):
            queryset = filter_matches(queryset, data["q"])  # newest first, as every list here
        return queryset

    def tag_listed(self, *, live: bool = True) -> bool:
        """Whether `apply(…, live=live)` made a tag's listing (ordered by LISTED_NEWEST_FIRST)."""
        return live and "tag" in self.validated_data

    def surrogate_keys(self) -> set[str]:
        """The names of the list these filters make, beside `feed` and its stories' own: what a
        story joining it purges (articles.site.purge_keys). A section's list is also its
        subsections' (a story's footprint names every ancestor); kind, legacy id and search
        are lists no footprint names, so they carry `search`, which every story's change purges."""
        data = self.validated_data
        keys = set()
        if "section" in data:
            keys.add(f"section-{data['section'].pk}")
        if "tag" in data:
            keys.add(f"tag-{data['tag'].pk}")
        if data.get("q") or "kind" in data or "legacy_id" in data:
            keys.add("search")
        return keys


FILTER_PARAMETERS = [
    OpenApiParameter("section", str, description="Section path, e.g. iraq/conflict; includes its subsections."),
    OpenApiParameter("tag", str, description="Tag slug."),
    OpenApiParameter("kind", str, enum=Article.Kind.values),
    OpenApiParameter(
        "legacy_id",
        {"type": "integer", "minimum": 0, "maximum": MAX_ID},
        description="Article id on the legacy site.",
    ),
    OpenApiParameter(
        "published_after",
        str,
        description="ISO 8601 date or date-time; articles dated at or after it.",
    ),
    OpenApiParameter("published_before", str, description="ISO 8601 date or date-time; articles dated before it."),
    OpenApiParameter("q", str, description="Full-text search over title, summary and body."),
    OpenApiParameter(
        "status",
        str,
        enum=list(STATUS_CHOICES),
        description="Editors only (articles.view_article): list non-live articles by status instead of live ones.",
    ),
]
