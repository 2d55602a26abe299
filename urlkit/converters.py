"""URL converters shared by the site's URLconfs.

`<id:…>` is `<int:…>` limited to what a database id column can hold. Django's `int`
converter takes any run of digits, so `/news/9223372036854775808/x/` reached the view and the
query failed with OverflowError (a 500) instead of answering "no such page". A converter whose
`to_python` raises ValueError makes the pattern not match, so such URLs are plain 404s.
"""

from django.urls import register_converter

# Ids are 64-bit signed integers (BigAutoField, BigIntegerField) on every supported database.
MAX_ID = 2**63 - 1


def is_storable_id(value: int) -> bool:
    """Whether `value` fits an id column: 0 … 2**63 - 1 (ids that cannot exist are refused
    before any query is built)."""
    return 0 <= value <= MAX_ID


class IdConverter:
    """A non-negative whole number that fits a 64-bit id column; anything larger does not match."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not is_storable_id(number):
            raise ValueError(f"{value} is beyond the largest id")
        return number

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "id")
