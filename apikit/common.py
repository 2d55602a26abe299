"""What every JSON API endpoint shares: keyset cursor pages, ETags, JSON errors, strict writes,
and the adjustments that keep the OpenAPI document true to what the API does.

It lives in the project package so that `articles.api` and `media.api` both use it while
`media` still never imports `articles`.
"""

import hashlib
from datetime import datetime
from types import SimpleNamespace

from django.core import signing
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.http import HttpResponseNotModified, JsonResponse
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from django.utils.module_loading import import_string
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import BasePagination
from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissionsOrAnonReadOnly
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import exception_handler as drf_exception_handler

from urlkit.absolute_urls import absolute_url
from urlkit.converters import MAX_ID

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
CURSOR_SALT = "newsroom.api.cursor"
API_PATH_PREFIX = "/api/"


# --- Errors -----------------------------------------------------------------------------------


def _first_messages(errors, prefix=""):
    """(field, first message) pairs from a DRF error structure, nested names joined by dots."""
    if isinstance(errors, dict):
        for key, value in errors.items():
            yield from _first_messages(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(errors, list) and errors:
        if all(isinstance(e, str) for e in errors):
            yield prefix, str(errors[0])
        else:
            for index, value in enumerate(errors):
                yield from _first_messages(value, f"{prefix}[{index}]")
    elif isinstance(errors, str):
        yield prefix, errors


def exception_handler(exc, context):
    """DRF's handler, plus: Django ValidationErrors become 400s, and every 400 has a `detail`.

    A 400 keeps its field errors (`{"field": ["message"]}`) beside a one-line `detail` naming
    every field at fault, so a client can show either.
    """
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(detail=as_serializer_error(exc))
    response = drf_exception_handler(exc, context)
    if response is None or response.status_code != 400:
        return response
    data = response.data
    if isinstance(data, dict) and set(data) == {"detail"}:
        return response
    pairs = list(_first_messages(data))
    summary = "; ".join(
        f"{name}: {message}" if name and name != "non_field_errors" else message for name, message in pairs
    )
    body = {"detail": f"Invalid input. {summary}" if summary else "Invalid input."}
    if isinstance(data, dict):
        body.update(data)
    response.data = body
    return response


ERROR_DETAILS = {
    400: "Bad request.",
    403: "You do not have permission to perform this action.",
    404: "No API endpoint or object at this URL.",
    500: "Server error. The request was not completed; try again later.",
}


def api_or_site_handler(status: int, site_handler: str):
    """A Django error handler (handler400/403/404/500) answering JSON `{"detail"}` under /api/
    and the site's own page (`site_handler`, a dotted path) everywhere else.

    DRF already answers its own errors in JSON; these are the errors Django raises around it
    (an unreadable request, a crash), so that a program calling the API never has to parse HTML.
    """

    def handler(request, exception=None):
        if request.path_info.startswith(API_PATH_PREFIX):
            return JsonResponse({"detail": ERROR_DETAILS[status]}, status=status)
        site = import_string(site_handler)
        return site(request) if status == 500 else site(request, exception)

    handler.__doc__ = f"{status} answer: JSON under {API_PATH_PREFIX}, else {site_handler}."
    return handler


class ErrorSerializer(serializers.Serializer):
    """Schema of an error body: `detail`, and for 400s the failing fields with their messages."""

    detail = serializers.CharField()


class StrictFieldsMixin:
    """Refuses a write naming fields the serializer does not accept, instead of ignoring them.

    `output_fields` lists fields the resource shows but a write cannot set (called read-only).
    """

    output_fields: tuple = ()

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            read_only = {name for name, field in self.fields.items() if field.read_only} | set(self.output_fields)
            errors = {}
            for name in sorted(set(data.keys()) - writable):
                errors[name] = ["This field is read-only." if name in read_only else "Unknown field."]
            if errors:
                raise ValidationError(errors)
        return super().to_internal_value(data)


class QueryFormatFreeNegotiation(DefaultContentNegotiation):
    """Content negotiation that leaves `?format=` alone: the API answers JSON only, and on the
    related list `format=legacy` names the legacy shape, not a renderer."""

    settings = SimpleNamespace(URL_FORMAT_OVERRIDE=None)


# --- ETags ------------------------------------------------------------------------------------


def etag_matches(header: str, etag: str) -> bool:
    """Weak comparison of `etag` against an If-None-Match / If-Match header value."""
    wanted = parse_etags(header or "")
    bare = etag.removeprefix("W/")
    return "*" in wanted or any(tag.removeprefix("W/") == bare for tag in wanted)


class ETagMixin:
    """Every successful response with a body gets an ETag; a matching If-None-Match gets 304.

    The tag hashes the rendered body, so it changes whenever what the caller sees changes
    (including a related article going live). Views may prefix it (`etag_prefix`) with facts
    a client hands back later, such as an article's version for If-Match.
    """

    def etag_prefix(self, response) -> str:
        return ""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ("Authorization", "Cookie"))
        if not (200 <= response.status_code < 300) or getattr(response, "data", None) is None:
            return response
        response.render()
        etag = f'"{self.etag_prefix(response)}{hashlib.sha256(response.content).hexdigest()[:32]}"'
        response["ETag"] = etag
        if request.method in ("GET", "HEAD") and etag_matches(request.headers.get("If-None-Match"), etag):
            not_modified = HttpResponseNotModified()
            for header in ("ETag", "Vary", "Cache-Control"):
                if header in response:
                    not_modified[header] = response[header]
            return not_modified
        return response


