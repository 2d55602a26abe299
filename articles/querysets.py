"""The queries every surface shares: what readers may see (`live()`), when that changes by
itself (`next_boundary()`), listings and related lists.

Kept apart from the models so that the rules of visibility read on their own; the models attach
them as their managers (`Article.objects`, `RelatedLink.objects`).
"""

from django.db import models
from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Concat
from django.utils import timezone

# Article.Status.PUBLISHED, named here so that this module need not import the models.
PUBLISHED = "published"
# A listing whose own index names at most this many stories reads them by primary key
# (`ArticleQuerySet.among`); past it, its newest stories are dense enough in the date index.
FEW = 2000


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

    def among(self, candidates):
        """This queryset limited to the article ids `candidates` yields (a `values_list` of ids
        read from the listing's own index: a section's, a tag's, an author's), when there are
        at most FEW of them; else unchanged. One query, reading at most FEW + 1 ids.

        A list page asks for the newest 20 live stories of a section, tag or author. The
        planner walks the date index backwards and keeps the stories that belong, which is
        quick while they are common; for a small section, a rare tag or an occasional author
        that walk crosses the whole archive (1.7 s at a million stories on PostgreSQL, whose
        statistics cannot tell a rare value from a common one). Naming the few ids lets it
        read them by primary key instead; past FEW the walk reads at most 20 × archive / FEW
        rows.
        """
        ids = list(candidates.order_by()[: FEW + 1])
        return self if len(ids) > FEW else self.filter(pk__in=ids)

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
