"""Authors in the admin: the list editors keep (saved and deleted through `articles.actions`),
and the byline inline of the article form, ordered by dragging (`sortable.SortableInline`).

Editors and up add, change and delete authors (`actions.may_manage_authors`); everyone who may
see articles may see the list, so a Reporter can choose the authors of their own draft. The
byline's rows are never saved as rows: the article admin hands their order to `save_article`
(`byline_order`), which records it in the story's revision.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet

from articles import actions
from articles.desk.sortable import SortableInline
from articles.desk.taxonomy_admin import TaxonomyAdmin
from articles.models import Author, Byline, name_errors


class AuthorForm(forms.ModelForm):
    """The author form: names are checked as the action checks them (no control characters)."""

    class Meta:
        model = Author
        fields = ["name", "slug", "job_title", "signoff", "bio", "photo", "user"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}

    def clean_name(self):
        name = (self.cleaned_data.get("name") or "").strip()
        try:
            name_errors(name)
        except ValidationError as error:
            raise ValidationError(error.message_dict["name"]) from None
        return name


@admin.register(Author)
class AuthorAdmin(TaxonomyAdmin):
    form = AuthorForm
    list_display = ["name", "job_title", "signoff", "user", "story_count"]
    list_display_links = ["name"]
    search_fields = ["name", "job_title", "signoff", "slug"]
    list_select_related = ["user"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["photo"]
    list_per_page = 50
    ordering = ["name", "id"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "job_title", "signoff"]}),
        ("Author page", {"fields": ["bio", "photo"]}),
        ("Staff account", {"fields": ["user"]}),
    ]
    save_action = actions.save_author
    delete_action = actions.delete_author
    keyword = "author"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(story_total=Count("bylines"))

    @admin.display(description="Stories", ordering="story_total")
    def story_count(self, obj):
        return obj.story_total

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            # Staff accounts only; a plain list (Editors may not browse the user admin).
            kwargs["queryset"] = db_field.remote_field.model.objects.filter(is_staff=True).order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # Who may do what: editors and up keep the list; whoever sees articles sees the authors.

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("articles.view_article") or self.has_change_permission(request, obj)

    def has_add_permission(self, request):
        return actions.may_manage_authors(request.user)

    def has_change_permission(self, request, obj=None):
        return actions.may_manage_authors(request.user)

    def has_delete_permission(self, request, obj=None):
        return actions.may_manage_authors(request.user)

    def has_module_permission(self, request):
        return self.has_view_permission(request)


# The byline inline of the article form -------------------------------------------------------


class BylineForm(forms.ModelForm):
    class Meta:
        model = Byline
        fields = ["position", "author"]

    def validate_unique(self):
        """Rows are not saved as rows, and positions move while the editor drags: the byline is
        checked as a whole (the formset: no author twice; the action: the rest), never one row
        against the stored ones."""

    def validate_constraints(self):
        """As `validate_unique`: the byline's constraints are checked on the whole list."""


class BylineFormSet(BaseInlineFormSet):
    """The byline's rows. A post without them (no management form: a script, an older form) is
    no byline edit: `absent`, and the byline stays as it is."""

    def __init__(self, data=None, *args, **kwargs):
        prefix = kwargs.get("prefix") or self.get_default_prefix()
        self.absent = data is not None and f"{prefix}-TOTAL_FORMS" not in data
        if self.absent:
            data = data.copy()
            data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = "0"
        super().__init__(data, *args, **kwargs)

    def validate_unique(self):
        named = [
            form.cleaned_data["author"]
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and form.cleaned_data.get("author")
            and not self._should_delete_form(form)
        ]
        twice = sorted({author.name for author in named if named.count(author) > 1})
        if twice:
            raise ValidationError(f"Each author is named once in a byline: {', '.join(twice)}.")


class BylineInline(SortableInline, admin.TabularInline):
    """The story's authors, first named first; ordered by dragging (positions hidden)."""

    model = Byline
    form = BylineForm
    formset = BylineFormSet
    fk_name = "article"
    extra = 1
    autocomplete_fields = ["author"]
    fields = ["position", "author"]
    ordering = ["position", "id"]
    # "Add another name in the byline" adds a row; the author field's own "+" makes a new author.
    verbose_name = "name in the byline"
    verbose_name_plural = "byline (authors in the order it names them)"

    # The byline is part of the article: whoever may edit the story sets it.

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("articles.view_article")

    def has_add_permission(self, request, obj=None):
        if obj is None:
            return request.user.has_perm("articles.add_article")
        return actions.can_edit(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)


def byline_order(formset) -> list[int] | None:
    """The author ids the byline inline's rows hold, in the order the byline names them (None:
    the post did not carry the byline)."""
    if getattr(formset, "absent", False):
        return None
    rows = []
    for index, form in enumerate(formset.forms):
        data = getattr(form, "cleaned_data", None) or {}
        if data.get("author") and not data.get("DELETE"):
            rows.append((data.get("position") or 0, index, data["author"].pk))
    return [author for _, _, author in sorted(rows)]
