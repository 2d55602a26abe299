"""The editors' admin: lists that show what matters, filters, bulk publishing, related lists.

Every state change here goes through `articles.actions`.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.html import format_html

from articles import actions
from articles.models import Article, AuditEntry, RelatedLink, Revision, Section, StaffProfile, Tag


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


class RelatedLinkInline(admin.TabularInline):
    model = RelatedLink
    fk_name = "source"
    extra = 1
    autocomplete_fields = ["target"]
    fields = ["position", "target"]
    ordering = ["position", "id"]
    verbose_name = "related item"
    verbose_name_plural = "related items (in the order readers see them)"


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


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "title", "status_display", "kind", "section_path", "published_at", "signoff"]
    list_display_links = ["thumbnail", "title"]
    list_filter = ["status", "kind", StubFilter, "section", "published_at", "language"]
    search_fields = ["title", "body", "signoff", "=legacy_id"]
    date_hierarchy = "published_at"
    list_select_related = ["section", "lead_media", "lead_media__poster"]
    autocomplete_fields = ["lead_media", "section", "tags"]
    inlines = [RelatedLinkInline]
    actions = ["publish_selected", "unpublish_selected"]
    readonly_fields = ["status", "legacy_id", "legacy_sort", "is_stub", "version", "created_at", "updated_at", "published_signoff"]
    prepopulated_fields = {"slug": ["title"]}
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["section", "kind", "title", "slug", "summary", "body", "signoff", "source", "language"]}),
        ("Media and tags", {"fields": ["lead_media", "tags"]}),
        ("Publishing", {"fields": ["status", "published_at", "embargo_until", "expires_at", "pinned", "published_signoff"]}),
        ("Archive", {"classes": ["collapse"], "fields": ["legacy_id", "legacy_sort", "is_stub", "version", "created_at", "updated_at"]}),
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

    @admin.display(description="Section", ordering="section__path")
    def section_path(self, obj):
        return obj.section.path

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        profile = getattr(request.user, "staff_profile", None)
        if profile and profile.signoff_initials:
            initial.setdefault("signoff", profile.signoff_initials)
        return initial

    def save_model(self, request, obj, form, change):
        actions.save_article(actor=request.user, article=obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        actions.sync_last_revision(article=form.instance)

    @admin.action(description="Publish selected articles now", permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._bulk(request, queryset, actions.publish, "published")

    @admin.action(description="Unpublish selected articles (back to draft)", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self._bulk(request, queryset, actions.unpublish, "unpublished")

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_article")

    def _bulk(self, request, queryset, action, verb):
        done, refused = 0, []
        for article in queryset:
            try:
                action(actor=request.user, article=article)
                done += 1
            except (PermissionDenied, ValidationError) as exc:
                refused.append(f"“{article.title}”: {exc.messages[0] if hasattr(exc, 'messages') else exc}")
        if done:
            self.message_user(request, f"{done} article(s) {verb}.", messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.ERROR)


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "signoff_initials"]
    search_fields = ["user__username", "signoff_initials"]


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ["article", "number", "created_by", "created_at", "note"]
    list_select_related = ["article", "created_by"]
    readonly_fields = ["article", "number", "created_by", "created_at", "data", "note"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "object_repr", "from_status", "to_status"]
    list_filter = ["action", "to_status", "created_at"]
    search_fields = ["object_repr", "actor__username"]
    list_select_related = ["actor"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
