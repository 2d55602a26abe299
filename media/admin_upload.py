"""Many files at once in the media library's admin: a page taking files by drag and drop or a
file input, an endpoint storing one file per request (so the browser shows each file's
progress and each refusal on its own), and a form describing all the new items at once.

The endpoint answers JSON: the stored item (201, or 200 when the library already held the same
bytes), or `{"file": name, "error": why}` for a refused file. Files go through
`media.actions.create_media` exactly like the change form's upload (checked by content,
cleaned, deduplicated, audited); the descriptions through `media.actions.update_media`. Bodies
over the upload limit never reach here: `media.uploads.DeclaredSizeLimitMiddleware` answers 413.
"""

import re

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from media import actions
from media.admin_forms import BulkCreditForm, ItemDescriptionFormSet
from media.models import MediaItem
from media.renditions import rendition_url

MAX_ID = 2**63 - 1
# How many items one describing form takes (a day's pictures of one event, not a whole archive).
MAX_DESCRIBED = 100


def title_from_filename(filename: str) -> str:
    """A first title for an uploaded file, from its name: "harbour_at-dawn.jpg" → "harbour at dawn"."""
    stem = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    return re.sub(r"[\s_-]+", " ", stem).strip()[:255]


def item_json(item: MediaItem, *, created: bool) -> dict:
    """What the upload pages need to show a stored item: ids, names, a thumbnail, links."""
    return {
        "id": item.pk,
        "title": str(item),
        "kind": item.kind,
        "created": created,
        "thumbnail": rendition_url(item, "w320", "jpeg"),
        "change_url": reverse("admin:media_mediaitem_change", args=[item.pk]),
    }


def parse_ids(raw: str) -> list[int]:
    """The item ids of a `?ids=1,2,3` list, in order, without repeats, bounded in number and size."""
    ids = []
    for part in raw.split(",")[:MAX_DESCRIBED]:
        part = part.strip()
        if part.isdigit() and int(part) <= MAX_ID and int(part) not in ids:
            ids.append(int(part))
    return ids


class BulkUploadAdminMixin:
    """The bulk upload page, its endpoint and the describing form, for the media item admin."""

    def bulk_upload_urls(self) -> list:
        view = self.admin_site.admin_view
        return [
            path("upload/", view(self.bulk_upload_view), name="media_mediaitem_bulk_upload"),
            path("upload/file/", view(self.upload_file_view), name="media_mediaitem_upload_file"),
            path("upload/describe/", view(self.describe_view), name="media_mediaitem_describe"),
        ]

    def upload_context(self) -> dict:
        """What a page that uploads (the bulk page, the chooser popup) hands its script."""
        return {
            "upload_endpoint": reverse("admin:media_mediaitem_upload_file"),
            "describe_url": reverse("admin:media_mediaitem_describe"),
            "max_upload_bytes": settings.MEDIA_MAX_UPLOAD_BYTES,
        }

    def bulk_upload_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            **self.upload_context(),
            "opts": self.model._meta,
            "title": "Upload many files",
        }
        return TemplateResponse(request, "admin/media/mediaitem/bulk_upload.html", context)

    @staticmethod
    def _refusal(name: str, error: str, status: int) -> JsonResponse:
        return JsonResponse({"file": name, "error": error}, status=status)

    def upload_file_view(self, request):
        return require_POST(self._upload_file)(request)

    def _upload_file(self, request):
        """Store the one file of the request (field `file`); JSON either way."""
        upload = request.FILES.get("file")
        name = upload.name if upload else ""
        if not self.has_add_permission(request):
            return self._refusal(name, "You do not have permission to add media.", 403)
        if upload is None:
            return self._refusal(name, "No file came with the request: choose a file to upload.", 400)
        try:
            item, created = actions.create_media(
                actor=request.user, upload=upload, filename=name, title=title_from_filename(name)
            )
        except ValidationError as exc:
            return self._refusal(name, " ".join(exc.messages), 400)
        except PermissionDenied as exc:
            return self._refusal(name, str(exc) or "You may not add this file.", 403)
        return JsonResponse({"file": name, **item_json(item, created=created)}, status=201 if created else 200)

    # --- describing the new items at once -----------------------------------------------------------

    def describe_view(self, request):
        """Credit for all the items of `?ids=`, title and alt text for each, saved through
        `update_media` (one audit entry per item changed)."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        ids = parse_ids(request.GET.get("ids", ""))
        found = MediaItem.objects.filter(pk__in=ids).with_renditions().in_bulk()
        items = [found[pk] for pk in ids if pk in found]
        initial = [{"id": item.pk, "title": item.title, "alt_text": item.alt_text} for item in items]
        if request.method == "POST":
            common = BulkCreditForm(request.POST)
            formset = ItemDescriptionFormSet(request.POST, initial=initial, prefix="items")
            if common.is_valid() and formset.is_valid():
                self._save_descriptions(request, found, common.cleaned_data, formset)
                return HttpResponseRedirect(reverse("admin:media_mediaitem_changelist"))
        else:
            common = BulkCreditForm()
            formset = ItemDescriptionFormSet(initial=initial, prefix="items")
        rows = [
            {"item": item, "form": form, "thumbnail": rendition_url(item, "w320", "jpeg")}
            for item, form in zip(items, formset.forms, strict=False)
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Describe {len(items)} uploaded item{'s' if len(items) != 1 else ''}",
            "common": common,
            "formset": formset,
            "rows": rows,
        }
        return TemplateResponse(request, "admin/media/mediaitem/describe.html", context)

    def _save_descriptions(self, request, found: dict, common: dict, formset) -> None:
        changed, refused = 0, []
        for form in formset.forms:
            item = found.get(form.cleaned_data.get("id"))
            if item is None:
                continue
            values = {"title": form.cleaned_data["title"], "alt_text": form.cleaned_data["alt_text"]}
            if common.get("credit"):
                values["credit"] = common["credit"]
            try:
                actions.update_media(actor=request.user, item=item, **values)
            except PermissionDenied as exc:
                refused.append(str(exc))
                continue
            changed += 1
        self.message_user(request, f"{changed} item(s) described.", messages.SUCCESS)
        for message in refused:
            self.message_user(request, message, messages.ERROR)
