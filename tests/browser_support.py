"""Debian's Chromium for the browser tests: where it is, how it starts, and what to do without it."""

import os
import threading
import urllib.request

import pytest

CHROMIUM = os.environ.get("NEWSROOM_CHROMIUM", "/usr/bin/chromium")
# Headless as root, with no background traffic (this network is closed to everything else).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_or_skip() -> str:
    """The Chromium path, or a skip with the reason (a failure when NEWSROOM_REQUIRE_BROWSER=1, as in CI)."""
    if os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    if os.environ.get("NEWSROOM_REQUIRE_BROWSER") == "1":
        pytest.fail(f"NEWSROOM_REQUIRE_BROWSER=1 but {CHROMIUM} is missing (apt-get install chromium)")
    pytest.skip(f"{CHROMIUM} not found: install Debian's chromium to run the browser tests")


def launch(playwright, executable_path: str):
    return playwright.chromium.launch(executable_path=executable_path, args=CHROMIUM_ARGS)


def wait_for_live_server_requests(timeout: float = 120, *, url: str | None = None) -> None:
    """Wait until the live server has finished every request the browser started.

    pytest-django's live server lives for the whole session and, on SQLite's in-memory test
    database, shares the test's connection. A request still running after a browser test (a
    rendition made on first view, a video range read) would otherwise run its transaction
    inside whatever test comes next; on a busy machine it did.

    With the server's `url`, one request of our own goes first: the server accepts connections
    in order, so once it is answered every connection the browser opened before has its thread.
    """
    if url is not None:
        with urllib.request.urlopen(f"{url}/robots.txt", timeout=timeout) as answer:
            answer.read()
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and "process_request_thread" in thread.name:
            thread.join(timeout)
            if thread.is_alive():
                raise RuntimeError(f"a live-server request was still running after {timeout:.0f} s")


def click_closing(popup, locator) -> None:
    """Click what closes its own window (choosing in the popup): the window may be gone before
    the click returns, so the close event, not the click, says it happened."""
    from playwright.sync_api import Error as PlaywrightError

    with popup.expect_event("close"):
        try:
            locator.click(no_wait_after=True)
        except PlaywrightError as error:
            if "closed" not in str(error):
                raise
