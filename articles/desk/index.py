"""The admin index as the desk: what an editor looks at first.

Four short lists, each with links to the articles' change forms and one query each, whatever
their length: my drafts, waiting for review, scheduled for the next 24 hours, published today.
Then "Mentioned in notes": the newest notes naming the editor as @username, each linking to its
story's notes (one query). The app list stays on the page, below them. Shown to staff who may
view articles.

`install(site)` puts the lists into the site's index page (templates/admin/index.html).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import wraps

from django.urls import reverse
from django.utils import timezone

from articles.desk.together_notes import mentioning
from articles.models import Article

DESK_LIST_LENGTH = 8
FIELDS = ["id", "title", "status", "is_stub", "published_at", "updated_at", "section__name"]


@dataclass(frozen=True)
class DeskList:
    key: str
    title: str
    empty: str
    articles: list
    more_url: str
    moment: str  # the field shown under each title: "updated_at" or "published_at"


def _start_of_today(now: datetime) -> datetime:
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def _short(queryset, order: str) -> list:
    return list(queryset.select_related("section").only(*FIELDS).order_by(order, "-id")[:DESK_LIST_LENGTH])


def desk_lists(user, now: datetime | None = None) -> list[DeskList]:
    """The four lists for `user` at `now`: four queries in all."""
    now = now or timezone.now()
    published = Article.Status.PUBLISHED
    articles = Article.objects.all()
    changelist = reverse("admin:articles_article_changelist")
    return [
        DeskList(
            "drafts",
            "My drafts",
            "No drafts of yours.",
            _short(articles.filter(status=Article.Status.DRAFT, created_by=user), "-updated_at"),
            f"{changelist}?status__exact=draft",
            "updated_at",
        ),
        DeskList(
            "review",
            "Waiting for review",
            "Nothing is waiting for review.",
            _short(articles.filter(status=Article.Status.REVIEW), "updated_at"),
            f"{changelist}?status__exact=review",
            "updated_at",
        ),
        DeskList(
            "scheduled",
            "Scheduled for the next 24 hours",
            "Nothing goes live in the next 24 hours.",
            _short(
                articles.filter(status=published, published_at__gt=now, published_at__lte=now + timedelta(hours=24)),
                "published_at",
            ),
            reverse("admin:articles_article_calendar") + "?days=1",
            "published_at",
        ),
        DeskList(
            "today",
            "Published today",
            "Nothing published yet today.",
            _short(
                articles.filter(status=published, published_at__gte=_start_of_today(now), published_at__lte=now),
                "-published_at",
            ),
            f"{changelist}?status__exact=published",
            "published_at",
        ),
    ]


def desk_context(request) -> dict:
    user = request.user
    if not (user.is_active and user.is_staff and user.has_perm("articles.view_article")):
        return {}
    return {"desk_lists": desk_lists(user), "mentioned_notes": mentioning(user, DESK_LIST_LENGTH)}


def install(site) -> None:
    """Give `site`'s index page the desk lists (its template: templates/admin/index.html)."""
    index = site.index

    @wraps(index)
    def desk_index(request, extra_context=None):
        return index(request, extra_context={**desk_context(request), **(extra_context or {})})

    site.index = desk_index
