"""Editing a live story in Debian's Chromium: the editor saves a draft, sees the banner with the
difference while readers keep the live text, then publishes the changes and readers see them."""

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.browser_support import launch
from tests.desk.conftest import PASSWORD

pytestmark = pytest.mark.browser

OLD = "Ferry service resumes after the storm"
NEW = "Ferry service resumes with an extra evening crossing"


@pytest.fixture
def story(settings, live_server, chromium, editor):
    from tests.factories import ArticleFactory

    settings.SITE_URL = ""
    return {"article": ArticleFactory(title=OLD), "url": live_server.url, "chromium": chromium}


def test_an_editor_saves_a_draft_of_a_live_story_then_publishes_the_changes(story):
    article, base = story["article"], story["url"]
    with sync_playwright() as playwright:
        browser = launch(playwright, story["chromium"])
        try:
            page = browser.new_page()
            errors = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"{base}/admin/login/?next=/admin/")
            page.fill("#id_username", "editor")
            page.fill("#id_password", PASSWORD)
            page.click("input[type=submit]")
            page.wait_for_url(f"{base}/admin/")

            page.goto(f"{base}/admin/articles/article/{article.pk}/change/")
            expect(page.locator(".nr-draft-banner[role=status]")).to_contain_text("Saving puts your changes")
            page.fill("#id_title", NEW)
            page.get_by_role("button", name="Save draft").click()

            banner = page.locator(".nr-draft-banner[role=status]")
            expect(banner).to_contain_text(
                "This story is live. Your changes are in a working draft and readers still see the live version"
            )
            expect(banner.locator(".nr-diff")).to_contain_text("extra evening crossing")
            expect(page.locator("#id_title")).to_have_value(NEW)

            reader = browser.new_context().new_page()
            reader.goto(f"{base}{article.get_absolute_url()}")
            expect(reader.locator("h1")).to_contain_text(OLD)

            page.get_by_role("button", name="Publish changes").click()
            expect(page.locator(".messagelist")).to_contain_text("Your changes are published: readers see them now.")
            expect(page.locator(".nr-draft-banner .nr-diff")).to_have_count(0)

            reader.goto(f"{base}{article.get_absolute_url()}")
            expect(reader.locator("h1")).to_contain_text(NEW)
            assert not errors, errors
        finally:
            browser.close()
