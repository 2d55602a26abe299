"""The focal point picker in a real browser (Debian's Chromium through Playwright): a click on
the image in the admin change form sets the focal point, and saving stores it."""

import pytest

from tests.browser_support import launch

pytestmark = pytest.mark.browser


@pytest.fixture
def editor_site(live_server, transactional_db):
    from django.contrib.auth.models import Permission

    from media.ingest import ingest_bytes
    from media.samples import draw_photo
    from tests.factories import UserFactory

    user = UserFactory(username="picker", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="media"))
    item = ingest_bytes(draw_photo(800, 400, seed=71), filename="wide.jpg", title="Wide shot")
    return live_server.url, item


def test_click_sets_the_focal_point(chromium, editor_site):
    from playwright.sync_api import sync_playwright

    from media.models import MediaItem

    base, item = editor_site
    with sync_playwright() as playwright:
        browser = launch(playwright, chromium)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            errors = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"{base}/admin/login/?next=/admin/media/mediaitem/{item.pk}/change/")
            page.fill("#id_username", "picker")
            page.fill("#id_password", "pass-word-123")
            page.click("input[type=submit]")
            image = page.locator(".focal-picker img")
            image.wait_for()
            # Wait until the picture has loaded (its rendition is made on this first request).
            # Not with page.wait_for_function(string): when its condition is not already true it
            # polls by evaluating the string in the page, which the admin's CSP (no 'unsafe-eval')
            # refuses, so the test failed whenever the picture came later than the first check.
            # evaluate() runs a function through the browser's protocol, which the CSP allows.
            image.evaluate("img => img.decode()")
            # The picture may sit below the fold (the form's height depends on fonts): the locator
            # scrolls it into view, and the position is relative to the picture itself.
            image.scroll_into_view_if_needed()
            size = image.evaluate("img => ({width: img.clientWidth, height: img.clientHeight})")
            image.click(position={"x": size["width"] * 0.8, "y": size["height"] * 0.25})
            assert float(page.input_value("#id_focal_x")) == pytest.approx(0.8, abs=0.01)
            assert float(page.input_value("#id_focal_y")) == pytest.approx(0.25, abs=0.01)
            marker = page.locator(".focal-marker").evaluate("m => [m.style.left, m.style.top]")
            assert marker[0].startswith("80") and marker[1].startswith("25")
            page.click("input[name=_save]")
            page.wait_for_url("**/admin/media/mediaitem/")
            assert errors == []
        finally:
            browser.close()
    item = MediaItem.objects.get(pk=item.pk)
    assert (round(item.focal_x, 2), round(item.focal_y, 2)) == (0.8, 0.25)
