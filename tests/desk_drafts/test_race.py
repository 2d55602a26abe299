"""A draft save that loses the race after the form's own check (another editor's draft save
commits in between) gets the same conflict screen, the editor's text kept, nothing saved."""

import threading

import pytest
from django.db import connection, connections

from articles import actions
from tests.desk_drafts.conftest import change_url, draft_of, field_value, form_data

MINE = "<p>Water rose past the old mark by noon.</p>"
THEIRS = "Barrier holds as the water rises past the old mark"


@pytest.mark.django_db(transaction=True)
def test_a_draft_save_losing_the_race_after_the_form_check_gets_the_conflict_screen(people, login, live, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite transactions begin IMMEDIATE: the form's check and its save hold one write lock, "
            "so no other save can land between them"
        )
    actions.save_draft(actor=people["chief"], article=live, base_version=live.version, changes={"title": "First"})
    opened = form_data(live, body=MINE)
    real_save = actions.save_draft
    raced = []

    def other_editor_first(**kwargs):
        if not raced:
            raced.append(True)
            thread = threading.Thread(target=other_editor_saves)
            thread.start()
            thread.join()
        return real_save(**kwargs)

    def other_editor_saves():
        try:
            real_save(actor=people["chief"], article=live, draft_version=1, changes={"title": THEIRS})
        finally:
            connections.close_all()

    monkeypatch.setattr(actions, "save_draft", other_editor_first)
    response = login(people["editor"]).post(change_url(live), opened)

    assert raced and response.status_code == 200
    page = response.content.decode()
    assert "The working draft was changed by someone else since you opened it" in page
    assert field_value(page, "body") == MINE and field_value(page, "draft_version") == "2"
    draft = draft_of(live)
    assert (draft.version, draft.data["title"]) == (2, THEIRS) and draft.data["body"] != MINE
