"""The one place absolute URLs are built (feeds, sitemaps, robots.txt, canonical links, share
tags, JSON-LD, the API's `web_url` and media URLs).

Their scheme, host and port are, in this order:

1. `settings.SITE_URL` when it is set: production behind a proxy or CDN names its public host
   there, and every absolute URL uses it whatever host the request came in on;
2. the request that is being answered: `request.scheme` (which honours
   SECURE_PROXY_SSL_HEADER) and `request.get_host()` (checked against ALLOWED_HOSTS), so
   `PORT=8123 make run` hands out URLs on :8123;
3. `FALLBACK_ORIGIN` for code that runs outside any request (a shell, a management command) while
   SITE_URL is unset. No request-less code in the project builds absolute URLs today; set
   SITE_URL wherever that would matter.
"""

from urllib.parse import urljoin

from django.conf import settings

# Where `make run` serves by default; used only without SITE_URL and without a request.
FALLBACK_ORIGIN = "http://127.0.0.1:8000"

# Attribute under which the request's origin is kept once worked out: an API list builds
# hundreds of URLs per response, and get_host() checks ALLOWED_HOSTS on every call.
_ORIGIN_ATTRIBUTE = "newsroom_site_origin"


def site_origin(request=None) -> str:
    """`scheme://host[:port]` that absolute URLs start with, without a trailing slash."""
    if settings.SITE_URL:
        return settings.SITE_URL
    if request is None:
        return FALLBACK_ORIGIN
    origin = getattr(request, _ORIGIN_ATTRIBUTE, None)
    if origin is None:
        origin = f"{request.scheme}://{request.get_host()}"
        setattr(request, _ORIGIN_ATTRIBUTE, origin)
    return origin


def absolute_url(url: str | None, request=None) -> str:
    """`url` made absolute on `site_origin(request)`; "" for no URL.

    URLs that already name a scheme (media on S3 or a CDN) are returned as they are, and a
    scheme-relative one (`//cdn.example.org/x.jpg`) takes the origin's scheme.
    """
    if not url:
        return ""
    if url.startswith("/") and not url.startswith("//"):  # the usual case: a path from reverse()
        return site_origin(request) + url
    if url.startswith(("http://", "https://")):
        return url
    return urljoin(site_origin(request) + "/", url)


def absolute_url_or_none(url: str | None, request=None) -> str | None:
    """`absolute_url(url, request)`, or None for no URL: what a JSON field says for "none"."""
    return absolute_url(url, request) if url else None
