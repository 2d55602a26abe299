"""Which renditions exist and what they measure: the allowed specs, their geometry, and the
image that stands for an item (a video's poster).

Pure and query-free: used both to predict sizes (URLs, the API) and to make the images.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from media.models import MediaItem

WIDTHS = (320, 640, 960, 1280)
CROPS = {"4x3": (4, 3), "16x9": (16, 9), "1x1": (1, 1)}
FORMATS = ("webp", "jpeg")

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


def specs_for(crop: str | None) -> tuple[Spec, ...]:
    """The specs of `crop` (None or "": the plain widths), narrowest first."""
    if crop and crop not in CROPS:
        raise ValueError(f"Unknown crop {crop!r}: use one of {', '.join(CROPS)}.")
    return _SPECS_BY_CROP[crop or None]


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


def source_of(item: MediaItem | None) -> MediaItem | None:
    """The image whose renditions represent `item` (a video's poster), or None if it has none."""
    if item is None:
        return None
    image = item.poster if item.is_video else item
    if image is None or image.file_missing or not image.file or not image.width or not image.height:
        return None
    return image


def require_source(item: MediaItem) -> MediaItem:
    """`source_of(item)`, or RenditionUnavailable when it has no image."""
    image = source_of(item)
    if image is None:
        raise RenditionUnavailable(f"Media item {item.pk} has no image file to make renditions from.")
    return image
