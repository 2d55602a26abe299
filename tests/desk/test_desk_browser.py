"""The desk's admin in Debian's Chromium: it fits 1280×800 and a 390 px phone, related items
reorder by dragging (or by the keyboard's buttons), and axe-core finds no serious or critical
violation on the change form, the changelist and the desk index."""

from pathlib import Path

import pytest

from tests.browser_support import launch
from tests.desk.conftest import PASSWORD

pytestmark = pytest.mark.browser

SERIOUS = {"serious", "critical"}


@pytest.fixture
def desk_site(live_server, transactional_db, editor, story_with_related):
    from tests.factories import ArticleFactory

    ArticleFactory(
        title="A very long headline about the council's decision to rebuild the old harbour wall before winter",
        draft=True,
    )
    return live_server.url, story_with_related[0], story_with_related[1]


def signed_in_page(browser, base, width, height, **options):
    page = browser.new_page(viewport={"width": width, "height": height}, **options)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{base}/admin/login/?next=/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    return page, errors


def overflow(page) -> str:
    """How wide the document is, and the widest elements (for the failure message)."""
    return page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            const wide = Array.from(document.querySelectorAll('body *'))
                .filter(e => e.getBoundingClientRect().right > width + 1)
                .slice(0, 8)
                .map(e => `${e.tagName.toLowerCase()}#${e.id}.${e.className} right=${e.getBoundingClientRect().right}`);
            return `scrollWidth ${document.documentElement.scrollWidth}: ${wide.join(', ')}`;
        }"""
    )


def scroll_width(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


def test_changelist_and_change_form_fit_1280_by_800(chromium, desk_site):
    from playwright.sync_api import sync_playwright

    base, story, _ = desk_site
    with sync_playwright() as playwright:
        browser = launch(playwright, chromium)
        try:
            page, errors = signed_in_page(browser, base, 1280, 800)
            page.goto(f"{base}/admin/articles/article/")
            page.locator("#result_list").wait_for()
            assert scroll_width(page) <= 1280, overflow(page)
            page.goto(f"{base}/admin/articles/article/{story.pk}/change/")
            title = page.locator("#id_title")
            title.wait_for()
            assert scroll_width(page) <= 1280, overflow(page)
            # The title box runs to the right edge of its form row (Django's own is 260 px).
            box, row = title.bounding_box(), page.locator(".form-row.field-title").bounding_box()
            assert box["width"] > 600
            assert row["x"] + row["width"] - (box["x"] + box["width"]) < 40
            assert errors == []
        finally:
            browser.close()


def test_a_phone_reads_the_changelist_and_edits_a_title(chromium, desk_site):
    from playwright.sync_api import sync_playwright

    from articles.models import Article

    base, story, _ = desk_site
    with sync_playwright() as playwright:
        browser = launch(playwright, chromium)
        try:
            page, errors = signed_in_page(browser, base, 390, 844)
            page.goto(f"{base}/admin/articles/article/")
            link = page.get_by_role("link", name=story.title)
            link.wait_for()
            assert scroll_width(page) <= 390, overflow(page)
            # The title and the status are on the screen, not cut off behind a scroll.
            for cell in [link, page.locator("#result_list td.field-status_display").first]:
                box = cell.bounding_box()
                assert box["x"] >= 0 and box["x"] + box["width"] <= 390
            link.click()
            title = page.locator("#id_title")
            title.wait_for()
            assert scroll_width(page) <= 390, overflow(page)
            box = title.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["width"] > 250
            title.fill("Harbour reopens: the first ships are in")
            # The story is live: "Publish changes" saves the working draft and makes it live.
            save = page.locator("input[name=_publish_changes]")
            save.scroll_into_view_if_needed()
            save.click()
            page.locator(".messagelist .success").wait_for()
            assert errors == []
        finally:
            browser.close()
    assert Article.objects.get(pk=story.pk).title == "Harbour reopens: the first ships are in"


def row_titles(page) -> list[str]:
    return page.locator("#related_links-group tr.form-row:not(.empty-form) .field-target select").evaluate_all(
        "selects => selects.map(s => s.selectedOptions[0] ? s.selectedOptions[0].textContent : '').filter(t => t)"
    )


def test_related_items_reorder_by_dragging_and_by_keyboard(chromium, desk_site):
    from playwright.sync_api import sync_playwright

    from articles.models import Article

    base, story, targets = desk_site
    first, second, stub = targets
    with sync_playwright() as playwright:
        browser = launch(playwright, chromium)
        try:
            page, errors = signed_in_page(browser, base, 1280, 800)
            page.goto(f"{base}/admin/articles/article/{story.pk}/change/")
            handles = page.locator("#related_links-group .nr-sortable-handle")
            handles.first.wait_for()
            assert row_titles(page) == [first.title, second.title, f"{stub.title} (not imported yet)"]
            # No position is shown or typed: the inputs are hidden, the rows carry no "#0".
            assert page.locator("#related_links-group input[name$='-position']:visible").count() == 0
            assert "(#" not in page.locator("#related_links-group").inner_text()
            # Drag the stub (third) onto the first row: it takes the first place.
            handles.nth(2).scroll_into_view_if_needed()
            handles.nth(2).drag_to(page.locator("#related_links-group tr.form-row").first)
            assert row_titles(page)[0] == f"{stub.title} (not imported yet)"
            # The keyboard's way: the now-last row ("Fishing fleet…") moves up one place.
            page.locator("#related_links-group tr.form-row:not(.empty-form)").nth(2).get_by_role(
                "button", name="Move up"
            ).click()
            expected = [f"{stub.title} (not imported yet)", second.title, first.title]
            assert row_titles(page) == expected
            page.click("input[name=_publish_changes]")  # a live story: its draft, made live
            page.locator(".messagelist .success").wait_for()
            assert row_titles(page) == expected
            assert errors == []
        finally:
            browser.close()
    assert list(Article.objects.get(pk=story.pk).related_links.values_list("target_id", flat=True)) == [
        stub.pk,
        second.pk,
        first.pk,
    ]


def serious_violations(page) -> list[str]:
    """axe-core (shipped with axe-playwright-python) on `page`: its serious and critical violations."""
    import axe_playwright_python

    page.add_script_tag(path=str(Path(axe_playwright_python.__file__).parent / "axe.min.js"))
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    assert results["passes"], "axe checked nothing on this page"
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {node['target']}"
        for v in results["violations"]
        if v["impact"] in SERIOUS
        for node in v["nodes"]
    ]


def test_axe_finds_nothing_serious_on_the_desk_the_list_and_the_form(chromium, desk_site):
    from playwright.sync_api import sync_playwright

    base, story, _ = desk_site
    with sync_playwright() as playwright:
        browser = launch(playwright, chromium)
        try:
            # axe-core goes in as an inline script, which the admin's CSP refuses.
            page, errors = signed_in_page(browser, base, 1280, 800, bypass_csp=True)
            for path in ["/admin/", "/admin/articles/article/", f"/admin/articles/article/{story.pk}/change/"]:
                page.goto(f"{base}{path}")
                page.locator("#content").wait_for()
                violations = serious_violations(page)
                assert not violations, f"axe on {path}:\n" + "\n".join(violations)
            assert errors == []
        finally:
            browser.close()
