"""What the public-site tests of authors share: a public host, a story credited to authors, and
a small structural HTML check (the conventions the Nu checker holds pages to)."""

import json
import re
from datetime import timedelta
from html.parser import HTMLParser

from django.utils import timezone

from tests.factories import ArticleFactory, AuthorFactory, BylineFactory

HOST = "https://news.example.org"

# The ArticleFactory fields of each kind of story readers must not see.
HIDDEN_STORIES = {
    "draft": lambda now: {"status": "draft", "published_at": None},
    "review": lambda now: {"status": "review", "published_at": None},
    "archived": lambda now: {"status": "archived"},
    "scheduled": lambda now: {"published_at": now + timedelta(hours=24)},
    "embargoed": lambda now: {"embargo_until": now + timedelta(hours=24)},
    "expired": lambda now: {"expires_at": now - timedelta(hours=1)},
    "stub": lambda now: {"status": "draft", "published_at": None, "is_stub": True},
}


def hidden_story_fields(kind: str) -> dict:
    """ArticleFactory fields making a story of `kind` (a key of HIDDEN_STORIES)."""
    return HIDDEN_STORIES[kind](timezone.now())


def credit(article, *authors):
    """Put `authors` on `article`'s byline in this order; the article, for chaining."""
    for position, author in enumerate(authors):
        BylineFactory(article=article, author=author, position=position)
    return article


def story_by(*authors, **fields):
    """A live story (unless `fields` say otherwise) credited to `authors`."""
    return credit(ArticleFactory(**fields), *authors)


def public_author(**fields):
    """An author with one live story."""
    author = AuthorFactory(**fields)
    story_by(author)
    return author


def json_ld_blocks(html: str) -> list[dict]:
    return [json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Structure(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self.ids: set[str] = set()
        self.headings: list[int] = []
        self.open: list[str] = []
        self.html_lang = None
        self.labelled: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_lang = attrs.get("lang")
        self._note_id(attrs.get("id"))
        self._check_element(tag, attrs)
        if "aria-labelledby" in attrs:
            self.labelled.append(attrs["aria-labelledby"])
        if tag not in VOID:
            self.open.append(tag)

    def _note_id(self, value):
        if value is None:
            return
        if value in self.ids:
            self.problems.append(f"duplicate id {value!r}")
        self.ids.add(value)

    def _check_element(self, tag, attrs):
        if tag == "img" and "alt" not in attrs:
            self.problems.append(f"<img> without alt: {attrs.get('src')}")
        if tag == "a" and not attrs.get("href"):
            self.problems.append("<a> without href")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.open[-1] if self.open else 'nothing'}>")
            return
        self.open.pop()


def structure_problems(html: str) -> list[str]:
    """What the Nu HTML checker (and axe) would object to that a parser can see: duplicate ids,
    images without alt, misnested elements, aria-labelledby naming no element, more than one h1,
    heading levels skipped, no lang on <html>."""
    checker = _Structure()
    checker.feed(html)
    problems = list(checker.problems)
    if checker.open:
        problems.append(f"unclosed: {checker.open}")
    if not checker.html_lang:
        problems.append("<html> has no lang")
    problems += [f"aria-labelledby names no element: {ref}" for ref in checker.labelled if ref not in checker.ids]
    if checker.headings.count(1) != 1:
        problems.append(f"{checker.headings.count(1)} h1 elements")
    for before, after in zip(checker.headings, checker.headings[1:], strict=False):
        if after > before + 1:
            problems.append(f"heading level skipped: h{before} then h{after}")
    return problems
