"""Full-text search over articles, on PostgreSQL and on SQLite, with the same behaviour.

PostgreSQL ranks a weighted search vector (title A, summary B, body C) against a
`websearch_to_tsquery`, served by a GIN index on that very expression (migration 0003).
SQLite matches an FTS5 external-content table kept in step by triggers (same migration) and
ranks with bm25 using the same weights. On both, user input is parsed here into plain words,
quoted phrases and `-excluded` words, so nothing the reader types can raise a syntax error.

Callers pass the queryset they may show, always `Article.objects.live()`-based.

Result snippets are made here in Python from the stored body, the same way on both databases
(neither FTS5's snippet() nor ts_headline()): block tags (paragraphs, headings, list items, line
breaks) keep their texts apart, and the searched words are highlighted.
"""

import html
import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import NotSupportedError, connections
from django.db.models import QuerySet
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

SEARCH_CONFIG = "english"
FTS_TABLE = "articles_article_fts"
# Title counts most, then the summary, then the body (PostgreSQL weights A, B, C).
FTS_WEIGHTS = (10.0, 4.0, 1.0)
MAX_TERMS = 16
MAX_QUERY_LENGTH = 200

_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')


@dataclass
class ParsedQuery:
    """What the reader asked for: words and phrases all required, excluded words refused."""

    required: list[str] = field(default_factory=list)  # each entry is one word or a phrase of words
    excluded: list[str] = field(default_factory=list)

    @property
    def words(self) -> list[str]:
        """Every required word, for highlighting."""
        return [w for phrase in self.required for w in phrase.split()]

    def __bool__(self):
        return bool(self.required)


def _term(match: re.Match) -> tuple[str, bool] | None:
    """One token of the query as (phrase, negated), or None when it holds no word."""
    negated = bool(match.group(1) or match.group(3))
    text = match.group(2) if match.group(2) is not None else match.group(4)
    words = _WORD.findall(text.lower())
    if not words:
        return None
    phrase = " ".join(words)
    if phrase == "or" and not negated:
        return None  # "or" means nothing alone; treated as a stop word
    return phrase, negated


def parse_query(q: str) -> ParsedQuery:
    """Split `q` into required words/phrases and `-excluded` words; punctuation is dropped."""
    parsed = ParsedQuery()
    for match in _TOKEN.finditer((q or "")[:MAX_QUERY_LENGTH]):
        term = _term(match)
        if term is None:
            continue
        phrase, negated = term
        target = parsed.excluded if negated else parsed.required
        if phrase not in target:
            target.append(phrase)
        if len(parsed.required) + len(parsed.excluded) >= MAX_TERMS:
            break
    return parsed


def search_vector() -> SearchVector:
    """The weighted vector; the GIN index in migration 0003 is built from this same expression."""
    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
        + SearchVector("body", weight="C", config=SEARCH_CONFIG)
    )


def _postgres_query(parsed: ParsedQuery) -> str:
    """The websearch text for PostgreSQL, rebuilt from parsed terms (phrases quoted)."""
    parts = [f'"{p}"' if " " in p else p for p in parsed.required]
    parts += [f'-"{p}"' if " " in p else f"-{p}" for p in parsed.excluded]
    return " ".join(parts)


def fts_match_expression(parsed: ParsedQuery) -> str:
    """An FTS5 MATCH string in which every term is a quoted string, so it always parses."""

    def quoted(phrase: str) -> str:
        return '"' + phrase.replace('"', '""') + '"'

    expression = "(" + " AND ".join(quoted(p) for p in parsed.required) + ")"
    for phrase in parsed.excluded:
        expression += f" NOT {quoted(phrase)}"
    return expression


def _matches(queryset: QuerySet, parsed: ParsedQuery) -> QuerySet:
    """`queryset` narrowed to the articles matching `parsed` (not empty), in no order, nothing
    computed for the rows: what search_articles() ranks and count_matches() counts."""
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        query = SearchQuery(_postgres_query(parsed), search_type="websearch", config=SEARCH_CONFIG)
        # alias(), not annotate(): the vector is matched (by the GIN index on this expression),
        # never read back.
        return queryset.alias(search=search_vector()).filter(search=query)
    if vendor == "sqlite":
        table = queryset.model._meta.db_table
        # Joined to the FTS table so that SQLite walks the matches once (and ranks them as it goes).
        # The unary "+" keeps the planner from looking the FTS table up once per article row
        # (a full-text query per row: seconds on a large archive); the matches drive the join.
        return queryset.extra(
            tables=[FTS_TABLE],
            where=[f'+{FTS_TABLE}.rowid = "{table}"."id"', f"{FTS_TABLE} MATCH %s"],
            params=[fts_match_expression(parsed)],
        )
    raise NotSupportedError(f"Article search supports PostgreSQL and SQLite, not {vendor}.")


