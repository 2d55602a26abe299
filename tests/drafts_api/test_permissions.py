"""Who reaches a working draft: people who may edit the story. Nobody else learns one exists."""

import pytest

from articles.models import WorkingDraft
from tests.drafts_api.conftest import url
from tests.factories import UserFactory
from tests.roles import draft_by

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_etag(api, people, story):
    client = api(people["editor"])
    etag = client.get(url(story))["ETag"]
    return client.patch(url(story, "draft/"), {"summary": "Secret."}, format="json", HTTP_IF_MATCH=etag)["ETag"]


def test_anonymous_callers_are_asked_to_sign_in_whether_or_not_a_draft_exists(api, story, draft_etag):
    from tests.factories import ArticleFactory

    without = ArticleFactory()
    for article in (story, without):
        for tail in ("draft/", "revisions/"):
            response = api().get(url(article, tail))
            assert response.status_code == 401
            assert "Secret" not in response.content.decode()
    assert api().delete(url(story, "draft/"), HTTP_IF_MATCH=draft_etag).status_code == 401
    assert "has_draft" not in api().get(url(story)).json()


def test_a_reporter_reads_the_story_but_may_not_touch_someone_elses_draft(api, people, story, draft_etag):
    client = api(people["other"])
    assert client.get(url(story, "draft/")).status_code == 403
    assert client.patch(url(story, "draft/"), {"summary": "Mine"}, format="json", HTTP_IF_MATCH="*").status_code == 403
    assert client.delete(url(story, "draft/"), HTTP_IF_MATCH=draft_etag).status_code == 403
    assert WorkingDraft.objects.get(article=story).data["summary"] == "Secret."


def test_a_signed_in_reader_without_rights_cannot_see_unpublished_stories_at_all(api, people):
    hidden = draft_by(people["author"], title="Unpublished")
    client = api(UserFactory(username="reader"))
    assert client.get(url(hidden, "draft/")).status_code == 404
    assert client.get(url(hidden, "revisions/")).status_code == 404


def test_editing_without_the_publish_right_may_save_but_not_publish(api, people, story, draft_etag):
    from django.contrib.auth.models import Permission

    sub = UserFactory(username="sub")
    sub.user_permissions.set(
        Permission.objects.filter(codename__in=["view_article", "change_article", "edit_any_article"])
    )
    client = api(type(sub).objects.get(pk=sub.pk))
    saved = client.patch(url(story, "draft/"), {"title": "Subbed"}, format="json", HTTP_IF_MATCH=draft_etag)
    assert saved.status_code == 200, saved.content
    refused = client.post(url(story, "draft/publish/"), {}, format="json", HTTP_IF_MATCH=saved["ETag"])
    assert refused.status_code == 403
    assert refused.json() == {"detail": "You may not publish articles."}
    assert WorkingDraft.objects.filter(article=story).exists()
