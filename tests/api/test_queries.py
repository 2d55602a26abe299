"""SQL query budget: the list and the detail cost the same whatever their size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.cache_lifetime import shared_cache_seconds
from tests.factories import ArticleFactory, ImageFactory, RelatedLinkFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db

# Token lookup and the editor's two permission queries, then articles, tags, bylines with their
# authors, lead and poster renditions, breadcrumb sections.
LIST_BUDGET = 9
# The same plus related links and their targets' renditions (two), and the corrections.
DETAIL_BUDGET = 12


def count_queries(client, url) -> int:
    # The cache lifetime's look-ups (next boundary, next due change) are made once per content
    # generation, not per page: made before counting.
    shared_cache_seconds()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def rich_articles():
    """110 articles three sections deep, each with tags and a lead video with a poster."""
    leaf = SectionFactory(parent=SectionFactory(parent=SectionFactory()))
    tags = TagFactory.create_batch(3)
    for _ in range(110):
        video = ImageFactory(kind="video", poster=ImageFactory())
        ArticleFactory(section=leaf, lead_media=video, tags=tags)


def test_list_costs_the_same_for_10_and_100_articles(editor_client, rich_articles):
    small = count_queries(editor_client, "/api/v1/articles/?page_size=10")
    large = count_queries(editor_client, "/api/v1/articles/?page_size=100")
    assert small == large <= LIST_BUDGET
    with_filters = count_queries(editor_client, "/api/v1/articles/?page_size=100&status=all&kind=text")
    assert with_filters <= LIST_BUDGET


def test_detail_costs_the_same_for_0_1_and_20_related(editor_client):
    section = SectionFactory(parent=SectionFactory())
    lonely, single, busy = (
        ArticleFactory(section=section, lead_media=ImageFactory(), tags=[TagFactory()]) for _ in range(3)
    )
    for source, count in ((single, 1), (busy, 20)):
        for _ in range(count):
            video = ImageFactory(kind="video", poster=ImageFactory())
            RelatedLinkFactory(source=source, target=ArticleFactory(lead_media=video))

    none = count_queries(editor_client, f"/api/v1/articles/{lonely.pk}/")
    one = count_queries(editor_client, f"/api/v1/articles/{single.pk}/")
    twenty = count_queries(editor_client, f"/api/v1/articles/{busy.pk}/")
    assert none <= one == twenty <= DETAIL_BUDGET
    # The article, its links with their targets, and the targets' renditions (two), after the auth queries.
    assert count_queries(editor_client, f"/api/v1/articles/{busy.pk}/related/") <= 7
    assert count_queries(editor_client, f"/api/v1/articles/{busy.pk}/related/?format=legacy") <= 7
