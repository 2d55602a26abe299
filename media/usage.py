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
