"""Issue #13 (low): the Content-Security-Policy holds on every kind of page in Chromium.

Home, a video story, search, the admin's sign-in page, its article form and the API docs are
opened in Debian's Chromium; every `securitypolicyviolation` event and every console message
about the policy is collected, and there must be none.
"""

import pytest
from django.core.management import call_command

from tests.browser_support import launch

pytestmark = pytest.mark.browser

LISTEN = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__cspViolations.push(
    `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`));
"""


@pytest.fixture
def demo_site(settings, live_server, transactional_db):
    settings.ROOT_URLCONF = "tests.browser.urls"
    call_command("load_demo", verbosity=0)
    return live_server.url


def test_no_page_breaks_the_content_security_policy(chromium, demo_site):
    from django.contrib.auth import get_user_model
    from playwright.sync_api import sync_playwright

    from articles import actions
    from articles.models import Article
    from tests.factories import UserFactory

    video = Article.objects.live().filter(kind="video", lead_media__isnull=False).first()
    assert video is not None, "the demo content has no live video story"
    UserFactory(
        username="desk",
        is_staff=True,
        perms=[
            "articles.change_article",
            "articles.view_article",
            "articles.publish_article",
            "articles.edit_any_article",
            "articles.view_revision",
            "media.view_mediaitem",
            "media.change_mediaitem",
        ],
    )
    assert get_user_model().objects.filter(username="desk").exists()
    video.summary += " Updated."
    actions.save_article(actor=None, article=video)  # a second revision, for the compare page
    older, newer = video.revisions.order_by("-number").values_list("number", flat=True)[:2][::-1]
    video_url, change_url = video.get_absolute_url(), f"/admin/articles/article/{video.pk}/change/"
    compare_url = f"/admin/articles/article/{video.pk}/revisions/compare/?a={older}&b={newer}"

    with sync_playwright() as playwright:
        browser = launch(playwright, chromium)
        try:
            page = browser.new_page()
            page.add_init_script(LISTEN)
            console = []
            page.on("console", lambda message: console.append(message.text))

            def visit(path, where):
                response = page.goto(demo_site + path)
                assert response.status == 200, f"{where}: {response.status}"
                assert "default-src 'self'" in response.headers["content-security-policy"]
                page.wait_for_load_state("networkidle")
                return page.evaluate("window.__cspViolations")

            found = {}
            found["home"] = visit("/", "home")
            found["video story"] = visit(video_url, "video story")
            found["search"] = visit("/search/?q=bridge", "search")
            found["admin sign-in"] = visit("/admin/login/", "admin sign-in")
            page.fill("#id_username", "desk")
            page.fill("#id_password", "pass-word-123")
            page.click("input[type=submit]")
            page.wait_for_url("**/admin/")
            found["admin index"] = page.evaluate("window.__cspViolations")
            found["admin change form"] = visit(change_url, "admin change form")
            found["article list"] = visit("/admin/articles/article/", "article list")
            found["media list"] = visit("/admin/media/mediaitem/", "media list")
            found["media form"] = visit(f"/admin/media/mediaitem/{video.lead_media_id}/change/", "media form")
            found["revisions"] = visit(change_url.replace("/change/", "/revisions/"), "revisions")
            found["compare"] = visit(compare_url, "compare")
            found["API docs"] = visit("/api/docs/", "API docs")
            swagger_drawn = page.locator(".swagger-ui .info").count() > 0
        finally:
            browser.close()

    policy_messages = [text for text in console if "Content Security Policy" in text]
    assert not any(found.values()) and not policy_messages, (found, policy_messages)
    assert swagger_drawn, "the API docs page drew nothing"
