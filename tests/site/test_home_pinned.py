"""Pinned stories on the home page: live ones only, newest first, ahead of the newest stories."""

import pytest
from django.utils import timezone

from tests.factories import ArticleFactory
from tests.site.conftest import make_image

pytestmark = pytest.mark.django_db


def ago(minutes):
    return timezone.now() - timezone.timedelta(minutes=minutes)


def test_pinned_stories_lead_newest_first_and_only_live_ones(client, tree):
    ArticleFactory(title="Pinned oldest", section=tree["syria"], pinned=True, published_at=ago(300))
    ArticleFactory(
        title="Pinned newer",
        section=tree["mosul"],
        pinned=True,
        published_at=ago(200),
        lead_media=make_image(alt_text="Pinned photo"),
    )
    ArticleFactory(title="Pinned draft", section=tree["mosul"], pinned=True, draft=True)
    ArticleFactory(
        title="Pinned scheduled",
        section=tree["mosul"],
        pinned=True,
        published_at=timezone.now() + timezone.timedelta(hours=1),
    )
    ArticleFactory(title="Pinned expired", section=tree["mosul"], pinned=True, published_at=ago(400), expires_at=ago(1))
    ArticleFactory(title="Fresh unpinned", section=tree["syria"], published_at=ago(1))

    html = client.get("/").content.decode()
    top = html[html.index('class="top-stories"') : html.index("</section>")]
    assert top.index("Pinned newer") < top.index("Pinned oldest") < top.index("Fresh unpinned")
    assert "Pinned draft" not in html and "Pinned scheduled" not in html and "Pinned expired" not in html
    assert "<picture>" in top[: top.index("Pinned newer")]  # its card has its photo
