"""The steps of `parse_page` and of the related-list reader, each on a small input."""

import pytest

from articles.legacy.dump import parse_dump
from articles.legacy.parser import (
    NotALegacyPage,
    find_dateline,
    header_lines,
    read_breadcrumb,
    read_title,
    split_related,
    split_signoff,
)
from tests.importer.pages import dump, item

DATELINE = "Mon Feb 06, 2017 10:00:00"


def test_header_lines_are_the_first_three_that_are_not_blank():
    lines = ["", "  Oman – Trade ", "", "Port opens", DATELINE, "Body."]
    assert header_lines(lines) == [(1, "Oman – Trade"), (3, "Port opens"), (4, DATELINE)]
    assert header_lines(["", "  ", ""]) == []


def test_the_dateline_comes_second_or_third():
    assert find_dateline([(0, "Oman – Trade"), (1, "Port opens"), (2, DATELINE)]) == 2
    assert find_dateline([(0, "Port opens"), (1, DATELINE), (2, "Body.")]) == 1


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ([], "empty file"),
        ([(0, DATELINE), (1, "Port opens")], "no title before the dateline"),
        ([(0, "Oman"), (1, "Port opens"), (2, "Body.")], "no dateline"),
    ],
)
def test_a_header_without_its_dateline_in_place_says_why(header, reason):
    with pytest.raises(NotALegacyPage, match=reason):
        find_dateline(header)


def test_the_title_line_gives_title_and_kind_and_refuses_empty_or_long_ones():
    assert read_title("VIDEO:  Port   opens") == ("Port opens", "video")
    assert read_title("Port opens") == ("Port opens", "text")
    with pytest.raises(NotALegacyPage, match="the title is empty"):
        read_title("PHOTOS: ")
    with pytest.raises(NotALegacyPage, match="301 characters long"):
        read_title("x" * 301)


def test_the_breadcrumb_names_the_sections_or_archive_with_a_warning():
    warnings = []
    assert read_breadcrumb("Syria – Deir ez-Zor - Floods", warnings) == ["Syria", "Deir ez-Zor", "Floods"]
    assert warnings == []
    assert read_breadcrumb("", warnings) == ["Archive"]
    assert warnings == ["no breadcrumb; filed under “Archive”"]
    with pytest.raises(NotALegacyPage, match="longer than 100 characters"):
        read_breadcrumb("Oman – " + "x" * 101, [])


def test_the_related_list_is_split_off_the_end_of_the_page():
    lines = ["", "First paragraph.", "", "A/JB 14", "", dump([item(7101, "Ferries add a run")]), ""]
    warnings = []
    rest, related = split_related(lines, warnings)
    assert rest == ["", "First paragraph.", "", "A/JB 14", ""]
    assert [(i.legacy_id, i.title) for i in related] == [(7101, "Ferries add a run")]
    assert warnings == []
    assert split_related(["Only text."], warnings) == (["Only text."], [])


def test_the_related_lists_warnings_join_the_pages():
    warnings = []
    split_related(['string(10) "[{"id":"7101","title":"Ferries"} ]"'], warnings)
    assert warnings == ["related list declares 10 bytes but holds 34"]


def test_the_signoff_is_the_last_block_when_it_looks_like_one():
    assert split_signoff(["One.", "Two.", "S/SH 11"]) == (["One.", "Two."], "S/SH 11")
    assert split_signoff(["One.", "The end of the story."]) == (["One.", "The end of the story."], "")
    assert split_signoff([]) == ([], "")


@pytest.mark.parametrize(
    ("payload", "titles", "warning"),
    [
        ('  [{"id":"1","title":"A"} ]', ["A"], None),
        ('{"id":"1","title":"A"} ]', ["A"], "does not start with “[”"),
        ('[{"id":"1","title":"A"} ,{"id":"2","ti', ["A"], "cut short: kept 1 complete item(s), lost 13 bytes"),
        ('[{"id":"1","title":"A"} ,{"id":"2","title":"B"}', ["A", "B"], "cut short after 2 complete item(s)"),
        ('[{"id":"1",,"title":"A"} ,{"id":"2","title":"B"} ]', ["B"], "25 damaged bytes skipped after item 0"),
        ('[{"id":"1","title":"A"} ] trailing', ["A"], "8 unexpected bytes after the closing “]”"),
    ],
)
def test_damaged_related_lists_keep_every_complete_item(payload, titles, warning):
    parsed = parse_dump(f'string({len(payload.encode())}) "{payload}"')
    assert [i.title for i in parsed.items] == titles
    if warning is None:
        assert parsed.warnings == []
    else:
        assert len(parsed.warnings) == 1 and warning in parsed.warnings[0], parsed.warnings
