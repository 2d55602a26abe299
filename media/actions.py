"""Changes to the media library that need more than a save: deletion, refused while in use.

Admin and API both call these. Keyword-only, permission-checked, transactional; files leave
storage only once the transaction has committed.
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from media.models import MediaItem
from media.usage import posters_in_use, usages
from newsroom.cache import bump_content_generation

log = logging.getLogger("newsroom.media")


class MediaInUse(ValidationError):
    """Deletion refused: the item is used. `users` lists who uses it, for messages."""

    def __init__(self, item: MediaItem, users: list[str]):
        self.item = item
        self.users = users
        super().__init__(
            f"“{item}” cannot be deleted: it is used by {', '.join(users)}. "
            "Remove it from these first.",
            code="in_use",
        )


def users_of(item: MediaItem) -> list[str]:
    """Everything that keeps `item` from being deleted, described for people."""
    users = [str(use) for use in usages(item)]
    users += [f"the video “{video}” (as its poster)" for video in posters_in_use(item)]
    return users


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
        files = _delete_one(item)
        if poster is not None and not users_of(poster):
            files += _delete_one(poster)

        def remove_files():
            for storage, name in files:
                storage.delete(name)
            bump_content_generation()

        transaction.on_commit(remove_files)
    log.info("media item %s (“%s”) deleted by %s", pk, label, getattr(actor, "username", "system"))
