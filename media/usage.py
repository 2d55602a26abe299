"""Which articles use a media item: as lead media, through a video whose poster it is, or inline
in a body (`<img data-media-id="N">`).

`media` never imports `articles`: the Article model is reached through the reverse relation
that articles declares (`MediaItem.lead_of`).
"""

from dataclasses import dataclass

from django.db.models import Q

from media.models import MediaItem

LEAD = "lead media"
INLINE = "inline in the body"


@dataclass(frozen=True)
class Use:
    """One article's use of an item; `how` says in what way, for people to read."""

    article: object
    how: str

    def __str__(self):
        return f"“{self.article}” ({self.how})"


def article_model():
    return MediaItem.lead_of.rel.related_model


def body_marker(pk: int) -> str:
    """The attribute an article body carries where it shows item `pk` inline."""
    return f'data-media-id="{pk}"'


def usages_for(items) -> dict[int, list[Use]]:
    """{item pk: [Use, …]} for `items`, in three queries whatever their number."""
    items = list(items)
    result: dict[int, list[Use]] = {item.pk: [] for item in items}
    if not items:
        return result
    ids = list(result)
    videos = list(MediaItem.objects.filter(poster__in=ids).only("id", "title", "poster_id", "legacy_path", "file"))
    Article = article_model()
    leads = Article.objects.select_related(None).filter(lead_media__in=ids + [v.pk for v in videos]).order_by("pk")
    by_lead: dict[int, list] = {}
    for article in leads:
        by_lead.setdefault(article.lead_media_id, []).append(article)
    for pk in ids:
        result[pk].extend(Use(article, LEAD) for article in by_lead.get(pk, []))
    for video in videos:
        how = f"{LEAD}: poster of the video “{video}”"
        result[video.poster_id].extend(Use(article, how) for article in by_lead.get(video.pk, []))
    inline = Q()
    for pk in ids:
        inline |= Q(body__contains=body_marker(pk))
    for article in Article.objects.select_related(None).filter(inline).order_by("pk"):
        for pk in ids:
            if body_marker(pk) in article.body:
                result[pk].append(Use(article, INLINE))
    return result


def usages(item: MediaItem) -> list[Use]:
    """The articles using `item`, each with how it uses it."""
    return usages_for([item])[item.pk]


def posters_in_use(item: MediaItem) -> list[MediaItem]:
    """Videos that show `item` as their poster (they use it even when no article uses them)."""
    return list(item.poster_of.all())


# --- what the apps using media tell it ---------------------------------------------------------
#
# Whether an item may be shown to readers, who may change it and where its changes are recorded
# all depend on the stories using it, which this app cannot read (it never imports `articles`).
# The app that owns those stories registers a provider at start-up (articles does so in its
# AppConfig.ready); media asks it. With no provider registered nothing counts as live, every
# change is allowed to whoever has the media permissions, and nothing is audited.


@dataclass(frozen=True)
class UsageProvider:
    """Answers for one app that uses media items.

    live_use: () -> Q over MediaItem, true for items something readers can see now uses (a Q so
        that a list filters in the database and a single item costs one EXISTS query).
    may_edit: (actor, [article, …]) -> bool, whether `actor` may change media these use.
    may_publish: (actor) -> bool, whether `actor` may make media public by hand.
    record: (*, actor, action, object_repr, details) -> None, the audit writer.
    """

    live_use: object
    may_edit: object
    may_publish: object
    record: object


_providers: list[UsageProvider] = []


def register_provider(provider: UsageProvider) -> None:
    """Add `provider` (once: registering the same one again changes nothing)."""
    if provider not in _providers:
        _providers.append(provider)


def live_use_q() -> Q:
    """Q over MediaItem: used by something readers may see at this moment."""
    q = Q(pk__in=[])
    for provider in _providers:
        q |= provider.live_use()
    return q


def may_edit_for_uses(actor, articles) -> bool:
    return all(provider.may_edit(actor, articles) for provider in _providers)


def may_publish(actor) -> bool:
    if actor is None:
        return True
    return all(provider.may_publish(actor) for provider in _providers)


def record(*, actor, action: str, object_repr: str, details: dict) -> None:
    for provider in _providers:
        provider.record(actor=actor, action=action, object_repr=object_repr, details=details)
