"""Debian's Chromium for the browser tests: where it is, how it starts, and what to do without it."""

import os

import pytest

CHROMIUM = os.environ.get("NEWSROOM_CHROMIUM", "/usr/bin/chromium")
# Headless as root, with no background traffic (this network is closed to everything else).
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
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
