"""The article body's rich-text editor: django-prose-editor's editor (ProseMirror/Tiptap), served
from our static files, with our inline media node and the media library chooser.

django-prose-editor's own widgets load their modules through an import map, an inline
`<script type="importmap">`; our policy takes scripts only as files (CSP, no inline script), so
this widget loads one module of ours, static/desk/rich_text.js, which imports the editor by its
path and builds the editor with exactly the extensions below. What the editor writes is the
sanitized body form (articles.sanitize): paragraphs, headings h2–h4, bold, italic, links,
bulleted and numbered lists, blockquotes and inline media (`<figure data-media-id="ID">`).
"""

import json

from django import forms
from django.forms.widgets import Script, Stylesheet
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django_prose_editor.config import DEFAULT_MENU_GROUPS

# The extensions of the editor (names from django-prose-editor's editor module), in the order
# the JavaScript builds them; "InlineMedia" is ours (static/desk/inline_media.js).
EXTENSIONS = {
    "Document": True,
    "Paragraph": True,
    "Text": True,
    "HardBreak": True,
    "Heading": {"levels": [2, 3, 4]},
    "Bold": True,
    "Italic": True,
    # No "open in a new window" and the rel the sanitizer writes, so an edited link reads back as stored.
    "Link": {"enableTarget": False, "HTMLAttributes": {"target": None, "rel": "noopener noreferrer", "class": None}},
    "BulletList": True,
    "OrderedList": {"enableListAttributes": False},
    "ListItem": True,
    "Blockquote": True,
    "History": True,
    "Dropcursor": True,
    "Gapcursor": True,
    "Menu": {"groups": [*DEFAULT_MENU_GROUPS, {"group": "media"}]},
    "InlineMedia": True,
}

CHOOSER_INPUT_ID = "id_inline_media_choice"


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


class RichTextWidget(forms.Textarea):
    """A textarea the editor takes over; without JavaScript it stays a plain HTML textarea.

    Its data attributes tell the script what to build and where the media library is: the
    chooser popup (the media changelist with `_popup=1`) and a thumbnail URL (a rendition, "ID"
    replaced by the item's id)."""

    class Media:
        css = {
            "all": [
                Stylesheet("django_prose_editor/material-icons.css", media="all"),
                Stylesheet("django_prose_editor/editor.css", media="all"),
                Stylesheet("django_prose_editor/overrides.css", media="all"),
                Stylesheet("desk/rich_text.css", media="all"),
            ]
        }
        js = [Script("desk/rich_text.js", type="module")]

    def __init__(self, attrs=None):
        super().__init__(attrs={"rows": 20, **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {
                "data-rich-text": json.dumps({"extensions": EXTENSIONS}),
                "data-media-chooser": _url("admin:media_mediaitem_changelist"),
                "data-media-thumbnail": _url("media-rendition", 0, "w320", "jpeg").replace("/0/", "/ID/", 1),
                "data-media-input": CHOOSER_INPUT_ID,
            }
        )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # The field Django's related-object popup writes the chosen id into (its window's name).
        chooser = format_html('<input type="hidden" id="{}" value="">', CHOOSER_INPUT_ID)
        return super().render(name, value, attrs, renderer) + chooser

    def format_value(self, value):
        # The editor writes what the sanitizer keeps, so the textarea holds the stored body as is.
        return "" if value is None else str(value)
