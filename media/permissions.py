"""Who may change what in the media library.

An item follows the rules of the stories using it (`media.usage`: the apps using media answer):
a Reporter may not change the picture or captions of a published story, since that changes what
readers see with no revision of the story. `actor=None` is the system (commands, the importer,
the demo loader) and may do anything.
"""

from django.core.exceptions import PermissionDenied

from media import usage
from media.models import MediaItem


def check_may_add(actor) -> None:
    """PermissionDenied unless `actor` may add media."""
    if actor is not None and not actor.has_perm("media.add_mediaitem"):
        raise PermissionDenied("You do not have permission to add media.")


def check_may_delete(actor) -> None:
    """PermissionDenied unless `actor` may delete media."""
    if actor is not None and not actor.has_perm("media.delete_mediaitem"):
        raise PermissionDenied("You do not have permission to delete media.")


def may_change(actor, item: MediaItem) -> bool:
    """Whether `actor` may change `item` (descriptions, focal point, file, captions, poster):
    the media change permission, and the right to edit every story using it (and to publish,
    when one of those is published)."""
    if actor is None:
        return True
    if not actor.has_perm("media.change_mediaitem"):
        return False
    if item.pk is None:
        return True
    return usage.may_edit_for_uses(actor, [use.story for use in usage.usages(item)])


def check_may_change(actor, item: MediaItem) -> None:
    """PermissionDenied, saying why, unless `actor` may change `item`."""
    if actor is not None and not actor.has_perm("media.change_mediaitem"):
        raise PermissionDenied("You do not have permission to change media.")
    if not may_change(actor, item):
        raise PermissionDenied(
            f"“{item}” is used by stories you may not edit "
            f"({', '.join(str(use) for use in usage.usages(item))}); "
            "an editor who may edit and publish them must change it."
        )


def check_may_mark_public(actor) -> None:
    """Making an item public before a story goes live is a publishing decision."""
    if not usage.may_publish(actor):
        raise PermissionDenied("Only editors who may publish can mark media public.")
