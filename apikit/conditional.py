"""Conditional requests: an ETag on every successful answer with a body, 304 for a match."""

import hashlib

from django.http import HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags


def etag_matches(header: str, etag: str) -> bool:
    """Weak comparison of `etag` against an If-None-Match / If-Match header value."""
    wanted = parse_etags(header or "")
    bare = etag.removeprefix("W/")
    return "*" in wanted or any(tag.removeprefix("W/") == bare for tag in wanted)


class ETagMixin:
    """Every successful response with a body gets an ETag; a matching If-None-Match gets 304.

    The tag hashes the rendered body, so it changes whenever what the caller sees changes
    (including a related article going live). Views may prefix it (`etag_prefix`) with facts
    a client hands back later, such as an article's version for If-Match.
    """

    def etag_prefix(self, response) -> str:
        return ""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ("Authorization", "Cookie"))
        if not (200 <= response.status_code < 300) or getattr(response, "data", None) is None:
            return response
        response.render()
        etag = f'"{self.etag_prefix(response)}{hashlib.sha256(response.content).hexdigest()[:32]}"'
        response["ETag"] = etag
        if request.method in ("GET", "HEAD") and etag_matches(request.headers.get("If-None-Match"), etag):
            not_modified = HttpResponseNotModified()
            for header in ("ETag", "Vary", "Cache-Control"):
                if header in response:
                    not_modified[header] = response[header]
            return not_modified
        return response
