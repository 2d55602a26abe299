"""Corrections, clarifications and updates: public, dated notes appended to a published story.

A newsroom owns its mistakes in public. Each note is kept as its own row, never edited or
removed once published (a wrong correction is itself corrected), so the record readers, feeds,
search engines (NewsArticle `correction`) and partners (ninjs) see only grows. Rows are added
by `articles.actions.add_correction`; public surfaces read them through
`Correction.objects.shown()`, which keeps only those of live stories.
"""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

MAX_CORRECTION_LENGTH = 2000


class CorrectionQuerySet(models.QuerySet):
    def shown(self, at=None):
        """Corrections readers may see: those of live stories (at `at`, now), newest first.

        Each story checked against `live()` by primary key (EXISTS), as related lists are."""
        article = self.model.article.field.related_model  # Article, without importing the models
        live = article.objects.live(at).filter(pk=OuterRef("article_id"))
        return self.filter(Exists(live)).order_by("-published_at", "-id")


class Correction(models.Model):
    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        CLARIFICATION = "clarification", "Clarification"
        UPDATE = "update", "Update"

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(
        max_length=16,
        choices=Kind.choices,
        help_text="Correction: something was wrong. Clarification: something could be misread. "
        "Update: something changed since publication.",
    )
    text = models.TextField(
        help_text="What was wrong and what is right, as readers will read it (plain text, at most "
        f"{MAX_CORRECTION_LENGTH} characters).",
    )
    published_at = models.DateTimeField(default=timezone.now, db_index=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["published_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["correction", "clarification", "update"]), name="correction_kind_valid"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="correction_text_not_empty"),
        ]
        indexes = [models.Index(fields=["article", "published_at"], name="correction_article_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.article_id} at {self.published_at:%Y-%m-%d %H:%M}"
