"""The body HTML allowlist, applied with nh3 on every save.

Inline media. An item of the media library placed in a body is stored as
`<figure data-media-id="ID">`, holding nothing but an optional `<figcaption>` (the caption
readers see instead of the library's); the public pages and the API draw everything else
(picture, player, credit) from the library, so no `src` is stored. The admin's rich-text editor
(articles.desk.rich_text) writes exactly this form.

The older form, `<img data-media-id="ID" src=... alt=...>` (the importer's and the demo's), is
kept as it is: converting it here would change stored bodies on a save that changes nothing, and
a client writing back what it read would see its body change. The editor reads it as an inline
item and writes the figure form once an editor changes the body.

`data-media-id` holds digits only, on any element; another value is dropped here and refused
with a message by articles.validators.
"""

import re
from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "q",
    "cite",
    "h2",
    "h3",
    "h4",
    "figure",
    "figcaption",
    "img",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "abbr",
    "span",
    "code",
    "pre",
}
ALLOWED_ATTRIBUTES = {
    "*": {"lang", "dir", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "data-media-id"},
    "figure": {"data-media-id"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "abbr": {"title"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


MEDIA_ID_ATTRIBUTE = "data-media-id"
# A media library id: digits, at most 18 of them (a bigint; longer ids are no item's).
MEDIA_ID_RE = re.compile(r"[0-9]{1,18}")
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    """nh3's per-attribute check: a media id that is not one is dropped."""
    if attribute == MEDIA_ID_ATTRIBUTE and not MEDIA_ID_RE.fullmatch(value):
        return None
    return value


def is_media_figure(tag: str, attrs) -> bool:
    """Whether a start tag (name, [(attribute, value)]) opens an inline media item."""
    return tag == "figure" and any(name == MEDIA_ID_ATTRIBUTE for name, _ in attrs)


class _MediaFigureFilter(HTMLParser):
    """Rewrites nh3's output so that each `<figure data-media-id>` holds at most its first
    `<figcaption>`: other elements and text directly inside it are dropped with their content.

    nh3 serializes well-formed HTML (every non-void element closed, attributes quoted), so a
    stack of open elements is exact here. Entities are copied as written (no decoding)."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        # One entry per open element: [tag, kept, is a media figure, its caption already kept]
        self.stack: list[list] = []

    def _emitting(self) -> bool:
        return all(entry[1] for entry in self.stack)

    def _inside_figure(self) -> bool:
        return bool(self.stack) and self.stack[-1][2]

    def _kept_child(self, tag: str) -> bool:
        if not self._inside_figure():
            return True
        figure = self.stack[-1]
        if tag == "figcaption" and not figure[3]:
            figure[3] = True
            return True
        return False

    def handle_starttag(self, tag, attrs):
        kept = self._kept_child(tag)
        if kept and self._emitting():
            self.out.append(self.get_starttag_text())
        if tag not in VOID_TAGS:
            self.stack.append([tag, kept, is_media_figure(tag, attrs), False])

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag in VOID_TAGS:
            return
        emitting = self._emitting()
        if self.stack and self.stack[-1][0] == tag:
            self.stack.pop()
        if emitting:
            self.out.append(f"</{tag}>")

    def _text(self, text: str) -> None:
        if self._emitting() and not self._inside_figure():
            self.out.append(text)

    def handle_data(self, data):
        self._text(data)

    def handle_entityref(self, name):
        self._text(f"&{name};")

    def handle_charref(self, name):
        self._text(f"&#{name};")


def _only_captions_in_media_figures(value: str) -> str:
    if "<figure " not in value:
        return value
    rewriter = _MediaFigureFilter()
    rewriter.feed(value)
    rewriter.close()
    return "".join(rewriter.out)


def _clean_once(value: str) -> str:
    cleaned = nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        attribute_filter=_attribute_filter,
    )
    return _only_captions_in_media_figures(cleaned)


def clean_html(value: str) -> str:
    """Return `value` with everything outside the allowlist removed.

    Idempotent: cleaning the result again gives the same string, so saving a body read back
    from the site changes nothing. One pass is not always enough: markup HTML parsing would
    rearrange (a heading inside a heading) comes out of the first pass unchanged in shape and
    only settles when parsed again.
    """
    cleaned = _clean_once(value or "")
    for _ in range(3):
        again = _clean_once(cleaned)
        if again == cleaned:
            break
        cleaned = again
    return cleaned
