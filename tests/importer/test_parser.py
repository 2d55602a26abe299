"""Parsing legacy pages: header, dateline, body, sign-off, language and the related-list dump."""

import re
from datetime import UTC, datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.legacy.dump import parse_dump
from articles.legacy.parser import NotALegacyPage, body_html, looks_like_signoff, parse_page, split_title
from articles.legacy.pictures import check_path, media_kind, upload_time
from tests.importer.conftest import FIXTURES
from tests.importer.pages import dump, item, page

TEHRAN = ZoneInfo("Asia/Tehran")


def parse(text: str, zone=TEHRAN):
    return parse_page(text.encode("utf-8"), "test.txt", zone)


def test_every_field_of_a_page_in_the_seed_format():
    parsed = parse_page((FIXTURES / "port_cranes.txt").read_bytes(), "port_cranes.txt", TEHRAN)
    assert parsed.sections == ["Yemen", "Economy", "Aden"]
    assert parsed.title == "Port cranes return to work at the container terminal"
    assert parsed.kind == "video"
    # Tehran was on summer time (+04:30) in July 2016.
    assert parsed.published_at == datetime(2016, 7, 12, 4, 35, 30, tzinfo=UTC)
    assert parsed.signoff == "R/KN 3"
    assert parsed.language == "en"
    assert parsed.body.count("<p>") == 4
    assert parsed.body.startswith("<p>Three gantry cranes moved their first containers")
    assert "R/KN 3" not in parsed.body and "string(" not in parsed.body
    # 12 items in the dump, one repeating an id: 11 kept, in legacy sort order.
    assert [i.sort for i in parsed.related] == sorted(i.sort for i in parsed.related)
    assert len(parsed.related) == 11
    first = parsed.related[0]
    assert (first.legacy_id, first.title, first.content_type) == (
        4100101,
        "VIDEO: Fishing boats head out before the monsoon season",
        "21",
    )
    assert first.pic == "/2016/07/02/harbour_636030540000000000_25f_4x3.mp4"
    assert any("repeats id 4100122" in w for w in parsed.warnings)


def test_markup_in_the_text_is_escaped_not_kept():
    parsed = parse_page((FIXTURES / "port_cranes.txt").read_bytes(), "port_cranes.txt", TEHRAN)
    assert "<script>" not in parsed.body and "<b>" not in parsed.body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in parsed.body
    assert "&lt;b&gt;closed for repairs&lt;/b&gt;" in parsed.body
    assert "40 boxes an hour &amp; more" in parsed.body


def test_crlf_bom_and_arabic_script():
    raw = (FIXTURES / "arabic_crlf_bom.txt").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    parsed = parse_page(raw, "arabic.txt", TEHRAN)
    assert parsed.sections == ["اليمن", "اقتصاد"]
    assert parsed.title == "عودة الرافعات إلى العمل في ميناء عدن"
    assert parsed.language == "ar"
    assert parsed.signoff == "م/ع 3"
    assert "\r" not in parsed.body and parsed.body.count("<p>") == 2
    assert [i.legacy_id for i in parsed.related] == [4100299]


def test_timezone_of_the_datelines_is_a_parameter():
    text = page("Ferry timetable changes", dateline="Mon Feb 06, 2017 10:00:00")
    assert parse(text, ZoneInfo("UTC")).published_at == datetime(2017, 2, 6, 10, 0, tzinfo=UTC)
    assert parse(text, TEHRAN).published_at == datetime(2017, 2, 6, 6, 30, tzinfo=UTC)


def test_weekday_that_disagrees_with_the_date_is_a_warning():
    parsed = parse(page("Ferry timetable changes", dateline="Fri Feb 06, 2017 10:00:00"))
    assert parsed.published_at.date().isoformat() == "2017-02-06"
    assert any("says Fri" in w and "Monday" in w for w in parsed.warnings)
    assert not parse(page("Ferry timetable changes")).warnings


@pytest.mark.parametrize(
    "crumb, expected",
    [
        ("Iraq – Conflict – Mosul", ["Iraq", "Conflict", "Mosul"]),
        ("Iraq - Conflict - Mosul", ["Iraq", "Conflict", "Mosul"]),
        ("Iraq—Conflict—Mosul", ["Iraq", "Conflict", "Mosul"]),
        ("Syria – Conflict – Deir ez-Zor", ["Syria", "Conflict", "Deir ez-Zor"]),
    ],
)
def test_breadcrumb_separators(crumb, expected):
    assert parse(page("Ferry timetable changes", breadcrumb=crumb)).sections == expected


