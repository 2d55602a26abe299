"""The editors' admin: lists that show what matters, filters, related lists, and the editorial desk.

Every state change here goes through `articles.actions` (content saves through `save_article`,
state through the publishing actions); the status field itself is never editable. Each role
sees only what it may do: a Reporter's view of someone else's article, or of a published one,
is read-only, and the publishing buttons and bulk actions are not offered to them.
"""

from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from articles import actions
from articles.desk.views import EditorialViews, conflict_context, error_text
from articles.models import Article, AuditEntry, PreviewLink, RelatedLink, Revision, Section, StaffProfile, Tag
from articles.revisions import TIMELINE_FIELDS

BOTH = [ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "slug", "path", "position"]
    search_fields = ["name", "path"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    ordering = ["path"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


# Marking stubs wherever editors choose or list articles -----------------------------------------


def choice_label(article: Article) -> str:
    """How an article is named where editors choose one: stubs (made by the importer from a
    related list, not imported yet, never public) say so, "[stub] Title"."""
    return f"[stub] {article.title}" if article.is_stub else article.title


def video_problem(article: Article) -> str:
    """Why readers get no video player on this story, or "" (nothing wrong).

    Readers see the poster or lead picture instead (articles.site.views.video_unavailable); editors
    are told here, in the change form and the list."""
    media = article.lead_media if article.lead_media_id else None
    if media is not None and media.is_video and (media.file_missing or not media.file):
        where = f" (legacy file {media.legacy_path})" if media.legacy_path else ""
        return (
            f"The lead video has no file yet{where}: readers see its poster or a picture instead of a "
            "player. Upload the file to the media item, or choose another lead video."
        )
    if article.kind == Article.Kind.VIDEO and (media is None or not media.is_video):
        return "This video story has no lead video: readers see no player. Choose a lead video, or change the kind."
    return ""


class StubMarkedChoiceField(forms.ModelChoiceField):
    """An article chooser whose options name stubs as such (the selected one included)."""

    def label_from_instance(self, obj):
        return choice_label(obj)


class StubMarkingAutocompleteJsonView(AutocompleteJsonView):
    """The select2 results for article choosers, with stubs named "[stub] Title"."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        if isinstance(obj, Article):
            result["text"] = choice_label(obj)
        return result


class StubMarkingAutocompleteSelect(AutocompleteSelect):
    """The autocomplete widget, asking the article admin's own results view (stubs marked)."""

    def get_url(self):
        return reverse(f"{self.admin_site.name}:articles_article_autocomplete")


class RelatedLinkInline(admin.TabularInline):
    """Edited with the article; saved by `save_article` as one ordered list, not row by row.
    The target chooser marks stubs, in its results and in the rows already chosen."""

    model = RelatedLink
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


class ArticleForm(forms.ModelForm):
    """The article form with the version it was opened at, so a stale save is refused with a diff."""

    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict: actions.StaleEdit | None = None
        if self.instance.pk:
            self.fields["base_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            base = cleaned.get("base_version")
            if base is None:
                raise ValidationError("This form has lost the version it was opened at; open the article again.")
            current = Article.objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()
            if current != base:
                self.conflict = actions.StaleEdit(Article.objects.get(pk=self.instance.pk), base)
                raise ValidationError(
                    f"{self.conflict} Your text is below, beside the current version, and still in this "
                    "form, now based on the current version: check the difference, then save to apply it."
                )
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


@admin.register(Article)
class ArticleAdmin(EditorialViews, admin.ModelAdmin):
    form = ArticleForm
    change_form_template = "admin/articles/article/change_form.html"
    change_list_template = "admin/articles/article/change_list.html"
    list_display = ["thumbnail", "title", "status_display", "kind_display", "section_path", "published_at", "signoff"]
    list_display_links = ["thumbnail", "title"]
    list_filter = ["status", "kind", StubFilter, "section", "published_at", "language"]
    search_fields = ["title", "body", "signoff", "=legacy_id"]
    date_hierarchy = "published_at"
    list_select_related = ["section", "lead_media", "lead_media__poster"]
    autocomplete_fields = ["lead_media", "section", "tags"]
    inlines = [RelatedLinkInline]
    actions = ["submit_selected", "publish_selected", "unpublish_selected", "archive_selected"]
    readonly_fields = [
        "status",
        "legacy_id",
        "legacy_sort",
        "is_stub",
        "version",
        "created_at",
        "updated_at",
        "published_signoff",
    ]
    prepopulated_fields = {"slug": ["title"]}
    list_per_page = 50
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "section",
                    "kind",
                    "title",
                    "slug",
                    "summary",
                    "body",
                    "signoff",
                    "source",
                    "language",
                    "base_version",
                ]
            },
        ),
        ("Media and tags", {"fields": ["lead_media", "tags"]}),
        (
            "Publishing",
            {"fields": ["status", "published_at", "embargo_until", "expires_at", "pinned", "published_signoff"]},
        ),
        (
            "Archive",
            {
                "classes": ["collapse"],
                "fields": ["legacy_id", "legacy_sort", "is_stub", "version", "created_at", "updated_at"],
            },
        ),
    ]

    @admin.display(description="")
    def thumbnail(self, obj):
        media = obj.lead_media
        image = media.image_for_thumbnail if media else None
        if image is None or not image.url:
            return "—"
        return format_html('<img src="{}" alt="" style="width:64px;height:auto;border-radius:3px">', image.url)

    @admin.display(description="Status", ordering="status")
    def status_display(self, obj):
        return "Stub" if obj.is_stub else obj.get_status_display()

    @admin.display(description="Kind", ordering="kind")
    def kind_display(self, obj):
        """The kind, and a marker on a story whose video readers cannot play."""
        problem = video_problem(obj)
        if not problem:
            return obj.get_kind_display()
        return format_html(
            '{} <strong class="nr-no-video" title="{}">⚠ no video file</strong>', obj.get_kind_display(), problem
        )

    @admin.display(description="Section", ordering="section__path")
    def section_path(self, obj):
        return obj.section.path

    # Who may do what -------------------------------------------------------------------------

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or actions.can_edit(request.user, obj)

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_article")

    def has_submit_permission(self, request):
        return request.user.has_perm("articles.submit_article")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not actions.can_publish(request.user):
            fields += TIMELINE_FIELDS  # the dateline, embargo and expiry are editors' calls
            # So are pinning and the legacy id (actions.EDITORS_ONLY_FIELDS; the id is read-only to all).
            fields += [name for name in actions.EDITORS_ONLY_FIELDS if name not in fields]
        return fields

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        profile = getattr(request.user, "staff_profile", None)
        if profile and profile.signoff_initials:
            initial.setdefault("signoff", profile.signoff_initials)
        return initial

    # Saving: one call to save_article with the fields, tags and related order -----------------

    def save_model(self, request, obj, form, change):
        """Deliberately empty: the article is saved in `save_related`, where the related rows are
        known, so one `save_article` call stores fields, tags and related order in one revision."""

    def save_related(self, request, form, formsets, change):
        related_ids = None
        for formset in formsets:
            if formset.model is RelatedLink:
                related_ids = self._related_order(formset)
        actions.save_article(
            actor=request.user,
            article=form.instance,
            base_version=form.cleaned_data.get("base_version"),
            related_ids=related_ids,
            tags=form.cleaned_data.get("tags"),
        )

    @staticmethod
    def _related_order(formset) -> list[int]:
        rows = []
        for index, form in enumerate(formset.forms):
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("target") and not formset._should_delete_form(form):
                rows.append((data.get("position") or 0, index, data["target"].pk))
        return [target for _, _, target in sorted(rows)]

    def construct_change_message(self, request, form, formsets, add=False):
        """The admin history names changed fields; related rows are not saved as rows (see above),
        and their order is in the article's revision."""
        return super().construct_change_message(request, form, [], add)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A save that loses the race after the form's own version check is refused the same way;
        a rule only the action can check (it sees the locked row) is reported, nothing saved."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except actions.StaleEdit as exc:
            if request.method == "POST":
                # Another save landed after this form's version check. Validating the same post
                # again now finds the new version and shows the conflict screen, their text kept.
                try:
                    return super().changeform_view(request, object_id, form_url, extra_context)
                except actions.StaleEdit:
                    pass
            self.message_user(request, f"{exc} Open the article again to see the current version.", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        except ValidationError as exc:
            self.message_user(request, f"Nothing was saved: {error_text(exc)}", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(self.desk_context(request, obj))
            context["video_problem"] = video_problem(obj)
        form = context["adminform"].form
        context["conflict_diff"] = form.conflict.diff_html() if getattr(form, "conflict", None) else ""
        if getattr(form, "conflict", None):
            related_ids = None
            for inline in context.get("inline_admin_formsets", []):
                if inline.formset.model is RelatedLink and inline.formset.is_valid():
                    related_ids = self._related_order(inline.formset)
            context.update(conflict_context(form, related_ids))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_deleted_objects(self, objs, request):
        """Revisions, related rows and share links belong to the article and go with it; the
        delete permission on the article is enough (the audit log keeps the deletion)."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        owned = {str(model._meta.verbose_name) for model in (Revision, RelatedLink, PreviewLink)}
        return deleted, counts, {name for name in perms_needed if str(name) not in owned}, protected

    def delete_model(self, request, obj):
        actions.delete_article(actor=request.user, article=obj)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            actions.delete_article(actor=request.user, article=article)

    # State changes: bulk actions on the list, the same actions on the change form ---------------

    @admin.action(
        description="Submit for review",
        description_plural="Submit selected drafts for review",
        permissions=["submit"],
        location=BOTH,
    )
    def submit_selected(self, request, queryset):
        self._bulk(request, queryset, actions.submit_for_review, "submitted for review")

    @admin.action(
        description="Publish now",
        description_plural="Publish selected articles now",
        permissions=["publish"],
        location=BOTH,
    )
    def publish_selected(self, request, queryset):
        self._bulk(request, queryset, partial(actions.publish, at=timezone.now()), "published")

    @admin.action(
        description="Unpublish (back to draft)",
        description_plural="Unpublish selected articles (back to draft)",
        permissions=["publish"],
        location=BOTH,
    )
    def unpublish_selected(self, request, queryset):
        self._bulk(request, queryset, actions.unpublish, "unpublished")

    @admin.action(
        description="Archive", description_plural="Archive selected articles", permissions=["publish"], location=BOTH
    )
    def archive_selected(self, request, queryset):
        self._bulk(request, queryset, actions.archive, "archived")

    def _bulk(self, request, queryset, action, verb):
        done, refused = 0, []
        for article in queryset:
            try:
                action(actor=request.user, article=article)
                done += 1
            except (PermissionDenied, ValidationError) as exc:
                refused.append(f"“{article.title}”: {error_text(exc)}")
        if done:
            self.message_user(request, f"{done} article(s) {verb}.", messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.ERROR)

    def get_urls(self):
        autocomplete = StubMarkingAutocompleteJsonView.as_view(admin_site=self.admin_site)
        own = [path("autocomplete/", self.admin_site.admin_view(autocomplete), name="articles_article_autocomplete")]
        return own + self.desk_urls() + super().get_urls()


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "signoff_initials"]
    search_fields = ["user__username", "signoff_initials"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """The editorial record: viewable with the view permission, never added, changed or deleted here."""

    @admin.display(description="article", ordering="article__title")
    def article_label(self, obj):
        return choice_label(obj.article)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdmin):
    list_display = ["article_label", "number", "created_by", "created_at", "note"]
    list_select_related = ["article", "created_by"]
    search_fields = ["article__title", "note"]
    readonly_fields = ["article", "number", "created_by", "created_at", "data", "note"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "action", "object_repr", "from_status", "to_status"]
    list_filter = ["action", "from_status", "to_status", ("actor", admin.RelatedOnlyFieldListFilter), "created_at"]
    search_fields = ["object_repr", "actor__username"]
    list_select_related = ["actor"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "actor", "action", "article", "object_repr", "from_status", "to_status", "details"]


@admin.register(PreviewLink)
class PreviewLinkAdmin(ReadOnlyAdmin):
    """Share links are made and revoked from the article's page; this list shows them all."""

    list_display = ["article_label", "created_by", "created_at", "expires_at", "revoked_at"]
    list_select_related = ["article", "created_by"]
    list_filter = ["created_at", "expires_at"]
    fields = ["article", "revision", "created_by", "created_at", "expires_at", "revoked_at"]
    readonly_fields = fields
