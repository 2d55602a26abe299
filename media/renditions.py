"""Responsive renditions of library images: a fixed set of sizes and crops, made once, then stored.

A spec is either width-based (`"w640"`: that width, the original aspect ratio) or a crop
(`"16x9-w640"`: the largest 16:9 box around the item's focal point, then that width). Only
the widths in WIDTHS and the crops in CROPS exist, so no request can ask for an unbounded
resize. A rendition is never wider than its source: `w1280` of an 800-pixel photo is 800
pixels wide and keeps its spec name.

Pages never wait for renditions: `rendition_url` answers the stored file's URL when the
rendition exists (read from prefetched rows, no query) and otherwise the on-demand URL
served by `media.views.rendition`, which makes that one rendition and redirects to it.
A video stands for its poster everywhere here.
"""

import io
import os
import re
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from math import ceil
from urllib.parse import urlencode

from django.core.files.base import ContentFile
from django.core.signals import setting_changed
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.dispatch import receiver
from PIL import Image

from media.models import MediaItem, Rendition
from querykit.prepared import PreparedQuery
from urlkit.reversing import QuickReverse

WIDTHS = (320, 640, 960, 1280)
CROPS = {"4x3": (4, 3), "16x9": (16, 9), "1x1": (1, 1)}
FORMATS = ("webp", "jpeg")
EXTENSIONS = {"jpeg": "jpg", "webp": "webp"}
QUALITY = {"jpeg": 82, "webp": 80}
# WebP "method" trades encoder effort for size; 2 is several times faster than the default 4
# at a few percent larger files, which keeps a full rendition set within its time budget.
WEBP_METHOD = 2

_WIDTH_NAMES = {str(w) for w in WIDTHS}
_SPEC_RE = re.compile(r"^(?:(?P<crop>[0-9]+x[0-9]+)-)?w(?P<width>[0-9]+)$")


class RenditionUnavailable(ValueError):
    """The item has no image to render (file missing, no file, or a video without a poster)."""


@dataclass(frozen=True)
class Spec:
    name: str
    width: int
    crop: str | None = None

    @property
    def ratio(self) -> tuple[int, int] | None:
        return CROPS[self.crop] if self.crop else None


@lru_cache(maxsize=64)
def parse_spec(spec: str) -> Spec:
    """The Spec named by `spec`; ValueError naming it when it is not one of the allowed ones.
    Remembered: pages ask for the same few specs dozens of times per request."""
    match = _SPEC_RE.match(spec or "")
    if match and match["width"] in _WIDTH_NAMES and (match["crop"] is None or match["crop"] in CROPS):
        return Spec(spec, int(match["width"]), match["crop"])
    raise ValueError(
        f"Unknown rendition spec {spec!r}: use w<width> or <crop>-w<width> with width one of "
        f"{', '.join(map(str, WIDTHS))} and crop one of {', '.join(CROPS)}."
    )


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"Unknown rendition format {fmt!r}: use one of {', '.join(FORMATS)}.")
    return fmt


ALL_SPECS = tuple([parse_spec(f"w{w}") for w in WIDTHS] + [parse_spec(f"{c}-w{w}") for c in CROPS for w in WIDTHS])
# The specs of each crop (None: plain widths), narrowest first.
_SPECS_BY_CROP = {crop: tuple(s for s in ALL_SPECS if s.crop == crop) for crop in [None, *CROPS]}


# --- geometry (pure: used both to predict sizes and to make the images) ---------------------


def crop_box(width: int, height: int, ratio: tuple[int, int], focal_x: float, focal_y: float):
    """The largest box of `ratio` inside width×height, centred on the focal point as far as the
    edges allow (so the focal point is always inside it). Returns (left, top, right, bottom)."""
    a, b = ratio
    if width * b > height * a:
        box_w, box_h = max(1, round(height * a / b)), height
    else:
        box_w, box_h = width, max(1, round(width * b / a))
    left = min(max(round(focal_x * width - box_w / 2), 0), width - box_w)
    top = min(max(round(focal_y * height - box_h / 2), 0), height - box_h)
    return left, top, left + box_w, top + box_h


def output_size(spec: Spec, width: int, height: int) -> tuple[int, int]:
    """Width and height of `spec` made from a width×height source (never upscaled)."""
    if spec.crop:
        a, b = spec.ratio
        left, top, right, bottom = crop_box(width, height, spec.ratio, 0.5, 0.5)
        out_w = min(spec.width, right - left)
        return out_w, max(1, round(out_w * b / a))
    out_w = min(spec.width, width)
    return out_w, max(1, round(height * out_w / width))


# --- which image stands for an item --------------------------------------------------------


def source_of(item: MediaItem | None) -> MediaItem | None:
    """The image whose renditions represent `item` (a video's poster), or None if it has none."""
    if item is None:
        return None
    image = item.poster if item.is_video else item
    if image is None or image.file_missing or not image.file or not image.width or not image.height:
        return None
    return image


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