@pytest.mark.parametrize(
    "raw, title, kind",
    [
        ("VIDEO: Crews clear the road", "Crews clear the road", "video"),
        ("video:Crews clear the road", "Crews clear the road", "video"),
        ("PHOTOS: Crews clear the road", "Crews clear the road", "photo"),
        ("Photos : Crews clear the road", "Crews clear the road", "photo"),
        ("Crews clear the road: day two", "Crews clear the road: day two", "text"),
    ],
)
def test_title_label_becomes_the_kind(raw, title, kind):
    assert split_title(raw) == (title, kind)


def test_signoff_only_when_it_looks_like_one():
    assert looks_like_signoff("S/SH 11") and looks_like_signoff("م/ع 3") and looks_like_signoff("KN 4")
    assert not looks_like_signoff("Traffic resumed by noon")
    assert not looks_like_signoff("Officials said the work was done.")
    parsed = parse(page("Ferry timetable changes", paragraphs=("First.", "Last words here"), signoff="Final line"))
    assert parsed.signoff == ""
    assert "Final line" in parsed.body


def test_last_line_is_the_signoff_when_there_is_no_dump():
    parsed = parse(page("Ferry timetable changes", signoff="M/AH 7"))
    assert parsed.signoff == "M/AH 7" and parsed.related == []


@pytest.mark.parametrize(
    "text, reason",
    [
        ("Just some notes\n\nwith no dateline at all\n", "no dateline"),
        ("Thu Mar 24, 2016 14:18:09\n\nA body without a title\n", "no title"),
        ("", "empty"),
        ("Iraq\n\nTitle\n\nThu Feb 30, 2016 14:18:09\n", "not a real date"),
    ],
)
def test_a_file_that_is_not_a_page_says_why(text, reason):
    with pytest.raises(NotALegacyPage, match=reason):
        parse(text)


def test_binary_and_non_utf8_files_are_refused():
    with pytest.raises(NotALegacyPage, match="not UTF-8"):
        parse_page(b"\xff\xfe\x00I\x00r", "x.txt", TEHRAN)
    with pytest.raises(NotALegacyPage, match="binary"):
        parse_page(b"Iraq\x00\x00", "x.txt", TEHRAN)


def test_dump_with_correct_length_has_no_warnings():
    result = parse_dump(dump([item(11, "One"), item(12, "Two")]))
    assert [i.legacy_id for i in result.items] == [11, 12]
    assert result.warnings == []


def test_truncated_dump_keeps_every_complete_item_and_says_what_was_lost():
    parsed = parse_page((FIXTURES / "truncated_dump.txt").read_bytes(), "truncated.txt", TEHRAN)
    assert [i.legacy_id for i in parsed.related] == [4100301, 4100302, 4100303]
    assert any("declares 633 bytes but holds 501" in w for w in parsed.warnings)
    assert any("cut short" in w and "kept 3 complete" in w for w in parsed.warnings)
    assert parsed.title == "Coastal bus line runs again"


def test_corrupt_item_in_the_middle_is_skipped_and_the_rest_kept():
    good = dump([item(21, "First"), item(22, "Second"), item(23, "Third")])
    broken = good.replace('"id":"22","sort"', '"id":"22",sort')
    result = parse_dump(broken)
    assert [i.legacy_id for i in result.items] == [21, 23]
    assert any("damaged bytes skipped" in w for w in result.warnings)


def test_items_without_id_or_title_are_dropped_with_a_warning():
    result = parse_dump(dump([{"id": "x", "title": "No id"}, {"id": "31"}, item(32, "Kept")]))
    assert [i.legacy_id for i in result.items] == [32]
    assert len(result.warnings) == 2


def test_picture_paths_decode_the_upload_time_and_kind():
    path = "/2016/03/06/alalam_635929008798548103_25f_4x3.mp4"
    assert media_kind(path) == "video"
    # .NET ticks: 100 ns units since 0001-01-01 (UTC).
    assert upload_time(path) == datetime(1, 1, 1, tzinfo=UTC) + timedelta(microseconds=635929008798548103 // 10)
    assert upload_time(path) == datetime(2016, 3, 6, 22, 41, 19, 854810, tzinfo=UTC)
    assert media_kind("/2016/03/06/a_1_25f_4x3.JPG") == "image"
    assert upload_time("/2016/03/06/no-ticks.jpg") == datetime(2016, 3, 6, tzinfo=UTC)
    assert check_path("/../../etc/passwd.jpg") and check_path("relative/a.jpg") and check_path("/2016/a.txt")
    assert check_path(path) is None


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1).map(str.strip).filter(bool),
        min_size=1,
        max_size=4,
    )
)
def test_any_legacy_text_stays_text(paragraphs):
    """Whatever characters a paragraph holds, the stored body shows exactly that text, no markup."""
    html = body_html(paragraphs)
    inner = re.findall(r"<p>(.*?)</p>", html, flags=re.S)
    assert len(inner) == len(paragraphs)
    for shown, original in zip(inner, paragraphs, strict=True):
        assert "<" not in shown
        assert unescape(shown) == original
