"""The media library's admin pages in a real browser (Debian's Chromium through Playwright): the
chooser popup fits a 1280×800 window and hands back the id of a file uploaded in place; many
files upload at once with a progress bar each and a refusal naming why; a video's page plays."""

import pytest

from tests.browser_support import click_closing, launch

pytestmark = pytest.mark.browser

WINDOW = {"width": 1280, "height": 800}


@pytest.fixture
def library(live_server, transactional_db):
    from django.contrib.auth.models import Permission

    from media.ingest import ingest_bytes
    from media.samples import draw_photo
    from tests.factories import UserFactory

    user = UserFactory(username="librarian", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="media"))
    for n in range(30):
        ingest_bytes(draw_photo(240, 160, seed=500 + n), filename=f"p{n}.jpg", title=f"Picture {n}")
    return live_server.url


def stub_thumbnails(page):
    """Answer the grid's thumbnails with one small picture: dozens of renditions made at once
    would run their queries side by side on the live server's one SQLite connection, and the
    layout does not depend on them (each thumbnail's box has a fixed size)."""
    from media.samples import draw_photo

    picture = draw_photo(160, 120, seed=1)
    for pattern in ("**/media-renditions/**", "**/media/renditions/**"):
        page.route(pattern, lambda route: route.fulfill(body=picture, content_type="image/jpeg"))


def sign_in(page, base, next_path):
    page.goto(f"{base}/admin/login/?next={next_path}")
    page.fill("#id_username", "librarian")
    page.fill("#id_password", "pass-word-123")
    page.click("input[type=submit]")


def photo_file(name, seed):
    from media.samples import draw_photo

    return {"name": name, "mimeType": "image/jpeg", "buffer": draw_photo(320, 240, seed=seed)}


def test_the_chooser_popup_fits_the_window(chromium, library):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright, chromium)
        try:
            page = browser.new_page(viewport=WINDOW)
            stub_thumbnails(page)
            sign_in(page, library, "/admin/media/mediaitem/%3F_popup%3D1%26_to_field%3Did")
            page.locator(".media-chooser-grid").wait_for()
            assert page.locator(".media-chooser-grid .media-card").count() == 24
            height = page.evaluate("() => document.documentElement.scrollHeight")
            assert height <= WINDOW["height"]
            assert page.evaluate("() => document.documentElement.scrollWidth") <= WINDOW["width"]
            grid = page.locator(".media-chooser-grid").evaluate("g => [g.scrollHeight, g.clientHeight]")
            assert grid[0] > grid[1]  # the grid scrolls inside the window, the page does not
        finally:
            browser.close()


def test_a_file_uploaded_in_the_popup_is_chosen_by_the_protocol(chromium, library):
    from playwright.sync_api import sync_playwright

    from media.models import MediaItem

    with sync_playwright() as playwright:
        browser = launch(playwright, chromium)
        try:
            context = browser.new_context(viewport=WINDOW)
            stub_thumbnails(context)
            page = context.new_page()
            errors = []
            sign_in(page, library, "/admin/")
            page.locator("#content").wait_for()
            # The opener's side of Django's protocol, as an editor page defines it.
            page.evaluate(
                "() => { window.dismissRelatedLookupPopup = (win, id) => { window.chosen = id; win.close(); }; }"
            )
            with page.context.expect_page() as opened:
                page.evaluate(
                    "() => window.open('/admin/media/mediaitem/?_popup=1&_to_field=id', 'id_media__1',"
                    " 'width=1280,height=800')"
                )
            popup = opened.value
            popup.on("pageerror", lambda exc: errors.append(str(exc)))
            popup.locator(".media-chooser-upload[data-ready]").wait_for()  # its script is listening
            popup.set_input_files("#chooser-upload-file", [photo_file("new-arrival.jpg", 590)])
            card = popup.locator(".media-card-new a")
            card.wait_for()
            assert card.locator(".media-card-title").inner_text() == "new arrival"
            new_id = card.get_attribute("data-popup-opener")
            click_closing(popup, card)
            chosen = page.evaluate("() => window.chosen")
            # A card drawn by the server is chosen by the admin's own RelatedObjectLookups.js.
            with page.context.expect_page() as opened:
                page.evaluate(
                    "() => window.open('/admin/media/mediaitem/?_popup=1&_to_field=id&q=Picture+17',"
                    " 'id_media__1', 'width=1280,height=800')"
                )
            popup = opened.value
            popup.on("pageerror", lambda exc: errors.append(str(exc)))
            existing = popup.locator(".media-chooser-grid a[data-popup-opener]")
            popup.wait_for_load_state("load")  # the admin's script handles the cards once the page is ready
            assert existing.count() == 1
            click_closing(popup, existing.first)
            chosen_existing = page.evaluate("() => window.chosen")
            assert errors == []
        finally:
            browser.close()
    # Both kinds of card hand over the id alike (a number, as Django's script reads data attributes).
    assert chosen == int(new_id) == MediaItem.objects.get(title="new arrival").pk
    assert chosen_existing == MediaItem.objects.get(title="Picture 17").pk


