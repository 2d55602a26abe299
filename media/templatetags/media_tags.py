"""Template tags for library images: `{% picture %}` and `{% rendition_url %}`.

    {% load media_tags %}
    {% picture item sizes="(min-width: 60em) 960px, 100vw" crop="16x9" loading="lazy" %}
    {% rendition_url item "w640" "jpeg" %}

Both read prefetched renditions (see `MediaItem.objects.with_renditions()` and
`media.renditions.prefetch_for`) and fall back to on-demand URLs, so they never make an image
while the page renders.
"""

import html

from django import template
from django.utils.safestring import SafeString, mark_safe

from media import renditions

register = template.Library()

DEFAULT_SIZES = "100vw"
# The <img src> for browsers without srcset: the first rendition at least this wide.
FALLBACK_WIDTH = 640


def _escaped(value) -> str:
    """`value` as django.utils.html.conditional_escape gives it: safe strings (anything with
    `__html__`) as they are, anything else through html.escape, which is what Django's escape()
    calls. Django's own function wraps that in a lazy-string check that costs three times the
    escaping itself (some 30 µs per <picture>, several percent of an uncached article page)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def html_format(format_string: str, *args) -> SafeString:
    """django.utils.html.format_html, for the site's hot template tags: every argument escaped
    (unless already safe), the result marked safe; the same output for the same arguments.
    The one escaping helper of the site's tags (news_tags and legacy_tags use it too)."""
    return mark_safe(format_string.format(*map(_escaped, args)))


def alt_text_for(item, image) -> str:
    """The item's alt text, else its title; a video's own text wins over its poster's."""
    for candidate in (item, image):
        if candidate is not None and (candidate.alt_text or candidate.title):
            return candidate.alt_text or candidate.title
    return ""


@register.simple_tag
def picture(item, sizes=DEFAULT_SIZES, crop="", loading="lazy", css_class="", alt=None, max_width=None):
    """A <picture> with WebP and JPEG srcsets, intrinsic width/height and alt text.

    A video shows its poster; an item with no image renders nothing. Pass `alt=""` for a
    decorative image. `loading="eager"` for the image at the top of a page. `max_width`: leave
    wider renditions out of the srcsets (a thumbnail never needs the 1280-pixel one).
    """
    image = renditions.source_of(item)
    if image is None:
        return ""
    jpeg = renditions.srcset_entries(image, "jpeg", crop or None, max_width)
    webp = renditions.srcset(image, "webp", crop or None, max_width)
    src, width, height = next((e for e in jpeg if e[1] >= FALLBACK_WIDTH), jpeg[-1])
    return html_format(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" loading="{}" '
        'decoding="async"{}></picture>',
        webp,
        sizes,
        src,
        renditions.srcset_value(jpeg),
        sizes,
        width,
        height,
        alt_text_for(item, image) if alt is None else alt,
        loading,
        html_format(' class="{}"', css_class) if css_class else "",
    )


@register.simple_tag
def rendition_url(item, spec, fmt="jpeg"):
    """URL of one rendition ("" when the item has no image)."""
    return renditions.rendition_url(item, spec, fmt)


@register.filter
def file_url(item):
    """URL of the item's stored file (a video's mp4), with the share-preview grant when one
    applies (see media.renditions.granting); "" when it has none."""
    url = item.url if item is not None else ""
    return renditions.with_grant(url, item.pk) if url else ""


@register.filter
def granted(url, item):
    """`url` (a file of `item`, such as its captions) with the share-preview grant for `item`
    when one applies; unchanged on every other page."""
    return renditions.with_grant(url, item.pk) if url and item is not None else url
