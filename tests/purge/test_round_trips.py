"""On Redis a cached page costs one cache round trip: the generation is read with the page, or
alone when this process holds a copy of it."""

import pytest
from django.core.cache import caches

from articles.site import page_cache
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.parametrize("cache_backend", ["redis"], indirect=True)]


@pytest.fixture
def round_trips(cache_backend, monkeypatch):
    """The Redis commands (one round trip each, MGET included) sent while the test runs."""
    sent = []
    backend = caches["default"]
    guarded = backend._guarded

    def counting(fallback, operation, *args, **kwargs):
        sent.append(getattr(operation, "__name__", "?"))
        return guarded(fallback, operation, *args, **kwargs)

    monkeypatch.setattr(backend, "_guarded", counting)
    return sent


def test_a_memory_hit_reads_only_the_generation(client, round_trips):
    url = ArticleFactory().get_absolute_url()
    client.get(url)
    client.get(url)
    round_trips.clear()
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert len(round_trips) == 1, round_trips


def test_a_hit_stored_by_another_process_reads_the_page_with_the_generation(client, round_trips):
    url = ArticleFactory().get_absolute_url()
    client.get(url)
    client.get(url)
    page_cache.memory.clear()  # this process never saw the page
    round_trips.clear()
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert round_trips == ["get_many"]  # generation and page in one MGET
