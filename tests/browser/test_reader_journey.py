"""A reader's journey in a real browser: home → section → video article → play → related story.

Drives Debian's Chromium through Playwright (never a downloaded browser) against the site served
by pytest-django's live server with the demo content, and runs axe-core's WCAG 2.2 AA rules on
every page: each must have no violation.
"""

from pathlib import Path

import pytest
from django.core.management import call_command

from tests.browser_support import launch

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

pytestmark = pytest.mark.browser


def axe_violations(page) -> list[str]:
    """axe-core (shipped with axe-playwright-python) run on `page`; one line per violating node."""
    import axe_playwright_python

    page.add_script_tag(path=str(Path(axe_playwright_python.__file__).parent / "axe.min.js"))
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    assert results["passes"], "axe checked nothing on this page"
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {node['target']}"
        for v in results["violations"]
        for node in v["nodes"]
    ]


def assert_accessible(page, where):
    violations = axe_violations(page)
    assert not violations, f"axe WCAG 2.2 AA violations on {where} ({page.url}):\n" + "\n".join(violations)


@pytest.fixture
def demo_site(settings, live_server, transactional_db):
    """The demo newsroom in the test database, served with its media."""
    settings.ROOT_URLCONF = "tests.browser.urls"
    call_command("load_demo", verbosity=0)
    return live_server.url


def test_reader_journey_with_video_and_no_accessibility_violations(chromium, demo_site):
    from playwright.sync_api import sync_playwright

    from articles.models import Article

    video = (
        Article.objects.live()
        .filter(kind="video", lead_media__isnull=False, related_links__isnull=False)
        .select_related("section")
        .distinct()
        .first()
    )
    assert video is not None, "the demo content has no live video article with a related list"
    top_section = video.section.ancestors_and_self()[0]
    # All database work happens above, before Playwright's event loop starts in this thread;
    # from here on only the live server's thread touches the database.

    with sync_playwright() as playwright:
        browser = launch(playwright, chromium)
        try:
            # axe-core goes in as an inline script, which the site's CSP refuses; the policy
            # itself is checked in tests/security/test_csp_browser.py.
            page = browser.new_page(viewport={"width": 390, "height": 844}, bypass_csp=True)
            errors = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))

            page.goto(demo_site + "/")
            assert page.locator("h1, h2").first.is_visible()
            assert_accessible(page, "home")
            # The checker itself works: an image without a text alternative is reported.
            page.evaluate("document.body.append(Object.assign(document.createElement('img'), {src: '/x.png'}))")
            assert any(line.startswith("image-alt") for line in axe_violations(page))
            page.reload()

            page.locator(f"a[href='{top_section.get_absolute_url()}']").first.click()
            page.wait_for_url(f"**{top_section.get_absolute_url()}")
            assert_accessible(page, "section page")

            article_link = page.locator(f"a[href='{video.get_absolute_url()}']").first
            if article_link.count():
                article_link.click()
            else:  # the video story may sit deeper in the section's list than one page
                page.goto(demo_site + video.get_absolute_url())
            page.wait_for_url(f"**{video.get_absolute_url()}")
            assert page.locator("h1").first.inner_text().strip().endswith(video.title)
            assert_accessible(page, "video article")

            player = page.locator("video").first
            assert player.get_attribute("controls") is not None
            assert player.get_attribute("poster")
            source = page.locator("video source[type='video/mp4']").first
            assert source.get_attribute("src")
            state = page.evaluate(
                """async () => {
                    const v = document.querySelector('video');
                    v.muted = true;
                    await v.play();
                    const start = performance.now();
                    while (v.currentTime <= 0.3 && !v.error && performance.now() - start < 10000) {
                        await new Promise(r => setTimeout(r, 100));
                    }
                            const track = v.textTracks[0];
                    while (track && !(track.cues && track.cues.length) && performance.now() - start < 10000) {
                        await new Promise(r => setTimeout(r, 100));
                    }
                    return {time: v.currentTime, paused: v.paused, error: v.error && v.error.code,
                            width: v.videoWidth, track: track && track.kind, mode: track && track.mode,
                            cues: track && track.cues ? track.cues.length : 0};
                }"""
            )
            # The captions track loads and its cues parse in the browser, shown by default.
            assert (state["track"], state["mode"], state["cues"]) == ("captions", "showing", 2), state
            assert state["error"] is None, f"the video failed to play (MediaError code {state['error']})"
            assert state["time"] > 0.3 and not state["paused"], f"the video did not advance: {state}"
            assert state["width"] > 0

            related = page.locator(".related a[href^='/news/']").first
            target = related.get_attribute("href")
            related.click()
            page.wait_for_url(f"**{target}")
            assert page.locator("h1").first.is_visible()
            assert_accessible(page, "related article")
            assert not errors, f"JavaScript errors: {errors}"
        finally:
            browser.close()
