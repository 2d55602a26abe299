"""The queries every surface shares: what readers may see (`live()`), when that changes by
itself (`next_boundary()`), listings and related lists.

Kept apart from the models so that the rules of visibility read on their own; the models attach
them as their managers (`Article.objects`, `RelatedLink.objects`).
"""

from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.functions import Concat
from django.utils import timezone

# Article.Status.PUBLISHED, named here so that this module need not import the models.
PUBLISHED = "published"
# The order of a tag's or an author's stories (`ArticleQuerySet.tagged`, `.credited_to`):
# newest first by the dateline and article id on the link rows, as their listing indexes hold
# them. For keyset pages (querykit.keyset) and feeds; the values equal the article's
# (published_at, id), so a cursor made from either names the same place.
LISTED_NEWEST_FIRST = (("listed_at", True), ("listed_id", True))


class ArticleQuerySet(models.QuerySet):
    def live(self, at=None):
        """What readers may see: published, dated, out of embargo and not expired, at `at` (now)."""
        now = at or timezone.now()
        return self.filter(
            Q(embargo_until__isnull=True) | Q(embargo_until__lte=now),
            Q(expires_at__isnull=True) | Q(expires_at__gt=now),
            status=PUBLISHED,
            published_at__lte=now,
            is_stub=False,
        )

    def related_to(self, source_id, at=None, *, with_stubs: bool = False):
        """The targets of article `source_id`'s related list that readers may see (at `at`, now),
        in editorial order, read as articles (no link instances).

        Each is checked against live() by key with EXISTS: joined to live() directly, SQLite
        without statistics walks the status/date index over the whole archive instead of
        starting from the links. `with_stubs` adds the stubs of items not imported yet, which
        pages show as links to the old site, never as pages of their own.
        """
        shown = Exists(self.model.objects.live(at).filter(pk=OuterRef("pk")))
        if with_stubs:
            shown = shown | Q(is_stub=True, legacy_id__isnull=False)
        return self.filter(shown, incoming_links__source_id=source_id).order_by(
            "incoming_links__position", "incoming_links__id"
        )

    def next_boundary(self, after=None):
        """The next moment the live set changes by itself (a schedule, embargo end or expiry), or None.

        Caches of public pages must not outlive it.
        """
        now = after or timezone.now()
        published = self.filter(status=PUBLISHED, is_stub=False)
        moments = [
            published.filter(**{f"{field}__gt": now}).aggregate(m=models.Min(field))["m"]
            for field in ("published_at", "embargo_until", "expires_at")
        ]
        moments = [m for m in moments if m is not None]
        return min(moments) if moments else None

    def stubs(self):
        return self.filter(is_stub=True)

    def in_section(self, section):
        """Articles of `section` and all its subsections, joined by path (no query of its own:
        for the home page's blocks, which show the big sections' newest stories)."""
        return self.filter(Q(section__path=section.path) | Q(section__path__startswith=section.path + "/"))

    def in_subtree(self, section):
        """Articles of `section` and all its subsections, the tree's section ids named in the
        query (one query reads them): the planner then knows from its statistics whether the
        tree is large (walk the date index) or small (read the (section, date) index), where the
        join on the path left it guessing, reading the whole archive for a small section (0.9 s
        at a million stories on PostgreSQL). For a section's list, feed and API filter."""
        in_tree = Q(path=section.path) | Q(path__startswith=section.path + "/")
        return self.filter(section_id__in=list(type(section).objects.filter(in_tree).values_list("pk", flat=True)))

    def newest_first(self):
        return self.order_by("-published_at", "-id")

    def tagged(self, tag):
        """The stories carrying `tag`, read through its listing index: order them by
        LISTED_NEWEST_FIRST (`.listed()`); chain after `live()`."""
        return self._through_links("tag_links", tag=tag)

    def credited_to(self, author):
        """The stories with `author` in their byline, read through the byline listing index:
        order them by LISTED_NEWEST_FIRST (`.listed()`); chain after `live()`."""
        return self._through_links("bylines", author=author)

    def _through_links(self, relation: str, **owner):
        """Stories joined to their link rows (`relation`: tag links or bylines) of `owner`, with
        the link's copy of the dateline and article id as `listed_at` / `listed_id`.

        Ordered by those, the database walks the (owner, dateline, article) index newest first
        and reads each story by primary key, stopping after a page: flat for a tag on every
        other story or on three, at a thousand stories or a million. Ordered by the article's
        own dateline it walked the whole archive's date index for a rare tag, or read every
        story of a medium one. The link's dateline is bounded by now as well as the article's
        (live() decides what shows; this only starts the walk at the present, past scheduled
        stories, and keeps drafts without a dateline out of it)."""
        lookups = {f"{relation}__{name}": value for name, value in owner.items()}
        return self.filter(**lookups, **{f"{relation}__published_at__lte": timezone.now()}).annotate(
            listed_at=F(f"{relation}__published_at"), listed_id=F(f"{relation}__article_id")
        )

    def listed(self):
        """A `tagged()` or `credited_to()` queryset newest first, in its index's order."""
        return self.order_by(*(("-" if descending else "") + name for name, descending in LISTED_NEWEST_FIRST))

    def for_listing(self):
        """What a list of article cards needs, in a fixed number of queries."""
        return self.select_related("section", "lead_media", "lead_media__poster")


class RelatedLinkQuerySet(models.QuerySet):
    def to_live_targets(self, at=None):
        """Links whose target readers may see (at `at`, now): each target checked against `live()`
        by primary key.

        Written as EXISTS per link, not `target__in=live()`: with the latter SQLite (without table
        statistics) walks the status/date index over every published article to build the set.
        """
        return self.filter(
            Exists(self.model.target.field.related_model.objects.live(at).filter(pk=OuterRef("target_id")))
        )


def sections_with_live_stories(sections):
    """`sections` (a Section queryset) limited to those with a live story in them or in a
    subsection: a section's name is public only once a live story is filed under it."""
    article = sections.model.articles.field.model  # Article, through the reverse relation
    # For each section of its tree, whether a live story is filed right there: a probe of the
    # (section, date) index, section by section. Joining the stories to the tree by path
    # instead hid the section ids from that index: on PostgreSQL a section whose only stories
    # are old read the whole article table (0.5 s at a million stories).
    filed_here = Exists(article.objects.live().filter(section_id=OuterRef("pk")))
    in_tree = Q(path=OuterRef("path")) | Q(path__startswith=Concat(OuterRef("path"), Value("/")))
    return sections.filter(Exists(sections.model.objects.filter(in_tree).filter(filed_here)))


def tags_with_live_stories(tags):
    """`tags` (a Tag queryset) limited to those a live story carries."""
    article = tags.model.articles.field.model  # Article, through the reverse relation
    return tags.filter(Exists(article.objects.live().filter(tags=OuterRef("pk"))))
