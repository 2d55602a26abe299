"""Sections, tags, articles and their related lists, plus the editorial record around them.

`Article.objects.live()` is the one way any public surface reads articles (the queries live in
articles.querysets). Rows change through articles.actions, never by saving them here directly.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify

from articles.authors import Author, Byline  # noqa: F401  (models of this app, defined apart)
from articles.collaboration import Autosave, Note, Presence, WorkingDraft  # noqa: F401  (likewise)
from articles.corrections import Correction  # noqa: F401  (likewise)
from articles.querysets import ArticleQuerySet, RelatedLinkQuerySet
from articles.sanitize import clean_html
from articles.validators import (
    strip_control_characters,
    validate_body_html,
    validate_no_control_characters,
    validate_signoff,
)
from urlkit.reversing import QuickReverse

# Pages link dozens of articles and sections: their URLs are made without a full reverse().
_ARTICLE_URL = QuickReverse("article", {"pk": 918273645, "slug": "zqxslugzqx"})
_SECTION_URL = QuickReverse("section", {"path": "zqxpathzqx"}, path_args=("path",))
_TAG_URL = QuickReverse("tag", {"slug": "zqxslugzqx"})


def make_slug(text: str, max_length: int = 200) -> str:
    """A URL slug for any script: Latin is transliterated by slugify, others kept as Unicode."""
    slug = slugify(text)[:max_length].strip("-")
    if not slug:
        slug = slugify(text, allow_unicode=True)[:max_length].strip("-")
    return slug or "item"


class Section(models.Model):
    """A node of the topic tree ("Iraq › Conflict › Mosul"). `path` is the slugs joined by "/"."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, allow_unicode=True, help_text="Unique among its siblings.")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    position = models.PositiveIntegerField(default=0, help_text="Order among siblings (lower first).")
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "slug"], name="section_slug_unique_in_parent"),
            models.UniqueConstraint(fields=["slug"], condition=Q(parent__isnull=True), name="section_root_slug_unique"),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="section_not_own_parent"),
        ]

    def __str__(self):
        return " – ".join(self.path_names()) if self.parent_id else self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = make_slug(self.name, 100)
        old_path = None
        if self.pk:
            old_path = Section.objects.filter(pk=self.pk).values_list("path", flat=True).first()
        parent = self.parent
        self.path = f"{parent.path}/{self.slug}" if parent else self.slug
        self.depth = parent.depth + 1 if parent else 0
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            for child in self.children.all():
                child.save()

    def get_absolute_url(self):
        return _SECTION_URL(path=self.path)

    def clean(self):
        """Refuse a name with control characters (forms, the admin): see name_errors()."""
        super().clean()
        name_errors(self.name)

    def path_prefixes(self) -> list[str]:
        parts = self.path.split("/")
        return ["/".join(parts[: i + 1]) for i in range(len(parts))]

    def ancestors_and_self(self) -> list["Section"]:
        """Top section first. One query (none for a top-level section)."""
        if not self.parent_id:
            return [self]
        by_path = {s.path: s for s in Section.objects.filter(path__in=self.path_prefixes())}
        return [by_path[p] for p in self.path_prefixes() if p in by_path]

    def path_names(self) -> list[str]:
        return [s.name for s in self.ancestors_and_self()]

    @classmethod
    def ensure_path(cls, names: list[str]) -> "Section":
        """Find or create the chain of sections named `names`, top first.

        The importer and the demo loader come this way: control characters in a legacy
        breadcrumb are dropped here rather than refusing the page (forms refuse them)."""
        parent = None
        for name in (strip_control_characters(name).strip() for name in names):
            slug = make_slug(name, 100)
            section = cls.objects.filter(parent=parent, slug=slug).first()
            if section is None:
                section = cls.objects.create(name=name, slug=slug, parent=parent)
            parent = section
        return parent


