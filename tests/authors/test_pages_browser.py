"""In Chromium: a reader follows a story's byline to the author page, sees the portrait load and
the story listed, and axe-core finds no WCAG 2.2 AA violation on either page."""

import pytest
from django.core.files.base import ContentFile

from tests.authors.site_support import credit
from tests.browser.test_reader_journey import assert_accessible
from tests.browser_support import launch
from tests.factories import ArticleFactory, AuthorFactory, ImageFactory, jpeg_bytes

pytestmark = pytest.mark.browser


@pytest.fixture
def site(settings, live_server, transactional_db):
    settings.ROOT_URLCONF = "tests.browser.urls"
    settings.SITE_URL = ""
    return live_server.url


def test_byline_leads_to_an_accessible_author_page(chromium, site):
    from playwright.sync_api import sync_playwright

    portrait = ImageFactory(
        file=ContentFile(jpeg_bytes(400, 300), name="portrait.jpg"), width=400, height=300, public=True
    )
    sara = AuthorFactory(
        name="Sara Hamidi",
        slug="sara-hamidi",
        job_title="Baghdad correspondent",
        bio="Reports on rivers and dams.",
        photo=portrait,
    )
    omar = AuthorFactory(name="Omar Khalil", slug="omar-khalil")
    story = credit(ArticleFactory(title="Dam repairs finish early"), sara, omar)
    story_url = story.get_absolute_url()
    # All database work is done: from here on only the live server's thread touches it.

    with sync_playwright() as playwright:
        browser = launch(playwright, chromium)
        try:
            # axe-core goes in as an inline script, which the site's CSP refuses.
            page = browser.new_page(bypass_csp=True)
            errors = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))

            page.goto(site + story_url)
            byline = page.locator("p.byline")
            assert byline.inner_text().strip() == "By Sara Hamidi and Omar Khalil"
            assert_accessible(page, "article page with a byline")

            byline.get_by_role("link", name="Sara Hamidi").click()
            page.wait_for_url("**/authors/sara-hamidi/")
            assert page.get_by_role("heading", level=1).inner_text().strip() == "Sara Hamidi"
            assert page.locator(".author-job").inner_text().strip() == "Baghdad correspondent"
            image = page.locator(".author-photo img")
            image.scroll_into_view_if_needed()
            page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
            assert page.get_by_role("link", name="Dam repairs finish early").is_visible()
            assert_accessible(page, "author page")
            assert not errors, f"JavaScript errors: {errors}"
        finally:
            browser.close()
