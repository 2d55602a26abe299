"""The article detail's `inline_media`: the library items its body shows inline, for clients that
draw the body themselves.

`body_html` carries the stored form unchanged (`<figure data-media-id="ID">`, with an optional
`<figcaption>` that replaces the library caption in this story; older bodies'
`<img data-media-id="ID" src=…>`), so a client writes back exactly what it read. Next to it,
`inline_media` holds one media object per id, in body order, each once: the lead media's shape
(`media.serializers.MediaSummarySerializer`) plus the library caption.

Only items the caller may see: every item of a live story (they are public by then: the media
privacy rule makes an item public while a live story shows it); for a story not live yet, which
only editors read, every item to staff who may view the library, otherwise only items already
public. Ids naming no item are left out. Two queries whatever the number of items (the items
with their posters, then the names of their stored renditions).
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from articles.actions.media_rules import inline_media_ids
from media.models import MediaItem
from media.renditions import load_renditions
from media.serializers import MediaSummarySerializer


class InlineMediaSerializer(MediaSummarySerializer):
    """One item a story's body shows inline."""

    caption = serializers.CharField(
        read_only=True,
        help_text="The library caption. A <figcaption> inside the item's <figure> in body_html "
        "replaces it in this story.",
    )

    class Meta(MediaSummarySerializer.Meta):
        fields = [*MediaSummarySerializer.Meta.fields[:8], "caption", *MediaSummarySerializer.Meta.fields[8:]]
        read_only_fields = fields


def _sees_library(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and user.has_perm("media.view_mediaitem"))


def visible_inline_items(article, request) -> list[MediaItem]:
    """The items `article`'s body shows inline that the caller of `request` may see, in body order,
    each once, with posters and rendition names loaded (two queries; none without inline items)."""
    ids = inline_media_ids(article.body)
    if not ids:
        return []
    items = MediaItem.objects.select_related("poster").filter(pk__in=ids)
    if not (article.is_live() or _sees_library(request)):
        items = items.public()
    found = {item.pk: item for item in items}
    shown = [found[pk] for pk in ids if pk in found]
    load_renditions(shown)
    return shown


@extend_schema_field(InlineMediaSerializer(many=True))
class InlineMediaField(serializers.Field):
    """Read-only: the article's inline items (see the module)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            "The media items body_html shows inline (each <figure data-media-id> or <img data-media-id>), "
            "in body order, each once; only those you may see.",
        )
        super().__init__(read_only=True, source="*", **kwargs)

    def to_representation(self, article) -> list:
        items = visible_inline_items(article, self.context.get("request"))
        return InlineMediaSerializer(items, many=True, context=self.context).data
