"""Issue 15's "Must show", end to end in Debian's Chromium, as an editor and then a reader would.

An editor writes a new story in the admin: section and title, a body with a heading, a link, a
bulleted list, an inline photo and an inline video (both chosen in the editor's "Insert media"
popup), two authors in the byline, three related stories dragged into a new order; then
publishes it with the desk's button. An anonymous reader then finds all of it on the public
page, in that order, and the first author's page lists the story.
"""

import time

import pytest
from playwright.sync_api import expect

from tests.browser_support import click_closing, launch
from tests.desk.conftest import PASSWORD

pytestmark = pytest.mark.browser

TITLE = "Harbour reopens as the first ferries return"
EDITOR = "document.querySelector('#id_body').richTextEditor"


@pytest.fixture
def newsroom(settings, live_server, chromium, editor):
    """The library's photo and video, two authors, three live stories and a section."""
    from tests.factories import ArticleFactory, AuthorFactory, SectionFactory
    from tests.site.conftest import make_image, make_video

    settings.ROOT_URLCONF = "tests.browser.urls"  # serves the test's MEDIA_ROOT
    settings.SITE_URL = ""
    photo = make_image(title="Ferries at the quay", caption="The first ferry docks.", credit="Reuters")
    clip = make_video(caption="The ferry comes in.", credit="AP")
    related = [
        ArticleFactory(title="Storm closes the harbour"),
        ArticleFactory(title="Fishing fleet waits out the storm"),
        ArticleFactory(title="Council votes to rebuild the quay"),
    ]
    return {
        "url": live_server.url,
        "chromium": chromium,
        "section": SectionFactory(name="Harbour desk", slug="harbour-desk"),
        "photo": photo,
        "clip": clip,
        # Created in the reverse of the byline's order, so that no default order passes for it.
        "authors": list(
            reversed(
                [
                    AuthorFactory(name="Omar Khalil", slug="omar-khalil"),
                    AuthorFactory(name="Sara Hamidi", slug="sara-hamidi"),
                ]
            )
        ),
        "related": related,
    }


def wait_until(page, expression: str, timeout: float = 20) -> None:
    """Poll `expression` (page.wait_for_function uses eval, which the admin's CSP refuses)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout} s: {expression}"
        page.wait_for_timeout(50)


def sign_in(browser, base):
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{base}/admin/login/?next=/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    return page, errors


def choose(page, select_name: str, text: str) -> None:
    """Pick `text` in the autocomplete (select2) widget of the select named `select_name`."""
    select = page.locator(f"select[name='{select_name}']")
    opener = select.locator("xpath=following-sibling::span[contains(@class, 'select2')]").locator(".select2-selection")
    opener.scroll_into_view_if_needed()
    opener.click()
    search = page.locator(".select2-container--open .select2-search__field")
    search.fill(text)
    option = page.locator(".select2-container--open .select2-results__option", has_text=text)
    expect(option).to_have_count(1)
    option.click()
    expect(select.locator("option:checked")).to_have_text(text)


def insert_media(page, item) -> None:
    """Where the cursor is, the item chosen in the editor's "Insert media" popup."""
    with page.expect_popup() as opened:
        page.get_by_role("button", name="Insert media").click()
    popup = opened.value
    popup.wait_for_load_state()
    click_closing(popup, popup.locator(f"a[data-popup-opener='{item.pk}']").first)
    page.locator(f".inline-media[data-media-id='{item.pk}']").wait_for()


def write_body(page, photo, clip) -> None:
    wait_until(page, f"Boolean(document.querySelector('#id_body') && {EDITOR})")
    prose = page.get_by_role("textbox", name="Body:")
    prose.scroll_into_view_if_needed()
    prose.click()
    page.keyboard.type("Ferries are back")
    page.keyboard.press("Control+Alt+2")
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("Read the port report.")
    page.keyboard.press("Shift+Home")
    wait_until(page, f"!{EDITOR}.state.selection.empty")
    page.locator(".prose-menubar button[title='insert link']").click()
    dialog = page.locator("dialog[open]")
    dialog.get_by_label("URL").fill("https://example.org/port-report")
    dialog.locator("button[type=submit]").click()
    wait_until(page, "document.querySelector('#id_body').value.includes('example.org/port-report')")
    page.evaluate(f"{EDITOR}.commands.focus('end')")
    page.keyboard.press("Enter")
    page.keyboard.type("- ferries run hourly")
    page.keyboard.press("Enter")
    page.keyboard.type("the quay is open")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    insert_media(page, photo)
    # The photo is selected: Enter opens an empty paragraph after it, which the video takes.
    page.keyboard.press("Enter")
    wait_until(page, f"{EDITOR}.state.selection.$from.parent.type.name === 'paragraph'")
    insert_media(page, clip)


