"""PostgreSQL: stored search vectors, kept up to date by the database, each in its article's language.

Two `tsvector` columns that are not model fields (Django never reads or writes them, so no page
or API answer can show them): `search_vector` (title weight A, summary B, body C) and
`title_vector` (the title alone, for the "title matches first" candidates of articles/search.py).
A trigger fills them on insert and on any change of title, summary, body or language, with the
text search configuration that `article_search_config(language)` names (en → english, fr →
french…, 'simple' for languages PostgreSQL has no stemmer for). Each has a GIN index; the old
expression index of migration 0003 (English only, recomputed by every ranking) is dropped, and
its name reused for the new index on `search_vector`.

SQLite keeps its FTS5 table from migration 0003: nothing to do there.
"""

from django.db import migrations

# Language code (its part before any "-") → PostgreSQL text search configuration. The same
# table is in articles/search.py (LANGUAGE_CONFIGS), which a test compares with this function.
CONFIGS = {
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

_CASES = "\n".join(f"        WHEN '{code}' THEN 'pg_catalog.{name}'" for code, name in sorted(CONFIGS.items()))

FORWARD = [
    f"""CREATE OR REPLACE FUNCTION article_search_config(language text) RETURNS regconfig
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (CASE split_part(lower(coalesce(language, '')), '-', 1)
{_CASES}
        ELSE 'pg_catalog.simple' END)::regconfig
    $$""",
    """CREATE OR REPLACE FUNCTION articles_article_search_vectors() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
        config regconfig := article_search_config(NEW.language);
    BEGIN
        NEW.title_vector := to_tsvector(config, coalesce(NEW.title, ''));
        NEW.search_vector := setweight(NEW.title_vector, 'A')
            || setweight(to_tsvector(config, coalesce(NEW.summary, '')), 'B')
            || setweight(to_tsvector(config, coalesce(NEW.body, '')), 'C');
        RETURN NEW;
    END
    $$""",
    "ALTER TABLE articles_article ADD COLUMN search_vector tsvector, ADD COLUMN title_vector tsvector",
    # Existing rows: the same computation as the trigger's, in one pass.
    """UPDATE articles_article SET
        title_vector = to_tsvector(article_search_config(language), coalesce(title, '')),
        search_vector = setweight(to_tsvector(article_search_config(language), coalesce(title, '')), 'A')
            || setweight(to_tsvector(article_search_config(language), coalesce(summary, '')), 'B')
            || setweight(to_tsvector(article_search_config(language), coalesce(body, '')), 'C')""",
    """CREATE TRIGGER articles_article_search_insert BEFORE INSERT ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_search_vectors()""",
    # Only when a searched column really changes: publishing or pinning recomputes nothing.
    """CREATE TRIGGER articles_article_search_update
    BEFORE UPDATE OF title, summary, body, language ON articles_article
    FOR EACH ROW WHEN (
        OLD.title IS DISTINCT FROM NEW.title OR OLD.summary IS DISTINCT FROM NEW.summary
        OR OLD.body IS DISTINCT FROM NEW.body OR OLD.language IS DISTINCT FROM NEW.language
    ) EXECUTE FUNCTION articles_article_search_vectors()""",
    "DROP INDEX IF EXISTS article_search_gin",
    "CREATE INDEX article_search_gin ON articles_article USING gin (search_vector)",
    "CREATE INDEX article_title_search_gin ON articles_article USING gin (title_vector)",
    # Ten times the default sample: the planner then knows the 10,000 commonest words, and
    # guesses a rare word rare (ranking reads it from the GIN index instead of walking by date).
    "ALTER TABLE articles_article ALTER COLUMN search_vector SET STATISTICS 1000, "
    "ALTER COLUMN title_vector SET STATISTICS 1000",
]

BACKWARD = [
    "DROP INDEX IF EXISTS article_title_search_gin",
    "DROP INDEX IF EXISTS article_search_gin",
    "DROP TRIGGER IF EXISTS articles_article_search_update ON articles_article",
    "DROP TRIGGER IF EXISTS articles_article_search_insert ON articles_article",
    "ALTER TABLE articles_article DROP COLUMN IF EXISTS search_vector, DROP COLUMN IF EXISTS title_vector",
    "DROP FUNCTION IF EXISTS articles_article_search_vectors()",
    "DROP FUNCTION IF EXISTS article_search_config(text)",
    # Migration 0003's expression index, as it was.
    """CREATE INDEX article_search_gin ON articles_article USING gin ((
        setweight(to_tsvector('english'::regconfig, COALESCE(title, '')::text), 'A')
        || setweight(to_tsvector('english'::regconfig, COALESCE(summary, '')), 'B')
        || setweight(to_tsvector('english'::regconfig, COALESCE(body, '')), 'C')))""",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("articles", "0007_collaboration")]

    operations = [migrations.RunPython(forward, backward)]
