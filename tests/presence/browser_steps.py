"""Steps the working-together browser tests share: an editor signed in in a browser context of
their own, and a story's change form opened there."""

from tests.roles import PASSWORD


def signed_in(browser, base: str, username: str):
    """A new browser context signed in to the admin as `username`: (context, page, JS errors)."""
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"{username}: {exc}"))
    page.goto(f"{base}/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    return context, page, errors


def open_story(page, base: str, article_id: int) -> None:
    page.goto(f"{base}/admin/articles/article/{article_id}/change/")
    page.locator("#nr-together").wait_for(state="attached")