def test_many_files_upload_with_progress_and_a_refusal_then_one_form_describes_them(chromium, library):
    from playwright.sync_api import expect, sync_playwright

    from media.models import MediaItem

    with sync_playwright() as playwright:
        browser = launch(playwright, chromium)
        try:
            page = browser.new_page(viewport=WINDOW)
            stub_thumbnails(page)
            errors = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            sign_in(page, library, "/admin/media/mediaitem/")
            page.click("a[href='/admin/media/mediaitem/upload/']")
            page.locator("form.media-bulk-upload[data-ready]").wait_for()  # its script is listening
            page.set_input_files(
                "#id_files",
                [
                    photo_file("harbour.jpg", 591),
                    {"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": b"<html><body>notes</body></html>"},
                ],
            )
            done = page.locator(".upload-row[data-state=done]")
            refused = page.locator(".upload-row[data-state=refused]")
            expect(done).to_have_count(1, timeout=60_000)
            expect(refused).to_have_count(1, timeout=60_000)
            assert done.locator(".upload-name").inner_text() == "harbour.jpg"
            assert done.locator("progress").evaluate("p => p.value") == 100
            expect(done.locator(".upload-status")).to_have_text("Uploaded")
            assert refused.locator(".upload-name").inner_text() == "notes.jpg"
            expect(refused.locator(".upload-status")).to_have_text(
                "Refused: “notes.jpg” is an HTML or XML document, whatever its name says: "
                "neither a JPEG, PNG or WebP image nor an MP4 video."
            )
            expect(page.locator(".upload-summary")).to_have_text("1 stored, 1 refused.")
            link = page.locator(".describe-link")
            expect(link).to_be_visible()
            link.click()
            page.fill("#id_credit", "Agency")
            page.fill("#id_items-0-alt_text", "Boats in the harbour at dawn")
            page.click("input[type=submit][value='Save descriptions']")
            page.wait_for_url("**/admin/media/mediaitem/")
            assert errors == []
        finally:
            browser.close()
    item = MediaItem.objects.get(title="harbour")
    assert (item.credit, item.alt_text) == ("Agency", "Boats in the harbour at dawn")
    assert not MediaItem.objects.filter(title="notes").exists()


def test_a_video_page_plays_the_video(chromium, library):
    from playwright.sync_api import sync_playwright

    from media.ingest import ingest_bytes
    from media.samples import encode_clip

    video = ingest_bytes(encode_clip(seconds=2, seed=592), filename="clip.mp4", title="Clip")
    with sync_playwright() as playwright:
        browser = launch(playwright, chromium)
        try:
            page = browser.new_page(viewport=WINDOW)
            sign_in(page, library, f"/admin/media/mediaitem/{video.pk}/change/")
            player = page.locator(".media-player video")
            player.wait_for()
            assert player.get_attribute("poster").endswith(f"/{video.poster_id}/w640.jpeg")
            # The file is private (no live story uses it): served to staff, the player reads it.
            state = player.evaluate(
                """v => new Promise(resolve => {
                    const answer = () => resolve({duration: v.duration, error: v.error && v.error.code});
                    if (v.readyState >= 1) { answer(); return; }
                    v.addEventListener("loadedmetadata", answer);
                    v.addEventListener("error", answer);
                    v.load();
                })"""
            )
            assert state["error"] is None
            assert state["duration"] == pytest.approx(2, abs=0.3)
        finally:
            browser.close()


def serious_axe_violations(page) -> list[str]:
    """axe-core's serious and critical WCAG 2.2 AA findings on `page`, one line per node."""
    from pathlib import Path

    import axe_playwright_python

    page.add_script_tag(path=str(Path(axe_playwright_python.__file__).parent / "axe.min.js"))
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
    )
    assert results["passes"], "axe checked nothing on this page"
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {node['target']}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
        for node in v["nodes"]
    ]


