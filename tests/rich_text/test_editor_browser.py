"""In Chromium: the body is written in the rich-text editor, an inline media item is chosen in
the media library's popup, and what is saved is the sanitized body form; the editor reads a
stored body back exactly as stored, and nothing breaks the Content-Security-Policy."""

import time

import pytest

from tests.browser_support import click_closing, launch

pytestmark = pytest.mark.browser

LISTEN = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`));
"""

STORED = (
    "<h2>The crossing</h2>"
    '<p>The <strong>ministry</strong> <a href="https://example.org/report" rel="noopener noreferrer">report</a>'
    " said <em>so</em>.</p>"
    "<ul><li><p>one</p></li><li><p>two</p></li></ul>"
    "<ol><li><p>first</p></li></ol>"
    "<blockquote><p>Quoted.</p></blockquote>"
    '<figure data-media-id="{photo}"><figcaption>The quay &amp; the ships</figcaption></figure>'
    '<figure data-media-id="{photo}"></figure>'
    "<h3>More</h3><h4>Less</h4><p>End.</p>"
)


@pytest.fixture
def desk(settings, live_server, chromium):
    from django.contrib.auth.models import Permission
    from django.utils import timezone

    from tests.factories import ArticleFactory, ImageFactory, UserFactory

    settings.ROOT_URLCONF = "tests.browser.urls"
    user = UserFactory(username="desk", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["articles", "media"]))
    photo = ImageFactory(title="Ships at the quay")
    # Whole seconds: the change form posts the dateline back to the second.
    published = timezone.now().replace(microsecond=0) - timezone.timedelta(hours=1)
    article = ArticleFactory(title="Port reopens", body="<p>Old text.</p>", published_at=published)
    return {"url": live_server.url, "photo": photo, "article": article, "chromium": chromium}


def _signed_in_page(browser, base):
    page = browser.new_page()
    page.add_init_script(LISTEN)
    page.goto(base + "/admin/login/")
    page.fill("#id_username", "desk")
    page.fill("#id_password", "pass-word-123")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    return page


def _wait_until(page, expression: str, timeout: float = 20) -> None:
    """Poll `expression` through the DevTools protocol (page.wait_for_function evaluates strings
    with eval, which the page's Content-Security-Policy refuses, as it should)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout} s: {expression}"
        page.wait_for_timeout(50)


EDITOR = "document.querySelector('#id_body').richTextEditor"


def _editor_ready(page):
    _wait_until(page, f"Boolean(document.querySelector('#id_body') && {EDITOR})")


def test_write_a_story_with_heading_link_list_and_inline_media(desk):
    from playwright.sync_api import sync_playwright

    article, photo = desk["article"], desk["photo"]
    change_url = f"{desk['url']}/admin/articles/article/{article.pk}/change/"
    with sync_playwright() as playwright:
        browser = launch(playwright, desk["chromium"])
        try:
            page = _signed_in_page(browser, desk["url"])
            console = []
            page.on("console", lambda message: console.append(message.text))
            page.goto(change_url)
            _editor_ready(page)
            prose = page.get_by_role("textbox", name="Body:")
            prose.scroll_into_view_if_needed()
            prose.click()
            page.keyboard.press("Control+a")
            page.keyboard.press("Delete")
            page.keyboard.type("Harbour news")
            page.keyboard.press("Control+Alt+2")
            page.keyboard.press("End")
            page.keyboard.press("Enter")
            page.keyboard.type("Read the report today.")
            page.keyboard.press("Shift+Home")
            _wait_until(page, f"!{EDITOR}.state.selection.empty")
            page.locator(".prose-menubar button[title='insert link']").click()
            dialog = page.locator("dialog[open]")
            dialog.get_by_label("URL").fill("https://example.org/report")
            dialog.locator("button[type=submit]").click()
            _wait_until(page, "document.querySelector('#id_body').value.includes('example.org/report')")
            page.evaluate(f"{EDITOR}.commands.focus('end')")  # as a click after the last word
            page.keyboard.press("Enter")
            page.keyboard.type("- first point")
            page.keyboard.press("Enter")
            page.keyboard.type("second point")
            page.keyboard.press("Enter")
            page.keyboard.press("Enter")
            with page.expect_popup() as opened:
                page.get_by_role("button", name="Insert media").click()
            popup = opened.value
            popup.wait_for_load_state()
            click_closing(popup, popup.locator(f"a[data-popup-opener='{photo.pk}']").first)
            item = page.locator(f".inline-media[data-media-id='{photo.pk}']")
            item.wait_for()
            item.get_by_role("button", name="Edit the caption of this inline media item").click()
            dialog = page.locator("dialog[open]")
            dialog.get_by_label("Caption").fill("Ships <b>queue</b> & wait")
            dialog.locator("button[type=submit]").click()
            _wait_until(page, "document.querySelector('#id_body').value.includes('figcaption')")
            page.locator("input[name=_publish_changes]").click()  # a live story: its draft, made live
            page.wait_for_load_state()
            _editor_ready(page)
            violations = page.evaluate("window.__cspViolations")
        finally:
            browser.close()

    article.refresh_from_db()
    assert article.body == (
        "<h2>Harbour news</h2>"
        '<p><a href="https://example.org/report" rel="noopener noreferrer">Read the report today.</a></p>'
        "<ul><li><p>first point</p></li><li><p>second point</p></li></ul>"
        f'<figure data-media-id="{photo.pk}">'
        "<figcaption>Ships &lt;b&gt;queue&lt;/b&gt; &amp; wait</figcaption></figure>"
    )
    assert article.revisions.count() == 1
    assert not violations and not [text for text in console if "Content Security Policy" in text], (violations, console)


def test_the_editor_reads_a_stored_body_back_as_stored_and_an_unchanged_save_adds_no_revision(desk):
    from playwright.sync_api import sync_playwright

    from articles.models import Article
    from articles.sanitize import clean_html

    article, photo = desk["article"], desk["photo"]
    stored = STORED.format(photo=photo.pk)
    assert clean_html(stored) == stored
    Article.objects.filter(pk=article.pk).update(body=stored)
    legacy = f'<p>Before.</p><img data-media-id="{photo.pk}" alt="Quay" src="/x.jpg"><p>After.</p>'
    change_url = f"{desk['url']}/admin/articles/article/{article.pk}/change/"
    with sync_playwright() as playwright:
        browser = launch(playwright, desk["chromium"])
        try:
            page = _signed_in_page(browser, desk["url"])
            page.goto(change_url)
            _editor_ready(page)
            written = page.evaluate(f"{EDITOR}.getHTML()")
            shown = page.locator(".inline-media").count()
            upgraded = page.evaluate(f"{EDITOR}.commands.setContent({legacy!r}) && {EDITOR}.getHTML()")
            no_warning = page.locator(".rich-text-warning").count() == 0
            page.goto(change_url)  # again, untouched
            _editor_ready(page)
            page.locator("input[name=_continue]").click()
            page.wait_for_load_state()
            violations = page.evaluate("window.__cspViolations")
        finally:
            browser.close()

    assert written == stored and no_warning
    assert shown == 2
    assert upgraded == f'<p>Before.</p><figure data-media-id="{photo.pk}"></figure><p>After.</p>'
    article.refresh_from_db()
    assert article.body == stored and article.revisions.count() == 0 and not violations


def test_a_body_with_markup_the_editor_cannot_keep_says_so(desk):
    from playwright.sync_api import sync_playwright

    from articles.models import Article

    article = desk["article"]
    body = "<p>Rates</p><table><tbody><tr><td>1</td></tr></tbody></table><hr><p>H<sub>2</sub>O</p>"
    Article.objects.filter(pk=article.pk).update(body=body)
    with sync_playwright() as playwright:
        browser = launch(playwright, desk["chromium"])
        try:
            page = _signed_in_page(browser, desk["url"])
            page.goto(f"{desk['url']}/admin/articles/article/{article.pk}/change/")
            _editor_ready(page)
            warning = page.locator(".rich-text-warning").inner_text()
            submitted = page.evaluate("document.querySelector('#id_body').value")
        finally:
            browser.close()

    assert "cannot keep (table, hr, sub)" in warning
    assert submitted == body  # untouched, the textarea still holds the stored body


def test_axe_finds_no_serious_problem_in_the_editor(desk):
    """axe-core on the editor (menu bar, text, an inline item): no serious or critical violation."""
    from pathlib import Path

    import axe_playwright_python
    from playwright.sync_api import sync_playwright

    from articles.models import Article

    article, photo = desk["article"], desk["photo"]
    Article.objects.filter(pk=article.pk).update(body=STORED.format(photo=photo.pk))
    with sync_playwright() as playwright:
        browser = launch(playwright, desk["chromium"])
        try:
            page = _signed_in_page(browser, desk["url"])
            page.goto(f"{desk['url']}/admin/articles/article/{article.pk}/change/")
            _editor_ready(page)
            # axe-core is evaluated through the DevTools protocol (an inline script the CSP would refuse).
            axe = Path(axe_playwright_python.__file__).parent / "axe.min.js"
            page.evaluate(axe.read_text(encoding="utf-8"))
            results = page.evaluate(
                "axe.run({include: [['.prose-editor']]}, {resultTypes: ['violations']})"
                ".then(r => ({passes: r.passes.length, violations: r.violations}))"
            )
        finally:
            browser.close()

    assert results["passes"], "axe checked nothing in the editor"
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {node['target']}"
        for v in results["violations"]
        if v["impact"] in {"serious", "critical"}
        for node in v["nodes"]
    ]
    assert not serious, "\n".join(serious)


def test_inserting_an_item_while_another_is_selected_keeps_both(desk):
    """Choosing a second item while the first is selected (as it is right after insertion, or
    after a click on it) puts the new one after it; the selected item is never replaced."""
    from playwright.sync_api import sync_playwright

    from tests.factories import ImageFactory

    article, photo = desk["article"], desk["photo"]
    second = ImageFactory(title="Cranes at dawn")
    article.body = f'<figure data-media-id="{photo.pk}"></figure><p>End.</p>'
    article.save()
    with sync_playwright() as playwright:
        browser = launch(playwright, desk["chromium"])
        try:
            page = _signed_in_page(browser, desk["url"])
            page.goto(f"{desk['url']}/admin/articles/article/{article.pk}/change/")
            _editor_ready(page)
            page.evaluate(f"{EDITOR}.commands.setNodeSelection(0)")
            _wait_until(page, f"{EDITOR}.state.selection.node?.type.name === 'inlineMedia'")
            page.evaluate(f"{EDITOR}.commands.insertInlineMedia({{id: {second.pk}}})")
            _wait_until(page, f"document.querySelector('#id_body').value.includes('\"{second.pk}\"')")
            body = page.evaluate("document.querySelector('#id_body').value")
        finally:
            browser.close()

    assert body.index(f'data-media-id="{photo.pk}"') < body.index(f'data-media-id="{second.pk}"'), body
