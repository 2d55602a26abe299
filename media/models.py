"""The media library: images and videos that articles use as lead media.

Files live in the default storage (MEDIA_ROOT or S3), under generated names. An item can be
known only by reference (a legacy path from the archive) before its file arrives: that is
the `file_missing` state. This app never imports `articles`: what uses an item, and whether a
use is live, is asked of the apps using media through `media.usage`. Items change only through
`media.actions` (which also discards the crops of a moved focal point).

Readers see an item only once it is public (`MediaItem.objects.public()`); staff see all.
"""

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from media.usage import live_use_q


def media_upload_to(instance, filename):
    """Generated storage name: no user-supplied path ever reaches storage."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    now = timezone.now()
    return f"library/{now:%Y/%m}/{uuid.uuid4().hex}.{ext}"


def captions_upload_to(instance, filename):
    return f"captions/{instance.pk}/{filename}"


def rendition_upload_to(instance, filename):
    return f"renditions/{instance.media_id}/{filename}"


class MediaItemQuerySet(models.QuerySet):
    def images(self):
        return self.filter(kind=MediaItem.Kind.IMAGE)

    def videos(self):
        return self.filter(kind=MediaItem.Kind.VIDEO)

    def with_renditions(self):
        """Items with their poster and both sets of renditions loaded: three queries in all,
        after which `media.renditions.rendition_url` and `srcset` need none."""
        return self.select_related("poster").prefetch_related("renditions", "poster__renditions")

    def public(self):
        """Items anonymous readers may fetch now (API object, renditions, files): see `public_q`."""
        return self.filter(public_q())

    def licence_expiring(self, days=30):
        today = timezone.localdate()
        return self.filter(
            licence_expires__isnull=False,
            licence_expires__lte=today + timezone.timedelta(days=days),
        )


def public_q() -> Q:
    """Q over MediaItem: marked public by an editor, used by something live (asked of the apps
    using media through `media.usage`), or the poster of a video that is either. Evaluated at
    query time, so a scheduled story's media turn public the second the story goes live."""

    def own():
        return Q(public=True) | live_use_q()

    return own() | Q(Exists(MediaItem.objects.filter(own(), poster=OuterRef("pk"))))


class MediaItem(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", "Image"
        VIDEO = "video", "Video"

    class Processing(models.TextChoices):
        PENDING = "pending", "Video processing"
        FAILED = "failed", "Processing failed"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    file = models.FileField(
        upload_to=media_upload_to,
        max_length=255,
        blank=True,
        db_index=True,  # the file view finds an item by its stored name
        help_text="JPEG, PNG or WebP image, or MP4 video. Checked by content, not by name.",
    )
    title = models.CharField(max_length=255, blank=True)
    caption = models.TextField(blank=True)
    alt_text = models.CharField(
        max_length=500,
        blank=True,
        help_text="What the image shows, for readers who cannot see it. Required for accessibility.",
    )
    credit = models.CharField(max_length=255, blank=True, help_text='Shown with the media, e.g. "AFP".')
    copyright_holder = models.CharField(max_length=255, blank=True)
    usage_terms = models.TextField(blank=True, help_text="Restrictions agreed with the source.")
    licence_expires = models.DateField(
        null=True, blank=True, help_text="After this date the item may no longer be used."
    )
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    duration = models.FloatField(null=True, blank=True, help_text="Video length in seconds.")
    codec = models.CharField(max_length=32, blank=True)
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    poster = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="poster_of",
        limit_choices_to={"kind": "image"},
        help_text="Still image shown before a video plays. Made automatically from the video.",
    )
    captions = models.FileField(
        upload_to=captions_upload_to,
        max_length=255,
        blank=True,
        help_text="Videos: WebVTT captions (.vtt), shown in the player for readers who cannot hear it.",
    )
    captions_language = models.CharField(
        max_length=16,
        blank=True,
        help_text="Language of the captions (en, ar, fa…) when it is not the article's language.",
    )
    focal_x = models.FloatField(
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="Horizontal focal point (0 = left, 1 = right); crops keep it in frame.",
    )
    focal_y = models.FloatField(
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="Vertical focal point (0 = top, 1 = bottom).",
    )
    sha256 = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    legacy_path = models.CharField(
        max_length=255,
        null=True,
        blank=True,
        unique=True,
        help_text="Path on the legacy site, e.g. /2016/03/06/alalam_…_25f_4x3.mp4.",
    )
    file_missing = models.BooleanField(
        default=False, help_text="Known by reference (e.g. from the archive) but no file in storage yet."
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    public = models.BooleanField(
        default=False,
        help_text="Readers may see it even before a live story uses it. Items used by a live story "
        "are public anyway; until then only staff can open them.",
    )
    # A video is stored as soon as its upload is checked; a background task (media.tasks) then
    # measures it and makes its poster. Empty: nothing waiting (every image, a measured video).
    processing = models.CharField(
        max_length=8,
        choices=Processing.choices,
        blank=True,
        default="",
        help_text="Whether the video is still being measured and given a poster, or why that failed.",
    )
    problem = models.TextField(blank=True, help_text="What went wrong when the file was processed, for editors.")

    objects = MediaItemQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=["image", "video"]), name="media_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="media_focal_point_in_frame",
            ),
            models.CheckConstraint(condition=~models.Q(poster=models.F("id")), name="media_not_own_poster"),
        ]
        indexes = [models.Index(fields=["kind", "-uploaded_at"])]

    def __str__(self):
        return self.title or self.legacy_path or (self.file.name if self.file else f"Media {self.pk}")

    def is_public(self) -> bool:
        """Whether anonymous readers may fetch this item now (one query)."""
        return MediaItem.objects.filter(pk=self.pk).public().exists()

    @property
    def is_video(self):
        return self.kind == self.Kind.VIDEO

    @property
    def is_processing(self) -> bool:
        """A video stored but not yet measured and given its poster by the worker."""
        return self.processing == self.Processing.PENDING

    @property
    def url(self):
        """URL of the file, or None while the file is missing."""
        if self.file_missing or not self.file:
            return None
        return self.file.url

    @property
    def image_for_thumbnail(self):
        """The image that stands for this item in lists: itself, or a video's poster."""
        return self.poster if self.is_video else self


class Rendition(models.Model):
    """A resized or cropped copy of an image, made once and then served from storage."""

    class Format(models.TextChoices):
        JPEG = "jpeg", "JPEG"
        WEBP = "webp", "WebP"

    media = models.ForeignKey(MediaItem, on_delete=models.CASCADE, related_name="renditions")
    spec = models.CharField(max_length=32, help_text='e.g. "w640" or "crop16x9-w960"')
    format = models.CharField(max_length=4, choices=Format.choices)
    file = models.FileField(upload_to=rendition_upload_to, max_length=255)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["media", "spec", "format"], name="rendition_unique_spec"),
        ]

    def __str__(self):
        return f"{self.media_id} {self.spec}.{self.format}"

    @property
    def url(self):
        return self.file.url
