"""The media item's change form in the admin: the file checked as the form is validated (so
that storing it cannot fail where no form could show why), a new poster, captions.

What the form's fields become is decided by the admin (`media.admin`), through `media.actions`.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from media.actions import DESCRIPTION_FIELDS
from media.captions import read_upload as read_captions_upload
from media.captions import validate_language
from media.file_kinds import a_kind
from media.ingest import validate_upload
from media.models import MediaItem

# Form fields a new item takes as its descriptions (the file is the upload itself).
CREATE_FIELDS = DESCRIPTION_FIELDS
# Form fields an existing item changes through media.actions.update_media.
UPDATE_FIELDS = frozenset(CREATE_FIELDS) | {"poster"}


def check_upload(upload: UploadedFile, expected_kind: str | None = None) -> str:
    """Validate an uploaded file like every other path does, as a field-level error; returns its kind.

    The upload is never read whole into memory (issue #13): it is refused by its declared size
    first, and one spilled to disk is checked in place (`validate_upload`), so the same checks
    that storing it makes later cannot fail in `save_model`, where no form could show them.
    """
    try:
        kind = validate_upload(upload, filename=upload.name)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict["file"]) from exc
    if expected_kind and kind != expected_kind:
        raise ValidationError(f"“{upload.name}” is {a_kind(kind)}; {a_kind(expected_kind)} is needed here.")
    return kind


class MediaItemForm(forms.ModelForm):
    new_poster = forms.FileField(
        required=False,
        label="Upload a new poster",
        help_text="Videos only: a JPEG, PNG or WebP still to show before the video plays. "
        "Replaces the poster made from the video.",
    )

    new_captions = forms.FileField(
        required=False,
        label="Upload captions",
        help_text="Videos only: a WebVTT file (.vtt, UTF-8). Replaces the current captions.",
    )
    remove_captions = forms.BooleanField(required=False, label="Remove the captions")

    class Meta:
        model = MediaItem
        fields = ["file", *DESCRIPTION_FIELDS, "poster", "captions_language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "file" in self.fields:
            # The admin draws a file field in a fieldset with a legend: the input itself needs a name.
            self.fields["file"].widget.attrs.setdefault("aria-label", "File to upload")

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            instance = self.instance
            if instance.pk and instance.file and not instance.file_missing:
                raise ValidationError(
                    "This item already has its file. Upload the new file as a new item, so that "
                    "articles using this one keep what they show."
                )
            check_upload(upload)
            self.checked_upload = upload
        elif not upload and not self.instance.pk:
            raise ValidationError("Choose a file to upload.")
        return upload

    def clean_new_poster(self):
        upload = self.cleaned_data.get("new_poster")
        if upload:
            if self.instance.pk and not self.instance.is_video:
                raise ValidationError("Only a video has a poster.")
            check_upload(upload, expected_kind="image")
            self.checked_poster = upload
        return upload

    def clean_new_captions(self):
        upload = self.cleaned_data.get("new_captions")
        if upload:
            if self.instance.pk and not self.instance.is_video:
                raise ValidationError("Only a video has captions.")
            self.captions_bytes = read_captions_upload(upload)
        return upload

    def clean_captions_language(self):
        return validate_language(self.cleaned_data.get("captions_language", ""))


# --- describing many new items at once (media.admin_upload) ----------------------------------------


class BulkCreditForm(forms.Form):
    """What every item of a bulk upload shares."""

    credit = forms.CharField(
        max_length=MediaItem._meta.get_field("credit").max_length,
        required=False,
        label="Credit for all",
        help_text='Shown with each item, e.g. "AFP". Left empty, each item keeps its own credit.',
    )


class ItemDescriptionForm(forms.Form):
    """One item's title and alt text in the bulk describing form."""

    id = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    title = forms.CharField(max_length=MediaItem._meta.get_field("title").max_length, required=False)
    alt_text = forms.CharField(
        max_length=MediaItem._meta.get_field("alt_text").max_length,
        required=False,
        label="Alt text",
        help_text="What the image shows, for readers who cannot see it.",
    )


ItemDescriptionFormSet = forms.formset_factory(ItemDescriptionForm, extra=0, max_num=100, validate_max=True)
