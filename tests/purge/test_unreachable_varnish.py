"""A Varnish that cannot be reached never fails an edit: a warning is logged, the change is
saved and the site's own cache is purged, within the purge's short timeout."""

import logging
import socket
import time

import pytest

from articles import actions
from caching import varnish
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the block ends: nothing listens there


def test_an_edit_with_varnish_down_is_saved_and_warned_about(client, settings, committed, caplog):
    settings.VARNISH_URLS = [f"http://127.0.0.1:{closed_port()}"]
    story = ArticleFactory(title="Levee repaired")
    client.get(story.get_absolute_url())
    story.title = "Levee repaired ahead of rains"
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="caching.varnish"):
        committed(actions.save_article, actor=None, article=story)
    assert time.monotonic() - started < varnish.TIMEOUT_SECONDS + 1
    assert "could not be purged" in caplog.text
    page = client.get(story.get_absolute_url())
    assert "Levee repaired ahead of rains" in page.content.decode()


def test_a_purge_names_the_keys_in_batches_under_varnish_header_limit():
    keys = {f"article-{n}" for n in range(2000)}
    batches = varnish.batches(keys)
    assert all(len(value) <= varnish.BATCH_CHARACTERS for value in batches)
    assert {key for value in batches for key in value.split()} == keys