def related_rows(page):
    return page.locator("#related_links-group tr.form-row:not(.empty-form)")


def related_titles(page) -> list[str]:
    return page.locator("#related_links-group tr.form-row:not(.empty-form) .field-target select").evaluate_all(
        "selects => selects.map(s => s.selectedOptions[0] ? s.selectedOptions[0].textContent : '').filter(t => t)"
    )


def add_row(group) -> None:
    """The inline's own "Add another …" button (not the widget's "add another author" popup link)."""
    rows = group.locator("tr.form-row:not(.empty-form)")
    count = rows.count()
    group.locator("tr.add-row a.addlink").click()
    expect(rows).to_have_count(count + 1)


def click_and_reload(page, button) -> None:
    """Click `button`, which submits a form, and wait for the new page (not the old one's messages)."""
    page.evaluate("document.documentElement.dataset.journeyStale = '1'")
    button.scroll_into_view_if_needed()
    button.click()
    expect(page.locator("html[data-journey-stale]")).to_have_count(0)
    page.wait_for_load_state()


def save_and_continue(page) -> None:
    click_and_reload(page, page.locator("input[name=_continue]"))
    expect(page.locator(".messagelist .success").first).to_be_visible()
    expect(page.locator(".errornote")).to_have_count(0)


def expect_related(page, titles: list[str], timeout: float = 20) -> None:
    """Wait until the related rows name `titles`, in this order."""
    deadline = time.monotonic() + timeout
    while (shown := related_titles(page)) != titles:
        assert time.monotonic() < deadline, f"related rows {shown}, expected {titles}"
        page.wait_for_timeout(50)


def write_and_publish(browser, site) -> list[str]:
    """The editor's part; the page's JavaScript errors."""
    base, section = site["url"], site["section"]
    first, second, third = site["related"]
    page, errors = sign_in(browser, base)
    page.goto(f"{base}/admin/articles/article/add/")
    choose(page, "section", section.name)
    page.fill("#id_title", TITLE)
    write_body(page, site["photo"], site["clip"])

    byline = page.locator("#bylines-group")
    byline.scroll_into_view_if_needed()
    choose(page, "bylines-0-author", site["authors"][0].name)
    add_row(byline)
    choose(page, "bylines-1-author", site["authors"][1].name)

    related = page.locator("#related_links-group")
    related.scroll_into_view_if_needed()
    for index, story in enumerate(site["related"]):
        if index:
            add_row(related)
        choose(page, f"related_links-{index}-target", story.title)
    save_and_continue(page)
    expect_related(page, [first.title, second.title, third.title])

    # Drag the third related story onto the first row: it takes the first place.
    handles = page.locator("#related_links-group .nr-sortable-handle")
    handles.nth(2).scroll_into_view_if_needed()
    handles.nth(2).drag_to(related_rows(page).first)
    expect_related(page, [third.title, first.title, second.title])
    save_and_continue(page)
    expect_related(page, [third.title, first.title, second.title])

    click_and_reload(page, page.get_by_role("button", name="Publish now"))
    expect(page.locator(".messagelist .success", has_text="Published.")).to_be_visible()
    expect(page.get_by_role("button", name="Publish now")).to_have_count(0)
    return errors


