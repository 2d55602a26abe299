"""The article form and the pieces the article admin is built from: choosers that mark stubs,
the related-items inline, the stub filter, and the no-video warning.

Nothing here saves anything: the admin hands what these collect to `articles.actions`.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.urls import reverse

from articles import actions
from articles.desk.conflicts import DraftStale
from articles.desk.rich_text import RichTextWidget
from articles.desk.sortable import SortableInline
from articles.models import Article, RelatedLink, WorkingDraft

# Marking stubs wherever editors choose or list articles -----------------------------------------


def choice_label(article: Article) -> str:
    """How an article is named where editors choose one: stubs (made by the importer from a
    related list, not imported yet, never public) say so, "Title (not imported yet)"."""
    return f"{article.title} (not imported yet)" if article.is_stub else article.title


def video_problem(article: Article) -> str:
    """Why readers get no video player on this story, or "" (nothing wrong).

    Readers see the poster or lead picture instead (articles.site.article_page.video_unavailable); editors
    are told here, in the change form and the list."""
    media = article.lead_media if article.lead_media_id else None
    if media is not None and media.is_video:
        return _lead_video_problem(media)
    if article.kind == Article.Kind.VIDEO:
        return "This video story has no lead video: readers see no player. Choose a lead video, or change the kind."
    return ""


def _lead_video_problem(media) -> str:
    """Why the lead video `media` cannot be played: no file yet, still with the task worker, or
    failed there; "" when it plays."""
    if media.file_missing or not media.file:
        where = f" (legacy file {media.legacy_path})" if media.legacy_path else ""
        return (
            f"The lead video has no file yet{where}: readers see its poster or a picture instead of a "
            "player. Upload the file to the media item, or choose another lead video."
        )
    if not media.processing:
        return ""
    if media.is_processing:
        return (
            "The lead video is still being processed (its poster and size are being made, usually within "
            "seconds): readers see “Video processing” in its place until then."
        )
    return (
        f"The lead video could not be processed: {media.problem or 'no reason was recorded.'} Readers see "
        "“Video unavailable”. Upload the file again, or choose another lead video."
    )


class StubMarkedChoiceField(forms.ModelChoiceField):
    """An article chooser whose options name stubs as such (the selected one included)."""

    def label_from_instance(self, obj):
        return choice_label(obj)


class StubMarkingAutocompleteJsonView(AutocompleteJsonView):
    """The select2 results for article choosers, with stubs named "Title (not imported yet)"."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        if isinstance(obj, Article):
            result["text"] = choice_label(obj)
        return result


class StubMarkingAutocompleteSelect(AutocompleteSelect):
    """The autocomplete widget, asking the article admin's own results view (stubs marked)."""

    def get_url(self):
        return reverse(f"{self.admin_site.name}:articles_article_autocomplete")


class RelatedLinkForm(forms.ModelForm):
    class Meta:
        model = RelatedLink
        fields = ["position", "target"]

    def validate_unique(self):
        """Rows are not saved as rows: the list is checked as a whole (the formset: no target
        twice; the action: the rest). A row opened from a working draft is a new form for a link
        the live story may already have, which is no clash."""

    def validate_constraints(self):
        """As `validate_unique`: the related list's constraints are checked on the whole list."""


class RelatedLinkInline(SortableInline, admin.TabularInline):
    """Edited with the article; saved by `save_article` as one ordered list, not row by row.
    Ordered by dragging (the positions are hidden, filled from the rows' order: sortable.py).
    The target chooser marks stubs, in its results and in the rows already chosen."""

    model = RelatedLink
    form = RelatedLinkForm
    fk_name = "source"
    extra = 1
    autocomplete_fields = ["target"]
    fields = ["position", "target"]
    ordering = ["position", "id"]
    verbose_name = "related item"
    verbose_name_plural = "related items (in the order readers see them)"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "target":
            kwargs["widget"] = StubMarkingAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
            kwargs["form_class"] = StubMarkedChoiceField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def related_order(formset) -> list[int]:
    """The related targets the inline's rows hold, in the order readers will see them."""
    rows = []
    for index, form in enumerate(formset.forms):
        data = getattr(form, "cleaned_data", None) or {}
        if data.get("target") and not data.get("DELETE"):  # a row ticked for deletion is no link
            rows.append((data.get("position") or 0, index, data["target"].pk))
    return [target for _, _, target in sorted(rows)]


