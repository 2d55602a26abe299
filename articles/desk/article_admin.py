"""The article admin: the list that shows what matters, the change form with its publishing desk.

Every state change here goes through `articles.actions` (content saves through `save_article`,
deletion through `delete_article`, state through the publishing actions); the status field itself
is never editable. State changes have one door on the change form, the publishing desk's buttons
(articles.desk.views); the list's bulk actions offer the same changes for many articles at once.
Each role sees only what it may do: a Reporter's view of someone else's article, or of a
published one, is read-only, and the publishing buttons and bulk actions are not offered to them.

A live story's form saves to its working draft instead (articles.desk.drafts): readers keep the
live version until the changes are published or scheduled. Every save from the form is first
asked of `actions.save_refusal` (someone took the story over), in the form's `clean`.
"""

from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import path
from django.utils.html import format_html

from articles import actions
from articles.desk import drafts
from articles.desk.authors_admin import BylineInline, byline_order
from articles.desk.conflicts import conflict_context
from articles.desk.forms import (
    ArticleForm,
    RelatedLinkInline,
    StubFilter,
    StubMarkingAutocompleteJsonView,
    related_order,
    video_problem,
)
from articles.desk.together import together_context, together_urls
from articles.desk.views import EditorialViews, error_text, publish_now
from articles.models import Article, Byline, PreviewLink, RelatedLink, Revision
from articles.revisions import TIMELINE_FIELDS
from articles.signoffs import signoff_line

SIGNOFF_RULE = (
    "The sign-off line is made from the story's sign-off chain: the desk codes of its writer, editor "
    "and approver, in that order, joined by “/” (the publisher's code is kept apart)."
)


def signoff_from_chain(article: Article | None) -> bool:
    """Whether `article`'s sign-off line is made from its chain now: not imported, and someone in
    its latest revision's chain has a desk code (articles.signoffs)."""
    if article is None or article.pk is None or article.legacy_key or article.legacy_id:
        return False
    chain = article.revisions.order_by("-number").values_list("chain", flat=True).first() or []
    return bool(signoff_line(chain))


