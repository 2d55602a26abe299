"""Making renditions: decode the source once, crop around the focal point, resize, encode,
store. And discarding them when the picture they were made from changes.
"""

import io
import os
import uuid
from concurrent.futures import ThreadPoolExecutor
from math import ceil

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from PIL import Image

from media.models import MediaItem, Rendition
from media.renditions.specs import (
    ALL_SPECS,
    CROPS,
    FORMATS,
    Spec,
    check_format,
    crop_box,
    output_size,
    parse_spec,
    require_source,
)

EXTENSIONS = {"jpeg": "jpg", "webp": "webp"}
QUALITY = {"jpeg": 82, "webp": 80}
# WebP "method" trades encoder effort for size; 2 is several times faster than the default 4
# at a few percent larger files, which keeps a full rendition set within its time budget.
WEBP_METHOD = 2


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


def _prefetched(item: MediaItem) -> dict | None:
    """{(spec, format): Rendition} from prefetched rows, or None when they were not prefetched."""
    rows = getattr(item, "_prefetched_objects_cache", {}).get("renditions")
    return None if rows is None else {(r.spec, r.format): r for r in rows}


def get_or_create_rendition(item: MediaItem, spec: str, fmt: str = "jpeg") -> Rendition:
    """The stored rendition of `item` (its poster for a video) for `spec` in `fmt`, made now if
    needed. ValueError for a spec or format outside the allowed set; RenditionUnavailable when
    there is no image to render."""
    parsed, fmt = parse_spec(spec), check_format(fmt)
    image = require_source(item)
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
    image = require_source(item)
    formats = tuple(check_format(fmt) for fmt in formats)
    have = {(r.spec, r.format): r for r in Rendition.objects.filter(media=image)}
    todo = [s for s in ALL_SPECS if any((s.name, f) not in have for f in formats)]
    if todo:
        have.update(_make_missing(image, todo, formats, have))
    return [have[(s.name, f)] for s in ALL_SPECS for f in formats]


def _make_missing(image: MediaItem, todo: list[Spec], formats: tuple, have: dict) -> dict:
    """{(spec name, format): Rendition} for the pairs of `todo` × `formats` not in `have`."""
    picture, factor = _open_source(image, _needed_scale(image, todo))
    jobs = [
        (spec, fmt, rendered)
        for spec, rendered in _render_cascade(picture, factor, image, todo)
        for fmt in formats
        if (spec.name, fmt) not in have
    ]
    encoded = _encode_all(jobs)
    return {
        (spec.name, fmt): _save(image, spec, fmt, rendered, data)
        for (spec, fmt, rendered), data in zip(jobs, encoded, strict=True)
    }


def _encode_all(jobs: list) -> list[bytes]:
    """The encoded bytes of each (spec, format, picture) job, in order. Pillow's encoders
    release the GIL: encoded on every core, stored in order afterwards."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return list(pool.map(lambda job: _encode(job[2], job[1]), jobs))


def _render_cascade(picture: Image.Image, factor: float, image: MediaItem, specs):
    """(spec, image) for each of `specs`, widest first within each crop, each made from the
    previous (larger) result rather than from the full source: far less resampling work.
    A crop whose box is the whole image (4x3 of a 4:3 photo) reuses the plain widths."""
    by_box: dict[tuple, Image.Image] = {}
    for crop in [None, *CROPS]:
        group = sorted((s for s in specs if s.crop == crop), key=lambda s: -s.width)
        if group:
            yield from _cascade_group(picture, factor, image, group, _crop_box_of(image, crop), by_box)


def _crop_box_of(image: MediaItem, crop: str | None) -> tuple | None:
    """The box `crop` cuts from `image`; None for no crop or one whose box is the whole image."""
    if not crop:
        return None
    box = crop_box(image.width, image.height, CROPS[crop], image.focal_x, image.focal_y)
    return None if box == (0, 0, image.width, image.height) else box


def _cascade_group(picture, factor, image, group, box, by_box: dict):
    """(spec, image) for one crop's specs, widest first, each resized from the previous one;
    `by_box` remembers results by (box, size) across crops that cut the same box."""
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
