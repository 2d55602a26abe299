"""Article cards (templates/articles/_card.html): what a list of stories reads for each, and the
renditions of all their pictures in one more query."""

from articles.models import Article
from caching import surrogate_keys
from media.renditions import load_renditions

# What an article card reads: the rest, bodies above all, stays in the database (fewer columns
# to read and convert: ~0.3 ms less per list query). Reading another field would cost a query
# per card, which the query budget tests catch.
CARD_MEDIA = ("kind", "file", "title", "alt_text", "width", "height", "file_missing")
CARD_FIELDS = (
    "slug",
    "title",
    "kind",
    "language",
    "summary",
    "published_at",
    "section__name",
    "section__path",
    *(f"lead_media__{name}" for name in (*CARD_MEDIA, "poster")),
    *(f"lead_media__poster__{name}" for name in CARD_MEDIA),
)
# Cards (and related thumbnails) show 16:9 crops.
CARD_CROPS = ("16x9",)
# An 8rem related thumbnail needs at most the 640-pixel rendition, even on a 4× screen.
RELATED_THUMB_MAX_WIDTH = 640


def card_rows(queryset, *also: str):
    """`queryset` reading what a card shows (and the fields named in `also`): section, lead
    media and poster joined."""
    return queryset.for_listing().only(*CARD_FIELDS, *also)


def cards(queryset) -> list[Article]:
    """The articles of `queryset` (made with card_rows(), sliced or not, or a list of them),
    then the renditions of all their images in one more query."""
    rows = list(queryset)
    surrogate_keys.add_ids("article", (row.pk for row in rows))  # the page shows these stories
    load_renditions([row.lead_media for row in rows], crops=CARD_CROPS)
    return rows
