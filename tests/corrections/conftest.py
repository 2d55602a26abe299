"""A live story to correct, and the newsroom's people."""

import pytest

from tests.factories import ArticleFactory


@pytest.fixture
def story(db):
    return ArticleFactory(title="Bridge reopens after repairs", summary="Traffic flows again.")


def corrections_url(article) -> str:
    return f"/api/v1/articles/{article.pk}/corrections/"