class Tag(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = make_slug(self.name, 100)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return _TAG_URL(slug=self.slug)

    def clean(self):
        """Refuse a name with control characters (forms, the admin): see name_errors()."""
        super().clean()
        name_errors(self.name)


class TagLink(models.Model):
    """One tag on one article, carrying a copy of the article's dateline (`published_at`).

    The copy is what makes a tag page flat at any archive size: "the newest live stories
    tagged T" is a walk of `tag_link_listing_idx` (tag, dateline, article, newest first) joined
    to the articles by primary key, stopping after a page, where ordering by the article's own
    dateline made the database read every story with the tag (or walk the whole date index).
    The action functions keep the copy equal to the article's dateline whenever either changes
    (`articles.link_dates`); the table is the one the plain many-to-many field used to make.
    """

    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="tag_links")
    # Indexed as the first column of tag_link_listing_idx.
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="links", db_index=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False, help_text="The article's dateline.")

    class Meta:
        db_table = "articles_article_tags"
        constraints = [models.UniqueConstraint(fields=["article", "tag"], name="tag_link_once")]
        indexes = [models.Index(fields=["tag", "-published_at", "-article"], name="tag_link_listing_idx")]

    def __str__(self):
        return f"{self.article_id}: tag {self.tag_id}"


def name_errors(name: str) -> None:
    """Section and tag names: a ValidationError on `name` naming any control character in it.

    Checked in clean(), not as a field validator, so that the fields (and migrations) stay as
    they are; every form and `full_clean()` runs it."""
    try:
        validate_no_control_characters(name)
    except ValidationError as error:
        raise ValidationError({"name": error.error_list}) from None


class Article(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", "Text"
        VIDEO = "video", "Video"
        PHOTO = "photo", "Photos"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, allow_unicode=True, blank=True, help_text="Made from the title when empty.")
    kind = models.CharField(
        max_length=8,
        choices=Kind.choices,
        default=Kind.TEXT,
        help_text=(
            "Video and photo stories are labelled VIDEO / PHOTOS on the site; do not type the label into the title."
        ),
    )
    summary = models.TextField(blank=True, help_text="One or two sentences for lists, feeds and search results.")
    body = models.TextField(
        blank=True,
        validators=[validate_body_html],
        help_text="HTML. Paragraphs, links, lists, quotes and headings; scripts and styles are refused.",
    )
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
    tags = models.ManyToManyField(Tag, through=TagLink, blank=True, related_name="articles")
    authors = models.ManyToManyField(Author, through=Byline, blank=True, related_name="articles")
    signoff = models.CharField(
        "sign-off",
        max_length=32,
        blank=True,
        validators=[validate_signoff, MaxLengthValidator(32)],
        help_text="Desk code printed at the end, e.g. “S/SH 11”. Pre-filled from your staff profile.",
    )
    source = models.CharField(max_length=100, blank=True, help_text="Source or credit line, e.g. “AFP”.")
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="en")
    lead_media = models.ForeignKey(
        "media.MediaItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_of",
        help_text="Video or photo shown at the top of the article.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "dateline",
        null=True,
        blank=True,
        db_index=True,
        help_text="The dateline. A future time schedules the article: it goes live at that second.",
    )
    embargo_until = models.DateTimeField(
        null=True, blank=True, help_text="Not shown to readers before this time, even when published."
    )
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Not shown to readers after this time.")
    pinned = models.BooleanField(default=False, help_text="Show among the top stories on the home page.")
    is_stub = models.BooleanField(
        "stub",
        default=False,
        help_text="A placeholder made by the archive importer for a related item whose page is not imported yet.",
    )
    legacy_id = models.PositiveBigIntegerField(
        null=True, blank=True, unique=True, help_text="Article id on the legacy site."
    )
    legacy_sort = models.BigIntegerField(null=True, blank=True, help_text="Global sort key on the legacy site.")
    # The identity of the legacy page an article was imported from (a hash of its title, label
    # included, and dateline as first imported), so re-imports find it whatever editors change.
    legacy_key = models.CharField(
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text="Identity of the legacy page this article was imported from.",
    )
    # A hash of what the importer last wrote (page fields and related order): tells a page that
    # changed on the old site from an article that editors changed here.
    legacy_digest = models.CharField(max_length=64, blank=True, editable=False)
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Bumped on every save; guards against lost updates."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles_created"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    published_signoff = models.CharField(
        max_length=32, blank=True, editable=False, help_text="Sign-off of the editor who last published."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["text", "video", "photo"]), name="article_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "review", "published", "archived"]), name="article_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_dateline",
            ),
            models.CheckConstraint(
                condition=Q(is_stub=False) | ~Q(status="published"), name="article_stub_never_published"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_pub_idx"),
            models.Index(fields=["section", "-published_at"], name="article_section_pub_idx"),
            models.Index(fields=["title"], name="article_title_idx"),
            # The home page's pinned stories: without it, finding that no (or few) stories are
            # pinned walks every published article. It holds every column live() reads, so the
            # look-up never touches the table and SQLite prefers it over the status index even
            # when its statistics (no histograms) cannot tell that pinned stories are rare.
            models.Index(
                fields=["pinned", "status", "-published_at", "is_stub", "embargo_until", "expires_at"],
                name="article_pinned_pub_idx",
            ),
            # next_boundary(): the next embargo end / expiry, read once per content generation.
            models.Index(fields=["status", "embargo_until"], name="article_status_embargo_idx"),
            models.Index(fields=["status", "expires_at"], name="article_status_expiry_idx"),
        ]
        permissions = [
            ("publish_article", "Can publish, schedule, unpublish and archive articles"),
            ("submit_article", "Can submit articles for review"),
            ("edit_any_article", "Can edit articles written by others"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = clean_html(self.body)
        if not self.slug:
            self.slug = make_slug(self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return _ARTICLE_URL(pk=self.pk, slug=self.slug or "article")

    @property
    def kind_label(self) -> str:
        """The label the site prints before the title: "VIDEO", "PHOTOS", or ""."""
        return {self.Kind.VIDEO: "VIDEO", self.Kind.PHOTO: "PHOTOS"}.get(self.kind, "")

    @property
    def legacy_title(self) -> str:
        """The title as the legacy site showed it, label included."""
        return f"{self.kind_label}: {self.title}" if self.kind_label else self.title

    @property
    def text_direction(self) -> str:
        return "rtl" if self.language in {"ar", "fa", "ur", "he"} else "ltr"

    def is_live(self, at=None) -> bool:
        now = at or timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and not self.is_stub
            and self.published_at is not None
            and self.published_at <= now
            and (self.embargo_until is None or self.embargo_until <= now)
            and (self.expires_at is None or self.expires_at > now)
        )


class RelatedLink(models.Model):
    """One entry of an article's related list, in editorial order."""

    source = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_links")
    target = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="incoming_links")
    position = models.PositiveIntegerField(default=0, help_text="Lower numbers come first.")

    objects = RelatedLinkQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="related_unique_pair"),
            models.CheckConstraint(condition=~Q(source=F("target")), name="related_no_self_link"),
        ]

    def __str__(self):
        return f"{self.source_id} → {self.target_id} (#{self.position})"


