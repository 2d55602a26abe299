"""Rendition URLs for pages and the API, with no query when renditions are known: the stored
file's URL when the rendition exists (read from prefetched rows or `load_renditions`), else the
on-demand URL served by `media.views.rendition`, which makes that one rendition and redirects to
it. Share-preview pages add an access grant to every media URL they draw (`granting`).
"""

from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from urllib.parse import urlencode

from django.core.signals import setting_changed
from django.db.models import Prefetch, Q
from django.dispatch import receiver

from media.models import MediaItem, Rendition
from media.renditions.specs import (
    ALL_SPECS,
    CROPS,
    FORMATS,
    check_format,
    output_size,
    parse_spec,
    source_of,
    specs_for,
)
from querykit.prepared import PreparedQuery
from urlkit.reversing import QuickReverse

# --- stored renditions, remembered on the item ------------------------------------------------


class _Made:
    """An item's stored renditions as {(spec, format): file name}, and the URLs already asked for.

    Built once per prefetched row set (or by load_renditions) and kept on the item, so a page
    drawing a dozen srcsets neither indexes the rows nor asks the storage for the same URL
    again for every entry."""

    __slots__ = ("source", "names", "urls")

    def __init__(self, source, names: dict):
        self.source = source  # the prefetched rows these names come from (None: load_renditions)
        self.names = names
        self.urls = {}

    def url(self, key) -> str:
        url = self.urls.get(key)
        if url is None:
            url = self.urls[key] = stored_url(self.names[key])
        return url


# Storage URLs of rendition files, which never change once stored (a new rendition gets a new
# name): asking the storage costs more than the rest of a srcset entry. Not kept for storages
# that sign their URLs (S3 with query-string auth), whose URLs expire; forgotten when the
# storage settings change.
_STORED_URLS: dict[str, str] = {}
_STORED_URLS_MAX = 100_000


def stored_url(name: str) -> str:
    url = _STORED_URLS.get(name)
    if url is None:
        storage = Rendition._meta.get_field("file").storage
        url = storage.url(name)
        if not getattr(storage, "querystring_auth", False):
            if len(_STORED_URLS) >= _STORED_URLS_MAX:
                _STORED_URLS.clear()
            _STORED_URLS[name] = url
    return url


@receiver(setting_changed)
def _forget_stored_urls(*, setting, **kwargs):
    if setting in {"MEDIA_URL", "STORAGES"}:
        _STORED_URLS.clear()


def _made(item: MediaItem) -> _Made | None:
    """The item's stored renditions, from prefetched rows or load_renditions(); None if neither."""
    made = item.__dict__.get("_renditions_made")
    rows = getattr(item, "_prefetched_objects_cache", {}).get("renditions")
    if rows is not None and (made is None or made.source is not rows):  # a new prefetch wins
        made = item.__dict__["_renditions_made"] = _Made(rows, {(r.spec, r.format): r.file.name for r in rows})
    return made


# --- URLs (no queries when renditions are prefetched) --------------------------------------


_ON_DEMAND_URL = QuickReverse("media-rendition", {"pk": 987654321, "spec": "w320", "fmt": "jpeg"})


def on_demand_url(image: MediaItem, spec: str, fmt: str) -> str:
    """The URL of `media.views.rendition` for this image, spec and format."""
    return _ON_DEMAND_URL(pk=image.pk, spec=spec, fmt=fmt)


# While a share-preview page renders, a callable giving the access grant (a signed string) for
# a media item id; None everywhere else, so public pages never carry grants and cost nothing.
_GRANT_FOR: ContextVar = ContextVar("media_grant_for", default=None)
GRANT_PARAM = "grant"


@contextmanager
def granting(grant_for):
    """Within this block, media URLs built here carry `?grant=<grant_for(item id)>`: a share-preview
    page is read by someone not signed in, and its draft's media answer 404 to them otherwise."""
    marker = _GRANT_FOR.set(grant_for)
    try:
        yield
    finally:
        _GRANT_FOR.reset(marker)


