"""On Redis a cached page costs one cache round trip: the generation is read with the page, or
alone when this process holds a copy of it."""

import pytest
from django.core.cache import caches

from articles import public_cache
from caching import purges
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
    public_cache.memory.clear()  # this process never saw the page
    round_trips.clear()
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert round_trips == ["get_many"]  # generation and page in one MGET


@pytest.fixture
def trusted_for_a_second(cache_backend, settings, monkeypatch):
    """CACHE_GENERATION_TRUST_MS=1000, on a clock the test moves: `move(seconds)`."""
    from caching import generations

    settings.CACHE_GENERATION_TRUST_MS = 1000
    now = [1000.0]
    monkeypatch.setattr(generations, "clock", lambda: now[0])
    purges.trusted.forget()
    yield lambda seconds: now.__setitem__(0, now[0] + seconds)
    purges.trusted.forget()


def test_a_trusted_reading_answers_a_held_page_with_no_round_trip(client, round_trips, trusted_for_a_second):
    url = ArticleFactory().get_absolute_url()
    client.get(url)
    client.get(url)
    round_trips.clear()
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert round_trips == []
    trusted_for_a_second(1.5)  # the reading is no longer trusted: asked again, once
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert len(round_trips) == 1, round_trips


def retitled(client, committed, *, by_another_server: bool = False) -> str:
    """A story read once (so this process holds its page and a trusted reading), then retitled
    May → June; `by_another_server`: this process keeps the reading it trusted before the edit,
    as a process that did not make it would."""
    from articles import actions

    article = ArticleFactory(title="Tide tables for May")
    client.get(article.get_absolute_url())
    held = (purges.trusted.generation, purges.trusted.until)
    article.title = "Tide tables for June"
    committed(actions.save_article, actor=None, article=article, base_version=article.version)
    if by_another_server:
        purges.trusted.generation, purges.trusted.until = held
    return article.get_absolute_url()


def test_another_servers_edit_shows_once_the_reading_is_no_longer_trusted(client, committed, trusted_for_a_second):
    url = retitled(client, committed, by_another_server=True)
    assert "Tide tables for May" in client.get(url).content.decode()  # at most a second late
    trusted_for_a_second(1.01)
    assert "Tide tables for June" in client.get(url).content.decode()


def test_this_servers_own_edit_shows_at_once(client, committed, trusted_for_a_second):
    url = retitled(client, committed)
    assert "Tide tables for June" in client.get(url).content.decode()


def test_a_request_varnish_will_keep_never_uses_a_trusted_reading(client, committed, trusted_for_a_second):
    """Varnish refetches a page just purged: answered from a trusted, older reading, the old copy
    would be kept in Varnish long after the edit. Its requests (Surrogate-Capability) always ask."""
    url = retitled(client, committed, by_another_server=True)
    from_varnish = client.get(url, headers={"surrogate-capability": 'newsroom="Surrogate/1.0"'})
    assert "Tide tables for June" in from_varnish.content.decode()
