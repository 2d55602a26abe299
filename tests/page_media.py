"""Reading the media URLs a page names, and fetching them as a reader would (previews, grants)."""

import html
import re
from urllib.parse import parse_qsl, urlencode, urlsplit

MEDIA_URL_ATTRS = re.compile(r'\b(src|srcset|poster)="([^"]*)"')


def media_urls(page: str) -> list[str]:
    """Every image and video URL of a page: each src, each srcset entry, each poster."""
    urls = []
    for attr, value in MEDIA_URL_ATTRS.findall(page):
        for entry in value.split(",") if attr == "srcset" else [value]:
            url = html.unescape(entry.strip().split(" ")[0])
            if url.startswith(("/media/", "/media-renditions/")):
                urls.append(url)
    return urls


def fetch(client, url):
    """The final answer for `url`, following the on-demand rendition redirect to the file."""
    response = client.get(url)
    if response.status_code == 302:
        target = urlsplit(response["Location"])
        response = client.get(target.path + (f"?{target.query}" if target.query else ""))
    return response


def without_grant(url: str) -> str:
    """`url` without its preview grant: what a reader who never held the link would request."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "grant"]
    return parts.path + (f"?{urlencode(query)}" if query else "")
