"""Full-text search over articles, on PostgreSQL and on SQLite, with the same behaviour.

Matching. PostgreSQL matches stored `tsvector` columns that the database keeps up to date
(migration 0008: a trigger fills `search_vector`, title weight A, summary B, body C, and
`title_vector`, each with a GIN index), each computed with the text search configuration of the
article's own `language` (en → english, fr → french… 'simple' without a stemmer). The reader's
words are parsed with that same configuration for each row: one branch per configuration the
site's languages (settings.LANGUAGES) use, each able to use the index. A story in a language the
site does not list is matched by the words parsed word for word ('simple'): found by its exact
words, not by other forms of them. SQLite matches an FTS5 external-content table kept in step by
triggers (migration 0003). On both, user input is parsed here into plain words, quoted phrases
and `-excluded` words, so nothing the reader types can raise a syntax error.

Ranking is bounded. Ranking every match of a common word (one in three stories holds "water")
costs seconds at a million stories, so only a bounded candidate set is ranked: the CANDIDATES
newest matches plus the TITLE_CANDIDATES newest stories with the words in their title, ranked
by ts_rank (PostgreSQL, stored vector: nothing recomputed) or bm25 (SQLite), ties newest first.
The trade-off: an old story that holds a common word only in its summary or body, outside the
newest CANDIDATES matches, is not among the results (an old title match still is, up to
TITLE_CANDIDATES of them); for rarer words, with fewer matches than that, every match is ranked
and nothing is lost. The results stop after the candidates (a few hundred at most).
On SQLite "newest" means the highest ids (the order stories were created or imported: FTS5
walks its matches in id order for free but looks single ids up slowly), the title candidates
are only taken from the MAX_RANKED newest matches, and unpublished stories among the newest
ids take places in the bound (they are never shown).

Counting is bounded too: count_matches() stops at COUNT_LIMIT + 1, and the page then says
"more than 200 results" rather than a number it did not count. Up to that bound every
counted match is among the candidates, so the pages reach all of them.

The API lists matches newest first through its own cursor pages: it narrows with
filter_matches() (no ranking, no bound), which the newest-first walk keeps cheap.

Callers pass the queryset they may show, always `Article.objects.live()`-based.

Result snippets are made here in Python from the stored body, the same way on both databases
(neither FTS5's snippet() nor ts_headline()): block tags (paragraphs, headings, list items, line
breaks) keep their texts apart, and the searched words are highlighted.
"""

import html
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import NotSupportedError, connections
from django.db.models import BooleanField, F, FloatField, QuerySet
from django.db.models.expressions import Expression, RawSQL
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

FTS_TABLE = "articles_article_fts"
# Title counts most, then the summary, then the body (PostgreSQL weights A, B, C).
FTS_WEIGHTS = (10.0, 4.0, 1.0)
MAX_TERMS = 16
MAX_QUERY_LENGTH = 200
# The bounded ranking (see the module docstring) and the bounded count.
CANDIDATES = 200
TITLE_CANDIDATES = 50
COUNT_LIMIT = CANDIDATES  # up to it, every match counted is among the ranked candidates
# SQLite ranks an id range of matches (see _sqlite_candidates): never more than this many.
MAX_RANKED = 600

# Language code (its part before any "-") → PostgreSQL text search configuration; the same table
# as the database function article_search_config() of migration 0008 (a test compares them).
LANGUAGE_CONFIGS = {
    "ar": "arabic",
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "nn": "norwegian",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}
FALLBACK_CONFIG = "simple"

_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')


def search_config(language: str) -> str:
    """The PostgreSQL text search configuration for an article written in `language`."""
    return LANGUAGE_CONFIGS.get((language or "").lower().split("-")[0], FALLBACK_CONFIG)


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


def fts_match_expression(parsed: ParsedQuery, *, title_only: bool = False) -> str:
    """An FTS5 MATCH string in which every term is a quoted string, so it always parses.

    With `title_only`, the required words must be in the title; excluded words are refused
    wherever they are."""

    def quoted(phrase: str) -> str:
        return '"' + phrase.replace('"', '""') + '"'

    expression = "(" + " AND ".join(quoted(p) for p in parsed.required) + ")"
    if title_only:
        expression = "{title} : " + expression
    for phrase in parsed.excluded:
        expression += f" NOT {quoted(phrase)}"
    return expression


def _tsquery_text(phrases: list[str]) -> str:
    """to_tsquery() input requiring every phrase: each quoted (the words hold only letters,
    digits and "_", never a quote), so PostgreSQL parses each with the configuration's
    dictionaries and a quoted phrase of several words becomes a phrase search."""
    return " & ".join(f"'{phrase}'" for phrase in phrases)


def _site_configs() -> dict[str, list[str]]:
    """Configuration → the language codes of settings.LANGUAGES that use it, but for the
    fallback ('simple'), which serves every other language anyway."""
    configs: dict[str, list[str]] = {}
    for code, _ in settings.LANGUAGES:
        if search_config(code) != FALLBACK_CONFIG:
            configs.setdefault(search_config(code), []).append(code)
    return configs


