"""The editorial record in the admin: revisions, the audit log and share links (read-only), and
the staff profiles that pre-fill sign-offs."""

from django.contrib import admin

from articles.desk.forms import choice_label
from articles.models import AuditEntry, PreviewLink, Revision, StaffProfile


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
