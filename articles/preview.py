"""Previews: any revision rendered as the public page, and share links that work logged out.

A share link carries a random token of 192 bits (`secrets.token_urlsafe(24)`), expires after
`PREVIEW_LINK_HOURS` (24 by default) and can be revoked; after either it answers 404. Preview
responses are `Cache-Control: private, no-store` and `X-Robots-Tag: noindex`, so no shared
cache (ours or a CDN's) keeps them and no search engine lists them.
"""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.utils import timezone

from articles.models import Article, AuditEntry, PreviewLink, Revision, Tag
from articles.revisions import CONTENT_FIELDS, TIMELINE_FIELDS

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


def render_revision(request, revision: Revision) -> HttpResponse:
    """The public article page as it would look with `revision`, marked never to be stored."""
    # Imported when used, so the preview URLs load independently of the public views module.
    from articles.views import render_article_page

    article, related, tags = article_from_revision(revision)
    response = render_article_page(request, article, related=related, tags=tags, preview=True)
    return mark_private(response)


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
        article=article, revision=revision, token=secrets.token_urlsafe(TOKEN_BYTES),
        created_by=actor if getattr(actor, "pk", None) else None, expires_at=timezone.now() + timedelta(hours=hours),
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
    AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None, action=action, article=article,
        object_repr=article.title[:300], from_status=article.status, to_status=article.status, details=details,
    )


def shared_preview(request, token: str) -> HttpResponse:
    """`/preview/<token>/`: the shared revision, to anyone holding a valid link; 404 otherwise."""
    link = PreviewLink.objects.select_related("revision").filter(token=token).first()
    if link is None or not link.is_valid():
        raise Http404("This preview link does not exist, has expired or was revoked.")
    revision = link.revision or Revision.objects.filter(article_id=link.article_id).order_by("-number").first()
    if revision is None:
        raise Http404("Nothing to preview.")
    return render_revision(request, revision)
