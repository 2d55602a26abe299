"""JSON shapes of articles, their related lists (ours and the legacy site's), sections and tags.

Serializers only shape data. Breadcrumb sections come from `context["sections"]` (one query
per page, made by the view); without it a section's ancestors are read one query per article.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import SkipField

from apikit.strict_writes import StrictFieldsMixin
from articles.actions.authors import MAX_BYLINE
from articles.api.authors import BylineAuthorSerializer, byline_of, missing_author_ids
from articles.api.editorial.reads import STATUS_CHOICES, missing_article_ids
from articles.api.inline_media import InlineMediaField
from articles.models import Article, Correction, Section, Tag
from articles.validators import validate_body_html
from media.models import MediaItem
from media.renditions import rendition_url
from media.serializers import MediaSummarySerializer
from urlkit.absolute_urls import absolute_url, absolute_url_or_none
from urlkit.converters import MAX_ID

THUMBNAIL_SPEC = "4x3-w320"


@extend_schema_field(OpenApiTypes.URI)
class WebUrlField(serializers.Field):
    """The absolute URL of the object's page on the public site (SITE_URL, else the request's
    host); read-only. `source` names the object when it is not the one serialized."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **{"source": "*", **kwargs})

    def to_representation(self, value) -> str:
        return absolute_url(value.get_absolute_url(), self.context.get("request"))


def api_url(context, name: str, pk: int) -> str:
    """Absolute API URL of the object `pk` behind the route `name`."""
    return absolute_url(reverse(name, kwargs={"pk": pk}), context.get("request"))


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["name", "slug"]


class TagListSerializer(serializers.ModelSerializer):
    web_url = WebUrlField()

    class Meta:
        model = Tag
        fields = ["id", "name", "slug", "web_url"]


class CrumbSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()
    web_url = WebUrlField()


class SectionNodeSerializer(serializers.ModelSerializer):
    """A section with its subsections (from `context["children"]`, keyed by parent id)."""

    web_url = WebUrlField()
    children = serializers.SerializerMethodField()

    class Meta:
        model = Section
        fields = ["id", "name", "slug", "path", "description", "web_url", "children"]

    @extend_schema_field({"type": "array", "items": {"$ref": "#/components/schemas/SectionNode"}})
    def get_children(self, section) -> list:
        kids = self.context.get("children", {}).get(section.pk, [])
        return SectionNodeSerializer(kids, many=True, context=self.context).data


class RelatedSerializer(serializers.Serializer):
    """One entry of a related list, read from a RelatedLink with its target."""

    id = serializers.IntegerField(source="target.id")
    title = serializers.CharField(source="target.title")
    kind = serializers.ChoiceField(source="target.kind", choices=Article.Kind.values)
    web_url = WebUrlField(source="target")
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, link) -> str:
        return api_url(self.context, "article-detail", link.target_id)

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_thumbnail_url(self, link) -> str | None:
        media = link.target.lead_media
        return absolute_url_or_none(
            rendition_url(media, THUMBNAIL_SPEC) if media else None, self.context.get("request")
        )


class LegacyRelatedSerializer(serializers.Serializer):
    """The legacy site's related-list entry: every value a string, as its front end expects."""

    id = serializers.SerializerMethodField()
    sort = serializers.SerializerMethodField()
    contenttypeid = serializers.SerializerMethodField()
    pic = serializers.SerializerMethodField()
    title = serializers.SerializerMethodField()

    def get_id(self, link) -> str:
        target = link.target
        return str(target.legacy_id if target.legacy_id is not None else target.pk)

    def get_sort(self, link) -> str:
        sort = link.target.legacy_sort
        return str(sort if sort is not None else link.position)

    def get_contenttypeid(self, link) -> str:
        return "21"

    def get_pic(self, link) -> str:
        media = link.target.lead_media
        if media is None:
            return ""
        if media.legacy_path:
            return media.legacy_path
        return urlsplit(media.url).path if media.url else ""

    def get_title(self, link) -> str:
        return link.target.legacy_title


class ArticleSerializer(serializers.ModelSerializer):
    """An article as lists show it; the detail adds the body and the related list."""

    url = serializers.SerializerMethodField(help_text="This article in the API.")
    web_url = WebUrlField(help_text="The article on the public site.")
    section = serializers.CharField(source="section.path", help_text="Path of the article's section.")
    breadcrumb = serializers.SerializerMethodField()
    tags = TagSerializer(many=True)
    authors = serializers.SerializerMethodField(help_text="The byline: its authors, first named first.")
    lead_media = MediaSummarySerializer(allow_null=True)

    class Meta:
        model = Article
        fields = [
            "id",
            "url",
            "web_url",
            "legacy_id",
            "title",
            "slug",
            "kind",
            "summary",
            "section",
            "breadcrumb",
            "tags",
            "authors",
            "signoff",
            "source",
            "language",
            "published_at",
            "updated_at",
            "status",
            "lead_media",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, article) -> str:
        return api_url(self.context, "article-detail", article.pk)

    @extend_schema_field(BylineAuthorSerializer(many=True))
    def get_authors(self, article) -> list:
        return BylineAuthorSerializer(byline_of(article), many=True, context=self.context).data

    @extend_schema_field(CrumbSerializer(many=True))
    def get_breadcrumb(self, article) -> list:
        sections = self.context.get("sections")
        if sections is None:
            chain = article.section.ancestors_and_self()
        else:
            chain = [sections[p] for p in article.section.path_prefixes() if p in sections]
        return CrumbSerializer(chain, many=True, context=self.context).data


