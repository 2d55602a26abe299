"""The media library in the admin: uploads, a click-to-set focal point, usage, rights (a list of
licences running out), and deletion refused while an item is in use.

Every change goes through `media.actions`, which checks, audits and announces it; the admin
only turns a form into those calls. An item follows the rules of the stories using it
(`media.permissions.may_change`): a Reporter sees the media of a published story read-only, and
only editors who may publish mark an item public before a live story uses it."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from media import (
    actions,
    admin_tasks,  # noqa: F401  (registers the task results list, with its Retry action)
    tasks,
    usage,
)
from media.admin_chooser import ChooserAdminMixin
from media.admin_forms import CREATE_FIELDS, UPDATE_FIELDS, MediaItemForm
from media.admin_preview import PreviewAdminMixin, crop_previews
from media.admin_upload import BulkUploadAdminMixin
from media.models import MediaItem, Rendition
from media.permissions import may_change
from media.renditions import rendition_url
from media.usage import usages_for

LICENCE_WINDOW_DAYS = 30


class LicenceFilter(admin.SimpleListFilter):
    title = "licence"
    parameter_name = "licence"

    def lookups(self, request, model_admin):
        return [("soon", f"Expires within {LICENCE_WINDOW_DAYS} days"), ("expired", "Expired"), ("none", "No expiry")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "soon":
            return queryset.licence_expiring(LICENCE_WINDOW_DAYS).filter(licence_expires__gte=today)
        if self.value() == "expired":
            return queryset.filter(licence_expires__lt=today)
        if self.value() == "none":
            return queryset.filter(licence_expires__isnull=True)
        return queryset


def story_admin_link(story) -> str:
    """A link to the admin page of what uses an item (an article), or its name without one."""
    opts = story._meta
    try:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[story.pk])
    except NoReverseMatch:
        return format_html("“{}”", story)
    return format_html('<a href="{}">{}</a>', url, story)


def uses_html(uses) -> str:
    if not uses:
        return "Not used by any article."
    return format_html(
        "<ul>{}</ul>", format_html_join("", "<li>{} — {}</li>", ((story_admin_link(u.story), u.how) for u in uses))
    )


@admin.register(MediaItem)
class MediaItemAdmin(ChooserAdminMixin, BulkUploadAdminMixin, PreviewAdminMixin, admin.ModelAdmin):
    form = MediaItemForm
    change_list_template = "admin/media/mediaitem/change_list.html"
    list_display = [
        "thumbnail",
        "__str__",
        "kind",
        "dimensions",
        "duration_display",
        "credit",
        "licence_expires",
        "file_missing",
        "uploaded_at",
    ]
    list_display_links = ["thumbnail", "__str__"]
    list_filter = ["kind", "processing", LicenceFilter, "file_missing", "uploaded_at"]
    search_fields = ["title", "caption", "alt_text", "credit", "copyright_holder", "legacy_path"]
    date_hierarchy = "uploaded_at"
    autocomplete_fields = ["poster"]
    readonly_fields = [
        "processing_state",
        "focal_point_picker",
        "used_by",
        "kind",
        "width",
        "height",
        "duration",
        "codec",
        "file_size",
        "sha256",
        "uploaded_at",
        "file_missing",
        "captions_file",
    ]
    fieldsets = [
        (None, {"fields": ["processing_state", "file", "title", "caption", "alt_text", "public"]}),
        ("Focal point", {"fields": ["focal_point_picker", ("focal_x", "focal_y")]}),
        (
            "Video",
            {
                "fields": [
                    "poster",
                    "new_poster",
                    "captions_file",
                    "new_captions",
                    "captions_language",
                    "remove_captions",
                ]
            },
        ),
        ("Rights", {"fields": ["credit", "copyright_holder", "usage_terms", "licence_expires"]}),
        ("Usage", {"fields": ["used_by"]}),
        (
            "Facts",
            {
                "fields": [
                    "kind",
                    ("width", "height"),
                    ("duration", "codec"),
                    "file_size",
                    "sha256",
                    "legacy_path",
                    "file_missing",
                    "uploaded_at",
                ]
            },
        ),
    ]
    list_per_page = 50
    actions = ["mark_public", "process_again"]

    class Media:
        js = ["media/focal.js"]
        css = {"all": ["media/admin_media.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).with_renditions()

    # --- list columns -----------------------------------------------------------------------

    @admin.display(description="Preview")
    def thumbnail(self, obj):
        if obj.processing:
            return format_html('<span class="media-processing">{}</span>', obj.get_processing_display())
        url = rendition_url(obj, "w320", "jpeg")
        if not url:
            return "—"
        return format_html('<img src="{}" alt="" loading="lazy" style="width:80px;height:auto;border-radius:3px">', url)

    @admin.display(description="Size")
    def dimensions(self, obj):
        return f"{obj.width}×{obj.height}" if obj.width and obj.height else "—"

    @admin.display(description="Duration", ordering="duration")
    def duration_display(self, obj):
        if obj.duration is None:
            return "—"
        minutes, seconds = divmod(round(obj.duration), 60)
        return f"{minutes}:{seconds:02d}"

    # --- change form --------------------------------------------------------------------------

    @admin.display(description="Processing")
    def processing_state(self, obj):
        """Where a video stands with the worker: measured, still waiting, or what went wrong."""
        if obj is None or not obj.pk or not obj.is_video:
            return "—"
        if obj.is_processing:
            return "Video processing: the worker is measuring it and making its poster. Reload in a moment."
        if obj.processing:
            return format_html(
                '<strong class="media-problem">Processing failed:</strong> {} '
                "Upload the file again, or use “Process again” in the list once the cause is fixed.",
                obj.problem or "no reason was recorded.",
            )
        return "Done: measured, with its poster."

    @admin.display(description="Click the part of the image that every crop must keep")
    def focal_point_picker(self, obj):
        if obj is None or not obj.pk:
            return "Upload the file first; then set the focal point here."
        if obj.is_video:
            return "A video's crops come from its poster: set the focal point on the poster item."
        url = rendition_url(obj, "w640", "jpeg")
        if not url:
            return "No file yet."
        return format_html(
            '<div class="focal-picker" style="position:relative;display:inline-block;max-width:640px;'
            'cursor:crosshair;line-height:0">'
            '<img src="{}" alt="{}" style="display:block;max-width:100%;height:auto" width="{}" height="{}">'
            '<span class="focal-marker" aria-hidden="true" style="position:absolute;left:{}%;top:{}%;'
            "width:18px;height:18px;margin:-11px 0 0 -11px;border:2px solid #fff;border-radius:50%;"
            'box-shadow:0 0 0 2px #c00;pointer-events:none"></span></div>',
            url,
            obj.alt_text or obj.title,
            obj.width,
            obj.height,
            obj.focal_x * 100,
            obj.focal_y * 100,
        ) + crop_previews(obj, url)

    @admin.display(description="Captions")
    def captions_file(self, obj):
        if obj is None or not obj.captions:
            return "None yet. Videos need captions for readers who cannot hear them."
        return format_html('<a href="{}">{}</a>', obj.captions.url, obj.captions.name.rsplit("/", 1)[-1])

    @admin.display(description="Used by")
    def used_by(self, obj):
        if obj is None or not obj.pk:
            return "—"
        uses = usages_for([obj])[obj.pk]
        videos = list(obj.poster_of.all())
        html = uses_html(uses)
        if videos:
            html += format_html(
                "<p>Poster of: {}</p>",
                format_html_join(
                    ", ",
                    '<a href="{}">{}</a>',
                    ((reverse("admin:media_mediaitem_change", args=[v.pk]), v) for v in videos),
                ),
            )
        return html

    # --- who may change what -----------------------------------------------------------------

    def has_change_permission(self, request, obj=None):
        """Media of stories the user may not edit (a published one, for a Reporter) are read-only."""
        return super().has_change_permission(request, obj) and (obj is None or may_change(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or may_change(request.user, obj))

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not usage.may_publish(request.user):
            fields.append("public")
        return fields

    def has_publish_permission(self, request):
        """Making media public before a story goes live is a publishing decision."""
        return usage.may_publish(request.user)

    @admin.action(description="Mark public (readers may see them before a story goes live)", permissions=["publish"])
    def mark_public(self, request, queryset):
        count = 0
        for item in queryset.filter(public=False):
            actions.update_media(actor=request.user, item=item, public=True)
            count += 1
        self.message_user(request, f"{count} item(s) marked public.", messages.SUCCESS)

    @admin.action(description="Process again (measure the videos and make their posters)", permissions=["change"])
    def process_again(self, request, queryset):
        """Ask the worker again for videos left processing or failed (a queue that was away,
        a file put back): the task measures each one still waiting, and skips the others."""
        ids = list(queryset.filter(kind=MediaItem.Kind.VIDEO).exclude(processing="").values_list("pk", flat=True))
        for pk in ids:
            tasks.enqueue_after_commit(tasks.process_video, pk)
        self.message_user(request, f"{len(ids)} video(s) sent to the worker.", messages.SUCCESS)

    def save_model(self, request, obj, form, change):
        """The form's changes, each made by its action: a new item (or its file), descriptions
        and focal point, a new poster, captions. `obj` ends up as the stored item."""
        if change:
            item = self._save_changes(request, MediaItem.objects.get(pk=obj.pk), form)
        else:
            item = self._create(request, form)
        item = self._save_poster(request, item, form)
        item = self._save_captions(request, item, form)
        obj.pk = item.pk
        obj.__dict__.update({k: v for k, v in item.__dict__.items() if not k.startswith("_")})
        obj._state.adding = False

    def _create(self, request, form) -> MediaItem:
        upload = form.checked_upload
        fields = {name: form.cleaned_data.get(name) for name in CREATE_FIELDS if name in form.cleaned_data}
        fields = {k: v for k, v in fields.items() if v not in (None, "")}
        item, created = actions.create_media(actor=request.user, upload=upload, filename=upload.name, **fields)
        if not created:
            self.message_user(
                request,
                f"The same file is already in the library as “{item}”; that item is shown.",
                messages.WARNING,
            )
        return item

    def _save_changes(self, request, item: MediaItem, form) -> MediaItem:
        """Descriptions, focal point, poster choice (captions_language goes with the captions);
        then the file, for an item that had none."""
        values = {name: form.cleaned_data[name] for name in form.changed_data if name in UPDATE_FIELDS}
        item = actions.update_media(actor=request.user, item=item, **values)
        upload = getattr(form, "checked_upload", None)
        if upload is not None:
            item = actions.replace_file(actor=request.user, item=item, upload=upload)
        return item

    def _save_poster(self, request, item: MediaItem, form) -> MediaItem:
        """A poster uploaded for a video: a new image item, then the video's poster."""
        upload = getattr(form, "checked_poster", None)
        if upload is None or not item.is_video:
            return item
        poster, _ = actions.create_media(
            actor=request.user,
            upload=upload,
            filename=upload.name,
            expected_kind="image",
            title=f"Poster: {item.title or upload.name}"[:255],
            credit=item.credit,
        )
        return actions.update_media(actor=request.user, item=item, poster=poster)

    def _save_captions(self, request, item: MediaItem, form) -> MediaItem:
        captions_bytes = getattr(form, "captions_bytes", None)
        language = form.cleaned_data.get("captions_language", "")
        if captions_bytes is not None:
            try:
                return actions.attach_captions(actor=request.user, item=item, data=captions_bytes, language=language)
            except ValidationError as exc:  # a new upload that turned out not to be a video
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
                return item
        if form.cleaned_data.get("remove_captions"):
            return actions.remove_captions(actor=request.user, item=item)
        if "captions_language" in form.cleaned_data:
            return actions.update_media(actor=request.user, item=item, captions_language=language)
        return item

    # --- deletion -----------------------------------------------------------------------------

    def get_deleted_objects(self, objs, request):
        """Django's confirmation page, with every article or video using an item shown as a
        protected object: the page then refuses the deletion and lists them."""
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        seen = set(map(str, protected))
        for item in objs:
            for user in actions.users_of(item):
                line = f"{item}: used by {user}"
                if line not in seen:
                    protected.append(line)
                    seen.add(line)
        return deleted, model_count, perms_needed, protected

    def delete_model(self, request, obj):
        actions.delete_media(actor=request.user, item=obj)

    def delete_queryset(self, request, queryset):
        for item in queryset:
            actions.delete_media(actor=request.user, item=item)

    # --- rights: licences running out -----------------------------------------------------------

    def get_urls(self):
        return [
            path("licences/", self.admin_site.admin_view(self.licences_view), name="media_mediaitem_licences"),
            *self.bulk_upload_urls(),
            *super().get_urls(),
        ]

    def licences_view(self, request):
        """Items whose licence has run out or runs out within 30 days, with the articles using them."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        items = list(
            MediaItem.objects.licence_expiring(LICENCE_WINDOW_DAYS)
            .select_related("poster")
            .prefetch_related("renditions", "poster__renditions")
            .order_by("licence_expires", "pk")
        )
        uses = usages_for(items)
        today = timezone.localdate()
        rows = [
            {
                "item": item,
                "thumbnail": self.thumbnail(item),
                "expired": item.licence_expires < today,
                "days": (item.licence_expires - today).days,
                "uses": uses_html(uses[item.pk]),
            }
            for item in items
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Licences expired or expiring within {LICENCE_WINDOW_DAYS} days",
            "rows": rows,
            "users_label": usage.users_label(),
        }
        return TemplateResponse(request, "admin/media/mediaitem/licences.html", context)


@admin.register(Rendition)
class RenditionAdmin(admin.ModelAdmin):
    list_display = ["media", "spec", "format", "width", "height", "created_at"]
    list_select_related = ["media"]
    raw_id_fields = ["media"]
