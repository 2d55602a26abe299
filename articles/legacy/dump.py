"""The related list as the legacy site printed it: a PHP `var_dump` of a JSON string.

    string(1862) "[{"id":"1796140","sort":"3517883","contenttypeid":"21","pic":"/2016/…","title":"…"} ,{…} ]"

The declared byte length is checked against the text actually present, and the JSON is read
item by item, so a list that was cut short or corrupted still yields every complete item.
"""

import json
import re
from dataclasses import dataclass, field

DUMP_START = re.compile(r'^string\((\d+)\)\s?"')
_NEXT_OBJECT = re.compile(r'\{\s*"')
_decoder = json.JSONDecoder()


@dataclass(frozen=True)
class RelatedItem:
    """One entry of a page's related list."""

    legacy_id: int
    sort: int | None
    title: str
    pic: str
    content_type: str


@dataclass
class RelatedDump:
    items: list[RelatedItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _as_int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _item(raw, number: int, warnings: list[str]) -> RelatedItem | None:
    if not isinstance(raw, dict):
        warnings.append(f"related item {number} is not an object; dropped")
        return None
    legacy_id = _as_int(raw.get("id"))
    title = raw.get("title")
    if legacy_id is None or legacy_id <= 0:
        warnings.append(f"related item {number} has no valid id; dropped")
        return None
    if not isinstance(title, str) or not title.strip():
        warnings.append(f"related item {number} (id {legacy_id}) has no title; dropped")
        return None
    pic = raw.get("pic")
    content_type = raw.get("contenttypeid")
    return RelatedItem(
        legacy_id=legacy_id,
        sort=_as_int(raw.get("sort")),
        title=" ".join(title.split()),
        pic=pic.strip() if isinstance(pic, str) else "",
        content_type=str(content_type) if content_type is not None else "",
    )


def _salvage(text: str, warnings: list[str]) -> list:
    """Every complete JSON value of the array `text`, skipping over damaged stretches."""
    values: list = []
    pos, length = _array_start(text, warnings), len(text)
    while pos < length:
        char = text[pos]
        if char.isspace() or char == ",":
            pos += 1
        elif char == "]":
            _check_after_close(text[pos + 1 :], warnings)
            return values
        else:
            try:
                value, pos = _decoder.raw_decode(text, pos)
            except json.JSONDecodeError:
                pos = _skip_damage(text, pos, len(values), warnings)
                if pos is None:
                    return values
            else:
                values.append(value)
    warnings.append(f"related list cut short after {len(values)} complete item(s) (no closing “]”)")
    return values


def _array_start(text: str, warnings: list[str]) -> int:
    """Where the array's first value may begin: after the “[” (and any blanks before it)."""
    pos = len(text) - len(text.lstrip())
    if text[pos : pos + 1] == "[":
        return pos + 1
    warnings.append("related list does not start with “[”; read what could be found")
    return pos


def _skip_damage(text: str, pos: int, kept: int, warnings: list[str]) -> int | None:
    """Where reading goes on after the value at `pos` failed to decode: the next object's start,
    or None when there is none (the last item was cut short: the list ends there)."""
    following = _NEXT_OBJECT.search(text, pos + 1)
    if following:
        lost = text[pos : following.start()]
        warnings.append(f"related list: {len(lost.encode())} damaged bytes skipped after item {kept}")
        return following.start()
    warnings.append(
        f"related list cut short: kept {kept} complete item(s), "
        f"lost {len(text[pos:].encode())} bytes of an incomplete item"
    )
    return None


def _check_after_close(tail: str, warnings: list[str]) -> None:
    """Warn about anything but blanks after the array's closing “]”."""
    if tail.strip():
        warnings.append(f"related list: {len(tail.strip().encode())} unexpected bytes after the closing “]” ignored")


def parse_dump(text: str) -> RelatedDump:
    """Read the dump starting at `string(` (the rest of the page, trailing blanks removed)."""
    result = RelatedDump()
    text = text.rstrip()
    match = DUMP_START.match(text)
    if not match:
        result.warnings.append("related list is not a string(…) dump; ignored")
        return result
    declared = int(match.group(1))
    payload = text[match.end() :]
    # The closing quote is part of the dump, not of the string; a cut-short dump has none.
    if payload.endswith('"') and len(payload[:-1].encode()) >= declared:
        payload = payload[:-1]
    actual = len(payload.encode())
    if actual != declared:
        result.warnings.append(f"related list declares {declared} bytes but holds {actual}")
    seen: set[int] = set()
    for number, raw in enumerate(_salvage(payload, result.warnings), start=1):
        item = _item(raw, number, result.warnings)
        if item is None:
            continue
        if item.legacy_id in seen:
            result.warnings.append(f"related item {number} repeats id {item.legacy_id}; dropped")
            continue
        seen.add(item.legacy_id)
        result.items.append(item)
    result.items.sort(key=lambda i: (i.sort is None, i.sort or 0))
    return result
