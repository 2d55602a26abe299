"""Issue 16's "Must show", in Chromium: an editor types into the title and the body, the form
autosaves, the page is closed mid-edit; reopening the story offers the unsaved text with its
difference, and "Restore" puts it back into the form and the body's editor."""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser_support import launch
from tests.presence.browser_steps import open_story, signed_in

pytestmark = pytest.mark.browser

EDITOR = "document.querySelector('#id_body').richTextEditor"
TITLE = "Harbour reopens as the first ferries return"
SENTENCE = "The first ferry docked at dawn."
AUTOSAVED = re.compile(r"^Autosaved \d\d:\d\d:\d\d$")


def wait_until(page, expression: str, timeout: float = 20) -> None:
    """Poll `expression` in the page (page.wait_for_function uses eval, which the CSP refuses)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout} s: {expression}"
        page.wait_for_timeout(50)


@pytest.fixture
def newsroom(live_server, chromium, people):
    from tests.factories import ArticleFactory

    story = ArticleFactory(title="Harbour reopens", body="<p>Crews finished the repairs.</p>")
    return {"url": live_server.url, "chromium": chromium, "story": story}


def type_and_close(browser, base, story_id) -> list[str]:
    context, page, errors = signed_in(browser, base, "edith")
    open_story(page, base, story_id)
    page.fill("#id_title", TITLE)
    wait_until(page, f"Boolean({EDITOR})")
    body = page.get_by_role("textbox", name="Body:")
    body.click()
    expect(body).to_be_focused()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type(SENTENCE)
    wait_until(page, f"document.querySelector('#id_body').value.includes({SENTENCE!r})")
    expect(page.get_by_role("status").filter(has_text="Autosaved")).to_have_text(AUTOSAVED)
    page.close()
    return errors, context


def reopen_and_restore(context, base, story_id) -> list[str]:
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    open_story(page, base, story_id)
    offer = page.locator(".nr-autosave-offer")
    expect(offer.get_by_role("heading", level=2)).to_contain_text("You have unsaved text from")
    expect(offer.locator(".nr-diff h3")).to_have_text(["Title", "Body"])
    expect(offer).to_contain_text(SENTENCE.replace(" ", "\xa0"))
    expect(page.locator("#id_title")).to_have_value("Harbour reopens")
    wait_until(page, f"Boolean({EDITOR})")
    offer.get_by_role("button", name="Restore").click()
    expect(offer).to_be_hidden()
    expect(page.locator("#id_title")).to_have_value(TITLE)
    expect(page.get_by_role("textbox", name="Body:")).to_contain_text(SENTENCE)
    expect(page.get_by_role("textbox", name="Body:")).to_contain_text("Crews finished the repairs.")
    wait_until(page, f"document.querySelector('#id_body').value.includes({SENTENCE!r})")
    return errors


def test_text_typed_before_the_page_closed_is_offered_and_restored(newsroom):
    from playwright.sync_api import sync_playwright

    base, story_id = newsroom["url"], newsroom["story"].pk
    with sync_playwright() as playwright:
        browser = launch(playwright, newsroom["chromium"])
        try:
            errors, context = type_and_close(browser, base, story_id)
            errors += reopen_and_restore(context, base, story_id)
        finally:
            browser.close()
    assert errors == []
    newsroom["story"].refresh_from_db()
    assert newsroom["story"].title == "Harbour reopens", "restoring fills the form; only a save stores it"


def test_a_new_storys_title_typed_before_the_page_closed_is_restored(newsroom):
    from playwright.sync_api import sync_playwright

    base = newsroom["url"]
    with sync_playwright() as playwright:
        browser = launch(playwright, newsroom["chromium"])
        try:
            context, page, errors = signed_in(browser, base, "edith")
            page.goto(f"{base}/admin/articles/article/add/")
            page.fill("#id_title", TITLE)
            expect(page.get_by_role("status").filter(has_text="Autosaved")).to_have_text(AUTOSAVED)
            page.close()
            page = context.new_page()
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"{base}/admin/articles/article/add/")
            offer = page.locator(".nr-autosave-offer")
            expect(offer.get_by_role("heading", level=2)).to_contain_text("You have unsaved text from")
            expect(page.locator("#id_title")).to_have_value("")
            offer.get_by_role("button", name="Restore").click()
            expect(page.locator("#id_title")).to_have_value(TITLE)
        finally:
            browser.close()
    assert errors == []
