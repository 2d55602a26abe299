"""Validators shared by the admin, the API and the importer."""

import re
from html.parser import HTMLParser

from django.core.exceptions import ValidationError

from articles.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES

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

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"<{tag}> is not allowed")
            return
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ALLOWED_ATTRIBUTES.get("*", set())
        for name, val in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler “{name}” on <{tag}> is not allowed")
            elif tag == "a" and name == "rel":
                continue  # the sanitizer sets every link's rel itself, so what it wrote reads back
            elif name not in allowed:
                self.problems.append(f"attribute “{name}” on <{tag}> is not allowed")
            elif name in {"href", "src"} and val:
                scheme = val.strip().split(":", 1)[0].lower() if ":" in val.split("/", 1)[0] else ""
                if scheme and scheme not in URL_SCHEMES:
                    self.problems.append(f"“{scheme}:” links are not allowed")

    handle_startendtag = handle_starttag


def validate_body_html(value: str) -> None:
    """Refuse markup outside the allowlist instead of silently dropping it in a form."""
    inspector = _Inspector()
    inspector.feed(value or "")
    inspector.close()
    if inspector.problems:
        unique = list(dict.fromkeys(inspector.problems))
        raise ValidationError("Unsafe HTML: " + "; ".join(unique[:5]) + ".", code="unsafe_html")
