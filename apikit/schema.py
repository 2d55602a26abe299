"""The adjustments that keep the OpenAPI document true to what the API does."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissionsOrAnonReadOnly

from urlkit.converters import MAX_ID

# JSON Schema patterns are ECMA-262 regular expressions, where `\w` means ASCII letters, digits
# and "_" only. The `^[-\w]+$` that drf-spectacular copies from a Unicode SlugField therefore
# refuses the Arabic slugs the API itself makes. This class says the same in terms every regex
# engine reads alike: no whitespace, and of ASCII only letters, digits, "-" and "_". (It lets
# through a few non-ASCII symbols Django's slug check refuses: those are 400s naming the field.)
UNICODE_SLUG_PATTERN = r"^[^\s\x00-\x2c\x2e\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f]+$"
ASCII_SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"


class SlugFieldSchema(OpenApiSerializerFieldExtension):
    """Schema of a SlugField: a string with a pattern that means the same to every validator."""

    target_class = "rest_framework.fields.SlugField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        unicode = getattr(self.target, "allow_unicode", False)
        return {"type": "string", "pattern": UNICODE_SLUG_PATTERN if unicode else ASCII_SLUG_PATTERN}


class FileFieldSchema(OpenApiSerializerFieldExtension):
    """An uploaded file is a multipart part of bytes (`format: binary`), not a URL string.

    drf-spectacular describes a FileField as a URI unless request and response components are
    split; our file fields are write-only uploads, so requests are what matters.
    """

    target_class = "rest_framework.fields.FileField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        return {"type": "string", "format": "binary" if direction == "request" else "uri"}


class NewsroomAutoSchema(AutoSchema):
    """drf-spectacular's schema, corrected where it would describe the API wrongly.

    - Anonymous reads: DjangoModelPermissionsOrAnonReadOnly lets anyone GET, which
      drf-spectacular does not know, so safe methods also list the empty requirement `{}`
      ("no authentication").
    - Path ids: ids fit a signed 64-bit column; larger ones are refused with 404 before any query.
    - Query parameters: an empty value (`?cursor=`, `?tag=`) means the parameter's default,
      which `allowEmptyValue` says.
    """

    def get_auth(self):
        auths = super().get_auth()
        anonymous_reads = any(isinstance(p, DjangoModelPermissionsOrAnonReadOnly) for p in self.view.get_permissions())
        if self.method in SAFE_METHODS and anonymous_reads and {} not in auths:
            auths.append({})
        return auths

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        for parameter in (operation or {}).get("parameters", []):
            schema = parameter.get("schema", {})
            if parameter["in"] == "path" and parameter["name"] == "id" and schema.get("type") == "integer":
                schema.update(minimum=1, maximum=MAX_ID)
            elif parameter["in"] == "query" and not parameter.get("required"):
                parameter["allowEmptyValue"] = True
        return operation
