"""Inlines ordered by dragging: the convention static/desk/sortable.js works with.

An inline made with `SortableInline` carries `classes = ["sortable"]` and keeps its order in a
`position` field rendered as a hidden input. The script gives each row a drag handle and "move
up" / "move down" buttons (the keyboard's way) and, when the form is submitted, fills every
row's position from the order the rows stand in. Nobody sees or types a position number; the
rows are listed without the object's own name (which, for an ordered row, is mostly its number).

    class BylineInline(SortableInline, admin.TabularInline):
        model = Byline
        fields = ["position", "author"]
"""

from django import forms

SORTABLE_SCRIPT = "desk/sortable.js"


class SortableInline:
    """Mixed in before `admin.TabularInline`: hidden positions, the script, rows without names."""

    sortable_field = "position"
    classes = ["sortable"]
    template = "admin/edit_inline/sortable_tabular.html"

    def get_formset(self, request, obj=None, **kwargs):
        widgets = {**kwargs.pop("widgets", {}), self.sortable_field: forms.HiddenInput}
        return super().get_formset(request, obj, widgets=widgets, **kwargs)

    @property
    def media(self):
        return super().media + forms.Media(js=[SORTABLE_SCRIPT])