def _pg_branch(column: str, tsquery_sql: str, parsed: ParsedQuery) -> tuple[str, list]:
    """`column` matches the required words and holds none of the excluded ones (`tsquery_sql`
    turns the text of a query into a tsquery)."""
    sql = f"{column} @@ {tsquery_sql}"
    params = [_tsquery_text(parsed.required)]
    if parsed.excluded:
        # Excluded words apart: with only stop words required, the required query is empty and
        # matches nothing, where "the -x" as one query would match every story without x.
        excluded = " | ".join(f"'{phrase}'" for phrase in parsed.excluded)
        sql += f" AND NOT {column} @@ {tsquery_sql}"
        params.append(excluded)
    return sql, params


def _pg_condition(language: str, column: str, parsed: ParsedQuery) -> tuple[str, list]:
    """SQL matching `parsed` against `column` (SQL), parsed with each row's own configuration
    (its `language`, SQL): one branch per stemming configuration the site's languages use,
    each able to use the GIN index, and one for stories in any other language (or one the
    site lists without a stemmer), parsed word for word."""
    branches, params, site_codes = [], [], []
    for config, codes in sorted(_site_configs().items()):
        sql, branch_params = _pg_branch(column, f"to_tsquery('{config}'::regconfig, %s)", parsed)
        branches.append(f"({language} IN ({', '.join(['%s'] * len(codes))}) AND {sql})")
        params += [*codes, *branch_params]
        site_codes += codes
    sql, branch_params = _pg_branch(column, f"to_tsquery('{FALLBACK_CONFIG}'::regconfig, %s)", parsed)
    if site_codes:
        branches.append(f"({language} NOT IN ({', '.join(['%s'] * len(site_codes))}) AND {sql})")
        params += [*site_codes, *branch_params]
    else:
        branches.append(f"({sql})")
        params += branch_params
    return "(" + " OR ".join(branches) + ")", params


