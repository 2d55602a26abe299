"""The strongest form of the matrix: adding all the private work (a working draft, a scheduled
draft, autosaves, notes, media used only by the draft) changes no public response at all. Every
public surface answers byte for byte what it answered before, once the per-request CSP nonce is
set aside."""

import re

import pytest

from tests.leaks.conftest import add_private_work, count_checks
from tests.leaks.test_matrix import SURFACES, viewers

pytestmark = pytest.mark.django_db

NONCE = re.compile(r'nonce="[^"]*"|nonce-[A-Za-z0-9+/=_-]+')
UNCHANGED = [surface for surface in SURFACES if not surface[0].startswith("share link")]


def bodies(world) -> dict[str, str]:
    found = {}
    for viewer, client in viewers().items():
        for name, url, *_ in UNCHANGED:
            response = client.get(url(world))
            assert response.status_code == 200, f"{name} ({viewer}) answered {response.status_code}"
            found[f"{name} ({viewer})"] = NONCE.sub("nonce", response.content.decode())
    return found


def test_private_work_changes_no_public_response(public_world, settings):
    settings.PAGE_CACHE_SECONDS = 0  # every answer made afresh, from the database
    before = bodies(public_world)
    add_private_work(public_world)
    after = bodies(public_world)
    changed = [where for where in before if before[where] != after[where]]
    assert not changed, f"changed by private work: {changed}"
    count_checks(len(before))
