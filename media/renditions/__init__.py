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

Three modules: `specs` (the allowed specs and their geometry), `urls` (what pages and the API
draw) and `making` (decoding, resizing, encoding, storing, discarding). Import from here.
"""

from media.renditions.making import discard, get_or_create_rendition, make_all
from media.renditions.specs import (
    ALL_SPECS,
    CROPS,
    FORMATS,
    WIDTHS,
    RenditionUnavailable,
    Spec,
    check_format,
    crop_box,
    output_size,
    parse_spec,
    source_of,
)
from media.renditions.urls import (
    GRANT_PARAM,
    granting,
    load_rendition_groups,
    load_renditions,
    on_demand_url,
    prefetch_for,
    rendition_set,
    rendition_url,
    srcset,
    srcset_entries,
    srcset_value,
    stored_url,
    with_grant,
)

__all__ = [
    "ALL_SPECS",
    "CROPS",
    "FORMATS",
    "GRANT_PARAM",
    "WIDTHS",
    "RenditionUnavailable",
    "Spec",
    "check_format",
    "crop_box",
    "discard",
    "get_or_create_rendition",
    "granting",
    "load_rendition_groups",
    "load_renditions",
    "make_all",
    "on_demand_url",
    "output_size",
    "parse_spec",
    "prefetch_for",
    "rendition_set",
    "rendition_url",
    "source_of",
    "srcset",
    "srcset_entries",
    "srcset_value",
    "stored_url",
    "with_grant",
]