def signoff_help(article: Article | None) -> str:
    """Why the sign-off field is typed here."""
    if article is not None and (article.legacy_key or article.legacy_id):
        return "An imported story keeps the sign-off it came with; edit it here if it is wrong."
    if article is None:
        return f"{SIGNOFF_RULE} What you type is used only while nobody in the chain has a desk code."
    return f"{SIGNOFF_RULE} Nobody in this story's chain has a desk code yet, so the line is what you type."


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
    inlines = [BylineInline, RelatedLinkInline]
    # On the list only: the change form's door for state changes is the publishing desk.
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
                    "draft_version",
                    "draft_id",
                ]
            },
        ),
        ("Media and tags", {"fields": ["lead_media"]}),  # and "tags": see get_fieldsets
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
        return format_html('<img src="{}" alt="" class="nr-thumb" width="64">', image.url)

    @admin.display(description="Status", ordering="status")
    def status_display(self, obj):
        return "Stub (not imported yet)" if obj.is_stub else obj.get_status_display()

    @admin.display(description="Kind", ordering="kind")
    def kind_display(self, obj):
        """The kind, and a marker on a story whose video readers cannot play."""
        problem = video_problem(obj)
        if not problem:
            return obj.get_kind_display()
        media = obj.lead_media
        marker = "video processing" if media is not None and media.is_processing else "no video file"
        return format_html(
            '{} <strong class="nr-no-video" title="{}">⚠ {}</strong>', obj.get_kind_display(), problem, marker
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
        fields = list(super().get_readonly_fields(request, obj)) + ["signoff_from_chain"]
        if not actions.can_publish(request.user):
            fields += TIMELINE_FIELDS  # the dateline, embargo and expiry are editors' calls
            # So are pinning and the legacy id (actions.EDITORS_ONLY_FIELDS; the id is read-only to all).
            fields += [name for name in actions.EDITORS_ONLY_FIELDS if name not in fields]
        return fields

    # The sign-off line: made from the chain (articles.signoffs), unless imported -----------------

    def get_fieldsets(self, request, obj=None):
        """The tags after the lead media; a story whose chain makes its sign-off line shows the
        line read-only, explained."""
        fieldsets = super().get_fieldsets(request, obj)
        media = fieldsets[1]
        fieldsets = [fieldsets[0], (media[0], {**media[1], "fields": [*media[1]["fields"], "tags"]}), *fieldsets[2:]]
        if not signoff_from_chain(obj):
            return fieldsets
        swapped = [name if name != "signoff" else "signoff_from_chain" for name in fieldsets[0][1]["fields"]]
        return [(fieldsets[0][0], {**fieldsets[0][1], "fields": swapped}), *fieldsets[1:]]

    # Tags go through TagLink, which carries a copy of the dateline: the admin offers no field
    # for such a relation by itself (it could not fill the extra column) and its checks refuse
    # one named in `fieldsets`. The field is made here (added in get_fieldsets) and, like every
    # field of this form, stored by save_article, which fills the column.
    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name != "tags":
            return super().formfield_for_manytomany(db_field, request, **kwargs)
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return db_field.formfield(**kwargs)

    @admin.display(description="Sign-off")
    def signoff_from_chain(self, obj):
        return format_html(
            '<strong class="nr-signoff-line">{}</strong><div class="help">{}</div>',
            obj.signoff or "—",
            SIGNOFF_RULE,
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        """The form, knowing who saves (the desk's take-over refusal) and why the sign-off field
        is typed when it is (a new story, an imported one, or a chain without desk codes)."""
        form = super().get_form(request, obj, change, **kwargs)
        signoff = form.base_fields.get("signoff")
        if signoff is not None:
            signoff.help_text = signoff_help(obj)
        form.actor = request.user  # a class made for this request (modelform_factory)
        return form

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
        related_ids = author_ids = None
        for formset in formsets:
            if formset.model is RelatedLink:
                related_ids = related_order(formset)
            if formset.model is Byline:
                author_ids = byline_order(formset)
                if not change and not author_ids:
                    author_ids = None  # a new story left without a byline: credited to its writer
        if change and drafts.is_live_story(form.instance):
            request.desk_outcome = drafts.save_to_draft(request, form, related_ids=related_ids, author_ids=author_ids)
            return
        actions.save_article(
            actor=request.user,
            article=form.instance,
            base_version=form.cleaned_data.get("base_version"),
            related_ids=related_ids,
            tags=form.cleaned_data.get("tags"),
            author_ids=author_ids,
        )

    def construct_change_message(self, request, form, formsets, add=False):
        """The admin history names changed fields; related rows are not saved as rows (see above),
        and their order is in the article's revision."""
        return super().construct_change_message(request, form, [], add)

    def response_change(self, request, obj):
        """A live story's save (to its working draft) says what it did and stays on the form."""
        outcome = getattr(request, "desk_outcome", None)
        if outcome is None or "_popup" in request.POST:
            return super().response_change(request, obj)
        for level, text in outcome.lines:
            self.message_user(request, text, level)
        return HttpResponseRedirect(request.path)

    def get_formsets_with_inlines(self, request, obj=None):
        """A live story's form opened from its working draft has a row for each of the draft's
        related items and byline names (and one empty row), not the live story's rows."""
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            rows = drafts.inline_rows(obj, formset.get_default_prefix()) if request.method == "GET" and obj else None
            if rows is not None:
                formset = inline.get_formset(request, obj, extra=len(rows) + 1)
            yield formset, inline

    def get_formset_kwargs(self, request, obj, inline, prefix):
        params = super().get_formset_kwargs(request, obj, inline, prefix)
        rows = drafts.inline_rows(obj, prefix) if request.method == "GET" and obj else None
        if rows is not None:
            params["queryset"] = inline.model.objects.none()
            params["initial"] = rows
        return params

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A save that loses the race after the form's own version check is refused the same way;
        a rule only the action can check (it sees the locked row) is reported, nothing saved."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (actions.StaleEdit, actions.StaleDraft) as exc:
            if request.method == "POST":
                # Another save landed after this form's version check. Validating the same post
                # again now finds the new version and shows the conflict screen, their text kept.
                try:
                    return super().changeform_view(request, object_id, form_url, extra_context)
                except (actions.StaleEdit, actions.StaleDraft):
                    pass
            self.message_user(request, f"{exc} Open the article again to see the current version.", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        except ValidationError as exc:
            self.message_user(request, f"Nothing was saved: {error_text(exc)}", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(together_context(request, obj))
        context.update(drafts.banner_context(request.user, obj))
        if obj is not None:
            context.update(self.desk_context(request, obj))
            context["video_problem"] = video_problem(obj)
        form = context["adminform"].form
        context["save_refusal"] = getattr(form, "refusal", "")
        context["conflict_diff"] = form.conflict.diff_html() if getattr(form, "conflict", None) else ""
        if getattr(form, "conflict", None):
            related_ids = None
            for inline in context.get("inline_admin_formsets", []):
                if inline.formset.model is RelatedLink and inline.formset.is_valid():
                    related_ids = related_order(inline.formset)
            context.update(conflict_context(form, related_ids))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_deleted_objects(self, objs, request):
        """Revisions, related rows and share links belong to the article and go with it; the
        delete permission on the article is enough (the audit log keeps the deletion)."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        owned = {str(model._meta.verbose_name) for model in (Revision, RelatedLink, Byline, PreviewLink)}
        return deleted, counts, {name for name in perms_needed if str(name) not in owned}, protected

    def delete_model(self, request, obj):
        actions.delete_article(actor=request.user, article=obj)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            actions.delete_article(actor=request.user, article=article)

    # State changes for many articles at once (the list's bulk actions) --------------------------

    @admin.action(
        description="Submit for review", description_plural="Submit selected drafts for review", permissions=["submit"]
    )
    def submit_selected(self, request, queryset):
        self._bulk(request, queryset, actions.submit_for_review, "submitted for review")

    @admin.action(
        description="Publish now", description_plural="Publish selected articles now", permissions=["publish"]
    )
    def publish_selected(self, request, queryset):
        self._bulk(request, queryset, publish_now, "published")

    @admin.action(
        description="Unpublish (back to draft)",
        description_plural="Unpublish selected articles (back to draft)",
        permissions=["publish"],
    )
    def unpublish_selected(self, request, queryset):
        self._bulk(request, queryset, actions.unpublish, "unpublished")

    @admin.action(description="Archive", description_plural="Archive selected articles", permissions=["publish"])
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
        return own + together_urls(self) + self.desk_urls() + super().get_urls()