class _StoredVectorMatch(Expression):
    """PostgreSQL: the row's stored vector `column` (search_vector or title_vector, columns the
    model does not declare) matches the parsed query. An expression rather than raw SQL so
    that Django names the table right, also inside subqueries (where it is aliased)."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, column: str, parsed: ParsedQuery):
        super().__init__()
        self.column, self.parsed, self.language = column, parsed, F("language")

    def get_source_expressions(self):
        return [self.language]

    def set_source_expressions(self, exprs):
        [self.language] = exprs

    def as_sql(self, compiler, connection):
        language, _ = compiler.compile(self.language)  # "<table or alias>"."language"
        column = f"{language.rsplit('.', 1)[0]}.{connection.ops.quote_name(self.column)}"
        return _pg_condition(language, column, self.parsed)


def _fts_ids(expression: str) -> RawSQL:
    """The ids (FTS rowids) of the articles matching an FTS5 `expression`."""
    return RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [expression])


def _matches(queryset: QuerySet, parsed: ParsedQuery, *, title_only: bool = False) -> QuerySet:
    """`queryset` narrowed to the articles matching `parsed` (not empty), in no order, nothing
    computed for the rows: what count_matches() counts and the API lists."""
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        return queryset.filter(_StoredVectorMatch("title_vector" if title_only else "search_vector", parsed))
    if vendor == "sqlite":
        table = queryset.model._meta.db_table
        # Joined to the FTS table so that SQLite walks the matches once. The unary "+" keeps the
        # planner from looking the FTS table up once per article row (a full-text query per
        # row: seconds on a large archive); the matches drive the join.
        return queryset.extra(
            tables=[FTS_TABLE],
            where=[f'+{FTS_TABLE}.rowid = "{table}"."id"', f"{FTS_TABLE} MATCH %s"],
            params=[fts_match_expression(parsed, title_only=title_only)],
        )
    raise NotSupportedError(f"Article search supports PostgreSQL and SQLite, not {vendor}.")


def filter_matches(queryset: QuerySet, q: str) -> QuerySet:
    """`queryset` narrowed to every article matching `q`, unranked and unbounded (the API's
    newest-first lists). An empty or all-punctuation query matches nothing."""
    parsed = parse_query(q)
    return _matches(queryset, parsed) if parsed else queryset.none()


def _postgres_rank(table: str, parsed: ParsedQuery) -> RawSQL:
    """ts_rank of the stored vector against the words parsed in the row's own configuration
    (a CASE over the site's configurations, each query parsed once, not once per row)."""
    text = _tsquery_text(parsed.required)
    whens, params = [], []
    for config, codes in sorted(_site_configs().items()):
        marks = ", ".join(["%s"] * len(codes))
        whens.append(f'WHEN "{table}"."language" IN ({marks}) THEN to_tsquery(\'{config}\'::regconfig, %s)')
        params += [*codes, text]
    fallback = f"to_tsquery('{FALLBACK_CONFIG}'::regconfig, %s)"
    query = f"CASE {' '.join(whens)} ELSE {fallback} END" if whens else fallback
    return RawSQL(f'ts_rank("{table}"."search_vector", {query})', [*params, text], output_field=FloatField())


def _postgres_candidates(queryset: QuerySet, parsed: ParsedQuery, match_count: int | None) -> QuerySet:
    """PostgreSQL: the matches to rank, with `rank` (ts_rank over the stored vector, against
    the words parsed in each row's own configuration).

    `match_count` (count_matches(), which stops after COUNT_LIMIT + 1) says whether there are
    more than CANDIDATES matches; without it, it is asked first. If not, every match is a
    candidate, read through the GIN index. If so, the CANDIDATES newest matches and the
    TITLE_CANDIDATES newest title matches: for such a common word the planner walks the
    dateline index and stops early. Asking first, rather than leaving the choice to the
    planner's guess, keeps a rare word that the statistics call common from walking the whole
    table."""
    rank = _postgres_rank(queryset.model._meta.db_table, parsed)
    found = _matches(queryset, parsed)
    if match_count is None or (match_count > COUNT_LIMIT and COUNT_LIMIT < CANDIDATES):
        match_count = found.order_by().values("pk")[: CANDIDATES + 1].count()
    if match_count <= CANDIDATES:
        return found.annotate(rank=rank)

    def newest(size: int, title_only: bool) -> QuerySet:
        return _matches(queryset, parsed, title_only=title_only).order_by("-published_at", "-id").values("pk")[:size]

    candidates = newest(CANDIDATES, False).union(newest(TITLE_CANDIDATES, True))
    return queryset.filter(pk__in=candidates).annotate(rank=rank)


# SQLite: the rowid of the n-th newest match of an FTS5 expression (0 when there are fewer),
# read from the FTS index alone, which walks its matches newest id first without sorting.
_NTH_NEWEST = (
    f"coalesce((SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s ORDER BY rowid DESC LIMIT 1 OFFSET %s), 0)"
)


def _sqlite_candidates(queryset: QuerySet, parsed: ParsedQuery) -> QuerySet:
    """SQLite: the matches from the newest ids down to a bound, ranked by bm25.

    FTS5 finds matches by id range for free but cannot look many single ids up quickly, so the
    candidates are an id range: down to the CANDIDATES-th newest match, or further down to the
    TITLE_CANDIDATES-th newest title match, but never past the MAX_RANKED-th newest match. "Newest"
    is the id here (the order stories were created or imported), not the dateline."""
    table = queryset.model._meta.db_table
    full, title = fts_match_expression(parsed), fts_match_expression(parsed, title_only=True)
    lowest = f"max(min({_NTH_NEWEST}, {_NTH_NEWEST}), {_NTH_NEWEST})"
    weights = ", ".join(str(w) for w in FTS_WEIGHTS)
    return queryset.extra(
        tables=[FTS_TABLE],
        where=[
            f'+{FTS_TABLE}.rowid = "{table}"."id"',
            f"{FTS_TABLE} MATCH %s",
            f"{FTS_TABLE}.rowid >= {lowest}",
        ],
        params=[full, full, CANDIDATES - 1, title, TITLE_CANDIDATES - 1, full, MAX_RANKED - 1],
        # bm25() is smaller for better matches; negated so that, as on PostgreSQL, higher is better.
        select={"rank": f"-bm25({FTS_TABLE}, {weights})"},
    )


def search_articles(queryset: QuerySet, q: str, *, match_count: int | None = None) -> QuerySet:
    """`queryset` narrowed to the best candidates matching `q` (see the module docstring),
    annotated with `rank`, best match first; equal ranks go newest first.

    `match_count`: what count_matches() said for the same queryset and query, when the caller
    has it (PostgreSQL would otherwise ask it again). An empty or all-punctuation query matches
    nothing."""
    parsed = parse_query(q)
    if not parsed:
        return queryset.none()
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        ranked = _postgres_candidates(queryset, parsed, match_count)
    elif vendor == "sqlite":
        ranked = _sqlite_candidates(queryset, parsed)
    else:
        raise NotSupportedError(f"Article search supports PostgreSQL and SQLite, not {vendor}.")
    return ranked.order_by("-rank", "-published_at", "-id")


def count_matches(queryset: QuerySet, q: str, limit: int | None = None) -> int:
    """How many articles of `queryset` match `q`, counting no further than `limit` + 1 (more
    than `limit`; COUNT_LIMIT by default): one COUNT over the full-text match, which reads no
    article columns and ranks nothing."""
    limit = COUNT_LIMIT if limit is None else limit
    parsed = parse_query(q)
    if not parsed:
        return 0
    return _matches(queryset, parsed).order_by().values("pk")[: limit + 1].count()


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