# --- Cursor pagination ------------------------------------------------------------------------


def _encode_value(value):
    return {"t": value.isoformat()} if isinstance(value, datetime) else value


def _decode_value(value):
    if isinstance(value, dict) and set(value) == {"t"}:
        return datetime.fromisoformat(value["t"])
    if value is None or isinstance(value, (int, str)):
        return value
    raise ValueError("unexpected cursor value")


class KeysetCursorPagination(BasePagination):
    """Cursor pages over a fixed, unique ordering (`view.cursor_ordering`), e.g. newest first.

    A cursor is the signed position of an edge row, so rows added or removed elsewhere never
    shift a page: a reader paging through while new articles are published sees each one once.
    Cursors are signed; an altered or foreign cursor is a 400. `page_size` defaults to 20 and is
    capped at 100.
    """

    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def __init__(self):
        self.next_link = self.previous_link = None

    # request parsing

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return DEFAULT_PAGE_SIZE
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1 or not raw.strip().isdigit():
            raise ValidationError({self.page_size_query_param: [f"Must be a positive whole number, not “{raw[:40]}”."]})
        return min(size, MAX_PAGE_SIZE)

    def decode_cursor(self, request, fields):
        raw = request.query_params.get(self.cursor_query_param)
        if not raw:
            return None  # absent or empty (`?cursor=`): the first page, as for every parameter
        invalid = ValidationError(
            {self.cursor_query_param: ["This cursor is invalid or was altered; start again from the first page."]}
        )
        try:
            payload = signing.loads(raw, salt=CURSOR_SALT)
            if payload["o"] != fields or len(payload["v"]) != len(fields) or not isinstance(payload["r"], bool):
                raise invalid
            return [_decode_value(v) for v in payload["v"]], payload["r"]
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            raise invalid from None

    def encode_cursor(self, request, fields, row, reverse: bool) -> str:
        values = [_encode_value(getattr(row, field)) for field in fields]
        token = signing.dumps({"o": fields, "v": values, "r": reverse}, salt=CURSOR_SALT)
        return replace_query_param(absolute_url(request.get_full_path(), request), self.cursor_query_param, token)

    # queries

    @staticmethod
    def _beyond(ordering, values, backwards: bool) -> Q:
        """Rows strictly after `values` in `ordering` (or before, going backwards)."""
        condition, equal = Q(), Q()
        for (field, descending), value in zip(ordering, values):
            lookup = "lt" if descending != backwards else "gt"
            step = equal & Q(**{f"{field}__{lookup}": value})
            condition = step if not condition else condition | step
            equal &= Q(**{field: value})
        return condition

    def paginate_queryset(self, queryset, request, view=None):
        ordering = view.cursor_ordering
        fields = [field for field, _ in ordering]
        size = self.get_page_size(request)
        cursor = self.decode_cursor(request, fields)
        rows, more = self._fetch(queryset, ordering, cursor, size)
        if cursor and cursor[1] and not rows:
            # Nothing lies before this point any more: the previous page is the first page.
            cursor = None
            rows, more = self._fetch(queryset, ordering, None, size)
        backwards = bool(cursor and cursor[1])
        has_next = True if backwards else more
        has_previous = more if backwards else cursor is not None
        self.next_link = self.encode_cursor(request, fields, rows[-1], False) if has_next and rows else None
        self.previous_link = self.encode_cursor(request, fields, rows[0], True) if has_previous and rows else None
        return rows

    def _fetch(self, queryset, ordering, cursor, size):
        """Up to `size` rows after (or before) the cursor, in display order, and whether more exist."""
        backwards = bool(cursor and cursor[1])
        if cursor:
            queryset = queryset.filter(self._beyond(ordering, cursor[0], backwards))
        order_by = [("-" if descending != backwards else "") + field for field, descending in ordering]
        rows = list(queryset.order_by(*order_by)[: size + 1])
        more = len(rows) > size
        rows = rows[:size]
        if backwards:
            rows.reverse()
        return rows, more

    def get_paginated_response(self, data):
        return Response({"next": self.next_link, "previous": self.previous_link, "results": data})

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "in": "query",
                "required": False,
                "description": "Opaque position from a `next` or `previous` link (empty: the first page).",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "in": "query",
                "required": False,
                "description": f"Items per page (default {DEFAULT_PAGE_SIZE}; above {MAX_PAGE_SIZE} counts as {MAX_PAGE_SIZE}).",
                "schema": {"type": "integer", "minimum": 1},
            },
        ]


# --- OpenAPI document ---------------------------------------------------------------------------

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
