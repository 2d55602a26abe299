from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.html import format_html

from media.ingest import attach_file, ingest_bytes, validate_bytes
from media.models import MediaItem, Rendition


class MediaItemForm(forms.ModelForm):
    class Meta:
        model = MediaItem
        fields = [
            "file", "title", "caption", "alt_text", "credit", "copyright_holder", "usage_terms",
            "licence_expires", "poster", "focal_x", "focal_y", "legacy_path",
        ]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            upload.seek(0)
            data = upload.read()
            try:
                validate_bytes(data, filename=upload.name)
            except ValidationError as exc:
                raise ValidationError(exc.message_dict["file"]) from exc
            self.upload_bytes = data
        elif not upload and not self.instance.pk:
            raise ValidationError("Choose a file to upload.")
        return upload


@admin.register(MediaItem)
class MediaItemAdmin(admin.ModelAdmin):
    form = MediaItemForm
    list_display = ["thumbnail", "__str__", "kind", "dimensions", "duration_display", "credit", "file_missing", "uploaded_at"]
    list_display_links = ["thumbnail", "__str__"]
    list_filter = ["kind", "file_missing", "uploaded_at"]
    search_fields = ["title", "caption", "alt_text", "credit", "legacy_path"]
    date_hierarchy = "uploaded_at"
    list_select_related = ["poster"]
    autocomplete_fields = ["poster"]
    readonly_fields = ["kind", "width", "height", "duration", "codec", "file_size", "sha256", "uploaded_at", "file_missing"]
    list_per_page = 50

    @admin.display(description="Preview")
    def thumbnail(self, obj):
        image = obj.image_for_thumbnail
        if image is None or not image.url:
            return "—"
        return format_html('<img src="{}" alt="" style="width:80px;height:auto;border-radius:3px">', image.url)

    @admin.display(description="Size")
    def dimensions(self, obj):
        return f"{obj.width}×{obj.height}" if obj.width and obj.height else "—"

    @admin.display(description="Duration", ordering="duration")
    def duration_display(self, obj):
        if obj.duration is None:
            return "—"
        minutes, seconds = divmod(round(obj.duration), 60)
        return f"{minutes}:{seconds:02d}"

    def save_model(self, request, obj, form, change):
        data = getattr(form, "upload_bytes", None)
        if data is None:
            obj.save()
            return
        fields = {name: form.cleaned_data.get(name) for name in form.Meta.fields if name not in {"file", "poster"}}
        fields = {k: v for k, v in fields.items() if v not in (None, "")}
        if change:
            attach_file(obj, data)
            return
        stored = ingest_bytes(data, filename=form.cleaned_data["file"].name, **fields)
        obj.pk = stored.pk
        obj.__dict__.update({k: v for k, v in stored.__dict__.items() if not k.startswith("_")})


@admin.register(Rendition)
class RenditionAdmin(admin.ModelAdmin):
    list_display = ["media", "spec", "format", "width", "height", "created_at"]
    list_select_related = ["media"]
    raw_id_fields = ["media"]
