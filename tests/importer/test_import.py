"""Importing legacy pages: links, stubs, identity, re-import, failures and the command's report."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.legacy.records import PageRecords
from articles.legacy.rows import Rows
from articles.models import Article, AuditEntry, RelatedLink, Revision, Section
from articles.revisions import snapshot
from media.models import MediaItem
from tests.factories import ArticleFactory, UserFactory, jpeg_bytes
from tests.importer.pages import item, page, write

pytestmark = pytest.mark.django_db(transaction=False)

PORT = "Port cranes return to work at the container terminal"


def test_seed_format_page_imports_every_field(import_legacy, fixture_page):
    run = import_legacy(fixture_page("port_cranes.txt"))
    assert run.exit_code == 0
    article = Article.objects.get(title=PORT)
    assert run.line_for("port_cranes.txt").startswith(f"created   {fixture_page('port_cranes.txt')} → #{article.pk}")
    assert article.status == Article.Status.PUBLISHED and not article.is_stub
    assert article.is_live()
    assert article.kind == "video" and article.legacy_title == f"VIDEO: {PORT}"
    assert article.section.path_names() == ["Yemen", "Economy", "Aden"]
    assert article.published_at.isoformat() == "2016-07-12T04:35:30+00:00"
    assert article.signoff == "R/KN 3" and article.language == "en"
    # The page listed itself (same title): it learns its own legacy id, and the link is dropped.
    assert article.legacy_id == 4100299
    assert "1 created, 0 updated, 0 unchanged, 0 failed" in run.output


def test_ten_related_links_in_sort_order(import_legacy, fixture_page):
    import_legacy(fixture_page("port_cranes.txt"))
    article = Article.objects.get(title=PORT)
    links = list(article.related_links.select_related("target"))
    assert [link.position for link in links] == list(range(10))
    assert [link.target.legacy_sort for link in links] == list(range(5200011, 5200021))
    assert [link.target.legacy_id for link in links][:3] == [4100101, 4100122, 4100131]
    assert links[0].target.title == "Fishing boats head out before the monsoon season"
    assert links[0].target.kind == "video" and links[2].target.kind == "photo"


def test_unknown_related_items_become_stubs_that_hold_what_the_item_said(import_legacy, fixture_page):
    import_legacy(fixture_page("port_cranes.txt"))
    stub = Article.objects.get(legacy_id=4100101)
    assert stub.is_stub and stub.status == Article.Status.DRAFT and not stub.is_live()
    assert (stub.title, stub.kind, stub.legacy_sort) == (
        "Fishing boats head out before the monsoon season",
        "video",
        5200011,
    )
    media = stub.lead_media
    assert media.legacy_path == "/2016/07/02/harbour_636030540000000000_25f_4x3.mp4"
    assert media.kind == "video" and media.file_missing and media.url is None
    assert media.uploaded_at.isoformat() == "2016-07-02T11:00:00+00:00"  # .NET ticks 636030540000000000
    assert Article.objects.stubs().count() == 10
    assert Article.objects.live().count() == 1
    assert MediaItem.objects.filter(file_missing=True).count() == 11


def test_related_list_on_the_site_shows_live_targets_only(
    import_legacy, fixture_page, tmp_path, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        import_legacy(fixture_page("port_cranes.txt"))
    article = Article.objects.get(title=PORT)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Fishing boats head out" not in html  # still a stub: no dead link
    assert "Customs office opens a second inspection lane" not in html
    write(
        tmp_path,
        "boats.txt",
        page("VIDEO: Fishing boats head out before the monsoon season", dateline="Sat Jul 02, 2016 08:00:00"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert "filled the stub" in import_legacy(tmp_path / "boats.txt").lines[0]
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Fishing boats head out before the monsoon season" in html
    assert "Customs office opens a second inspection lane" not in html


def test_markup_in_a_page_shows_as_text(import_legacy, fixture_page, client):
    import_legacy(fixture_page("port_cranes.txt"))
    article = Article.objects.get(title=PORT)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article.body
    html = client.get(article.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert "&lt;b&gt;closed for repairs&lt;/b&gt;" in html and "<b>closed" not in html


def test_crlf_bom_arabic_page(import_legacy, fixture_page):
    run = import_legacy(fixture_page("arabic_crlf_bom.txt"))
    assert run.exit_code == 0
    article = Article.objects.get(title="عودة الرافعات إلى العمل في ميناء عدن")
    assert article.language == "ar" and article.text_direction == "rtl"
    assert article.signoff == "م/ع 3"
    assert article.section.name == "اقتصاد" and article.section.parent.name == "اليمن"
    assert article.published_at.isoformat() == "2016-07-13T14:10:00+00:00"
    assert "\r" not in article.body and "\ufeff" not in article.title


def test_truncated_dump_is_salvaged_and_the_page_imported(import_legacy, fixture_page):
    run = import_legacy(fixture_page("truncated_dump.txt"))
    assert run.exit_code == 0
    line = run.line_for("truncated_dump.txt")
    assert line.startswith("created") and "declares 633 bytes but holds 501" in line and "kept 3 complete" in line
    article = Article.objects.get(title="Coastal bus line runs again")
    assert list(article.related_links.values_list("target__legacy_id", flat=True)) == [4100301, 4100302, 4100303]


def test_stub_then_page_resolve_to_one_article(import_legacy, fixture_page):
    """The Arabic page lists the port story first: a stub; the port page then fills that same row."""
    import_legacy(fixture_page("arabic_crlf_bom.txt"))
    stub = Article.objects.get(legacy_id=4100299)
    assert stub.is_stub and stub.title == PORT
    arabic = Article.objects.get(language="ar")
    run = import_legacy(fixture_page("port_cranes.txt"))
    assert "filled the stub" in run.line_for("port_cranes.txt")
    filled = Article.objects.get(pk=stub.pk)
    assert not filled.is_stub and filled.status == Article.Status.PUBLISHED and filled.is_live()
    assert filled.legacy_id == 4100299 and filled.lead_media_id == stub.lead_media_id
    assert filled.body.startswith("<p>Three gantry cranes")
    assert Article.objects.filter(title=PORT).count() == 1
    assert list(arabic.related_links.values_list("target_id", flat=True)) == [stub.pk]
    assert filled.related_links.count() == 10


def test_page_then_reference_resolve_to_one_article(import_legacy, fixture_page):
    import_legacy(fixture_page("port_cranes.txt"), fixture_page("arabic_crlf_bom.txt"))
    port = Article.objects.get(title=PORT)
    arabic = Article.objects.get(language="ar")
    assert list(arabic.related_links.values_list("target_id", flat=True)) == [port.pk]
    assert (
        Article.objects.filter(title=PORT).count() == 1
        and not Article.objects.filter(title=PORT, is_stub=True).exists()
    )


def test_reference_by_title_gives_an_existing_article_its_legacy_id(import_legacy, tmp_path):
    own = ArticleFactory(title="Harbour master retires after thirty years")
    write(
        tmp_path,
        "a.txt",
        page("New harbour master named", related=[item(7001, "Harbour master retires after thirty years")]),
    )
    run = import_legacy(tmp_path)
    assert run.exit_code == 0
    own.refresh_from_db()
    assert own.legacy_id == 7001 and not own.is_stub
    assert Article.objects.get(title="New harbour master named").related_links.get().target_id == own.pk
    assert AuditEntry.objects.filter(article=own, action="import", details__matched_by="title").exists()


def test_ambiguous_title_makes_a_stub_instead_of_guessing(import_legacy, tmp_path):
    ArticleFactory(title="Weekly market report")
    ArticleFactory(title="Weekly market report")
    write(tmp_path, "a.txt", page("Prices steady at the fish market", related=[item(7002, "Weekly market report")]))
    import_legacy(tmp_path)
    target = Article.objects.get(title="Prices steady at the fish market").related_links.get().target
    assert target.is_stub and target.legacy_id == 7002
    assert not Article.objects.filter(title="Weekly market report", legacy_id__isnull=False, is_stub=False).exists()


def test_reimport_is_a_no_op(import_legacy, fixture_page, django_capture_on_commit_callbacks):
    first = import_legacy(fixture_page("port_cranes.txt"), fixture_page("arabic_crlf_bom.txt"))
    assert first.exit_code == 0
    counts = [m.objects.count() for m in (Article, RelatedLink, Revision, AuditEntry, MediaItem, Section)]
    versions = dict(Article.objects.values_list("pk", "version"))
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks() as callbacks:
        again = import_legacy(fixture_page("port_cranes.txt"), fixture_page("arabic_crlf_bom.txt"))
    assert again.exit_code == 0
    assert all(line.startswith("unchanged") for line in again.lines[:2]), again.output
    assert "0 created, 0 updated, 2 unchanged, 0 failed" in again.output
    writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []
    assert [m.objects.count() for m in (Article, RelatedLink, Revision, AuditEntry, MediaItem, Section)] == counts
    assert dict(Article.objects.values_list("pk", "version")) == versions
    assert callbacks == []  # nothing announced either


def test_changed_page_is_updated_in_place(import_legacy, tmp_path):
    path = write(
        tmp_path,
        "a.txt",
        page("Ferry timetable changes", paragraphs=("Old text.",), related=[item(7101, "Ferries add an evening run")]),
    )
    import_legacy(path)
    article = Article.objects.get(title="Ferry timetable changes")
    write(
        tmp_path,
        "a.txt",
        page(
            "Ferry timetable changes",
            paragraphs=("New text.",),
            related=[item(7102, "Ferry fares rise"), item(7101, "Ferries add an evening run")],
        ),
    )
    run = import_legacy(path)
    assert run.lines[0].startswith("updated")
    article.refresh_from_db()
    assert article.body == "<p>New text.</p>" and article.version == 2
    assert list(article.related_links.values_list("target__legacy_id", flat=True)) == [7101, 7102]
    assert Article.objects.filter(title="Ferry timetable changes").count() == 1
    assert list(article.revisions.values_list("number", flat=True)) == [2, 1]
    assert article.revisions.first().data == snapshot(article)


def test_revision_and_audit_for_an_import(import_legacy, tmp_path):
    write(tmp_path, "a.txt", page("Ferry timetable changes", related=[item(7201, "Ferries add an evening run")]))
    import_legacy(tmp_path)
    article = Article.objects.get(title="Ferry timetable changes")
    revision = article.revisions.get()
    assert revision.number == 1 and revision.data == snapshot(article)
    entry = AuditEntry.objects.get(article=article)
    assert (entry.action, entry.from_status, entry.to_status, entry.actor) == ("import", "", "published", None)
    assert (entry.object_repr, entry.details["file"][-5:]) == ("Ferry timetable changes", "a.txt")
    stub = Article.objects.get(legacy_id=7201)
    assert stub.revisions.get().data == snapshot(stub)
    stub_entry = AuditEntry.objects.get(article=stub, action="import")
    assert (stub_entry.to_status, stub_entry.object_repr) == ("draft", "Ferries add an evening run")


def test_pages_in_reverse_order_end_the_same(import_legacy, tmp_path):
    forward, backward = tmp_path / "f", tmp_path / "b"
    forward.mkdir()
    backward.mkdir()
    texts = [
        page("Bridge inspection begins", dateline="Mon Feb 06, 2017 08:00:00"),
        page(
            "Bridge inspection finds cracks",
            dateline="Tue Feb 07, 2017 08:00:00",
            related=[item(7301, "Bridge inspection begins")],
        ),
        page(
            "Bridge closed for repairs",
            dateline="Wed Feb 08, 2017 08:00:00",
            related=[item(7302, "Bridge inspection finds cracks"), item(7301, "Bridge inspection begins")],
        ),
    ]
    for n, text in enumerate(texts):
        write(forward, f"{n}.txt", text)
        write(backward, f"{9 - n}.txt", text)
    import_legacy(backward)
    assert Article.objects.stubs().count() == 0
    state = sorted(Article.objects.values_list("title", "legacy_id", "status"))
    links = sorted(RelatedLink.objects.values_list("source__title", "target__title", "position"))
    again = import_legacy(forward)
    assert all(line.startswith("unchanged") for line in again.lines[:3])
    assert sorted(Article.objects.values_list("title", "legacy_id", "status")) == state
    assert sorted(RelatedLink.objects.values_list("source__title", "target__title", "position")) == links
    assert [legacy for _, legacy, _ in state] == [None, 7301, 7302]  # closed, begins, finds cracks


def test_non_page_fails_cleanly_while_the_others_import(import_legacy, fixture_page):
    run = import_legacy(fixture_page(""))
    assert run.exit_code == 1
    line = run.line_for("not_a_page.txt")
    assert line.startswith("failed") and "not a legacy page: no dateline" in line
    assert "3 created, 0 updated, 0 unchanged, 1 failed" in run.output
    assert "not_a_page.txt" in run.error
    assert Article.objects.live().count() == 3


def test_media_files_are_copied_from_the_media_root(import_legacy, tmp_path):
    root = tmp_path / "legacy-media"
    good, bad = "/2017/02/03/desk_1_25f_4x3.jpg", "/2017/02/04/desk_2_25f_4x3.jpg"
    (root / "2017/02/03").mkdir(parents=True)
    (root / "2017/02/04").mkdir(parents=True)
    (root / good.lstrip("/")).write_bytes(jpeg_bytes(80, 60))
    (root / bad.lstrip("/")).write_bytes(b"this is not an image at all")
    write(
        tmp_path,
        "a.txt",
        page(
            "Ferry timetable changes",
            related=[
                item(7401, "Ferries add an evening run", pic=good),
                item(7402, "Ferry fares rise", pic=bad),
                item(7403, "Ferry crews train", pic="/../../outside/secret.jpg"),
            ],
        ),
    )
    run = import_legacy(tmp_path / "a.txt", media_root=str(root))
    assert run.exit_code == 0
    copied = MediaItem.objects.get(legacy_path=good)
    assert not copied.file_missing and (copied.width, copied.height) == (80, 60) and copied.url
    refused = MediaItem.objects.get(legacy_path=bad)
    assert refused.file_missing and not refused.file
    line = run.lines[0]
    assert f"media file {bad} refused" in line and "leaves the media folder" in line
    assert not MediaItem.objects.filter(legacy_path__contains="..").exists()
    assert Article.objects.get(legacy_id=7403).lead_media is None


def test_dry_run_writes_nothing(import_legacy, fixture_page, tmp_path):
    root = tmp_path / "legacy-media"
    (root / "2016/07/02").mkdir(parents=True)
    (root / "2016/07/02/harbour_636030540000000000_25f_4x3.mp4").write_bytes(b"not a video")
    run = import_legacy(fixture_page("port_cranes.txt"), dry_run=True, media_root=str(root))
    assert run.exit_code == 0 and run.lines[0].startswith("created")
    assert "Dry run: nothing was saved." in run.output
    assert Article.objects.count() == MediaItem.objects.count() == Section.objects.count() == 0
    assert Revision.objects.count() == AuditEntry.objects.count() == 0


def test_timezone_option_and_unknown_zone(import_legacy, tmp_path, settings):
    write(tmp_path, "a.txt", page("Ferry timetable changes", dateline="Mon Feb 06, 2017 10:00:00"))
    assert import_legacy(tmp_path, timezone="Nowhere/Atlantis").error.startswith("Unknown time zone")
    import_legacy(tmp_path, timezone="UTC")
    assert Article.objects.get().published_at.isoformat() == "2017-02-06T10:00:00+00:00"
    Article.objects.all().delete()
    settings.TIME_ZONE = "Europe/London"
    import_legacy(tmp_path)
    assert Article.objects.get().published_at.isoformat() == "2017-02-06T10:00:00+00:00"


def test_import_as_a_user_needs_the_publish_permission(import_legacy, tmp_path, editor):
    write(tmp_path, "a.txt", page("Ferry timetable changes"))
    UserFactory(username="reporter", perms=["articles.add_article"])
    assert "may not publish" in import_legacy(tmp_path, user="reporter").error
    assert "No user named" in import_legacy(tmp_path, user="ghost").error
    assert Article.objects.count() == 0
    import_legacy(tmp_path, user="editor")
    article = Article.objects.get()
    assert article.created_by == editor and article.published_by == editor
    assert AuditEntry.objects.get(article=article).actor == editor


def test_missing_path_is_refused_before_anything_runs(import_legacy, tmp_path):
    run = import_legacy(tmp_path / "nowhere")
    assert run.exit_code == 1 and "No such file or folder" in run.error


def test_progress_bar_only_on_a_terminal(import_legacy, fixture_page, capsys, monkeypatch):
    import_legacy(fixture_page("arabic_crlf_bom.txt"))
    assert "page/s" not in capsys.readouterr().err
    Article.objects.all().delete()
    from django.core.management.base import OutputWrapper

    monkeypatch.setattr(OutputWrapper, "isatty", lambda self: True)
    run = import_legacy(fixture_page("arabic_crlf_bom.txt"))
    assert "100%" in capsys.readouterr().err
    assert run.exit_code == 0


def test_a_page_failing_midway_leaves_nothing_and_a_rerun_has_no_duplicates(import_legacy, tmp_path, monkeypatch):
    pages = [
        page("Bridge inspection begins", dateline="Mon Feb 06, 2017 08:00:00"),
        page(
            "Bridge inspection finds cracks",
            dateline="Tue Feb 07, 2017 08:00:00",
            related=[item(7501, "Bridge inspection begins"), item(7502, "Engineers order new steel")],
        ),
        page(
            "Bridge closed for repairs",
            dateline="Wed Feb 08, 2017 08:00:00",
            related=[item(7503, "Bridge inspection finds cracks"), item(7504, "Detour signs go up")],
        ),
    ]
    for n, text in enumerate(pages):
        write(tmp_path, f"{n}.txt", text)
    real = Rows.replace_links

    def crash_on_second_page(self, source_id, target_ids, **kwargs):
        real(self, source_id, target_ids, **kwargs)
        if Article.objects.filter(pk=source_id, title="Bridge inspection finds cracks").exists():
            raise RuntimeError("disk full")

    monkeypatch.setattr(Rows, "replace_links", crash_on_second_page)
    run = import_legacy(tmp_path)
    assert run.exit_code == 1
    assert run.line_for("1.txt").startswith("failed") and "RuntimeError: disk full" in run.line_for("1.txt")
    assert not Article.objects.filter(title="Bridge inspection finds cracks", is_stub=False).exists()
    assert not Article.objects.filter(legacy_id__in=[7502]).exists()  # its stub rolled back too
    assert Article.objects.get(title="Bridge inspection begins").legacy_id is None  # its adoption rolled back

    monkeypatch.setattr(Rows, "replace_links", real)
    rerun = import_legacy(tmp_path)
    assert rerun.exit_code == 0
    assert Article.objects.filter(is_stub=False).count() == 3
    titles = list(Article.objects.values_list("title", flat=True))
    assert len(titles) == len(set(titles)) == 5  # 3 pages + 2 stubs, each once
    assert Article.objects.get(title="Bridge inspection begins").legacy_id == 7501


class Killed(BaseException):
    """Stands for the process being stopped (like KeyboardInterrupt): not caught per page."""


def test_an_import_killed_midway_and_run_again_ends_with_no_duplicates(import_legacy, tmp_path, monkeypatch):
    for n in range(5):
        write(
            tmp_path,
            f"{n}.txt",
            page(
                f"Council session number {n}",
                dateline=f"Mon Feb 06, 2017 0{n}:00:00",
                related=[item(7600 + n, f"Council agenda {n}")],
            ),
        )
    real = PageRecords.flush
    calls = {"n": 0}

    def kill_on_third(self, rows, now):
        calls["n"] += 1
        if calls["n"] == 3:
            raise Killed
        real(self, rows, now)

    monkeypatch.setattr(PageRecords, "flush", kill_on_third)
    with pytest.raises(Killed):
        import_legacy(tmp_path)
    assert Article.objects.filter(is_stub=False).count() == 2
    assert not Article.objects.filter(title="Council session number 2").exists()
    assert not Article.objects.filter(legacy_id=7602).exists()

    monkeypatch.setattr(PageRecords, "flush", real)
    rerun = import_legacy(tmp_path)
    assert "3 created, 0 updated, 2 unchanged, 0 failed" in rerun.output
    assert Article.objects.filter(is_stub=False).count() == 5 and Article.objects.stubs().count() == 5
    assert Article.objects.values("title").distinct().count() == 10
    assert Revision.objects.count() == 10


def test_queries_per_page_do_not_grow_with_the_related_list(tmp_path, django_assert_max_num_queries, db):
    """A new page with 2 or 10 related items (all unknown: stubs) runs the same statements."""
    from zoneinfo import ZoneInfo

    from articles.legacy.context import ImportContext
    from articles.legacy.importer import import_page
    from articles.legacy.parser import parse_page

    context = ImportContext()
    zone = ZoneInfo("UTC")
    warm = parse_page(page("Warm-up page", breadcrumb="Oman – Trade").encode(), "w.txt", zone)
    import_page(page=warm, context=context)  # the section is cached from here on
    for size, first_id in ((2, 8000), (10, 8100)):
        related = [item(first_id + n, f"Related story {first_id + n}") for n in range(size)]
        parsed = parse_page(
            page(f"Page with {size} items", breadcrumb="Oman – Trade", related=related).encode(), "p.txt", zone
        )
        with django_assert_max_num_queries(12):
            result = import_page(page=parsed, context=context)
        assert result.status == "created"
        assert Article.objects.get(pk=result.article_id).related_links.count() == size


def test_system_and_actor_permission_in_the_import_function(db):
    from zoneinfo import ZoneInfo

    from django.core.exceptions import PermissionDenied

    from articles.legacy.importer import import_page
    from articles.legacy.parser import parse_page

    parsed = parse_page(page("Ferry timetable changes").encode(), "a.txt", ZoneInfo("UTC"))
    with pytest.raises(PermissionDenied):
        import_page(actor=UserFactory(perms=["articles.change_article"]), page=parsed)
    assert Article.objects.count() == 0
    assert import_page(page=parsed).status == "created"


def test_legacy_urls_reach_imported_pages_but_not_stubs(import_legacy, fixture_page, client):
    import_legacy(fixture_page("port_cranes.txt"))
    article = Article.objects.get(title=PORT)
    response = client.get(reverse("legacy", kwargs={"legacy_id": 4100299}))
    assert response.status_code == 301 and response["Location"] == article.get_absolute_url()
    assert client.get(reverse("legacy", kwargs={"legacy_id": 4100101})).status_code == 404  # a stub


def test_video_label_is_part_of_the_exact_title(import_legacy, tmp_path):
    """“VIDEO: Divers inspect the pier” and “Divers inspect the pier” are two legacy items."""
    write(tmp_path, "1.txt", page("VIDEO: Divers inspect the pier", dateline="Mon Feb 06, 2017 08:00:00"))
    write(tmp_path, "2.txt", page("Divers inspect the pier", dateline="Tue Feb 07, 2017 08:00:00"))
    write(
        tmp_path,
        "3.txt",
        page(
            "Pier reopens to boats",
            dateline="Wed Feb 08, 2017 08:00:00",
            related=[
                item(7701, "VIDEO: Divers inspect the pier"),
                item(7702, "Divers inspect the pier"),
                item(7703, "PHOTOS: Divers inspect the pier"),
            ],
        ),
    )
    assert import_legacy(tmp_path).exit_code == 0
    video = Article.objects.get(title="Divers inspect the pier", kind="video")
    text = Article.objects.get(title="Divers inspect the pier", kind="text")
    photo = Article.objects.get(title="Divers inspect the pier", kind="photo")
    assert (video.legacy_id, text.legacy_id, photo.legacy_id) == (7701, 7702, 7703)
    assert photo.is_stub and not video.is_stub and not text.is_stub
    write(tmp_path, "4.txt", page("PHOTOS: Divers inspect the pier", dateline="Thu Feb 09, 2017 08:00:00"))
    assert "filled the stub" in import_legacy(tmp_path / "4.txt").lines[0]
    assert Article.objects.get(pk=photo.pk).is_live()


def test_a_failed_page_leaves_no_stored_media_file(import_legacy, tmp_path, monkeypatch, settings):
    root = tmp_path / "legacy-media"
    pic = "/2017/02/03/desk_9_25f_4x3.jpg"
    (root / "2017/02/03").mkdir(parents=True)
    (root / pic.lstrip("/")).write_bytes(jpeg_bytes(40, 30, color=(200, 30, 30)))
    write(
        tmp_path,
        "a.txt",
        page(
            "Ferry timetable changes",
            breadcrumb="Oman – Transport",
            related=[item(7801, "Ferries add an evening run", pic=pic)],
        ),
    )

    def fail(self, *args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Rows, "replace_links", fail)
    run = import_legacy(tmp_path / "a.txt", media_root=str(root))
    assert run.exit_code == 1 and "database went away" in run.lines[0]
    assert MediaItem.objects.count() == Article.objects.count() == Section.objects.count() == 0
    stored = (
        [p for p in (settings.MEDIA_ROOT / "library").rglob("*") if p.is_file()]
        if (settings.MEDIA_ROOT / "library").exists()
        else []
    )
    assert stored == []