def with_grant(url: str, pk: int, grant: str | None = None) -> str:
    """`url` with the grant for item `pk` appended when one applies (given, or being rendered)."""
    if grant is None:
        grant_for = _GRANT_FOR.get()
        if grant_for is None or not url:
            return url
        grant = grant_for(pk)
    return f"{url}{'&' if '?' in url else '?'}{urlencode({GRANT_PARAM: grant})}"


def _url(image: MediaItem, spec: str, fmt: str) -> str:
    """`rendition_url` for an image already checked by source_of() and a valid spec/format."""
    made = _made(image)
    if made is not None and (spec, fmt) in made.names:
        return with_grant(made.url((spec, fmt)), image.pk)
    return with_grant(on_demand_url(image, spec, fmt), image.pk)


def rendition_url(item: MediaItem, spec: str, fmt: str = "jpeg") -> str:
    """URL of `item`'s rendition: the stored file if made (and prefetched), else the on-demand
    URL. Empty string when the item has nothing to show. ValueError for a bad spec or format."""
    parse_spec(spec)
    check_format(fmt)
    image = source_of(item)
    if image is None:
        return ""
    return _url(image, spec, fmt)


def srcset_entries(
    item: MediaItem, fmt: str = "jpeg", crop: str | None = None, max_width: int | None = None
) -> list[tuple[str, int, int]]:
    """(url, width, height) for each distinct width of `crop` (widths past the source's own
    collapse into one clamped entry), up to the spec width `max_width` (the narrowest is kept
    whatever it is)."""
    check_format(fmt)
    image = source_of(item)
    if image is None:
        return []
    sizes = _distinct_sizes(image.width, image.height, crop or None)
    if max_width is not None:
        sizes = sizes[:1] + tuple(entry for entry in sizes[1:] if parse_spec(entry[0]).width <= max_width)
    return [(_url(image, name, fmt), width, height) for name, width, height in sizes]


@lru_cache(maxsize=1024)
def _distinct_sizes(source_width: int, source_height: int, crop: str | None) -> tuple[tuple[str, int, int], ...]:
    """(spec name, width, height) of the specs of `crop` for a source of that size, one per
    distinct width. Pure arithmetic, remembered: pages ask for the same few sizes again and again."""
    entries, seen = [], set()
    for spec in specs_for(crop):
        width, height = output_size(spec, source_width, source_height)
        if width not in seen:
            seen.add(width)
            entries.append((spec.name, width, height))
    return tuple(entries)


def srcset(item: MediaItem, fmt: str = "jpeg", crop: str | None = None, max_width: int | None = None) -> str:
    """An <img srcset> value: "url 320w, url 640w, …"."""
    return srcset_value(srcset_entries(item, fmt, crop, max_width))


def srcset_value(entries) -> str:
    """The srcset value of (url, width, height) entries, as `srcset_entries` gives them."""
    return ", ".join(f"{url} {width}w" for url, width, _ in entries)


def rendition_set(item: MediaItem | None) -> dict:
    """Every spec of `item` for the API: {"w320": {"width", "height", "jpeg", "webp"}, …}.
    Sizes come from the item's dimensions; nothing is generated. {} when there is no image."""
    image = source_of(item)
    if image is None:
        return {}
    result = {}
    for spec in ALL_SPECS:
        width, height = output_size(spec, image.width, image.height)
        entry = {"width": width, "height": height}
        for fmt in FORMATS:
            entry[fmt] = _url(image, spec.name, fmt)
        result[spec.name] = entry
    return result


def prefetch_for(lookup: str) -> list[Prefetch]:
    """Prefetches that load renditions of the item at `lookup` and of its poster, e.g.
    `Article.objects.prefetch_related(*prefetch_for("lead_media"))`: two queries in all,
    whatever the number of rows."""
    return [Prefetch(f"{lookup}__renditions"), Prefetch(f"{lookup}__poster__renditions")]


