"""What an item's admin page shows of the item itself: a video plays there, with its poster and
captions, beside the facts an editor checks before using it (duration, file size, frame).

The player uses the item's own URLs (its file, its poster's rendition, its captions file), which
`media.views` serves to staff even while the item is private.
"""

from django.conf import settings
from django.contrib import admin
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from media.renditions import CROPS, rendition_url

PLAYER_FIELD = "player"


def duration_text(seconds: float | None) -> str:
    """A video's length as players show it: "1:05", "1:02:09"; "—" when unknown."""
    if seconds is None:
        return "—"
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _captions_track(item) -> str:
    if not item.captions:
        return ""
    language = item.captions_language or settings.LANGUAGE_CODE.split("-")[0]
    return format_html(
        '<track kind="captions" src="{}" srclang="{}" label="Captions ({})" default>',
        item.captions.url,
        language,
        language,
    )


def _facts(item) -> str:
    poster = item.poster
    poster_link = (
        format_html('<a href="{}">{}</a>', reverse("admin:media_mediaitem_change", args=[poster.pk]), poster)
        if poster
        else "none yet"
    )
    rows = [
        ("Duration", duration_text(item.duration)),
        ("File size", filesizeformat(item.file_size) if item.file_size else "—"),
        ("Frame", f"{item.width}×{item.height}" if item.width and item.height else "—"),
        ("Codec", item.codec or "—"),
        ("Captions", "yes" if item.captions else "none yet"),
        ("Poster", poster_link),
    ]
    return format_html('<dl class="media-facts">{}</dl>', format_html_join("", "<dt>{}</dt><dd>{}</dd>", rows))


def video_player(item) -> str:
    """A `<video controls>` playing `item` with its poster and captions, and its facts."""
    if item.url is None:
        return format_html("<p>The file of this video is not in the library yet.</p>{}", _facts(item))
    poster = rendition_url(item, "w640", "jpeg")
    return format_html(
        '<div class="media-player"><video controls preload="metadata" playsinline{} width="{}" height="{}" '
        'aria-label="{}"><source src="{}" type="video/mp4">{}'
        '<a href="{}">Download the video</a></video>{}</div>',
        format_html(' poster="{}"', poster) if poster else "",
        item.width or 640,
        item.height or 360,
        f"Video: {item}",
        item.url,
        _captions_track(item),
        item.url,
        _facts(item),
    )


class PreviewAdminMixin:
    """A video's change page opens on its player; everything else as the admin's fieldsets say."""

    @admin.display(description="Player")
    def player(self, obj):
        if obj is None or not obj.pk or not obj.is_video:
            return "—"
        return video_player(obj)

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), PLAYER_FIELD]

    def get_fieldsets(self, request, obj=None):
        """For a video: the player and the video's fields first, no focal point section (its crops
        come from the poster)."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not obj.pk or not obj.is_video:
            return fieldsets
        main, rest = fieldsets[0], [fs for fs in fieldsets[1:] if fs[0] not in ("Video", "Focal point")]
        video = next(fs for fs in fieldsets if fs[0] == "Video")
        video = ("Video", {**video[1], "fields": [PLAYER_FIELD, *video[1]["fields"]]})
        return [main, video, *rest]


# --- an image's crops around its focal point ----------------------------------------------------------


def crop_position(focal: float, kept: float) -> float:
    """CSS object-position (0–1) of a crop keeping the fraction `kept` of one side, centred on
    `focal` and held inside the picture, as the renditions cut it."""
    if kept >= 1:
        return 0.5
    return min(1.0, max(0.0, (focal - kept / 2) / (1 - kept)))


def crop_previews(item, url: str) -> str:
    """The picture as each crop (4:3, 16:9, square) shows it around the focal point; focal.js
    moves them with the point."""
    if not (item.width and item.height):
        return ""
    aspect = item.width / item.height
    boxes = []
    for name, (w, h) in CROPS.items():
        ratio = w / h
        x = crop_position(item.focal_x, ratio / aspect) if aspect > ratio else 0.5
        y = crop_position(item.focal_y, aspect / ratio) if aspect < ratio else 0.5
        boxes.append(
            (name.replace("x", ":"), f"{ratio:.5f}", url, f"{x * 100:.1f}% {y * 100:.1f}%", name.replace("x", " by "))
        )
    return format_html(
        '<div class="focal-crops" data-aspect="{}"><p class="help">How each crop keeps the focal point:</p>{}</div>',
        f"{aspect:.5f}",
        format_html_join(
            "",
            '<figure class="focal-crop" data-ratio="{1}"><img src="{2}" alt="" style="aspect-ratio:{1};'
            'object-position:{3}"><figcaption aria-label="{4} crop">{0}</figcaption></figure>',
            boxes,
        ),
    )
