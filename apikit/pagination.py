"""Cursor pages for the API's lists: signed cursors over `querykit.keyset`."""

from datetime import datetime

from django.core import signing
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from querykit import keyset
from urlkit.absolute_urls import absolute_url

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
CURSOR_SALT = "newsroom.api.cursor"


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

    def encode_cursor(self, request, ordering, row, reverse: bool) -> str:
        values = [_encode_value(value) for value in keyset.edge_values(ordering, row)]
        token = signing.dumps({"o": [field for field, _ in ordering], "v": values, "r": reverse}, salt=CURSOR_SALT)
        return replace_query_param(absolute_url(request.get_full_path(), request), self.cursor_query_param, token)

    def paginate_queryset(self, queryset, request, view=None):
        ordering = view.cursor_ordering
        size = self.get_page_size(request)
        cursor = self.decode_cursor(request, [field for field, _ in ordering])
        after, backwards = cursor or (None, False)
        rows, more = keyset.fetch(queryset, ordering, size=size, after=after, backwards=backwards)
        if backwards and not rows:
            # Nothing lies before this point any more: the previous page is the first page.
            cursor, backwards = None, False
            rows, more = keyset.fetch(queryset, ordering, size=size)
        self._set_links(request, ordering, rows, more, cursor is not None, backwards)
        return rows

    def _set_links(self, request, ordering, rows, more: bool, from_cursor: bool, backwards: bool):
        """The next and previous links around `rows` (none where no row lies that way)."""
        has_next = True if backwards else more
        has_previous = more if backwards else from_cursor
        self.next_link = self.encode_cursor(request, ordering, rows[-1], False) if has_next and rows else None
        self.previous_link = self.encode_cursor(request, ordering, rows[0], True) if has_previous and rows else None

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
                "description": (
                    f"Items per page (default {DEFAULT_PAGE_SIZE}; above {MAX_PAGE_SIZE} counts as {MAX_PAGE_SIZE})."
                ),
                "schema": {"type": "integer", "minimum": 1},
            },
        ]