class StubFilter(admin.SimpleListFilter):
    title = "archive stubs"
    parameter_name = "stub"

    def lookups(self, request, model_admin):
        return [("yes", "Stubs only"), ("no", "Full articles")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(is_stub=True)
        if self.value() == "no":
            return queryset.filter(is_stub=False)
        return queryset


# The article form -------------------------------------------------------------------------------


class ArticleForm(forms.ModelForm):
    """The article form with the version it was opened at, so a stale save is refused with a diff.

    A live story's form is opened from its working draft when it has one (`draft_version` names
    the draft's version then), and saves to that draft (articles.desk.drafts). `actor` is set by
    the admin: a save the desk refuses to that person (someone took the story over from them, or
    holds it) is refused here, with their text kept in the form (`refusal`).
    """

    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    draft_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # The draft's id as well: a new draft starts again at version 1.
    draft_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    actor = None

    class Meta:
        model = Article
        # What editors type or choose; the admin narrows it further by role (read-only fields).
        fields = [
            "section",
            "kind",
            "title",
            "slug",
            "summary",
            "body",
            "signoff",
            "source",
            "language",
            "lead_media",
            "tags",
            "published_at",
            "embargo_until",
            "expires_at",
            "pinned",
        ]
        widgets = {"body": RichTextWidget}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict: actions.StaleEdit | DraftStale | None = None
        self.refusal = ""
        if self.instance.pk:
            self.fields["base_version"].initial = self.instance.version
            draft = opening_draft(self.instance)
            if draft is not None and not self.is_bound:
                self.fields["draft_version"].initial = draft.version
                self.fields["draft_id"].initial = draft.pk
                self.initial.update(draft_initial(draft.data, self.fields))

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            self._check_refusal()
            self._check_version(cleaned.get("base_version"), (cleaned.get("draft_id"), cleaned.get("draft_version")))
        if (
            self.instance.status == Article.Status.PUBLISHED
            and "published_at" in self.fields
            and not cleaned.get("published_at")
        ):
            self.add_error("published_at", "A published article needs a dateline; unpublish it first to clear it.")
        embargo, expiry = cleaned.get("embargo_until"), cleaned.get("expires_at")
        if embargo and expiry and expiry <= embargo:
            self.add_error("expires_at", "The expiry must come after the embargo ends.")
        return cleaned

    def _check_refusal(self) -> None:
        """Refuse the save of someone the story was taken over from (or who did not take it over
        from the person holding it): nothing is saved, their text stays in the form."""
        if self.actor is None:
            return
        self.refusal = actions.save_refusal(actor=self.actor, article=self.instance)
        if self.refusal:
            raise ValidationError(self.refusal)

    def _check_version(self, base: int | None, named_draft: tuple) -> None:
        """Refuse a form opened at another version than the stored one (the conflict screen):
        the working draft's (id, version) for a live story with a draft, else the article's."""
        if self.instance.status == Article.Status.PUBLISHED and self._checked_draft(*named_draft):
            return
        if base is None:
            raise ValidationError("This form has lost the version it was opened at; open the article again.")
        current = Article.objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()
        if current != base:
            self.conflict = actions.StaleEdit(Article.objects.get(pk=self.instance.pk), base)
            raise ValidationError(f"{self.conflict} {REBASED}")

    def _checked_draft(self, draft_id: int | None, draft_version: int | None) -> bool:
        """Whether the form saves to a working draft (True once the one it names is current);
        a draft changed, replaced, published or discarded since the form opened is refused."""
        draft = WorkingDraft.objects.filter(article_id=self.instance.pk).first()
        if draft is None and draft_version is None:
            return False
        another = draft is not None and draft_id not in (None, draft.pk)  # a new draft since
        if draft is None or draft.version != draft_version or another:
            yours = None if another else draft_version
            self.conflict = DraftStale(Article.objects.get(pk=self.instance.pk), draft, yours)
            raise ValidationError(f"{self.conflict} {REBASED}")
        return True


REBASED = (
    "Your text is below, beside the current version, and still in this form, now based on the "
    "current version: check the difference, then save to apply it."
)


def opening_draft(article: Article) -> WorkingDraft | None:
    """The working draft a live story's form opens from (read once per article object)."""
    if article.pk is None or article.status != Article.Status.PUBLISHED:
        return None
    try:
        return article.working_draft
    except WorkingDraft.DoesNotExist:
        return None


# A draft's keys → the form's fields, where they differ (the lists are inline rows, apart).
DRAFT_FORM_FIELDS = {"section_id": "section", "lead_media_id": "lead_media", "tag_ids": "tags"}


def draft_initial(data: dict, fields) -> dict:
    """What the form shows when opened from a working draft's `data` (the form's own fields)."""
    initial = {}
    for key, value in data.items():
        name = DRAFT_FORM_FIELDS.get(key, key)
        if name in fields:
            initial[name] = value
    return initial
