"""If-Match for the article and its working draft: which version a write names, from its ETag.

An article's ETag is `"a<id>v<version>-<hash>"`; its working draft's is
`"a<id>d<draft id>v<draft version>-<hash>"`. The draft's own id is in it because a draft that
was published or discarded and a new one started later would otherwise share version numbers:
an ETag read from the old draft must never pass for the new one.
"""

import re
from dataclasses import dataclass

from django.utils.http import parse_etags
from rest_framework.exceptions import APIException

ARTICLE_ETAG = re.compile(r'^(?:W/)?"a(\d+)v(\d+)-[0-9a-f]+"$')
DRAFT_ETAG = re.compile(r'^(?:W/)?"a(\d+)d(\d+)v(\d+)-[0-9a-f]+"$')


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = "Send If-Match with the ETag of the article as you last read it (GET it first)."
    default_code = "precondition_required"


@dataclass(frozen=True)
class Named:
    """What an If-Match header names: anything (`*`), a version of the article, or of a draft."""

    any_version: bool = False
    article_version: int | None = None
    draft_id: int | None = None
    draft_version: int | None = None


def _header(request) -> str:
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired()
    return header


def named_article_version(request, article_id: int) -> int | None:
    """The article version If-Match names (428 without one or for another article); `*` → None."""
    header = _header(request)
    if header == "*":
        return None
    for tag in parse_etags(header):
        match = ARTICLE_ETAG.match(tag)
        if match and int(match[1]) == article_id:
            return int(match[2])
    raise PreconditionRequired("If-Match does not hold an ETag of this article; GET the article and send its ETag.")


def named_for_draft(request, article_id: int, *, article_allowed: bool) -> Named:
    """What If-Match names for a working-draft write of article `article_id`.

    `article_allowed`: a save may name the article's ETag (it starts a draft); discarding,
    publishing and unscheduling name the draft's own ETag only. 428 for anything else.
    """
    header = _header(request)
    if header == "*":
        return Named(any_version=True)
    for tag in parse_etags(header):
        match = DRAFT_ETAG.match(tag)
        if match and int(match[1]) == article_id:
            return Named(draft_id=int(match[2]), draft_version=int(match[3]))
        match = ARTICLE_ETAG.match(tag)
        if article_allowed and match and int(match[1]) == article_id:
            return Named(article_version=int(match[2]))
    wanted = "the working draft's or the article's ETag" if article_allowed else "the working draft's ETag"
    raise PreconditionRequired(f"If-Match does not hold {wanted} for this story; GET it and send its ETag.")
