"""An article's body as readers get it: each inline item drawn from the media library.

A stored body shows a library item inline as `<figure data-media-id="N">`, optionally with a
`<figcaption>` that replaces the library caption for this story. The page draws it as a
responsive picture (WebP and JPEG srcsets; a portrait picture in a square crop around its focal
point) or, for a video, a player with its poster and captions track, and a caption and credit
under either (`templates/articles/_inline_media.html`).

Safe by default: a figure whose id names no item, or an item with nothing to show (no file, no
picture), is left out, so the page never points at a file that is not there. Only the article
page and previews draw bodies this way; on the public page the story is live, so every item its
body shows is public by the media privacy rule (used inline by a live story), and in a share
preview every media URL drawn here carries the link's grant (`media.renditions.granting`).

Older bodies' `<img data-media-id="N" src=…>` (imported pages, the demo) stay as stored.

All the figures of a page cost one query whatever their number (`inline_items`), plus their
renditions, which the page reads together with the lead and related pictures.
"""

import re

import nh3
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from media import renditions
from media.captions import captions_track
from media.models import MediaItem
from querykit.prepared import PreparedQuery

# One inline figure of a stored body: its start tag naming an item, its content (where only the
# figcaption counts), its end. The sanitizer closes every figure it keeps; text never holds "<".
# An id of more than 18 digits names no item (ids stop at 2**63 - 1): its figure is left out.
FIGURE = re.compile(
    r"<figure\b[^>]*?\sdata-media-id=\"(?P<pk>[0-9]+)\"[^>]*>(?P<inner>.*?)</figure\s*>",
    re.IGNORECASE | re.DOTALL,
)
FIGCAPTION = re.compile(r"<figcaption\b[^>]*>(?P<text>.*?)</figcaption\s*>", re.IGNORECASE | re.DOTALL)

# What a figcaption written in the story may keep when it is drawn: inline markup only.
CAPTION_TAGS = {"a", "abbr", "b", "br", "cite", "code", "em", "i", "q", "s", "span", "strong", "sub", "sup", "u"}
CAPTION_ATTRIBUTES = {"*": {"lang", "dir", "title"}, "a": {"href"}}
CAPTION_URL_SCHEMES = {"http", "https", "mailto", "tel"}

# Inline pictures are as wide as the story's column (the lead picture's sizes).
SIZES = "(min-width: 48rem) 46rem, 100vw"
# A picture taller than it is wide is drawn in this crop, around its focal point, so that one
# photo does not fill more than a screen of the story.
PORTRAIT_CROP = "1x1"
TEMPLATE = "articles/_inline_media.html"
MAX_ID_DIGITS = 18


def figure_ids(body: str) -> list[int]:
    """Ids of the items `body` shows as inline figures, in body order, each once."""
    if "data-media-id" not in (body or ""):
        return []
    return list(dict.fromkeys(pk for pk in map(_item_id, FIGURE.finditer(body)) if pk is not None))


def _item_id(match) -> int | None:
    digits = match["pk"]
    return int(digits) if len(digits) <= MAX_ID_DIGITS else None


def _items_query(ids):
    return MediaItem.objects.select_related("poster").filter(pk__in=ids)


# Page-sized id lists run SQL compiled once per process (querykit.prepared), padded with 0,
# which no item has; longer ones (no story has that many figures) use the ORM.
_PREPARED_LENGTHS = (8, 32)
_PREPARED = {n: PreparedQuery(_items_query, ids=tuple(range(1, n + 1))) for n in _PREPARED_LENGTHS}


def inline_items(body: str) -> dict[int, MediaItem]:
    """{id: item} for the figures of `body` (posters loaded): one query, none without figures."""
    ids = figure_ids(body)
    if not ids:
        return {}
    length = next((n for n in _PREPARED_LENGTHS if len(ids) <= n), None)
    if length is None:
        rows = _items_query(ids)
    else:
        rows = _PREPARED[length](ids=tuple(ids) + (0,) * (length - len(ids)))
    return {item.pk: item for item in rows}


def crop_for(item: MediaItem) -> str:
    """The crop an inline picture is drawn in: "" (the whole picture) or PORTRAIT_CROP."""
    image = renditions.source_of(item)
    if image is None or not (image.width and image.height):
        return ""
    return PORTRAIT_CROP if image.height > image.width else ""


def crops_needed(items) -> tuple:
    """The crops the inline pictures of a page draw besides the whole pictures (for load_renditions)."""
    return (PORTRAIT_CROP,) if any(crop_for(item) for item in items) else ()


def caption_html(text: str) -> SafeString:
    """A figcaption written in the story, with only inline markup kept (nothing else can run)."""
    cleaned = nh3.clean(
        text,
        tags=CAPTION_TAGS,
        attributes=CAPTION_ATTRIBUTES,
        url_schemes=CAPTION_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned.strip())


def figure_context(item: MediaItem, inner: str, language: str) -> dict | None:
    """What the template needs to draw `item` with the figure's content `inner`; None when the
    item has nothing readers could see (a video with no file and no poster, an image with no file)."""
    found = FIGCAPTION.search(inner)
    override = caption_html(found["text"]) if found else ""
    context = {"item": item, "caption": override or item.caption, "credit": item.credit, "sizes": SIZES}
    if item.is_video and item.url:
        poster = renditions.rendition_url(item, "w1280", "jpeg")
        return {**context, "video": item, "poster_url": poster, "captions": captions_track(item, language)}
    if renditions.source_of(item) is None:
        return None
    return {**context, "crop": crop_for(item)}


def render_body(body: str, items: dict[int, MediaItem], *, language: str) -> SafeString:
    """`body` (stored, sanitized HTML) with each inline figure drawn from `items` (see
    `inline_items`); figures whose item is not among them, or has nothing to show, are left out.
    `language`: the story's, for a video's captions track without a language of its own."""
    body = body or ""
    if "data-media-id" not in body:
        return mark_safe(body)
    template = get_template(TEMPLATE)

    def draw(match) -> str:
        item = items.get(_item_id(match))
        context = figure_context(item, match["inner"], language) if item is not None else None
        return template.render(context).strip() if context is not None else ""

    return mark_safe(FIGURE.sub(draw, body))
