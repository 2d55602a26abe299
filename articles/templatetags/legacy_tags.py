"""Template tags for a site whose archive is only partly imported (see articles.legacy.links).

{% load legacy_tags %}
{% legacy_related_item article %}  <li class="related-item related-legacy">…</li>, or nothing
"""

from django import template

from articles.legacy import links
from articles.site.cards import RELATED_THUMB_MAX_WIDTH
from media.templatetags.media_tags import html_format, picture

register = template.Library()


@register.simple_tag
def legacy_related_item(article):
    """A related entry for a stub (an item not imported yet): a link to its page on the old site
    with its label, title and picture, saying which site it leads to. Nothing without
    LEGACY_SITE_URL or legacy id: a stub has no page of its own here to link to.

    The picture is the stub's own copy when the importer found the file, else the legacy
    picture on the old site (images only: a legacy video path is no picture). Every value is
    escaped; the link is marked `rel="external"` and sends no referrer to the other site.
    """
    url = links.page_url(article.legacy_id)
    if not url:
        return ""
    media = article.lead_media if article.lead_media_id else None
    thumb = picture(media, sizes="8rem", crop="16x9", alt="", max_width=RELATED_THUMB_MAX_WIDTH) if media else ""
    if not thumb and media is not None and not media.is_video:
        source = links.media_url(media.legacy_path)
        if source:
            thumb = html_format(
                '<img src="{}" alt="" loading="lazy" decoding="async" referrerpolicy="no-referrer">', source
            )
    label = html_format('<span class="kind">{}</span> ', article.kind_label) if article.kind_label else ""
    return html_format(
        '<li class="related-item related-legacy" lang="{}" dir="{}">\n'
        '      <a href="{}" rel="external noreferrer">\n'
        '        <span class="related-thumb">{}</span>\n'
        '        <span class="related-text">{}<span class="related-title">{}</span>'
        ' <span class="related-source" lang="en" dir="ltr">(on {})</span></span>\n'
        "      </a>\n    </li>",
        article.language,
        article.text_direction,
        url,
        thumb,
        label,
        article.title,
        links.host(),
    )
