"""Authors and bylines: the people a story is credited to, in the order the byline names them.

An author need not have a staff account (a stringer, an agency's correspondent); one who does is
linked to it, so the desk can offer "my stories". Imported by articles.models, so Django sees
the models; this module imports nothing of articles itself.
"""

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.db.models.functions import Lower
from django.utils.text import slugify

from articles.validators import validate_signoff
from urlkit.reversing import QuickReverse

_AUTHOR_URL = QuickReverse("author", {"slug": "zqxslugzqx"})


class AuthorQuerySet(models.QuerySet):
    def public(self):
        """Authors readers may see: those named in the byline of at least one live story.

        Every other author's page and API detail is 404 for anonymous callers, so a byline
        prepared on an unpublished story reveals nothing.
        """
        live = apps.get_model("articles", "Article").objects.live()
        return self.filter(Exists(Byline.objects.filter(author=OuterRef("pk"), article__in=live)))


class Author(models.Model):
    """A person stories are credited to. Only the name is required."""

    name = models.CharField(max_length=200, help_text="As the byline prints it, e.g. “Sara Hamidi”.")
    slug = models.SlugField(
        max_length=200, unique=True, allow_unicode=True, blank=True, help_text="Made from the name when empty."
    )
    job_title = models.CharField(max_length=200, blank=True, help_text="e.g. “Baghdad correspondent”.")
    bio = models.TextField(blank=True, max_length=2000, help_text="A few sentences for the author's page.")
    photo = models.ForeignKey(
        "media.MediaItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "image"},
        help_text="A portrait from the media library.",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author",
        help_text="The staff account of this author, if any.",
    )
    signoff = models.CharField(
        max_length=32, blank=True, validators=[validate_signoff], help_text="Desk sign-off code, e.g. “S/SH”."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AuthorQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(Lower("name"), name="author_name_lower_idx")]
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="author_name_not_empty")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:200].strip("-") or slugify(self.name, allow_unicode=True)[:200] or "author"
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return _AUTHOR_URL(slug=self.slug)


class Byline(models.Model):
    """One author's place in one article's byline (position 0 is named first)."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="bylines")
    # Indexed as the first column of byline_listing_idx.
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines", db_index=False)
    position = models.PositiveSmallIntegerField(default=0)
    # A copy of the article's dateline, kept equal to it by the action functions
    # (articles.link_dates): an author's page walks byline_listing_idx newest first and stops
    # after a page, whatever the number of stories (see articles.models.TagLink).
    published_at = models.DateTimeField(null=True, blank=True, editable=False, help_text="The article's dateline.")

    class Meta:
        ordering = ["article", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="byline_author_once"),
            models.UniqueConstraint(fields=["article", "position"], name="byline_position_once"),
        ]
        indexes = [models.Index(fields=["author", "-published_at", "-article"], name="byline_listing_idx")]

    def __str__(self):
        return f"{self.article_id}: {self.author_id} (#{self.position})"


# A byline's order, and what reading one needs of each author (the name, linked to the page).
BYLINE_ORDER = ("position", "id")
BYLINE_AUTHOR_FIELDS = ("author__id", "author__name", "author__slug")


def byline_prefetch(to_attr: str) -> Prefetch:
    """For a list of articles: each one's byline rows, with their authors and in order, in
    `article.<to_attr>`; one query for the whole list, whatever its length."""
    rows = Byline.objects.select_related("author").only("article_id", "position", *BYLINE_AUTHOR_FIELDS)
    return Prefetch("bylines", queryset=rows.order_by(*BYLINE_ORDER), to_attr=to_attr)