def search_articles(queryset: QuerySet, q: str) -> QuerySet:
    """`queryset` narrowed to articles matching `q`, annotated with `rank`, best match first.

    Ties (and equal ranks) go newest first. An empty or all-punctuation query matches nothing.
    """
    parsed = parse_query(q)
    if not parsed:
        return queryset.none()
    found = _matches(queryset, parsed)
    if connections[queryset.db].vendor == "postgresql":
        query = SearchQuery(_postgres_query(parsed), search_type="websearch", config=SEARCH_CONFIG)
        ranked = found.annotate(rank=SearchRank(search_vector(), query))
    else:
        weights = ", ".join(str(w) for w in FTS_WEIGHTS)
        # bm25() is smaller for better matches; negated so that, as on PostgreSQL, higher is better.
        ranked = found.extra(select={"rank": f"-bm25({FTS_TABLE}, {weights})"})
    return ranked.order_by("-rank", "-published_at", "-id")


def count_matches(queryset: QuerySet, q: str) -> int:
    """How many articles of `queryset` match `q`: one COUNT over the full-text match, which
    reads no article columns and ranks nothing."""
    parsed = parse_query(q)
    if not parsed:
        return 0
    return _matches(queryset, parsed).order_by().count()


def _term_pattern(words: list[str]) -> re.Pattern | None:
    """A pattern matching any word that starts with a searched word (or its singular)."""
    stems = set()
    for word in words:
        stems.add(word)
        if len(word) > 3 and word.endswith("s"):
            stems.add(word[:-1])
    if not stems:
        return None
    alternatives = "|".join(re.escape(s) for s in sorted(stems, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\w*", re.IGNORECASE)


def highlight(text: str, q: str) -> SafeString:
    """`text` (plain text) escaped, with every searched word wrapped in `<mark>`."""
    pattern = _term_pattern(parse_query(q).words)
    text = text or ""
    if pattern is None:
        return escape(text)
    pieces, last = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[last : match.start()]))
        pieces.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))


# Tags of elements that stand on lines of their own (paragraphs, line breaks, headings, list
# items, quotes, table cells…): removing such a tag must leave a break between the texts on its
# two sides, or "said.</p><p>Officials" reads "said.Officials". Inline tags (<em>, <a>…) are
# removed without one: "<b>un</b>likely" is one word.
_BLOCK_TAG = re.compile(
    r"</?(?:p|br|hr|h[1-6]|ul|ol|li|dl|dt|dd|blockquote|pre|figure|figcaption|img|table|caption"
    r"|thead|tbody|tfoot|tr|th|td|div|section|article|aside|header|footer|nav|address|details|summary)"
    r"(?=[\s/>])[^>]*>",
    re.IGNORECASE,
)
_BREAK = "\x1e"  # stands for a removed block tag until the text is joined up again
# What may end a block so that a plain space is enough before the next one: the end of a
# sentence or clause, possibly inside closing quotes or brackets.
_CLAUSE_END = re.compile(r"[.!?…:;,؟،؛۔][\"'”’»)\]]*$")
BLOCK_SEPARATOR = " · "  # between blocks that do not end a sentence (a heading, a list item)


def plain_text(body_html: str) -> str:
    """Readable text of an HTML body: tags removed, entities decoded, spaces collapsed, and
    the blocks (paragraphs, headings, list items…) kept apart: by a space after the end of a
    sentence, else by a middle dot, so that "Background" and "The army…" do not run together."""
    marked = _BLOCK_TAG.sub(_BREAK, (body_html or "").replace(_BREAK, " "))
    pieces = []
    for block in html.unescape(strip_tags(marked)).split(_BREAK):
        block = " ".join(block.split())
        if block:
            if pieces:
                pieces.append(" " if _CLAUSE_END.search(pieces[-1][-8:]) else BLOCK_SEPARATOR)
            pieces.append(block)
    return "".join(pieces)


def best_excerpt(summary: str, body_html: str, q: str) -> SafeString:
    """The summary when a searched word is in it, else the part of the body around the first hit."""
    pattern = _term_pattern(parse_query(q).words)
    if summary and (pattern is None or pattern.search(summary) or not pattern.search(plain_text(body_html))):
        return highlight(summary, q)
    return snippet(body_html, q)


def snippet(body_html: str, q: str, length: int = 220) -> SafeString:
    """About `length` characters of the body around the first searched word, highlighted."""
    text = plain_text(body_html)
    pattern = _term_pattern(parse_query(q).words)
    start = 0
    if pattern is not None and (match := pattern.search(text)):
        start = max(0, match.start() - length // 3)
        if start:
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < match.start() else start
    excerpt = text[start : start + length]
    if start + length < len(text):
        cut = excerpt.rfind(" ")
        excerpt = (excerpt[:cut] if cut > length // 2 else excerpt).rstrip(" ·") + " …"
    if start:
        excerpt = "… " + excerpt.lstrip(" ·")
    return highlight(excerpt, q)
