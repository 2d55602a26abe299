"""What search engines and link previews read from an article page's <head>.

Builds plain dicts (JSON-LD `NewsArticle` with a `VideoObject` for video stories, a
`BreadcrumbList`) and a list of OpenGraph / Twitter card `<meta>` pairs, then joins them into
the head's tags (`head_tags`: JSON through json.dumps with <, > and & escaped, never by hand).
Every URL in them is absolute, through `urlkit.absolute_urls` (SITE_URL, else the request's host).
"""

import json
from html import escape

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from articles.search import plain_text
from articles.site.bylines import person
from media import renditions
from media.captions import captions_track
from urlkit.absolute_urls import absolute_url

DESCRIPTION_LENGTH = 160
# The characters that could end a <script> element or start an HTML entity inside one.
_SCRIPT_ESCAPES = (("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026"))


def json_for_script(data) -> SafeString:
    """JSON safe to place between <script> tags: no character in it can close the element."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    # str.replace, not str.translate: translate looks up every character of the article body.
    for char, escaped in _SCRIPT_ESCAPES:
        text = text.replace(char, escaped)
    return mark_safe(text)


def description(article) -> str:
    """The summary, else the start of the body: one line for search results and share cards."""
    text = " ".join((article.summary or "").split()) or _body_start(article.body or "")
    return Truncator(text).chars(DESCRIPTION_LENGTH)


def _body_start(body: str) -> str:
    """The plain text of the body, or of enough of its start to fill a description: cut after
    a tag's ">", so no tag or entity is split. Parsing a long body as HTML costs more than the
    rest of the page head."""
    start = body[: body.rfind(">", 0, 8 * DESCRIPTION_LENGTH) + 1]
    text = plain_text(start)
    return text if len(text) > DESCRIPTION_LENGTH else plain_text(body)


def share_image(article, request=None) -> dict | None:
    """The image shown when the article is shared: the lead photo or the video's poster."""
    image = renditions.source_of(article.lead_media)
    if image is None:
        return None
    # The widest rendition (1280 pixels, or the source's own width when smaller).
    url, width, height = renditions.srcset_entries(image, "jpeg")[-1]
    alt = article.lead_media.alt_text or image.alt_text or article.title
    return {"url": absolute_url(url, request), "width": width, "height": height, "alt": alt}


def video_file(article):
    """The lead video item when the article has a playable one, else None."""
    item = article.lead_media
    if item is not None and item.is_video and item.url:
        return item
    return None


def iso_duration(seconds: float | None) -> str:
    """ISO 8601 duration ("PT1M5S") for a length in seconds."""
    if not seconds:
        return ""
    total = round(seconds)
    minutes, secs = divmod(total, 60)
    hours, minutes = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "") + f"{secs}S"


def breadcrumb_list(crumbs, request=None) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": index,
                "name": section.name,
                "item": absolute_url(section.get_absolute_url(), request),
            }
            for index, section in enumerate(crumbs, start=1)
        ],
    }


def news_article(
    article,
    *,
    request,
    canonical: str,
    crumbs,
    tags,
    image: dict | None,
    description: str,
    video,
    authors=(),
    corrections=(),
) -> dict:
    """The NewsArticle JSON-LD of a story page. `author`: the byline's people, in order; a story
    with no byline is credited to its source (else the site) as an Organization. Each correction,
    clarification or update is a `correction` (CorrectionComment), oldest first."""
    publisher = {"@type": "Organization", "name": settings.SITE_NAME, "url": absolute_url("/", request)}
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": Truncator(article.title).chars(110),
        "description": description,
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "url": canonical,
        "inLanguage": article.language,
        "articleSection": [section.name for section in crumbs],
        "keywords": [tag.name for tag in tags],
        "publisher": publisher,
        "author": [person(author, request) for author in authors]
        or {"@type": "Organization", "name": article.source or settings.SITE_NAME},
    }
    if article.published_at:
        data["datePublished"] = article.published_at.isoformat()
        data["dateModified"] = (article.updated_at or article.published_at).isoformat()
    if image:
        data["image"] = [image["url"]]
    if video is not None:
        data["video"] = video_object(article, video, request=request, image=image, description=description)
    if corrections:
        data["correction"] = [
            {"@type": "CorrectionComment", "text": item.text, "datePublished": item.published_at.isoformat()}
            for item in corrections
        ]
    return data