def load_renditions(items, crops=None) -> None:
    """Read which renditions `items` (MediaItems or None) and their posters have, in one query
    of file names (no Rendition objects: a page can have hundreds), so that `rendition_url` and
    `srcset` need no query afterwards. Posters must already be loaded (select_related); items
    whose renditions are already known (prefetched or loaded) are left as they are.

    `crops`: read only the specs of these crops (None in it: the plain widths), the ones the
    page draws; the others then get on-demand URLs, which still serve the stored file."""
    load_rendition_groups([(items, crops, None)])


def load_rendition_groups(groups) -> None:
    """`load_renditions` for items drawn in different sizes on one page, still in one query:
    `groups` holds (items, crops, max_width) triples, each group's items read with only the
    specs of its crops up to the spec width `max_width` (None: all; the narrowest is always
    read, as `srcset_entries` always draws it). An article page draws its lead picture at
    plain widths and its related thumbnails as small 16:9 crops: reading every spec of every
    picture read four times the rows it draws."""
    images: dict[int, list[MediaItem]] = {}
    wanted = []
    for items, crops, max_width in groups:
        group = _images_to_load(items)
        for pk, same in group.items():
            known = images.setdefault(pk, [])
            known.extend(image for image in same if all(image is not other for other in known))
        if group:
            wanted.append((tuple(group), _spec_names(crops, max_width)))
    if not images:
        return
    names: dict[int, dict] = {pk: {} for pk in images}
    for media_id, spec, fmt, name in _rendition_names(wanted):
        names[media_id][(spec, fmt)] = name
    for pk, same in images.items():
        for image in same:
            image.__dict__["_renditions_made"] = _Made(None, names[pk])


def _spec_names(crops, max_width) -> tuple | None:
    """The spec names of `crops` up to `max_width` (the narrowest of each crop kept); None: all."""
    if crops is None and max_width is None:
        return None
    names = []
    for crop in (None, *CROPS) if crops is None else crops:
        specs = specs_for(crop)
        names += [
            spec.name for index, spec in enumerate(specs) if not index or max_width is None or spec.width <= max_width
        ]
    return tuple(names)


def _images_to_load(items) -> dict[int, list[MediaItem]]:
    """{pk: [instances]} of `items` and their posters whose renditions are not known yet (an
    item can appear as several instances on one page)."""
    images: dict[int, list[MediaItem]] = {}
    for item in items:
        if item is None:
            continue
        for image in (item, item.poster if item.poster_id else None):
            if image is not None and image.pk and _made(image) is None:
                images.setdefault(image.pk, []).append(image)
    return images


def _names_query(wanted):
    """(media id, spec, format, file name) rows of `wanted`: (media ids, spec names or None: all)."""
    matching = Q()
    for media_ids, spec_names in wanted:
        rows = Q(media_id__in=media_ids)
        if spec_names is not None:
            rows &= Q(spec__in=spec_names)
        matching |= rows
    return Rendition.objects.filter(matching).values_list("media_id", "spec", "format", "file")


# Page-sized look-ups go through SQL compiled once (querykit.prepared) per list lengths and specs;
# each id list is padded to the next length with 0, which no item has.
_PREPARED_LENGTHS = (16, 64, 256)
_PREPARED_NAMES: dict[tuple, PreparedQuery] = {}


def _rendition_names(wanted):
    """(media id, spec, format, file name) of the stored renditions of `wanted`'s items."""
    lengths = [next((n for n in _PREPARED_LENGTHS if len(ids) <= n), None) for ids, _ in wanted]
    if None in lengths:
        return _names_query(wanted)
    shape = tuple((length, spec_names) for length, (_, spec_names) in zip(lengths, wanted, strict=True))
    prepared = _PREPARED_NAMES.get(shape)
    if prepared is None:
        prepared = _PREPARED_NAMES[shape] = PreparedQuery(
            lambda **ids: _names_query([(ids[f"ids{n}"], spec_names) for n, (_, spec_names) in enumerate(shape)]),
            **{f"ids{n}": tuple(range(1, length + 1)) for n, (length, _) in enumerate(shape)},
        )
    return prepared(
        **{
            f"ids{n}": tuple(ids) + (0,) * (length - len(ids))
            for n, ((ids, _), length) in enumerate(zip(wanted, lengths, strict=True))
        }
    )
