"""One legacy page file → a `LegacyPage`: breadcrumb, title, kind, dateline, body, sign-off, related list.

The layout (blank lines between parts, UTF-8 with or without BOM, LF or CRLF):

    Iraq – Conflict – Mosul
    VIDEO: Title of the story
    Thu Mar 24, 2016 14:18:09
    paragraph…
    paragraph…
    S/SH 11
    string(1862) "[{…} ,{…} ]"

Pages are plain text: the body is built with every paragraph HTML-escaped, so `<`, `>` and `&`
in the legacy text stay text.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.html import escape

from articles.legacy.dump import DUMP_START, RelatedItem, parse_dump
from articles.sanitize import clean_html
from articles.validators import validate_signoff

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
DATELINE = re.compile(
    r"^(?P<day>[A-Za-z]{3})[a-z]*\.?,?\s+(?P<month>[A-Za-z]{3})[a-z]*\.?\s+(?P<date>\d{1,2}),?\s+(?P<year>\d{4})"
    r"\s+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?$"
)
KIND_PREFIX = re.compile(r"^\s*(VIDEO|PHOTOS?)\s*:\s*", re.IGNORECASE)
# En and em dashes always separate; a hyphen only with spaces round it ("Deir ez-Zor" is one place).
BREADCRUMB_SEPARATOR = re.compile(r"\s*[–—]\s*|\s+-\s+")
BLANK_LINES = re.compile(r"\n[ \t\u00a0]*\n")
MAX_TITLE = 300
MAX_SECTION_NAME = 100


class NotALegacyPage(ValueError):
    """The file is not a legacy page; the message says why."""


@dataclass
class LegacyPage:
    name: str
    sections: list[str]
    title: str
    kind: str
    published_at: datetime
    body: str
    signoff: str
    language: str
    related: list[RelatedItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def split_title(raw: str) -> tuple[str, str]:
    """("VIDEO: Troops advance") → ("Troops advance", "video"); a title without label is "text"."""
    title = " ".join(raw.split())
    match = KIND_PREFIX.match(title)
    if not match:
        return title, "text"
    kind = "video" if match.group(1).upper() == "VIDEO" else "photo"
    return title[match.end() :].strip(), kind


def parse_dateline(line: str, zone: ZoneInfo) -> tuple[datetime, str | None]:
    """The dateline as an aware datetime in `zone`, and a warning when its weekday is wrong."""
    match = DATELINE.match(line.strip())
    if not match:
        raise NotALegacyPage(f"“{line.strip()[:60]}” is not a dateline like “Thu Mar 24, 2016 14:18:09”")
    month_name = match.group("month").lower()
    day_name = match.group("day").lower()
    if month_name not in MONTHS or day_name not in DAYS:
        raise NotALegacyPage(f"“{line.strip()[:60]}” is not a dateline like “Thu Mar 24, 2016 14:18:09”")
    try:
        moment = datetime(
            int(match.group("year")),
            MONTHS.index(month_name) + 1,
            int(match.group("date")),
            int(match.group("hour")),
            int(match.group("minute")),
            int(match.group("second") or 0),
            tzinfo=zone,
        )
    except ValueError as exc:
        raise NotALegacyPage(f"dateline “{line.strip()}” is not a real date ({exc})") from exc
    warning = None
    if DAYS[moment.weekday()] != day_name:
        warning = f"dateline says {match.group('day')} but {moment:%b %d, %Y} was a {moment:%A}; the date was kept"
    return moment.astimezone(UTC), warning


def looks_like_signoff(text: str) -> bool:
    """A desk code such as “S/SH 11” or “م/ع 3”: short, letters/digits/“/”, with a slash or in capitals."""
    if "\n" in text or len(text) > 32:
        return False
    try:
        validate_signoff(text)
    except ValidationError:
        return False
    return "/" in text or bool(re.fullmatch(r"[A-Z0-9 ]{1,12}", text) and re.search(r"[A-Z]", text))


ARABIC_LETTER = re.compile(
    r"[\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc]"
)
LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")


def detect_language(text: str) -> str:
    """“ar” when Arabic-script letters outnumber Latin ones, else “en”."""
    if not ARABIC_LETTER.search(text):
        return "en"
    return "ar" if len(ARABIC_LETTER.findall(text)) > len(LATIN_LETTER.findall(text)) else "en"


def body_html(paragraphs: list[str]) -> str:
    """Paragraphs as `<p>` elements, text escaped; lines inside a paragraph kept with `<br>`."""
    parts = []
    for paragraph in paragraphs:
        lines = [escape(line.strip()) for line in paragraph.split("\n") if line.strip()]
        parts.append("<p>" + "<br>".join(lines) + "</p>")
    # Stored bodies pass through the allowlist cleaner on save; clean here too so the
    # stored text and the text compared on re-import are the same.
    return clean_html("\n".join(parts))


def decode(data: bytes, name: str) -> str:
    """UTF-8 text with BOM removed and line endings made LF."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotALegacyPage(f"not UTF-8 text (byte {exc.start} is invalid)") from exc
    if "\x00" in text:
        raise NotALegacyPage("binary file, not a page")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_page(data: bytes, name: str, zone: ZoneInfo) -> LegacyPage:
    """Parse one page file; raises NotALegacyPage naming what is missing.

    The steps, each its own function: the first three non-blank lines (`header_lines`), which
    of them is the dateline (`find_dateline`), the title above it (`read_title`), the breadcrumb
    above that (`read_breadcrumb`), then below the dateline the related list at the end
    (`split_related`), the sign-off before it (`split_signoff`) and the paragraphs of the body.
    """
    lines = decode(data, name).split("\n")
    warnings: list[str] = []
    header = header_lines(lines)
    dateline_at = find_dateline(header)
    published_at, weekday_warning = parse_dateline(header[dateline_at][1], zone)
    if weekday_warning:
        warnings.append(weekday_warning)
    title, kind = read_title(header[dateline_at - 1][1])
    sections = read_breadcrumb(header[0][1] if dateline_at == 2 else "", warnings)
    rest, related = split_related(lines[header[dateline_at][0] + 1 :], warnings)
    blocks, signoff = split_signoff([block.strip() for block in BLANK_LINES.split("\n".join(rest)) if block.strip()])
    return LegacyPage(
        name=name,
        sections=sections,
        title=title,
        kind=kind,
        published_at=published_at,
        body=body_html(blocks),
        signoff=signoff,
        language=detect_language(title + " " + " ".join(blocks)),
        related=related,
        warnings=warnings,
    )