def test_the_media_pages_have_no_serious_accessibility_violation(chromium, library):
    from playwright.sync_api import expect, sync_playwright

    from media.ingest import ingest_bytes
    from media.models import MediaItem
    from media.samples import encode_clip

    video = ingest_bytes(encode_clip(seconds=1, seed=593), filename="clip.mp4", title="Clip")
    ids = ",".join(str(pk) for pk in MediaItem.objects.images().values_list("pk", flat=True)[:3])
    with sync_playwright() as playwright:
        browser = launch(playwright, chromium)
        try:
            # axe-core goes in as an inline script, which the admin's CSP refuses (the other
            # tests here run under the policy).
            page = browser.new_page(viewport=WINDOW, bypass_csp=True)
            stub_thumbnails(page)
            sign_in(page, library, "/admin/media/mediaitem/%3F_popup%3D1")
            page.locator(".media-chooser-grid").wait_for()
            found = serious_axe_violations(page)
            page.goto(f"{library}/admin/media/mediaitem/upload/")
            page.locator("form.media-bulk-upload[data-ready]").wait_for()
            page.set_input_files(
                "#id_files",
                [{"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": b"<html></html>"}],
            )
            expect(page.locator(".upload-row[data-state=refused]")).to_have_count(1, timeout=60_000)
            found += serious_axe_violations(page)
            page.goto(f"{library}/admin/media/mediaitem/upload/describe/?ids={ids}")
            found += serious_axe_violations(page)
            page.goto(f"{library}/admin/media/mediaitem/{video.pk}/change/")
            page.locator(".media-player video").wait_for()
            found += serious_axe_violations(page)
        finally:
            browser.close()
    assert not found, "\n".join(found)


def test_clicking_the_focal_point_moves_the_crop_previews(chromium, library):
    from playwright.sync_api import sync_playwright

    from media.ingest import ingest_bytes
    from media.samples import draw_photo

    item = ingest_bytes(draw_photo(800, 400, seed=594), filename="wide.jpg", title="Wide")
    with sync_playwright() as playwright:
        browser = launch(playwright, chromium)
        try:
            page = browser.new_page(viewport=WINDOW)
            stub_thumbnails(page)
            errors = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            sign_in(page, library, f"/admin/media/mediaitem/{item.pk}/change/")
            image = page.locator(".focal-picker img")
            image.wait_for()
            page.wait_for_load_state("load")  # focal.js has set the picker up
            image.evaluate("img => img.decode()")
            image.scroll_into_view_if_needed()
            size = image.evaluate("img => ({width: img.clientWidth, height: img.clientHeight})")
            image.click(position={"x": size["width"] * 0.6, "y": size["height"] * 0.5})
            square = page.locator(".focal-crop[data-ratio='1.00000'] img")
            assert square.evaluate("img => img.style.objectPosition") == "70% 50%"
            assert errors == []
        finally:
            browser.close()


def test_files_dropped_on_the_zone_are_uploaded(chromium, library):
    import base64

    from playwright.sync_api import expect, sync_playwright

    from media.samples import draw_photo

    picture = base64.b64encode(draw_photo(320, 240, seed=595)).decode()
    with sync_playwright() as playwright:
        browser = launch(playwright, chromium)
        try:
            page = browser.new_page(viewport=WINDOW)
            errors = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            sign_in(page, library, "/admin/media/mediaitem/upload/")
            page.locator("form.media-bulk-upload[data-ready]").wait_for()
            # What a drop from the desktop hands the page: a DataTransfer holding the file.
            page.locator(".media-dropzone").evaluate(
                """(zone, data) => {
                    const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
                    const transfer = new DataTransfer();
                    transfer.items.add(new File([bytes], "dropped.jpg", {type: "image/jpeg"}));
                    const init = {dataTransfer: transfer, bubbles: true, cancelable: true};
                    zone.dispatchEvent(new DragEvent("dragover", init));
                    zone.dispatchEvent(new DragEvent("drop", init));
                }""",
                picture,
            )
            done = page.locator(".upload-row[data-state=done]")
            expect(done).to_have_count(1, timeout=60_000)
            assert done.locator(".upload-name").inner_text() == "dropped.jpg"
            expect(page.locator(".describe-link")).to_be_visible()
            assert errors == []
        finally:
            browser.close()
