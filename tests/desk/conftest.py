"""The desk's admin, as an editor with every article and media permission sees it."""

import pytest

from tests.factories import ArticleFactory, RelatedLinkFactory

PASSWORD = "pass-word-123"


@pytest.fixture
def editor_client(client, editor):
    assert client.login(username="editor", password=PASSWORD)
    return client


@pytest.fixture
def story_with_related(db):
    """A story with three related items, the last of them a stub (not imported yet)."""
    story = ArticleFactory(title="Harbour reopens after the storm")
    targets = [
        ArticleFactory(title="Storm closes the harbour"),
        ArticleFactory(title="Fishing fleet waits out the storm"),
        ArticleFactory(title="Ferry sinks off the cape", draft=True, is_stub=True, legacy_id=5150),
    ]
    for position, target in enumerate(targets):
        RelatedLinkFactory(source=story, target=target, position=position)
    return story, targets
