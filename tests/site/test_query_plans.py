"""Query plans of the public pages' hot queries, read with EXPLAIN QUERY PLAN on SQLite.

On SQLite without table statistics (a fresh or freshly imported database) the planner takes
`status = 'published' AND published_at <= now` as very selective, so any query mixing live()
with "these primary keys" can end up walking the status/date index over every published
article. These tests pin the shapes the pages use to plans that never do that, whatever the
table sizes. (On 100,000 articles: 9 ms → 1 ms for the related list, 90 ms → 0.03 ms for the
pinned stories.) PostgreSQL plans by statistics; `refresh_planner_statistics` is checked on both.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.legacy.run import refresh_planner_statistics
from articles.models import Article
from articles.site import article_page
from tests.factories import ArticleFactory, RelatedLinkFactory

pytestmark = pytest.mark.django_db
PINNED_FILTER = '"articles_article"."pinned"'

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="EXPLAIN QUERY PLAN output is SQLite's; PostgreSQL plans by statistics"
)


def plans_of(call) -> list[tuple[str, str]]:
    """(sql, plan) of each query `call()` runs (SQLite quotes the parameters into the SQL)."""
    with CaptureQueriesContext(connection) as captured:
        call()
    with connection.cursor() as cursor:
        result = []
        for query in captured:
            cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
            result.append((query["sql"], "\n".join(row[-1] for row in cursor.fetchall())))
        return result


@sqlite_only
def test_related_list_is_read_through_its_links_and_primary_keys(tree):
    article = ArticleFactory(section=tree["mosul"])
    for position in range(5):
        RelatedLinkFactory(source=article, target=ArticleFactory(section=tree["syria"]), position=position)
    RelatedLinkFactory(source=article, target=ArticleFactory(draft=True), position=9)

    ((_, plan),) = plans_of(lambda: article_page.live_related_targets(article))
    assert "article_status_pub_idx" not in plan
    assert "SCAN articles_article" not in plan
    assert "articles_relatedlink USING INDEX" in plan  # driven by the article's own links
    assert "USING INTEGER PRIMARY KEY" in plan  # each target, and its live() check, by primary key
    assert len(article_page.live_related_targets(article)) == 5


@sqlite_only
def test_home_page_queries_read_an_index_in_date_order_and_pinned_stories_their_own(client, tree):
    ArticleFactory.create_batch(2, section=tree["mosul"], pinned=True)
    ArticleFactory(section=tree["syria"])
    client.get("/search/")  # navigation and boundary, read once per generation
    plans = [(sql, plan) for sql, plan in plans_of(lambda: client.get("/?plans")) if 'FROM "articles_article"' in sql]
    # pinned ids, pinned rows, newest, then one per top-level section (Iraq, Syria)
    assert len(plans) == 2 + 1 + 2
    for sql, plan in plans:
        assert "SCAN articles_article" not in plan, sql
        if "UNION ALL" in sql:  # the pinned rows, one primary key each
            assert "article_status_pub_idx" not in plan and "USING INTEGER PRIMARY KEY" in plan, plan
        elif PINNED_FILTER in sql.split(" WHERE ")[1]:
            assert "COVERING INDEX article_pinned_pub_idx" in plan, plan
        else:
            assert "article_status_pub_idx" in plan, plan


def test_refresh_planner_statistics_gives_the_planner_table_sizes(tree):
    ArticleFactory.create_batch(3, section=tree["mosul"])
    refresh_planner_statistics()
    table = Article._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT stat FROM sqlite_stat1 WHERE tbl = %s AND idx = %s", [table, "article_status_pub_idx"]
            )
            (stat,) = cursor.fetchone()
            assert stat.split()[0] == "3"  # rows in the table, as the planner now knows
        else:
            cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = %s AND attname = 'status'", [table])
            assert cursor.fetchone()[0] == 1
