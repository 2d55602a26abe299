"""Template tags of the public site: sign-off, dateline, related entries and navigation.

{% load news_tags %}
{% signoff article %}       <p class="signoff">S/SH 11</p> (nothing when there is none)
{% dateline article %}      <time datetime="2016-03-24T14:18:09+04:30">Thu Mar 24, 2016 14:18:09 UTC+4:30</time>
{% related_item article %}  <li class="related-item">…</li>: one entry of a related list
{% related_items related %} the entries of a related list (stubs as links to the old site)
{% breadcrumb %}            the page's sections, top first (`crumbs`, `current_is_last`)
{% byline authors %}        <p class="byline">By A, B and C</p> (nothing without authors)
{% tag_links tags %}        the story's topics as list items
{% static_or_plain "css/site.css" %}   like {% static %}, never failing (for the 500 page)
{% site_nav %}              the header's section links, made once per content generation
"""

import hashlib
from functools import lru_cache
from urllib.parse import quote, urljoin

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from articles.site.cards import RELATED_THUMB_MAX_WIDTH
from articles.site.navigation import per_generation
from articles.templatetags.legacy_tags import legacy_related_item
from media.templatetags.media_tags import html_format, picture

register = template.Library()


@register.simple_tag
def signoff(article):
    """The desk code printed at the end of the story, escaped."""
    code = article.signoff or article.published_signoff
    return format_html('<p class="signoff">{}</p>', code) if code else ""


@register.simple_tag
def dateline(article):
    """The dateline in the newsroom's time zone (the active one: settings.TIME_ZONE) and the
    site's format (settings.DATELINE_FORMAT), naming the zone so that readers elsewhere know
    whose clock it is; the `datetime` attribute carries the offset, so it is an absolute time."""
    if article.published_at is None:
        return ""
    local = timezone.localtime(article.published_at).replace(microsecond=0)
    return _time_element(local, str(local.tzinfo), settings.DATELINE_FORMAT, get_language())


@register.simple_tag
def moment(when):
    """Any moment (a correction's, say) as the dateline shows one: local time, zone named."""
    if when is None:
        return ""
    local = timezone.localtime(when).replace(microsecond=0)
    return _time_element(local, str(local.tzinfo), settings.DATELINE_FORMAT, get_language())


@lru_cache(maxsize=4096)
def _time_element(local, zone: str, date_format: str, language: str | None):
    """The <time> element for one moment in one time zone (`zone`: aware datetimes of the same
    instant compare equal whatever their zone), format and language (day and month names are
    translated). A pure function of these, so remembered: a list page formats the same few
    dozen datelines on every request, and Django's date formatting is slow."""
    text = format_date(local, date_format)
    if _shows_time_of_day(date_format):
        text = f"{text} {zone_label(local)}"
    return html_format('<time datetime="{}">{}</time>', local.isoformat(), text)


# Django date format characters that print a time of day (hours, minutes, seconds, a.m./p.m.).
_TIME_OF_DAY_CHARACTERS = frozenset("aABfgGhHisuP")


@lru_cache(maxsize=16)
def _shows_time_of_day(date_format: str) -> bool:
    """Whether `date_format` prints a time of day (a backslash escapes the next character):
    a clock needs its zone, a bare date does not."""
    escaped = False
    for character in date_format:
        if escaped:
            escaped = False
        elif character == "\\":
            escaped = True
        elif character in _TIME_OF_DAY_CHARACTERS:
            return True
    return False


def zone_label(local) -> str:
    """The zone of the aware datetime `local` as readers know it: its abbreviation when the time
    zone database has one made of letters ("UTC", "GMT", "BST", "EST"), else the offset from UTC
    ("UTC+4:30" for Tehran in summer, "UTC+3" for Baghdad), which is all the database knows
    for many zones (it prints "+0430")."""
    name = local.tzname() or ""
    if name.isalpha():
        return name
    minutes = round(local.utcoffset().total_seconds() / 60)
    if not minutes:
        return "UTC"
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}:{minutes:02d}" if minutes else f"UTC{sign}{hours}"


