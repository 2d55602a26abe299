"""What a committed change purges: the surrogate keys of every cached answer that may show it.

The keys an answer carries (caching.surrogate_keys) name each story it shows (`article-<id>`)
and the list it is (`section-<id>`, `tag-<id>`, `author-<id>`, `front` for the home page,
`feed`, `sitemap`, `search`). So:

- an edit of a story purges `article-<id>`: its page and every list showing it, the stories
  whose related lists point at it (shown there only while it is live); plus the two
  kinds of page that show every story without naming each (sitemaps with their modification
  dates, search results, which may now find it);
- a story joining a list it was not on (published, moved to another section, tagged, credited,
  re-dated, pinned) also purges that list: the lists a story is on now are compared with those
  it was on when last purged (its *footprint*, kept in the cache; unknown means all of them);
- a tag or author renamed purges its key (their stories are announced too); a section changed
  purges everything, since every page's header lists the sections; so does the header's list
  changing (a section's first story published, or its last withdrawn);
- a media item changed purges the stories showing it, the authors it portrays, and its own
  files and renditions where a shared cache keeps them (`media-<id>`);
- a correction added purges its story (above) and the site's list of corrections and its feed
  (`corrections`).
"""

from django.core.cache import cache

from articles.actions.media_rules import DRAFT, media_uses
from articles.models import Article, Author, Byline, RelatedLink, Section
from articles.querysets import sections_with_live_stories
from caching.surrogate_keys import EVERYTHING
from media.models import MediaItem

FOOTPRINT_KEY = "newsroom:footprint"
NAV_KEY = "newsroom:nav-section-ids"
FOOTPRINT_SECONDS = 30 * 24 * 3600
# Past this many stories or media items in one change (an import), everything is purged.
MANY = 500
# Changes of up to this many stories keep each story's footprint; larger ones purge all its lists.
REMEMBERED = 20
ON_EVERY_STORY = ("sitemap", "search")
NEWEST = ("front", "feed")


def keys_for(change) -> set[str]:
    """The keys `change` (a changes.Change) purges."""
    if _purges_everything(change):
        return {EVERYTHING}
    keys = {f"tag-{pk}" for pk in change.tags}
    if change.authors and not change.sections:  # an author's profile (articles announce sections)
        keys.update(f"author-{pk}" for pk in change.authors)
    keys |= _story_keys(change.articles) if change.articles else set()
    keys |= _media_keys(change.media) if change.media else set()
    if change.corrections:
        keys.add("corrections")
    return keys


def _purges_everything(change) -> bool:
    """A section itself changed (every header lists them), or too much at once (an import)."""
    too_many = len(change.articles) > MANY or len(change.media) > MANY
    return too_many or bool(change.sections and not change.articles)


def header_changed() -> bool:
    """Whether the site header's sections differ from those last seen (then every page does)."""
    now = list(
        sections_with_live_stories(Section.objects.filter(parent__isnull=True))
        .order_by("position", "name")
        .values_list("pk", flat=True)
    )
    before = cache.get(NAV_KEY)
    if before != now:
        cache.set(NAV_KEY, now, timeout=None)
    return before is not None and before != now


def footprints(ids) -> dict[int, tuple]:
    """{id: (sort key, pinned, lists)} of the live stories among `ids`: four queries."""
    rows = list(Article.objects.live().filter(pk__in=ids).values_list("pk", "published_at", "pinned", "section__path"))
    if not rows:
        return {}
    lists: dict[int, set[str]] = {pk: set() for pk, *_ in rows}
    # A story is listed on its section's page and on each ancestor's.
    paths = {pk: _path_and_ancestors(path) for pk, *_, path in rows}
    section_ids = dict(Section.objects.filter(path__in=set().union(*paths.values())).values_list("path", "pk"))
    for pk, own in paths.items():
        lists[pk].update(f"section-{section_ids[path]}" for path in own if path in section_ids)
    for pk, tag_id in Article.tags.through.objects.filter(article_id__in=lists).values_list("article_id", "tag_id"):
        lists[pk].add(f"tag-{tag_id}")
    for pk, author_id in Byline.objects.filter(article_id__in=lists).values_list("article_id", "author_id"):
        lists[pk].add(f"author-{author_id}")
    return {pk: (published.isoformat(), pinned, frozenset(lists[pk])) for pk, published, pinned, _ in rows}


def _path_and_ancestors(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[: depth + 1]) for depth in range(len(parts))]


def _joined(old, new) -> set[str]:
    """The list keys a story with footprint `new` (and `old` at its previous purge) must purge."""
    sort_key, pinned, lists = new
    if old is None or old[0] != sort_key or old[1] != pinned:
        return set(lists) | set(NEWEST)  # new to every list, or moved within them
    return set(lists - old[2])  # only the lists it joined


def _story_keys(ids) -> set[str]:
    keys = {f"article-{pk}" for pk in ids} | set(ON_EVERY_STORY) | _linking_to(ids)
    now = footprints(ids)
    names = {pk: f"{FOOTPRINT_KEY}:{pk}" for pk in ids}
    if len(ids) > REMEMBERED:
        # A batch (an import): every list of its stories is purged, and no footprint is kept, as
        # each write costs the embedded file cache a listing of its folder; the next purge of one
        # of these stories finds none and purges all its lists once more.
        cache.delete_many(list(names.values()))
        return keys.union(set(NEWEST), *(lists for *_, lists in now.values()))
    before = cache.get_many(list(names.values()))
    for pk, footprint in now.items():
        keys |= _joined(before.get(names[pk]), footprint)
    cache.set_many({names[pk]: footprint for pk, footprint in now.items()}, timeout=FOOTPRINT_SECONDS)
    gone = [names[pk] for pk in ids if pk not in now and names[pk] in before]
    if gone:
        cache.delete_many(gone)
    return keys


def _linking_to(ids) -> set[str]:
    """The stories whose related lists point at the stories `ids`: a related story shows there
    once it is live, and a page or API answer names only the related stories it showed (one
    query)."""
    sources = RelatedLink.objects.filter(target_id__in=ids).values_list("source_id", flat=True).distinct()
    return {f"article-{pk}" for pk in sources}


def _media_keys(ids) -> set[str]:
    """The stories and authors showing the items, and the items' own files and renditions (a
    video's poster's too: its files are the poster item's), which Varnish keeps as `media-<id>`."""
    posters = MediaItem.objects.filter(pk__in=ids, poster__isnull=False).values_list("poster_id", flat=True)
    keys = {f"media-{pk}" for pk in (*ids, *posters)}
    for uses in media_uses(list(ids)).values():
        for use in uses:
            if use.how == DRAFT:
                continue
            kind = "author" if isinstance(use.story, Author) else "article"
            keys.add(f"{kind}-{use.story.pk}")
    return keys
