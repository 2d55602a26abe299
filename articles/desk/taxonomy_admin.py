"""Sections and tags in the admin: saved and deleted through `articles.actions` (recorded in the
audit log, and announced so cached pages show the change at once)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction

from articles import actions
from articles.desk.views import error_text
from articles.models import Section, Tag


class TaxonomyAdmin(admin.ModelAdmin):
    """Saves and deletes through the action functions `save_action` and `delete_action`."""

    save_action = None
    delete_action = None
    keyword = ""

    def save_model(self, request, obj, form, change):
        type(self).save_action(actor=request.user, **{self.keyword: obj})

    def delete_model(self, request, obj):
        type(self).delete_action(actor=request.user, **{self.keyword: obj})

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                type(self).delete_action(actor=request.user, **{self.keyword: obj})

    def delete_view(self, request, object_id, extra_context=None):
        """A refusal the action makes (a section still in use) is reported, nothing deleted."""
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as exc:
            self.message_user(request, f"Nothing was deleted: {error_text(exc)}", messages.ERROR)
            return self.response_post_save_change(request, None)


@admin.register(Section)
class SectionAdmin(TaxonomyAdmin):
    list_display = ["__str__", "slug", "path", "position"]
    search_fields = ["name", "path"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    ordering = ["path"]
    save_action = actions.save_section
    delete_action = actions.delete_section
    keyword = "section"


@admin.register(Tag)
class TagAdmin(TaxonomyAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    save_action = actions.save_tag
    delete_action = actions.delete_tag
    keyword = "tag"