@register.simple_tag(takes_context=True)
def site_nav(context):
    """The header's links to the top-level sections (`nav_sections`), the current one marked
    (`current_top_path`; `current_is_top` when the page is that section itself). Rendered once
    per content generation, current section and list of sections: every page shows it, and
    only section edits and the live set's changes change it."""
    sections = context.get("nav_sections")
    if not sections:
        return ""
    current = context.get("current_top_path") or ""
    is_top = bool(context.get("current_is_top"))
    # The list itself can change within a generation (a section joins once its first story
    # goes live at its scheduled time), so the fragment is kept per list too.
    listed = hashlib.sha256(",".join(str(section.pk) for section in sections).encode()).hexdigest()[:16]
    return per_generation(
        f"nav-html:{current}:{is_top}:{listed}",
        lambda: render_to_string(
            "articles/_nav.html",
            {"nav_sections": sections, "current_top_path": current, "current_is_top": is_top},
        ),
    )


@register.simple_tag
def static_or_plain(path):
    """`{% static path %}`, or STATIC_URL + path when the static storage cannot name the file
    (a manifest storage without its manifest, before collectstatic). For the 500 page, which
    must render whatever else is broken; other pages keep failing loudly on a bad deploy."""
    try:
        return static(path)
    except ValueError:
        return urljoin(settings.STATIC_URL, quote(path))


@register.simple_tag
def related_item(article):
    """One entry of the article page's related list: 16:9 thumbnail (decorative: the title is
    the link text), label and title, in the story's own language and direction. Built here
    rather than in the template: the list is the page's longest loop."""
    thumb = (
        picture(article.lead_media, sizes="8rem", crop="16x9", alt="", max_width=RELATED_THUMB_MAX_WIDTH)
        if article.lead_media_id
        else ""
    )
    label = html_format('<span class="kind">{}</span> ', article.kind_label) if article.kind_label else ""
    return html_format(
        '<li class="related-item" lang="{}" dir="{}">\n      <a href="{}">\n'
        '        <span class="related-thumb">{}</span>\n'
        '        <span class="related-text">{}<span class="related-title">{}</span></span>\n'
        "      </a>\n    </li>",
        article.language,
        article.text_direction,
        article.get_absolute_url(),
        thumb,
        label,
        article.title,
    )


@register.simple_tag
def related_items(items):
    """Every entry of the article page's related list, as the template's loop laid them out:
    stubs (shown with LEGACY_SITE_URL) as links to the old site. One tag for the whole list: a
    template loop with an `{% if %}` and a tag per entry cost more than the entries' own markup."""
    return mark_safe(
        "".join(f"\n    {legacy_related_item(item) if item.is_stub else related_item(item)}\n  " for item in items)
    )


@register.simple_tag(takes_context=True)
def breadcrumb(context):
    """The breadcrumb of the page's sections (`crumbs`, top first); the last one marked as the
    current page when `current_is_last` (a section's own page)."""
    crumbs = context.get("crumbs") or ()
    current = bool(context.get("current_is_last"))
    last = len(crumbs) - 1
    items = "".join(
        html_format(
            '<li>{}<a href="{}"{}>{}</a></li>',
            _CRUMB_SEPARATOR if index else "",
            crumb.get_absolute_url(),
            _CURRENT_PAGE if current and index == last else "",
            crumb.name,
        )
        for index, crumb in enumerate(crumbs)
    )
    return mark_safe(f'<nav class="breadcrumb" aria-label="Breadcrumb">\n  <ol>{items}</ol>\n</nav>\n')


_CRUMB_SEPARATOR = mark_safe('<span class="sep" aria-hidden="true"> – </span>')
_CURRENT_PAGE = mark_safe(' aria-current="page"')


@register.simple_tag
def byline(authors):
    """ "By A, B and C", each name linking to the author's page, and a line break; only the line
    break without authors."""
    if not authors:
        return "\n"
    last = len(authors) - 1
    names = "".join(
        html_format(
            '{}<a href="{}" rel="author"><bdi>{}</bdi></a>',
            ("" if not index else " and " if index == last else ", "),
            author.get_absolute_url(),
            author.name,
        )
        for index, author in enumerate(authors)
    )
    return mark_safe(f'<p class="byline" lang="en" dir="ltr">By {names}</p>\n')


@register.simple_tag
def tag_links(tags):
    """The story's topics as list items, each linking to the topic's page."""
    return mark_safe(
        "".join(html_format('<li><a href="{}" rel="tag">{}</a></li>', tag.get_absolute_url(), tag.name) for tag in tags)
    )
