"""What the apps using media tell it: where an item is used, whether a use is live, who may
change it, where its changes are recorded, and which item a share-preview grant opens.

Media never imports the apps that use it. Each registers a `UsageProvider` at start-up (articles
does so in its AppConfig.ready) and media asks every registered provider. With none registered
media stands alone: nothing uses any item, nothing is live (so only items marked public are
public), changes are allowed to whoever holds the media permissions, nothing is audited and no
grant opens anything.

This module imports no model (`media.models` imports it for `public_q`); the one question that
needs MediaItem, which videos show an item as their poster, reads it from the app registry.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q


@dataclass(frozen=True)
class Use:
    """One use of an item: `story` is what uses it (as its app gives it: an Article), `how` says
    in what way, for people to read."""

    story: object
    how: str

    def __str__(self):
        return f"“{self.story}” ({self.how})"


@dataclass(frozen=True)
class UsageProvider:
    """The answers of one app that uses media items.

    uses: ([item id, …]) -> {item id: [Use, …]}, the app's own uses of these items (a fixed
        number of queries whatever their number). A video's poster is followed by media itself.
    live_use: () -> Q over MediaItem, true for items something readers can see now uses (a Q so
        that a list filters in the database and a single item costs one EXISTS query).
    may_edit: (actor, [story, …]) -> bool, whether `actor` may change media these stories use.
    may_publish: (actor) -> bool, whether `actor` may make media public by hand.
    record: (*, actor, action, object_repr, details) -> None, the audit writer.
    granted_item: (grant string or None) -> item id or None, the item a share-preview grant
        opens while it is valid; None when the app gives no grants.
    label: what the app calls the things using media, plural ("articles"), for headings.
    """

    uses: Callable[[list[int]], dict[int, list[Use]]]
    live_use: Callable[[], Q]
    may_edit: Callable[[object, list], bool]
    may_publish: Callable[[object], bool]
    record: Callable[..., None]
    granted_item: Callable[[str | None], int | None] | None = None
    label: str = ""


_providers: list[UsageProvider] = []


def register_provider(provider: UsageProvider) -> None:
    """Add `provider` (once: registering an equal one again changes nothing)."""
    if provider not in _providers:
        _providers.append(provider)


def unregister_provider(provider: UsageProvider) -> None:
    """Take `provider` away again (tests that show media standing alone)."""
    if provider in _providers:
        _providers.remove(provider)


def providers() -> tuple[UsageProvider, ...]:
    """The providers registered, in order."""
    return tuple(_providers)


# --- where items are used ------------------------------------------------------------------------


def usages_for(items) -> dict[int, list[Use]]:
    """{item pk: [Use, …]} for `items`: each provider's uses, and the uses of every video that
    shows an item as its poster. One query for the videos, plus each provider's own."""
    items = list(items)
    result: dict[int, list[Use]] = {item.pk: [] for item in items}
    if not items or not _providers:
        return result
    ids = list(result)
    videos = _videos_showing(ids)
    found = _uses_of(ids + [video.pk for video in videos])
    for pk in ids:
        result[pk].extend(found.get(pk, ()))
    for video in videos:
        result[video.poster_id].extend(
            Use(use.story, f"{use.how}: poster of the video “{video}”") for use in found.get(video.pk, ())
        )
    return result


def _videos_showing(ids: list[int]) -> list:
    """Videos whose poster is one of `ids`."""
    media_item = apps.get_model("media", "MediaItem")
    return list(media_item.objects.filter(poster__in=ids).only("id", "title", "poster_id", "legacy_path", "file"))


def _uses_of(ids: list[int]) -> dict[int, list[Use]]:
    """Every provider's uses of `ids`, merged."""
    found: dict[int, list[Use]] = {}
    for provider in _providers:
        for pk, uses in provider.uses(ids).items():
            found.setdefault(pk, []).extend(uses)
    return found


def usages(item) -> list[Use]:
    """What uses `item`, each with how it uses it."""
    return usages_for([item])[item.pk]


def posters_in_use(item) -> list:
    """Videos that show `item` as their poster (they use it even when nothing uses them)."""
    return list(item.poster_of.all())


def users_label() -> str:
    """What the providers call the things using media ("articles"); "" with none."""
    return ", ".join(provider.label for provider in _providers if provider.label)


# --- visibility, rights, audit, grants -----------------------------------------------------------


def live_use_q() -> Q:
    """Q over MediaItem: used by something readers may see at this moment."""
    q = Q(pk__in=[])
    for provider in _providers:
        q |= provider.live_use()
    return q


def may_edit_for_uses(actor, stories) -> bool:
    """Whether every provider lets `actor` change media that `stories` use."""
    return all(provider.may_edit(actor, stories) for provider in _providers)


def may_publish(actor) -> bool:
    """Whether `actor` may make media public by hand (`None`, the system, always may)."""
    if actor is None:
        return True
    return all(provider.may_publish(actor) for provider in _providers)


def record(*, actor, action: str, object_repr: str, details: dict) -> None:
    """Write the audit entry of a media change through each provider's audit writer."""
    for provider in _providers:
        provider.record(actor=actor, action=action, object_repr=object_repr, details=details)


def granted_item(grant: str | None) -> int | None:
    """The item id a share-preview `grant` opens now, asked of the providers that give grants;
    None for no grant, or one that none of them signed or that is no longer valid."""
    if not grant:
        return None
    for provider in _providers:
        if provider.granted_item is not None:
            pk = provider.granted_item(grant)
            if pk is not None:
                return pk
    return None
