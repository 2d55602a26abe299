"""What the media library asks of articles (media.usage.UsageProvider, registered in
ArticlesConfig.ready): which stories use an item and how, which items live stories use, who may
change them, and the audit hook.

Media follow the rules of the stories using them; media itself knows nothing of articles.
"""

import re

from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Concat

from articles import audit
from articles.actions.permissions import can_edit, can_publish
from articles.models import Article, Author, WorkingDraft

Status = Article.Status
LEAD = "lead media"
INLINE = "inline in the body"
PORTRAIT = "portrait of the author"
DRAFT = "in the story's working draft"


# An inline item in a stored body: `<figure data-media-id="N">` (the editor's form, optionally
# with a <figcaption>) or `<img data-media-id="N" src=…>` (imported and older bodies). Ids longer
# than 18 digits name no item (ids stop at 2**63 - 1) and are not read.
INLINE_TAG = re.compile(r"<(?:figure|img)\b[^>]*?\sdata-media-id=\"([0-9]{1,18})\"", re.IGNORECASE)


def body_marker(pk: int) -> str:
    """The attribute an article body carries where it shows item `pk` inline."""
    return f'data-media-id="{pk}"'


def inline_media_ids(body: str) -> list[int]:
    """The ids of the media items `body` shows inline (figures and images), in body order, each once."""
    return list(dict.fromkeys(int(pk) for pk in INLINE_TAG.findall(body or "")))


def media_uses(ids: list[int]) -> dict:
    """{item id: [media.usage.Use, …]}: the articles showing these items as lead media or inline
    in their body, oldest first, then the authors showing them as their portrait, then the
    working drafts waiting to show them; four queries whatever the number of ids."""
    from media.usage import Use

    found: dict[int, list] = {}
    for article in Article.objects.select_related(None).filter(lead_media__in=ids).order_by("pk"):
        found.setdefault(article.lead_media_id, []).append(Use(article, LEAD))
    inline = Q()
    for pk in ids:
        inline |= Q(body__contains=body_marker(pk))
    for article in Article.objects.select_related(None).filter(inline).order_by("pk"):
        for pk in ids:
            if body_marker(pk) in article.body:
                found.setdefault(pk, []).append(Use(article, INLINE))
    for author in Author.objects.filter(photo__in=ids).only("id", "name", "photo_id").order_by("pk"):
        found.setdefault(author.photo_id, []).append(Use(author, PORTRAIT))
    for article, pk in _draft_uses(ids):
        found.setdefault(pk, []).append(Use(article, DRAFT))
    return found


def _draft_uses(ids: list[int]) -> list[tuple[Article, int]]:
    """(story, item id) for each item a working draft uses as lead media or inline (one query):
    an item waiting in a draft is in use, and must not be deleted from under it."""
    in_body = Q()
    for pk in ids:
        in_body |= Q(draft_body__contains=body_marker(pk))
    drafts = (
        WorkingDraft.objects.annotate(draft_body=KT("data__body"))
        .filter(Q(data__lead_media_id__in=ids) | in_body)
        .select_related("article")
        .order_by("article_id")
    )
    uses = []
    for draft in drafts:
        shown = {draft.data.get("lead_media_id"), *inline_media_ids(draft.data.get("body", ""))}
        uses += [(draft.article, pk) for pk in ids if pk in shown]
    return uses


def media_live_use():
    """Q over MediaItem: lead media of a live article, shown inline in a live article's body, or the
    portrait of an author readers may see (`Author.objects.public()`).

    Evaluated when the query runs, so a scheduled or embargoed story's media become public the
    moment the story does, with no worker; and stop being public when it is unpublished.
    """
    live = Article.objects.live()
    marker = Concat(Value('data-media-id="'), Cast(OuterRef("pk"), CharField()), Value('"'))
    portrait = Author.objects.public().filter(photo=OuterRef("pk"))  # on the page of an author readers see
    return (
        Q(Exists(live.filter(lead_media=OuterRef("pk"))))
        | Q(Exists(live.filter(body__contains=marker)))
        | Q(Exists(portrait))
    )


def may_edit_media(actor, articles) -> bool:
    """Media follow the rules of the stories using them: the actor must be allowed to edit each
    one, and to publish when one of them is published (changing what readers see). An author's
    portrait is the editors' (they keep the authors)."""
    for article in articles:
        if isinstance(article, Author):
            if not can_publish(actor):
                return False
            continue
        if not can_edit(actor, article):
            return False
        if article.status == Status.PUBLISHED and not can_publish(actor):
            return False
    return True


def record_media_change(*, actor, action: str, object_repr: str, details: dict) -> None:
    """The audit entry of a media change or deletion (no article: the item is named instead).

    Only the entry: the media action that made the change announces it (`changes.announce`)."""
    audit.record(actor=actor, action=action, object_repr=object_repr, details=details)


def media_usage_provider(*, granted_item=None):
    """The answers articles gives the media library (see media.usage.UsageProvider).
    `granted_item`: the share-preview grant checker (articles.desk.preview.granted_item), passed
    in by ArticlesConfig.ready so that these core rules do not import the desk."""
    from media.usage import UsageProvider

    return UsageProvider(
        uses=media_uses,
        live_use=media_live_use,
        may_edit=may_edit_media,
        may_publish=can_publish,
        record=record_media_change,
        granted_item=granted_item,
        label=str(Article._meta.verbose_name_plural),
    )