def working_draft_of(article):
    """The article's working draft or None (no query when it was selected with the article)."""
    try:
        return article.working_draft
    except ObjectDoesNotExist:
        return None


class StaffOnlyField(serializers.Field):
    """A fact about the article shown to staff only (`context["staff"]`); for anybody else the
    key is absent. Documented as optional, so one schema describes both documents."""

    def __init__(self, **kwargs):
        super().__init__(source="*", required=False, **kwargs)

    def get_attribute(self, instance):
        if not self.context.get("staff"):
            raise SkipField()
        return instance


@extend_schema_field(OpenApiTypes.BOOL)
class HasDraftField(StaffOnlyField):
    def to_representation(self, article) -> bool:
        return working_draft_of(article) is not None


@extend_schema_field({"type": "string", "format": "date-time", "nullable": True})
class DraftPublishAtField(StaffOnlyField):
    def to_representation(self, article) -> str | None:
        draft = working_draft_of(article)
        if draft is None or draft.publish_at is None:
            return None
        return serializers.DateTimeField().to_representation(draft.publish_at)


class CorrectionSerializer(serializers.ModelSerializer):
    """A published correction, clarification or update (articles.corrections)."""

    class Meta:
        model = Correction
        fields = ["kind", "text", "published_at"]
        read_only_fields = fields


class ArticleDetailSerializer(ArticleSerializer):
    body_html = serializers.CharField(source="body")
    related = RelatedSerializer(many=True, source="live_related_links")
    inline_media = InlineMediaField()
    corrections = CorrectionSerializer(
        many=True, read_only=True, help_text="Corrections, clarifications and updates, oldest first."
    )
    has_draft = HasDraftField(help_text="Staff only: a working draft waits beside the live story.")
    draft_publish_at = DraftPublishAtField(
        help_text="Staff only: when the working draft goes live by itself; null when it is not scheduled."
    )

    class Meta(ArticleSerializer.Meta):
        fields = (
            ArticleSerializer.Meta.fields[:8]
            + ["body_html"]
            + ArticleSerializer.Meta.fields[8:]
            + ["related", "inline_media", "corrections", "has_draft", "draft_publish_at"]
        )
        read_only_fields = fields


class ArticleWriteSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """What a client may send to create or change an article.

    `status` is applied through the workflow actions (publish, unpublish, archive, submit for
    review), never stored directly; `related_ids` replaces the related list in the order given.
    """

    body_html = serializers.CharField(
        source="body",
        required=False,
        allow_blank=True,
        validators=[validate_body_html],
        help_text="HTML: paragraphs, links, lists, quotes and headings.",
    )
    section = serializers.SlugRelatedField(
        slug_field="path", queryset=Section.objects.all(), help_text="Section path, e.g. iraq/conflict."
    )
    tags = serializers.SlugRelatedField(
        slug_field="slug", queryset=Tag.objects.all(), many=True, required=False, help_text="Tag slugs."
    )
    lead_media = serializers.PrimaryKeyRelatedField(queryset=MediaItem.objects.all(), allow_null=True, required=False)
    status = serializers.ChoiceField(choices=[s for s in STATUS_CHOICES if s != "all"], required=False)
    related_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        max_length=200,
        help_text="Ids of related articles, in order; replaces the whole list.",
    )
    author_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        max_length=MAX_BYLINE,
        help_text="Ids of the byline's authors, first named first; replaces the whole byline.",
    )

    output_fields = tuple(ArticleDetailSerializer.Meta.fields)

    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "kind",
            "summary",
            "body_html",
            "section",
            "tags",
            "signoff",
            "source",
            "language",
            "lead_media",
            "published_at",
            "embargo_until",
            "expires_at",
            "pinned",
            "legacy_id",
            "legacy_sort",
            "status",
            "related_ids",
            "author_ids",
        ]

    def validate_related_ids(self, ids):
        problems = []
        if self.instance is not None and self.instance.pk in ids:
            problems.append(f"An article cannot be related to itself (id {self.instance.pk}).")
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            problems.append(f"Listed more than once: {', '.join(map(str, repeated))}.")
        missing = missing_article_ids(ids)
        if missing:
            problems.append(f"No article has the id {', '.join(map(str, missing))}.")
        if problems:
            raise serializers.ValidationError(problems)
        return ids

    def validate_author_ids(self, ids):
        problems = []
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            problems.append(f"Listed more than once: {', '.join(map(str, repeated))}.")
        missing = missing_author_ids(ids)
        if missing:
            problems.append(f"No author has the id {', '.join(map(str, missing))}.")
        if problems:
            raise serializers.ValidationError(problems)
        return ids
