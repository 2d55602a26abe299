"""Feeds carrying hostile text: no field a feed reader shows as HTML can run a script.

Every payload of an XSS corpus is put into one article field at a time (title, summary, body,
section name, tag name, sign-off, source), the RSS, Atom and section feeds are fetched, and the
raw XML is read with ElementTree (not feedparser, which sanitizes on its own and would hide a
fault). Each field a reader treats as HTML is taken as a reader takes it: its XML text, decoded
once by the XML parser, is HTML source. That source is parsed with an HTML parser and must hold
no script element (nor iframe, object, embed), no `on*` attribute and no `javascript:` URL.
RSS does not say which of its elements hold HTML and readers differ, so every RSS element is
read as HTML; Atom says so with `type`, and its text constructs are read as HTML unless typed
"text". A (field × feed element) pair is executable when any payload in that field makes that
element executable; the count is printed and must be 0.
"""

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from articles.models import Article, Section, Tag
from tests.factories import ArticleFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)><circle r=1></circle></svg>",
    '<a href="javascript:alert(1)">read more</a>',
    "<a href='&#106;avascript:alert(1)'>read more</a>",
    '<iframe src="javascript:alert(1)"></iframe>',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&lt;img src=x onerror=alert(1)&gt;",
    '"><script>alert(1)</script>',
    "]]><script>alert(1)</script><![CDATA[",
    "<body onload=alert(1)>",
    "<p style=x onmouseover=alert(1)>hover</p>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "</title><script>alert(1)</script>",
]
FIELDS = ["title", "summary", "body", "body stored raw", "section name", "tag name", "signoff", "source"]

ATOM = "{http://www.w3.org/2005/Atom}"
ACTIVE_ELEMENTS = {"script", "iframe", "object", "embed", "frame", "frameset", "applet", "base"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "background", "poster", "srcset"}
SCRIPT_URL = re.compile(r"^\s*(javascript|vbscript|data\s*:\s*text/html)\s*:?", re.I)


class ExecutableFinder(HTMLParser):
    """Collects what would run if the parsed source were put into a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ACTIVE_ELEMENTS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{name}= on <{tag}>")
            elif name in URL_ATTRIBUTES and value and SCRIPT_URL.match(re.sub(r"[\x00-\x20]", "", value)):
                self.found.append(f"{name}={value!r} on <{tag}>")

    handle_startendtag = handle_starttag


def executable_parts(html_source: str) -> list[str]:
    finder = ExecutableFinder()
    finder.feed(html_source)
    finder.close()
    return finder.found


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def html_fields(xml: bytes, where: str):
    """(element name, HTML source) for every field of the feed a reader may show as HTML, plus
    its URL attributes, which a reader turns into links."""
    root = ET.fromstring(xml)  # a feed that is not well-formed XML fails here
    is_atom = root.tag == f"{ATOM}feed"
    for parent in root.iter():
        for element in parent:
            name = local(element.tag)
            path = f"{where} {local(parent.tag)}/{name}"
            for attribute in ("href", "url", "src"):
                value = element.get(attribute)
                if value and SCRIPT_URL.match(value):
                    yield f"{path}@{attribute}", f'<a href="{value}">'
            if element.text is None or not element.text.strip():
                continue
            if is_atom:
                kind = element.get("type", "text")
                if kind == "text":
                    continue
                if kind == "xhtml":
                    yield path, ET.tostring(element, encoding="unicode")
                    continue
            yield path, element.text


def hostile_article(field: str, payload: str, number: int, parent):
    """A live article holding `payload` in `field` only, in its own subsection of `parent`."""
    section = SectionFactory(
        name=payload if field == "section name" else f"Quay {number}", slug=f"quay-{number}", parent=parent
    )
    tag = TagFactory(name=payload if field == "tag name" else f"Cargo {number}", slug=f"cargo-{number}")
    values = {
        "title": f"Harbour notice {number}",
        "summary": "Cranes are back at work.",
        "body": "<p>Cranes are back at work.</p>",
        "signoff": "T/QA 4",
        "source": "Newsroom",
    }
    if field in values:  # cut to the column's length, which PostgreSQL enforces (the sign-off's 32)
        values[field] = payload[: Article._meta.get_field(field).max_length or None]
    article = ArticleFactory(section=section, tags=[tag], **values)
    if field == "body stored raw":  # written past save(), as a raw import or an old row would be
        Article.objects.filter(pk=article.pk).update(body=payload)
    return section


def test_no_feed_field_read_as_html_can_run_a_script(client):
    executable: dict[tuple[str, str], list[str]] = {}
    checked = set()
    for field in FIELDS:
        top = SectionFactory(name="Hostile waters", slug="hostile-waters")
        sections = [hostile_article(field, payload, number, top) for number, payload in enumerate(PAYLOADS)]
        urls = ["/feeds/rss/", "/feeds/atom/", "/feeds/section/hostile-waters/rss/"]
        urls += [f"/feeds/section/{section.path}/rss/" for section in sections]
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, f"{url} with a hostile {field} answered {response.status_code}"
            surface = "section feed" if "/section/" in url else url.strip("/").split("/")[-1]
            for element, source in html_fields(response.content, surface):
                checked.add((field, element))
                found = executable_parts(source)
                if found:
                    executable.setdefault((field, element), []).extend(found)
        # The next field starts from an empty site.
        Article.objects.all().delete()
        Section.objects.filter(parent=top).delete()
        top.delete()
        Tag.objects.all().delete()

    print(f"\nfeed XSS: {len(executable)} executable field × feed element pairs of {len(checked)} checked")
    for (field, element), found in sorted(executable.items()):
        print(f"  {field} → {element}: {', '.join(sorted(set(found))[:4])}")
    assert not executable, f"{len(executable)} executable field × feed element pairs"
    assert len(checked) > 40  # the walk did reach the items' fields, not only the channel's