def _prefetched(item: MediaItem) -> dict | None:
    """{(spec, format): Rendition} from prefetched rows, or None when they were not prefetched."""
    rows = getattr(item, "_prefetched_objects_cache", {}).get("renditions")
    return None if rows is None else {(r.spec, r.format): r for r in rows}


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


def _specs_for(crop: str | None) -> tuple[Spec, ...]:
    if crop and crop not in CROPS:
        raise ValueError(f"Unknown crop {crop!r}: use one of {', '.join(CROPS)}.")
    return _SPECS_BY_CROP[crop or None]


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
    for spec in _specs_for(crop):
        width, height = output_size(spec, source_width, source_height)
        if width not in seen:
            seen.add(width)
            entries.append((spec.name, width, height))
    return tuple(entries)


def srcset(item: MediaItem, fmt: str = "jpeg", crop: str | None = None, max_width: int | None = None) -> str:
    """An <img srcset> value: "url 320w, url 640w, …"."""
    return ", ".join(f"{url} {width}w" for url, width, _ in srcset_entries(item, fmt, crop, max_width))


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
    images: dict[int, list[MediaItem]] = {}
    for item in items:
        if item is None:
            continue
        for image in (item, item.poster if item.poster_id else None):
            if image is not None and image.pk and _made(image) is None:
                images.setdefault(image.pk, []).append(image)
    if not images:
        return
    names: dict[int, dict] = {pk: {} for pk in images}
    for media_id, spec, fmt, name in _rendition_names(list(images), tuple(crops) if crops is not None else None):
        names[media_id][(spec, fmt)] = name
    for pk, same in images.items():
        for image in same:
            image.__dict__["_renditions_made"] = _Made(None, names[pk])


def _names_query(media_ids, crops):
    rows = Rendition.objects.filter(media_id__in=media_ids)
    if crops is not None:
        rows = rows.filter(spec__in=[spec.name for crop in crops for spec in _specs_for(crop)])
    return rows.values_list("media_id", "spec", "format", "file")


# Page-sized look-ups go through SQL compiled once (querykit.prepared) per list length and crops;
# the id list is padded to the next length with 0, which no item has.
_PREPARED_LENGTHS = (16, 64, 256)
_PREPARED_NAMES: dict[tuple, PreparedQuery] = {}


def _rendition_names(media_ids: list[int], crops: tuple | None):
    """(media id, spec, format, file name) of the stored renditions of these items."""
    length = next((n for n in _PREPARED_LENGTHS if len(media_ids) <= n), None)
    if length is None:
        return _names_query(media_ids, crops)
    prepared = _PREPARED_NAMES.get((length, crops))
    if prepared is None:
        prepared = _PREPARED_NAMES[(length, crops)] = PreparedQuery(
            lambda ids: _names_query(ids, crops), ids=tuple(range(1, length + 1))
        )
    return prepared(ids=tuple(media_ids) + (0,) * (length - len(media_ids)))


# --- making renditions ---------------------------------------------------------------------


def _open_source(image: MediaItem, scale: float) -> tuple[Image.Image, float]:
    """The decoded source and the factor from original to decoded pixels. A JPEG is decoded
    straight at a reduced scale (DCT scaling) when every rendition needs at most `scale`."""
    with image.file.open("rb") as fh:
        data = fh.read()
    picture = Image.open(io.BytesIO(data))
    original_w = picture.width
    if picture.format == "JPEG" and scale < 1:
        picture.draft("RGB", (ceil(picture.width * scale), ceil(picture.height * scale)))
    picture.load()
    return picture, picture.width / original_w


def _render(picture: Image.Image, factor: float, image: MediaItem, spec: Spec) -> Image.Image:
    """Crop and resize `picture` (the source decoded at `factor`) for `spec`."""
    width, height = output_size(spec, image.width, image.height)
    if spec.crop:
        left, top, right, bottom = crop_box(image.width, image.height, spec.ratio, image.focal_x, image.focal_y)
        box = (left * factor, top * factor, right * factor, bottom * factor)
    else:
        box = (0, 0, picture.width, picture.height)
    return picture.resize((width, height), Image.Resampling.LANCZOS, box=box, reducing_gap=3.0)


def _encode(picture: Image.Image, fmt: str) -> bytes:
    has_alpha = picture.mode in ("RGBA", "LA") or (picture.mode == "P" and "transparency" in picture.info)
    out = io.BytesIO()
    if fmt == "jpeg":
        if has_alpha:
            rgba = picture.convert("RGBA")
            flat = Image.new("RGB", rgba.size, (255, 255, 255))
            flat.paste(rgba, mask=rgba.getchannel("A"))
            picture = flat
        picture.convert("RGB").save(out, "JPEG", quality=QUALITY["jpeg"])
    else:
        picture.convert("RGBA" if has_alpha else "RGB").save(out, "WEBP", quality=QUALITY["webp"], method=WEBP_METHOD)
    return out.getvalue()


