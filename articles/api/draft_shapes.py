"""JSON shapes of a live story's working draft: what the API shows, what a write may send, and
the bodies of its refusals.

A draft is shown in the names an article write uses (`body_html`, `section` as a path, `tags`
as slugs, `lead_media` as an id, `related_ids`, `author_ids`), so a client edits a draft with
the same document it would PATCH onto the article.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from articles.actions.drafts import DRAFT_KEYS
from articles.api.serializers import ArticleWriteSerializer
from articles.models import Section, Tag
from articles.signoffs import person

# Draft keys (articles.actions.drafts.DRAFT_KEYS) under the names the API uses for them.
API_NAMES = {"body": "body_html", "section_id": "section", "lead_media_id": "lead_media", "tag_ids": "tags"}
CONTENT_NAMES = [
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
    "pinned",
    "related_ids",
    "author_ids",
]


def api_name(key: str) -> str:
    return API_NAMES.get(key, key)


def draft_changes(validated: dict) -> dict:
    """A validated draft write (`DraftWriteSerializer`) as draft keys for `actions.save_draft`."""
    changes = {}
    for name, value in validated.items():
        if name == "section":
            changes["section_id"] = value.pk
        elif name == "tags":
            changes["tag_ids"] = [tag.pk for tag in value]
        elif name == "lead_media":
            changes["lead_media_id"] = value.pk if value is not None else None
        else:  # `body` (body_html's source), the plain fields and the id lists
            changes[name] = value
    return changes


class UserSerializer(serializers.Serializer):
    """A person as the API names them: {id, username, name}."""

    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField()


def _person_or_none(user) -> dict | None:
    return person(user) if user is not None else None


class DraftSerializer(serializers.Serializer):
    """A working draft read from its row. `context["live"]` holds the live story's content in
    draft keys (actions.content_of), to name what the draft changes."""

    title = serializers.CharField(source="data.title")
    slug = serializers.CharField(source="data.slug")
    kind = serializers.CharField(source="data.kind")
    summary = serializers.CharField(source="data.summary")
    body_html = serializers.CharField(source="data.body")
    section = serializers.SerializerMethodField(help_text="Path of the draft's section.")
    tags = serializers.SerializerMethodField(help_text="Tag slugs, by name.")
    signoff = serializers.CharField(source="data.signoff")
    source = serializers.CharField(source="data.source")
    language = serializers.CharField(source="data.language")
    lead_media = serializers.IntegerField(source="data.lead_media_id", allow_null=True)
    pinned = serializers.BooleanField(source="data.pinned")
    related_ids = serializers.ListField(child=serializers.IntegerField(), source="data.related_ids")
    author_ids = serializers.ListField(child=serializers.IntegerField(), source="data.author_ids")
    version = serializers.IntegerField(help_text="Bumped on every save of the draft (its ETag names it).")
    base_version = serializers.IntegerField(help_text="The live story's version the draft started from.")
    publish_at = serializers.DateTimeField(allow_null=True, help_text="When the draft goes live by itself.")
    problem = serializers.CharField(help_text="Why a scheduled publication could not happen; empty when none.")
    created_by = serializers.SerializerMethodField()
    updated_by = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    live_changes = serializers.SerializerMethodField(help_text="The fields whose draft value differs from live.")

    @extend_schema_field(serializers.CharField())
    def get_section(self, draft) -> str:
        section = Section.objects.filter(pk=draft.data["section_id"]).values_list("path", flat=True).first()
        return section or ""

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_tags(self, draft) -> list[str]:
        return list(Tag.objects.filter(pk__in=draft.data["tag_ids"]).order_by("name").values_list("slug", flat=True))

    @extend_schema_field(UserSerializer(allow_null=True))
    def get_created_by(self, draft) -> dict | None:
        return _person_or_none(draft.created_by)

    @extend_schema_field(UserSerializer(allow_null=True))
    def get_updated_by(self, draft) -> dict | None:
        return _person_or_none(draft.updated_by)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_live_changes(self, draft) -> list[str]:
        live = self.context["live"]
        return [api_name(key) for key in DRAFT_KEYS if live.get(key) != draft.data.get(key)]


class DraftWriteSerializer(ArticleWriteSerializer):
    """What a draft write may send: the article write's content fields, nothing of its state
    (status, dateline, embargo, expiry and legacy ids change on the article itself)."""

    status = None
    output_fields = tuple(DraftSerializer().fields)

    class Meta(ArticleWriteSerializer.Meta):
        fields = CONTENT_NAMES


class DraftPublishSerializer(serializers.Serializer):
    at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text="When the draft should go live (a future moment, to the second); now when left out.",
    )


class StaleSerializer(serializers.Serializer):
    """A 412: the version the caller's If-Match names is not the current one."""

    detail = serializers.CharField()
    current_version = serializers.IntegerField(allow_null=True, help_text="Null: there is no working draft now.")
    your_version = serializers.IntegerField(allow_null=True)


class DraftConflictSerializer(serializers.Serializer):
    """A 409 of publishing: the live story changed the same fields since the draft started."""

    detail = serializers.CharField()
    fields = serializers.ListField(child=serializers.CharField())
