"""What editors keep beside a story while they work on it together: the working draft of a live
story, each person's autosaved text, who has the story open, and the desk's notes.

None of it is ever read by a public surface: readers see the `Article` row only, which changes
when a working draft is published (articles.actions.drafts). Rows here change through
articles.actions (drafts, autosave, presence, notes), like everything else.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class WorkingDraft(models.Model):
    """The next version of a live story, edited beside it until it is published (or discarded).

    `data` holds the draft's content in the revision snapshot's shape (articles.revisions:
    content fields, `tag_ids`, `related_ids`, `author_ids`); `base` holds the live story's
    content as it was when the draft started, so that publishing applies only what the draft
    changed and refuses to overwrite what was changed live meanwhile.
    """

    article = models.OneToOneField("articles.Article", on_delete=models.CASCADE, related_name="working_draft")
    data = models.JSONField()
    base = models.JSONField()
    base_version = models.PositiveIntegerField(help_text="The live story's version the draft started from.")
    version = models.PositiveIntegerField(default=1, help_text="Bumped on every save of the draft.")
    publish_at = models.DateTimeField(
        null=True, blank=True, db_index=True, help_text="The second the changes go live by themselves."
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    problem = models.CharField(
        max_length=300, blank=True, help_text="Why scheduled changes could not go live at their time."
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Working draft of {self.article_id} (v{self.version})"


class Autosave(models.Model):
    """What one person last typed into a story's form, saved while they type: private, never a
    revision, never public. `article` is empty for a story not saved yet (one per person)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey("articles.Article", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(help_text="The form's fields as typed.")
    base_version = models.PositiveIntegerField(null=True, blank=True)
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "article"], name="autosave_one_per_user_story"),
            models.UniqueConstraint(fields=["user"], condition=Q(article__isnull=True), name="autosave_one_new_story"),
        ]

    def __str__(self):
        return f"Autosave of {self.article_id or 'a new story'} by {self.user_id}"


class Presence(models.Model):
    """Someone has a story open in the desk. Fresh while its page keeps calling in (`last_seen`).

    The one holding the story is the earliest fresh arrival not taken over; `taken_over_by`
    marks a person another one took the story from (their next save is refused).
    """

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    since = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now, db_index=True)
    taken_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    taken_over_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["since", "id"]
        constraints = [models.UniqueConstraint(fields=["article", "user"], name="presence_one_per_user_story")]

    def __str__(self):
        return f"{self.user_id} in {self.article_id} since {self.since:%H:%M:%S}"


class Note(models.Model):
    """A staff note on a story, perhaps a reply to another; never shown to readers."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField()
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="note_mentions")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=~Q(parent=F("id")), name="note_not_own_parent")]

    def __str__(self):
        return f"Note {self.pk} on {self.article_id}"
