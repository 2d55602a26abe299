"""The content generation, on the embedded default and on real Redis: every committed change
(each purge) moves it, so a process reading the same number knows nothing changed.

What matters is that a change gives a new number, not which: it is a stamp on the embedded
cache and a counter from a random start on Redis."""

import pytest
from django.core.cache import caches

from articles import actions
from caching import generations as generation
from tests.factories import ArticleFactory


@pytest.mark.django_db(transaction=True)
def test_every_committed_action_moves_the_generation(cache_backend):
    before = generation.content_generation()
    article = ArticleFactory(draft=True)
    actions.publish(actor=None, article=article)
    after_publish = generation.content_generation()
    assert after_publish != before
    assert generation.content_generation() == after_publish  # read again: the same, until a change
    actions.unpublish(actor=None, article=article)
    assert generation.content_generation() not in (before, after_publish)


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_action_leaves_the_generation_alone(cache_backend):
    from django.db import transaction

    article = ArticleFactory(draft=True)
    before = generation.content_generation()
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.publish(actor=None, article=article)
        raise RuntimeError("editor's browser closed mid-request")
    assert generation.content_generation() == before
    article.refresh_from_db()
    assert article.status == "draft"


@pytest.mark.django_db
def test_clearing_the_cache_starts_a_new_generation(cache_backend):
    """A page copy kept anywhere under the old number can never be served after a clear."""
    before = generation.content_generation()
    caches["default"].clear()
    assert generation.content_generation() != before
