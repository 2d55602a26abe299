"""The sign-off line rule, exactly as articles/signoffs.py states it: the desk codes of writer,
editor and approver, in that order, each once, joined by "/"; the publisher's apart; people
without a code left out; the typed text when nobody in the chain has a code."""

import pytest

from articles.models import Article
from articles.signoffs import signoff_line
from articles.validators import validate_signoff


def entry(role, code, pk=1):
    return {"role": role, "user": {"id": pk, "username": f"u{pk}", "name": f"U {pk}"}, "signoff": code}


@pytest.mark.parametrize(
    ("chain", "typed", "line"),
    [
        ([entry("writer", "S"), entry("editor", "SH")], "", "S/SH"),
        ([entry("writer", "S"), entry("editor", "SH"), entry("approver", "AB")], "", "S/SH/AB"),
        # role order, whatever the order of the list
        ([entry("approver", "AB"), entry("editor", "SH"), entry("writer", "S")], "", "S/SH/AB"),
        # each code once
        ([entry("writer", "S"), entry("editor", "S"), entry("approver", "S")], "", "S"),
        ([entry("writer", "S"), entry("editor", "SH"), entry("approver", "S")], "", "S/SH"),
        # the publisher's code is kept apart
        ([entry("writer", "S"), entry("publisher", "PB")], "", "S"),
        # people without a code are left out
        ([entry("writer", ""), entry("editor", "SH")], "", "SH"),
        ([entry("writer", "S"), entry("editor", ""), entry("approver", "AB")], "", "S/AB"),
        # codes win over what was typed
        ([entry("writer", "S")], "typed 1", "S"),
        # nobody with a code: what was typed stays
        ([entry("writer", ""), entry("editor", "")], "AP/RT 7", "AP/RT 7"),
        ([entry("publisher", "PB")], "AP/RT 7", "AP/RT 7"),
        ([], "AP/RT 7", "AP/RT 7"),
        ([], "", ""),
        # codes that are themselves made of parts
        ([entry("writer", "R/TA"), entry("editor", "E/DH")], "", "R/TA/E/DH"),
    ],
)
def test_the_line_rule(chain, typed, line):
    assert signoff_line(chain, typed) == line


def test_a_long_line_keeps_whole_codes_and_stays_a_valid_signoff():
    """The field holds 32 characters: codes that do not fit are left out whole, never cut."""
    chain = [entry("writer", "ABCDEFGHIJ 12"), entry("editor", "KLMNOPQRST 34"), entry("approver", "UVWXYZ 56")]
    line = signoff_line(chain)
    limit = Article._meta.get_field("signoff").max_length
    assert line == "ABCDEFGHIJ 12/KLMNOPQRST 34"
    assert len(line) <= limit
    validate_signoff(line)
