"""Validators shared by the admin, the API and the importer."""

import re
import unicodedata
from html.parser import HTMLParser

from django.core.exceptions import ValidationError

from articles.sanitize import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    MEDIA_ID_ATTRIBUTE,
    MEDIA_ID_RE,
    URL_SCHEMES,
    VOID_TAGS,
    is_media_figure,
)

# Letters of any script, digits, "/" and spaces: "S/SH 11", "م/ع 3".
SIGNOFF_RE = re.compile(r"^(?:[^\W_]|[/ ])+$")


def validate_signoff(value: str) -> None:
    if not value:
        return
    if not SIGNOFF_RE.match(value) or value != value.strip():
        raise ValidationError(
            "A sign-off may hold only letters, digits, “/” and single inner spaces, e.g. “S/SH 11”.",
            code="invalid_signoff",
        )


class _Inspector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        # Inside an inline media item: how many elements deep below it, and whether its caption came.
        self._figure_depth: int | None = None
        self._figure_caption = False

    def handle_starttag(self, tag, attrs):
        self._check_figure_child(tag)
        if tag not in VOID_TAGS and self._figure_depth is not None:
            self._figure_depth += 1
        elif tag not in VOID_TAGS and is_media_figure(tag, attrs):
            self._figure_depth, self._figure_caption = 0, False
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"<{tag}> is not allowed")
            return
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ALLOWED_ATTRIBUTES.get("*", set())
        for name, val in attrs:
            problem = self._attribute_problem(tag, name, val, allowed)
            if problem:
                self.problems.append(problem)

    def _check_figure_child(self, tag: str) -> None:
        """An inline media item holds one optional <figcaption>, nothing else (see articles.sanitize)."""
        if self._figure_depth != 0:
            return
        if tag == "figcaption" and not self._figure_caption:
            self._figure_caption = True
            return
        what = "a second <figcaption>" if tag == "figcaption" else f"<{tag}>"
        self.problems.append(
            f"an inline media item (<figure data-media-id>) holds only an optional <figcaption>, not {what}"
        )

    def handle_endtag(self, tag):
        if self._figure_depth is None or tag in VOID_TAGS:
            return
        if self._figure_depth == 0:
            self._figure_depth = None if tag == "figure" else 0
        else:
            self._figure_depth -= 1

    def handle_data(self, data):
        if self._figure_depth == 0 and data.strip():
            self.problems.append(
                "an inline media item (<figure data-media-id>) holds only an optional <figcaption>, "
                f"not the text “{data.strip()[:40]}”"
            )

    @staticmethod
    def _attribute_problem(tag: str, name: str, val: str | None, allowed: set[str]) -> str | None:
        """What is wrong with one attribute of an allowed tag, or None."""
        if name.startswith("on"):
            return f"event handler “{name}” on <{tag}> is not allowed"
        if tag == "a" and name == "rel":
            return None  # the sanitizer sets every link's rel itself, so what it wrote reads back
        if name not in allowed:
            return f"attribute “{name}” on <{tag}> is not allowed"
        return _value_problem(tag, name, val)

    handle_startendtag = handle_starttag


def _value_problem(tag: str, name: str, val: str | None) -> str | None:
    """What is wrong with the value of an allowed attribute: a media id that is no number, a
    link to a scheme outside the allowlist; or None."""
    if name == MEDIA_ID_ATTRIBUTE and not MEDIA_ID_RE.fullmatch(val or ""):
        return f"“{MEDIA_ID_ATTRIBUTE}” on <{tag}> must be the number of a media library item, not “{val or ''}”"
    if name in {"href", "src"} and val:
        scheme = val.strip().split(":", 1)[0].lower() if ":" in val.split("/", 1)[0] else ""
        if scheme and scheme not in URL_SCHEMES:
            return f"“{scheme}:” links are not allowed"
    return None


def validate_body_html(value: str) -> None:
    """Refuse markup outside the allowlist instead of silently dropping it in a form."""
    inspector = _Inspector()
    inspector.feed(value or "")
    inspector.close()
    if inspector.problems:
        unique = list(dict.fromkeys(inspector.problems))
        raise ValidationError("Unsafe HTML: " + "; ".join(unique[:5]) + ".", code="unsafe_html")


# Characters no name may hold: C0 and C1 controls (tab and line breaks included: a name is one
# line), lone surrogates and the two noncharacters XML cannot carry. Format characters such as
# the zero-width non-joiner stay allowed: Persian and Arabic names need them.
_CONTROL_NAMES = {0x09: "tab", 0x0A: "line feed", 0x0D: "carriage return", 0x00: "null", 0x7F: "delete"}


def control_characters(value: str) -> list[tuple[int, str]]:
    """[(position from 1, character)] for every control character in `value`."""
    return [
        (position, char)
        for position, char in enumerate(value or "", start=1)
        if unicodedata.category(char) in {"Cc", "Cs"} or char in "\ufffe\uffff"
    ]


def describe_character(char: str) -> str:
    """ "U+0007", or "U+0009 (tab)" for the few with a common name."""
    code = ord(char)
    name = _CONTROL_NAMES.get(code)
    return f"U+{code:04X} ({name})" if name else f"U+{code:04X}"


def validate_no_control_characters(value: str) -> None:
    """Refuse a name holding control characters, naming the first few and where they are.

    Such characters are invisible on a page, cannot be written in XML (feeds, sitemaps) and
    only ever come from a paste or a broken import, so a name with one is a mistake to fix."""
    found = control_characters(value)
    if found:
        listed = ", ".join(f"{describe_character(char)} at position {position}" for position, char in found[:3])
        more = f" and {len(found) - 3} more" if len(found) > 3 else ""
        raise ValidationError(
            f"Remove the control character{'s' if len(found) > 1 else ''} from this name: {listed}{more}.",
            code="control_character",
        )


def strip_control_characters(value: str) -> str:
    """`value` without the characters `validate_no_control_characters` refuses (the importer's
    choice: a legacy page is taken as it is, not refused for an invisible character)."""
    return "".join(char for char in value or "" if not control_characters(char))
