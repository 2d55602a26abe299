"""Corrections in Chromium: the story's corrections block and the /corrections/ page have no
WCAG 2.2 AA violation (axe-core), and the link from the list lands on the story's block."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from articles import actions
from tests.browser.test_reader_journey import assert_accessible
from tests.browser_support import launch
from tests.factories import ArticleFactory, SectionFactory
from tests.roles import make_member

pytestmark = pytest.mark.browser


def test_corrections_are_accessible_and_linked(chromium, live_server):
    from playwright.sync_api import sync_playwright

    editor = make_member("Editor", "edith", "E/DH")
    story = ArticleFactory(
        title="Bridge reopens after repairs",
        section=SectionFactory(name="City", slug="city"),
        body="<p>The bridge reopened on Monday after two years of repairs.</p>",
    )
    later = datetime.now(UTC) + timedelta(seconds=1)
    for offset, kind, text in (
        (0, "correction", "An earlier version gave the span as 210 metres; it is 120 metres."),
        (60, "update", "Buses run across the bridge again from Tuesday."),
    ):
        with time_machine.travel(later + timedelta(seconds=offset), tick=False):
            actions.add_correction(actor=editor, article=story, kind=kind, text=text)
    url = story.get_absolute_url()

    with sync_playwright() as playwright:
        browser = launch(playwright, chromium)
        try:
            # axe-core goes in as an inline script, which the site's CSP refuses (as in the reader's journey).
            page = browser.new_page(bypass_csp=True)
            page.goto(live_server.url + "/corrections/")
            assert page.locator("h1").inner_text() == "Corrections"
            assert page.locator(".corrections-list .correction").count() == 2
            assert_accessible(page, "the corrections page")

            page.locator(f"a[href='{url}#corrections']").first.click()
            page.wait_for_url(f"**{url}#corrections")
            block = page.locator("#corrections")
            block.scroll_into_view_if_needed()
            assert block.is_visible()
            assert block.locator("li").count() == 2
            assert "120 metres" in block.inner_text()
            assert_accessible(page, "a corrected story")
        finally:
            browser.close()
