"""The media chooser: the library's changelist opened as Django's related-object popup
(`?_popup=1`), drawn as a compact grid of thumbnails that fits the window, with search, a kind
filter and an upload of new files in place.

Choosing keeps Django's popup protocol: a card is a link with `data-popup-opener="<id>"`, which
the admin's RelatedObjectLookups.js turns into `opener.dismissRelatedLookupPopup(window, id)`;
cards added by an upload in place do the same through `media/chooser.js`.
"""

from django.contrib.admin.options import IS_POPUP_VAR, TO_FIELD_VAR
from django.template.response import TemplateResponse

from media.models import MediaItem
from media.renditions import rendition_url

KIND_PARAM = "kind__exact"
# A page of the popup: a few rows of the grid; the grid scrolls inside the window.
CHOOSER_PER_PAGE = 24


def is_chooser(request) -> bool:
    return IS_POPUP_VAR in request.GET


def _chooser_changelist(base):
    """`base` (the admin's ChangeList class) paginating by CHOOSER_PER_PAGE, with no date drill-down."""

    class ChooserChangeList(base):
        def __init__(self, request, model, list_display, list_display_links, list_filter, date_hierarchy, *args):
            search_fields, list_select_related, _per_page, *rest = args
            super().__init__(
                request,
                model,
                list_display,
                list_display_links,
                list_filter,
                None,
                search_fields,
                list_select_related,
                CHOOSER_PER_PAGE,
                *rest,
            )

    return ChooserChangeList


def card(item: MediaItem, value) -> dict:
    facts = [item.get_kind_display()]
    if item.processing:
        facts.append(item.get_processing_display())
    if item.width and item.height:
        facts.append(f"{item.width}×{item.height}")
    if item.duration is not None:
        minutes, seconds = divmod(round(item.duration), 60)
        facts.append(f"{minutes}:{seconds:02d}")
    return {
        "item": item,
        "value": value,
        "title": str(item),
        "facts": " · ".join(facts),
        "thumbnail": rendition_url(item, "w320", "jpeg"),
    }


class ChooserAdminMixin:
    """The popup changelist of the media item admin, drawn by change_list.html's popup branch."""

    def get_changelist(self, request, **kwargs):
        base = super().get_changelist(request, **kwargs)
        return _chooser_changelist(base) if is_chooser(request) else base

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None)
        if is_chooser(request) and isinstance(response, TemplateResponse) and context and "cl" in context:
            context["chooser"] = self.chooser_context(request, context["cl"])
        return response

    def chooser_context(self, request, cl) -> dict:
        field = request.GET.get(TO_FIELD_VAR) or "pk"
        current = request.GET.get(KIND_PARAM, "")
        kinds = [("", "All")] + list(MediaItem.Kind.choices)
        return {
            "cards": [card(item, item.serializable_value(field)) for item in cl.result_list],
            "kinds": [
                {
                    "label": label,
                    "selected": value == current,
                    "url": cl.get_query_string({KIND_PARAM: value} if value else {}, [KIND_PARAM]),
                }
                for value, label in kinds
            ],
            "may_upload": self.has_add_permission(request),
            **self.upload_context(),
        }
