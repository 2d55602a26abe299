"""Related items: ordered by their rows (positions hidden, filled by static/desk/sortable.js),
no position numbers shown, stubs named "not imported yet"; the desk's action buttons only where
they apply."""

import re

import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def change_form(client, article) -> str:
    response = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert response.status_code == 200
    return response.content.decode()


def related_group(page: str) -> str:
    group = re.search(r'<div class="js-inline-admin-formset[^>]*id="related_links-group".*?</fieldset>', page, re.S)
    return group.group(0)


def test_the_inline_hides_positions_and_names_stubs(editor_client, story_with_related):
    story, (first, second, stub) = story_with_related
    page = change_form(editor_client, story)
    group = related_group(page)
    assert '<fieldset class="module sortable"' in group
    positions = re.findall(r"<input[^>]*name=\"related_links-\d+-position\"[^>]*>", group)
    assert len(positions) == 4 and all('type="hidden"' in tag for tag in positions)
    assert "(#" not in group and "→" not in group and ">Position<" not in group
    assert f'<option value="{stub.pk}" selected>Ferry sinks off the cape (not imported yet)</option>' in group
    assert "/static/desk/sortable.js" in page
    # The rows stand in the readers' order.
    assert group.index(first.title) < group.index(second.title) < group.index(stub.title)


def sortable_post(story, order, client) -> dict:
    """The change form's data as the browser sends it once sortable.js has filled the positions
    from the rows' new order (the rows keep their form indexes; only the positions change)."""
    links = list(story.related_links.order_by("position"))
    data = {
        "section": story.section_id,
        "kind": story.kind,
        "title": story.title,
        "slug": story.slug,
        "summary": story.summary,
        "body": story.body,
        "signoff": story.signoff,
        "source": story.source,
        "language": story.language,
        "lead_media": "",
        "base_version": story.version,
        "published_at_0": story.published_at.strftime("%Y-%m-%d"),
        "published_at_1": story.published_at.strftime("%H:%M:%S"),
        "embargo_until_0": "",
        "embargo_until_1": "",
        "expires_at_0": "",
        "expires_at_1": "",
        "related_links-TOTAL_FORMS": str(len(links) + 1),
        "related_links-INITIAL_FORMS": str(len(links)),
        "related_links-MIN_NUM_FORMS": "0",
        "related_links-MAX_NUM_FORMS": "1000",
        # The blank extra row keeps the position it came with: unchanged, ignored.
        f"related_links-{len(links)}-position": "0",
        f"related_links-{len(links)}-target": "",
    }
    for index, link in enumerate(links):
        data[f"related_links-{index}-id"] = link.pk
        data[f"related_links-{index}-source"] = story.pk
        data[f"related_links-{index}-target"] = link.target_id
        data[f"related_links-{index}-position"] = order.index(link.target_id)
    return data


def test_the_new_order_is_saved_through_the_actions(editor_client, story_with_related):
    story, (first, second, stub) = story_with_related
    order = [stub.pk, first.pk, second.pk]
    # The story is live: its form saves to the working draft, and "Publish changes" makes that live.
    response = editor_client.post(
        reverse("admin:articles_article_change", args=[story.pk]),
        {**sortable_post(story, order, editor_client), "_publish_changes": "Publish changes"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    story = Article.objects.get(pk=story.pk)
    assert list(story.related_links.values_list("target_id", flat=True)) == order
    # One save, one revision, with the order in it (save_article did it).
    assert story.revisions.order_by("-number").first().data["related_ids"] == order
    page = change_form(editor_client, story)
    group = related_group(page)
    assert group.index(stub.title) < group.index(first.title) < group.index(second.title)


def buttons(page: str) -> dict[str, str]:
    desk = re.search(r'<div class="nr-desk-actions".*?</div>', page, re.S).group(0)
    return dict(re.findall(r'<button type="submit" form="nr-(?:state-)?([\w-]+)"[^>]*class="([^"]*)"', desk))


def test_desk_actions_are_buttons_in_one_place_only_where_they_apply(editor_client):
    live = ArticleFactory(title="Live story")
    draft = ArticleFactory(title="Draft story", draft=True)
    live_buttons = buttons(change_form(editor_client, live))
    assert "publish" not in live_buttons and "Publish now" not in change_form(editor_client, live)
    assert set(live_buttons) == {"schedule", "unpublish", "archive", "share"}
    assert "nr-danger" in live_buttons["archive"] and "nr-secondary" in live_buttons["unpublish"]
    draft_page = change_form(editor_client, draft)
    assert set(buttons(draft_page)) == {"submit", "publish", "schedule", "archive", "share"}
    assert draft_page.count('class="nr-desk-actions"') == 1