def video_object(article, video, *, request, image: dict | None, description: str) -> dict:
    """The schema.org VideoObject of a story's lead video."""
    data = {
        "@type": "VideoObject",
        "name": article.title,
        "description": description or article.title,
        "contentUrl": absolute_url(video.url, request),
        "encodingFormat": "video/mp4",
        "uploadDate": (article.published_at or video.uploaded_at).isoformat(),
    }
    if image:
        data["thumbnailUrl"] = [image["url"]]
    if video.duration:
        data["duration"] = iso_duration(video.duration)
    return data


def share_meta(
    article, *, request, canonical: str, crumbs, tags, image: dict | None, description: str, video
) -> list[tuple[str, str, str]]:
    """(attribute, name, content) triples for OpenGraph (`property`) and Twitter (`name`) tags."""
    meta = [
        ("property", "og:type", "article"),
        ("property", "og:site_name", settings.SITE_NAME),
        ("property", "og:title", article.title),
        ("property", "og:description", description),
        ("property", "og:url", canonical),
        ("property", "og:locale", article.language),
    ]
    if article.published_at:
        meta.append(("property", "article:published_time", article.published_at.isoformat()))
    if crumbs:
        meta.append(("property", "article:section", crumbs[0].name))
    meta += [("property", "article:tag", tag.name) for tag in tags]
    if image:
        meta += [
            ("property", "og:image", image["url"]),
            ("property", "og:image:width", str(image["width"])),
            ("property", "og:image:height", str(image["height"])),
            ("property", "og:image:alt", image["alt"]),
        ]
    if video is not None:
        meta += [
            ("property", "og:video", absolute_url(video.url, request)),
            ("property", "og:video:type", "video/mp4"),
        ]
        if video.width and video.height:
            meta += [
                ("property", "og:video:width", str(video.width)),
                ("property", "og:video:height", str(video.height)),
            ]
    meta += [
        ("name", "twitter:card", "summary_large_image" if image else "summary"),
        ("name", "twitter:title", article.title),
        ("name", "twitter:description", description),
    ]
    if image:
        meta += [("name", "twitter:image", image["url"]), ("name", "twitter:image:alt", image["alt"])]
    return meta


def page_head(article, *, request=None, canonical: str, crumbs, tags, authors=(), corrections=()) -> dict:
    """What the article page's <head> (and its video element) needs: description, share tags,
    JSON-LD blocks, the lead video and its captions track, with the description, share image
    and video found once. `request` gives absolute URLs their host (see urlkit.absolute_urls);
    `authors`: the byline, in order."""
    text = description(article)
    image = share_image(article, request)
    video = video_file(article)
    shared = {
        "request": request,
        "canonical": canonical,
        "crumbs": crumbs,
        "tags": tags,
        "image": image,
        "description": text,
        "video": video,
    }
    blocks = [
        news_article(article, **shared, authors=authors, corrections=corrections),
        breadcrumb_list(crumbs, request),
    ]
    return {
        "description": text,
        "captions": captions_track(video, article.language),
        "head_tags": head_tags(share_meta(article, **shared), blocks),
        "video": video,
    }


def json_ld_script(data) -> SafeString:
    """A JSON-LD block; the JSON is escaped so that no value can close the <script> element."""
    return mark_safe(f'<script type="application/ld+json">{json_for_script(data)}</script>')


def head_tags(meta: list[tuple[str, str, str]], blocks: list[dict]) -> SafeString:
    """The share <meta> tags and the JSON-LD blocks, one per line, every value escaped. Joined
    here rather than looped over in the template: two dozen tags, on every article page."""
    lines = [
        f'<meta {attribute}="{escape(name)}" content="{escape(str(content))}">' for attribute, name, content in meta
    ]
    lines += [json_ld_script(data) for data in blocks]
    return mark_safe("\n".join(lines) + "\n")