def header_lines(lines: list[str]) -> list[tuple[int, str]]:
    """(line number, stripped text) of the first three non-blank lines: breadcrumb, title and
    dateline, or title and dateline when the breadcrumb is missing."""
    header: list[tuple[int, str]] = []
    for index, line in enumerate(lines):
        if line.strip():
            header.append((index, line.strip()))
            if len(header) == 3:
                break
    return header


def find_dateline(header: list[tuple[int, str]]) -> int:
    """Which of the header lines is the dateline (1 or 2: a title comes before it)."""
    if not header:
        raise NotALegacyPage("empty file")
    dateline_at = next((n for n, (_, line) in enumerate(header) if DATELINE.match(line)), None)
    if dateline_at is None:
        raise NotALegacyPage("no dateline (like “Thu Mar 24, 2016 14:18:09”) after the breadcrumb and title")
    if dateline_at == 0:
        raise NotALegacyPage("no title before the dateline")
    return dateline_at


def read_title(line: str) -> tuple[str, str]:
    """The title line as (title without label, kind); refuses an empty or overlong title."""
    title, kind = split_title(line)
    if not title:
        raise NotALegacyPage("the title is empty")
    if len(title) > MAX_TITLE:
        raise NotALegacyPage(f"the title is {len(title)} characters long, more than {MAX_TITLE}")
    return title, kind


def read_breadcrumb(line: str, warnings: list[str]) -> list[str]:
    """The section path the breadcrumb line names; “Archive” (with a warning) when there is none."""
    sections = [part.strip() for part in BREADCRUMB_SEPARATOR.split(line) if part.strip()]
    if not sections:
        warnings.append("no breadcrumb; filed under “Archive”")
        return ["Archive"]
    for part in sections:
        if len(part) > MAX_SECTION_NAME:
            raise NotALegacyPage(f"breadcrumb part “{part[:40]}…” is longer than {MAX_SECTION_NAME} characters")
    return sections


def split_related(lines: list[str], warnings: list[str]) -> tuple[list[str], list[RelatedItem]]:
    """The lines below the dateline without the related list, and its items: the list starts at
    the last line that opens a `string(N) "` dump and runs to the end of the page."""
    dump_at = next((n for n in range(len(lines) - 1, -1, -1) if DUMP_START.match(lines[n].strip())), None)
    if dump_at is None:
        return lines, []
    dump = parse_dump("\n".join(lines[dump_at:]).strip())
    warnings.extend(dump.warnings)
    return lines[:dump_at], dump.items


def split_signoff(blocks: list[str]) -> tuple[list[str], str]:
    """The body's paragraphs and the desk sign-off, when the last block is one (else "")."""
    if blocks and looks_like_signoff(blocks[-1]):
        return blocks[:-1], blocks[-1]
    return blocks, ""