def body_outline(page) -> list[str]:
    """The story body's top-level elements, each as what a reader meets there."""
    return page.locator(".story-body").evaluate(
        """body => Array.from(body.children).map(e => {
            const tag = e.tagName.toLowerCase();
            if (tag === 'figure' && e.querySelector('video')) {
                return `video poster=${e.querySelector('video').getAttribute('poster') ? 'yes' : 'no'}`;
            }
            if (tag === 'figure') {
                return `picture img=${e.querySelector('picture img') ? 'yes' : 'no'}`;
            }
            if (tag === 'p' && e.querySelector('a')) {
                const link = e.querySelector('a');
                return `p link ${link.getAttribute('href')} "${link.textContent}"`;
            }
            if (tag === 'ul') {
                return `ul ${Array.from(e.querySelectorAll('li')).map(li => li.textContent.trim()).join(' | ')}`;
            }
            return `${tag} ${e.textContent.trim()}`;
        })"""
    )


def read_as_a_reader(browser, site, story_url: str) -> list[str]:
    """The reader's part, in a fresh context (no cookies); the page's JavaScript errors."""
    base = site["url"]
    sara, omar = site["authors"]
    first, second, third = site["related"]
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    response = page.goto(base + story_url)
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)

    assert body_outline(page) == [
        "h2 Ferries are back",
        'p link https://example.org/port-report "Read the port report."',
        "ul ferries run hourly | the quay is open",
        "picture img=yes",
        "video poster=yes",
    ]
    photo = page.locator(".story-body figure.inline-image img")
    photo.scroll_into_view_if_needed()
    expect(photo).to_be_visible()
    expect(photo).to_have_js_property("complete", True)
    assert photo.evaluate("img => img.naturalWidth") > 0, "the inline photo did not load"
    video = page.locator(".story-body figure.inline-video video")
    video.scroll_into_view_if_needed()
    expect(video).to_be_visible()
    expect(page.locator(".story-body figure.inline-video figcaption")).to_contain_text("The ferry comes in.")

    byline = page.locator("p.byline")
    expect(byline).to_have_text("By Sara Hamidi and Omar Khalil")
    links = byline.get_by_role("link")
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == [
        sara.get_absolute_url(),
        omar.get_absolute_url(),
    ]
    related = page.locator("aside.related li")
    expect(related).to_have_count(3)
    assert [item.strip() for item in related.locator("a").all_inner_texts()] == [
        third.title,
        first.title,
        second.title,
    ]

    byline.get_by_role("link", name="Sara Hamidi").click()
    page.wait_for_url(f"**{sara.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sara Hamidi")
    story_link = page.get_by_role("link", name=TITLE)
    story_link.scroll_into_view_if_needed()
    expect(story_link).to_be_visible()
    context.close()
    return errors


def test_an_editor_writes_and_publishes_a_story_a_reader_finds_it_whole(newsroom):
    from playwright.sync_api import sync_playwright

    from articles.models import Article

    before = set(Article.objects.values_list("pk", flat=True))
    # Two browser sessions, the database read between them (Playwright's sync API runs an event
    # loop, in which Django refuses database calls).
    with sync_playwright() as playwright:
        browser = launch(playwright, newsroom["chromium"])
        try:
            desk_errors = write_and_publish(browser, newsroom)
        finally:
            browser.close()
    story_url = Article.objects.exclude(pk__in=before).get().get_absolute_url()
    with sync_playwright() as playwright:
        browser = launch(playwright, newsroom["chromium"])
        try:
            reader_errors = read_as_a_reader(browser, newsroom, story_url)
        finally:
            browser.close()
    assert desk_errors == [] and reader_errors == [], (desk_errors, reader_errors)

    story = Article.objects.exclude(pk__in=before).get()
    assert story.title == TITLE and story.section == newsroom["section"]
    assert story.status == Article.Status.PUBLISHED
    assert Article.objects.live().filter(pk=story.pk).exists()
    assert Article.objects.filter(title=TITLE).count() == 1
    photo, clip = newsroom["photo"], newsroom["clip"]
    assert story.body.index(f'data-media-id="{photo.pk}"') < story.body.index(f'data-media-id="{clip.pk}"')
    assert list(story.bylines.order_by("position").values_list("author__name", flat=True)) == [
        "Sara Hamidi",
        "Omar Khalil",
    ]
    first, second, third = newsroom["related"]
    assert list(story.related_links.order_by("position").values_list("target_id", flat=True)) == [
        third.pk,
        first.pk,
        second.pk,
    ]