class StaffProfile(models.Model):
    """Per-editor settings; the sign-off initials pre-fill new articles."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile")
    signoff_initials = models.CharField(
        max_length=32, blank=True, validators=[validate_signoff], help_text="Your desk initials, e.g. “S/SH”."
    )

    def __str__(self):
        return f"{self.user} ({self.signoff_initials})"


class Revision(models.Model):
    """A snapshot of an article's editable fields and related order, taken on every save."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    data = models.JSONField()
    note = models.CharField(max_length=200, blank=True)
    # Who wrote, edited, approved and published the story as of this revision, with their desk
    # codes: [{"role", "user": {"id", "username", "name"}, "signoff"}] (articles.signoffs).
    chain = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="revision_unique_number")]

    def __str__(self):
        return f"{self.article_id} r{self.number}"


class AuditEntry(models.Model):
    """Who did what to which article, and the state it moved between. Never edited."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=32, db_index=True)
    article = models.ForeignKey(Article, null=True, on_delete=models.SET_NULL, related_name="audit_entries")
    object_repr = models.CharField(max_length=300)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class PreviewLink(models.Model):
    """A signed, expiring, revocable link to preview one revision logged out."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="preview_links")
    revision = models.ForeignKey(Revision, null=True, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Preview of {self.article_id} until {self.expires_at:%Y-%m-%d %H:%M}"

    def is_valid(self, at=None) -> bool:
        now = at or timezone.now()
        return self.revoked_at is None and self.expires_at > now
