"""Previews: any revision rendered as the public page, and share links that work logged out.

A share link carries a random token of 192 bits (`secrets.token_urlsafe(24)`), expires after
`PREVIEW_LINK_HOURS` (24 by default) and can be revoked; after either it answers 404. Preview
responses are `Cache-Control: private, no-store` and `X-Robots-Tag: noindex`, so no shared
cache (ours or a CDN's) keeps them and no search engine lists them.

The draft's media are not public yet, so a page rendered for a share link gives each media URL
on it a grant (`?grant=`): the link id and the item id, signed. The media views accept it while
the link is valid (one query), for that one item only, and answer it `private, no-store`.
"""

import re
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.utils import timezone

from articles import audit
from articles.models import Article, Author, PreviewLink, Revision, Tag
from articles.revisions import CONTENT_FIELDS, TIMELINE_FIELDS
from media import renditions

TOKEN_BYTES = 24


def article_from_revision(revision: Revision) -> tuple[Article, list[Article], list[Tag]]:
    """An unsaved Article holding the revision's fields, plus its related targets and tags in order.

    Related targets are the live ones only, exactly as readers would see the list once published
    (a share link must not leak other unpublished stories).
    """
    data = revision.data
    article = Article(pk=revision.article_id, status=data.get("status", Article.Status.DRAFT))
    for field in CONTENT_FIELDS:
        if field in data:
            setattr(article, field, data[field])
    for field in TIMELINE_FIELDS:
        value = data.get(field)
        setattr(article, field, datetime.fromisoformat(value) if value else None)
    ids = data.get("related_ids", [])
    by_id = Article.objects.live().for_listing().in_bulk(ids)
    related = [by_id[pk] for pk in ids if pk in by_id]
    tags = list(Tag.objects.filter(pk__in=data.get("tag_ids", [])).order_by("name"))
    return article, related, tags


def revision_authors(revision: Revision) -> list[Author] | None:
    """The revision's byline in order, or None for a revision older than bylines (the page then
    shows the saved byline). An author deleted since is left out."""
    ids = revision.data.get("author_ids")
    if ids is None:
        return None
    by_id = Author.objects.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def render_revision(request, revision: Revision, link: PreviewLink | None = None) -> HttpResponse:
    """The public article page as it would look with `revision`, marked never to be stored.

    With `link` (a share link being opened), every media URL on the page carries a grant for it."""
    # Imported when used, so the preview URLs load independently of the public views module.
    from articles.site.article_page import render_article_page

    article, related, tags = article_from_revision(revision)
    authors = revision_authors(revision)
    if link is None:
        response = render_article_page(request, article, related=related, tags=tags, authors=authors, preview=True)
        return mark_private(response)
    grants = {}

    def grant_for(pk: int) -> str:
        if pk not in grants:
            grants[pk] = make_grant(link, pk)
        return grants[pk]

    article.body = grant_inline_media(article.body or "", grant_for)
    with renditions.granting(grant_for):
        response = render_article_page(request, article, related=related, tags=tags, authors=authors, preview=True)
    return mark_private(response)


GRANT_SALT = "articles.desk.preview.media-grant"
_INLINE_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_MEDIA_ID = re.compile(r'\bdata-media-id="([0-9]{1,18})"')
_SRC = re.compile(r'(\bsrc=")([^"]*)(")')


def make_grant(link: PreviewLink, pk: int) -> str:
    """A signed grant letting the holder of `link` fetch media item `pk` while the link is valid."""
    return signing.dumps({"l": link.pk, "m": int(pk)}, salt=GRANT_SALT, compress=False)


def granted_item(grant: str | None) -> int | None:
    """The media item id `grant` opens: one we signed, whose share link is still valid (neither
    expired nor revoked); None for a malformed, foreign or dead grant."""
    if not grant or len(grant) > 200:
        return None
    try:
        data = signing.loads(grant, salt=GRANT_SALT)
        item_pk, link_pk = int(data["m"]), int(data["l"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    link = PreviewLink.objects.filter(pk=link_pk).only("expires_at", "revoked_at").first()
    return item_pk if link is not None and link.is_valid() else None


def grant_inline_media(body: str, grant_for) -> str:
    """`body` with the src of each inline library image (`<img data-media-id="N">` pointing at
    our media URLs) given the grant for item N. The grant only opens item N, whatever the src."""
    prefixes = (settings.MEDIA_URL, "/media-renditions/")

    def one(match):
        tag = match.group(0)
        found = _MEDIA_ID.search(tag)
        if found is None:
            return tag

        def src(m):
            url = m.group(2)
            if not url.startswith(prefixes):
                return m.group(0)
            granted = renditions.with_grant(url, int(found.group(1)), grant_for(int(found.group(1))))
            return m.group(1) + granted.replace("&", "&amp;") + m.group(3)

        return _SRC.sub(src, tag, count=1)

    return _INLINE_IMG.sub(one, body)


def mark_private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def link_hours() -> int:
    return getattr(settings, "PREVIEW_LINK_HOURS", 24)


@transaction.atomic
def create_link(*, actor, article: Article, revision: Revision | None = None, hours: int | None = None) -> PreviewLink:
    """A new share link for `revision` (the newest when not given), valid `hours` (default setting)."""
    if actor is not None and not actor.has_perm("articles.add_previewlink"):
        raise PermissionDenied("You may not share previews.")
    hours = link_hours() if hours is None else hours
    if hours <= 0:
        raise ValidationError("A preview link must be valid for at least one hour.")
    revision = revision or article.revisions.order_by("-number").first()
    if revision is None or revision.article_id != article.pk:
        raise ValidationError("This article has no such revision to share.")
    link = PreviewLink.objects.create(
        article=article,
        revision=revision,
        token=secrets.token_urlsafe(TOKEN_BYTES),
        created_by=actor if getattr(actor, "pk", None) else None,
        expires_at=timezone.now() + timedelta(hours=hours),
    )
    _audit(actor, article, "share_preview", {"link": link.pk, "revision": revision.number, "hours": hours})
    return link


@transaction.atomic
def revoke_link(*, actor, link: PreviewLink) -> PreviewLink:
    """End a share link now; it answers 404 from the next request on."""
    if actor is not None and not actor.has_perm("articles.change_previewlink"):
        raise PermissionDenied("You may not revoke preview links.")
    link = PreviewLink.objects.select_for_update().get(pk=link.pk)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        _audit(actor, link.article, "revoke_preview", {"link": link.pk})
    return link


def _audit(actor, article: Article, action: str, details: dict) -> None:
    """A share link's entry: it changes no state, so the article's status is both ends."""
    audit.record(
        actor=actor,
        action=action,
        article=article,
        from_status=article.status,
        to_status=article.status,
        details=details,
    )


def shared_preview(request, token: str) -> HttpResponse:
    """`/preview/<token>/`: the shared revision, to anyone holding a valid link; 404 otherwise."""
    link = PreviewLink.objects.select_related("revision").filter(token=token).first()
    if link is None or not link.is_valid():
        raise Http404("This preview link does not exist, has expired or was revoked.")
    revision = link.revision or Revision.objects.filter(article_id=link.article_id).order_by("-number").first()
    if revision is None:
        raise Http404("Nothing to preview.")
    return render_revision(request, revision, link=link)
