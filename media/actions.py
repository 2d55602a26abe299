"""Changes to the media library that need more than a save: who may change an item, the audit
entry of every change, and deletion, refused while in use.

Admin and API both call these. Keyword-only, permission-checked, transactional; files leave
storage only once the transaction has committed. An item follows the rules of the stories using
it (`media.usage`: the articles app answers): a Reporter may not change the picture or captions
of a published story, since that changes what readers see with no revision of the story.
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from caching.generations import bump_content_generation
from media import usage
from media.models import MediaItem
from media.usage import posters_in_use, usages

log = logging.getLogger("newsroom.media")


class MediaInUse(ValidationError):
    """Deletion refused: the item is used. `users` lists who uses it, for messages."""

    def __init__(self, item: MediaItem, users: list[str]):
        self.item = item
        self.users = users
        super().__init__(
            f"“{item}” cannot be deleted: it is used by {', '.join(users)}. Remove it from these first.",
            code="in_use",
        )


def users_of(item: MediaItem) -> list[str]:
    """Everything that keeps `item` from being deleted, described for people."""
    users = [str(use) for use in usages(item)]
    users += [f"the video “{video}” (as its poster)" for video in posters_in_use(item)]
    return users


def may_change(actor, item: MediaItem) -> bool:
    """Whether `actor` may change `item` (descriptions, focal point, file, captions, poster):
    the media change permission, and the right to edit every story using it (and to publish,
    when one of those is published). `actor=None` is the system."""
    if actor is None:
        return True
    if not actor.has_perm("media.change_mediaitem"):
        return False
    if item.pk is None:
        return True
    return usage.may_edit_for_uses(actor, [use.article for use in usages(item)])


def check_may_change(actor, item: MediaItem) -> None:
    """PermissionDenied, saying why, unless `actor` may change `item`."""
    if actor is not None and not actor.has_perm("media.change_mediaitem"):
        raise PermissionDenied("You do not have permission to change media.")
    if not may_change(actor, item):
        raise PermissionDenied(
            f"“{item}” is used by stories you may not edit ({', '.join(str(use) for use in usages(item))}); "
            "an editor who may edit and publish them must change it."
        )


def check_may_mark_public(actor) -> None:
    """Making an item public before a story goes live is a publishing decision."""
    if not usage.may_publish(actor):
        raise PermissionDenied("Only editors who may publish can mark media public.")


def record_change(*, actor, item: MediaItem, fields, action: str = "media_edit") -> None:
    """The audit entry of a change to `item` (`fields`: what changed), written by the app that
    keeps the audit log (one writer for everything: `media.usage.record`)."""
    fields = sorted(set(fields))
    if not fields:
        return
    usage.record(
        actor=actor,
        action=action,
        object_repr=str(item),
        details={"media_id": item.pk, "fields": fields},
    )


def _stored_names(item: MediaItem) -> list:
    """(storage, name) of the item's file and renditions that no other item shares, and of its
    captions."""
    files = [(r.file.storage, r.file.name) for r in item.renditions.all()]
    if item.captions:
        files.append((item.captions.storage, item.captions.name))
    if item.file and not MediaItem.objects.filter(file=item.file.name).exclude(pk=item.pk).exists():
        files.append((item.file.storage, item.file.name))
    return files


def _delete_one(item: MediaItem) -> list:
    files = _stored_names(item)
    item.delete()
    return files


def delete_media(*, actor, item: MediaItem) -> None:
    """Delete `item`, its renditions and its file, unless something uses it.

    Raises PermissionDenied without `media.delete_mediaitem`, and MediaInUse (a
    ValidationError) listing the articles and videos using it. A video's automatic poster
    goes with it when nothing else uses that poster. `actor=None` is the system.
    """
    if actor is not None and not actor.has_perm("media.delete_mediaitem"):
        raise PermissionDenied("You do not have permission to delete media.")
    with transaction.atomic():
        item = MediaItem.objects.select_for_update().get(pk=item.pk)
        users = users_of(item)
        if users:
            raise MediaInUse(item, users)
        poster, pk, label = item.poster, item.pk, str(item)
        usage.record(actor=actor, action="media_delete", object_repr=label, details={"media_id": pk})
        files = _delete_one(item)
        if poster is not None and not users_of(poster):
            usage.record(
                actor=actor,
                action="media_delete",
                object_repr=str(poster),
                details={"media_id": poster.pk, "poster_of": pk},
            )
            files += _delete_one(poster)

        def remove_files():
            for storage, name in files:
                storage.delete(name)
            bump_content_generation()

        transaction.on_commit(remove_files)
    log.info("media item %s (“%s”) deleted by %s", pk, label, getattr(actor, "username", "system"))