def _needed_scale(image: MediaItem, specs) -> float:
    """The largest output/source ratio among `specs`: how much of the source's detail is used."""
    scale = 0.0
    for spec in specs:
        width, _ = output_size(spec, image.width, image.height)
        if spec.crop:
            left, _, right, _ = crop_box(image.width, image.height, spec.ratio, 0.5, 0.5)
            scale = max(scale, width / (right - left))
        else:
            scale = max(scale, width / image.width)
    return scale


def _save(image: MediaItem, spec: Spec, fmt: str, picture: Image.Image, data: bytes | None = None) -> Rendition:
    """Store one rendition (`data`: its encoded bytes, when already made); if another process
    stored the same one first, keep theirs."""
    rendition = Rendition(media=image, spec=spec.name, format=fmt, width=picture.width, height=picture.height)
    name = f"{spec.name}-{uuid.uuid4().hex[:10]}.{EXTENSIONS[fmt]}"
    rendition.file.save(name, ContentFile(data if data is not None else _encode(picture, fmt)), save=False)
    try:
        with transaction.atomic():
            rendition.save()
    except IntegrityError:
        rendition.file.delete(save=False)
        return Rendition.objects.get(media=image, spec=spec.name, format=fmt)
    return rendition


def _require_source(item: MediaItem) -> MediaItem:
    image = source_of(item)
    if image is None:
        raise RenditionUnavailable(f"Media item {item.pk} has no image file to make renditions from.")
    return image


def get_or_create_rendition(item: MediaItem, spec: str, fmt: str = "jpeg") -> Rendition:
    """The stored rendition of `item` (its poster for a video) for `spec` in `fmt`, made now if
    needed. ValueError for a spec or format outside the allowed set; RenditionUnavailable when
    there is no image to render."""
    parsed, fmt = parse_spec(spec), check_format(fmt)
    image = _require_source(item)
    made = _prefetched(image)
    if made is not None and (spec, fmt) in made:
        return made[(spec, fmt)]
    existing = Rendition.objects.filter(media=image, spec=spec, format=fmt).first()
    if existing:
        return existing
    picture, factor = _open_source(image, _needed_scale(image, [parsed]))
    return _save(image, parsed, fmt, _render(picture, factor, image, parsed))


def make_all(item: MediaItem, formats=FORMATS) -> list[Rendition]:
    """Every missing rendition of `item` in `formats`, decoding the source only once.

    Used to pre-make renditions (the `make_renditions` command, the benchmark); pages rely on
    the on-demand view instead.
    """
    image = _require_source(item)
    for fmt in formats:
        check_format(fmt)
    have = {(r.spec, r.format): r for r in Rendition.objects.filter(media=image)}
    todo = [s for s in ALL_SPECS if any((s.name, f) not in have for f in formats)]
    if todo:
        picture, factor = _open_source(image, _needed_scale(image, todo))
        jobs = [
            (spec, fmt, rendered)
            for spec, rendered in _render_cascade(picture, factor, image, todo)
            for fmt in formats
            if (spec.name, fmt) not in have
        ]
        # Pillow's encoders release the GIL: encode on every core, store in order afterwards.
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            encoded = list(pool.map(lambda job: _encode(job[2], job[1]), jobs))
        for (spec, fmt, rendered), data in zip(jobs, encoded, strict=True):
            have[(spec.name, fmt)] = _save(image, spec, fmt, rendered, data)
    return [have[(s.name, f)] for s in ALL_SPECS for f in formats]


def _render_cascade(picture: Image.Image, factor: float, image: MediaItem, specs):
    """(spec, image) for each of `specs`, widest first within each crop, each made from the
    previous (larger) result rather than from the full source: far less resampling work.
    A crop whose box is the whole image (4x3 of a 4:3 photo) reuses the plain widths."""
    by_box: dict[tuple, Image.Image] = {}
    for crop in [None, *CROPS]:
        group = sorted((s for s in specs if s.crop == crop), key=lambda s: -s.width)
        if not group:
            continue
        box = crop_box(image.width, image.height, CROPS[crop], image.focal_x, image.focal_y) if crop else None
        if box == (0, 0, image.width, image.height):
            box = None
        previous = None
        for spec in group:
            size = output_size(spec, image.width, image.height)
            key = (box, size)
            if key not in by_box:
                if previous is None:
                    by_box[key] = _render(picture, factor, image, spec)
                else:
                    by_box[key] = previous.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
            previous = by_box[key]
            yield spec, previous


def discard(item: MediaItem, crops_only: bool = False) -> int:
    """Delete `item`'s stored renditions (only the crops when its focal point moved); their
    files go once the transaction commits. They are made again on the next request."""
    renditions = Rendition.objects.filter(media=item)
    if crops_only:
        renditions = renditions.filter(spec__contains="-")
    doomed = list(renditions)
    if not doomed:
        return 0
    Rendition.objects.filter(pk__in=[r.pk for r in doomed]).delete()
    getattr(item, "_prefetched_objects_cache", {}).pop("renditions", None)
    item.__dict__.pop("_renditions_made", None)

    def remove_files():
        for rendition in doomed:
            rendition.file.delete(save=False)

    transaction.on_commit(remove_files)
    return len(doomed)
