"""A legacy page never names its own picture; the related items that point at it do."""

import pytest

from articles.models import Article, AuditEntry
from tests.importer.pages import item, page, write

pytestmark = pytest.mark.django_db

CLIP = "/2017/02/05/desk_636219000000000000_25f_4x3.mp4"


def test_an_imported_page_takes_the_picture_a_later_page_names_for_it(tmp_path, import_legacy):
    first = write(tmp_path, "a.txt", page("VIDEO: Ferry service resumes across the bay"))
    assert import_legacy(first).exit_code == 0
    ferry = Article.objects.get(title="Ferry service resumes across the bay")
    assert ferry.lead_media is None

    second = write(
        tmp_path,
        "b.txt",
        page(
            "Port authority extends opening hours",
            dateline="Tue Feb 07, 2017 09:00:00",
            related=[item(4101, "VIDEO: Ferry service resumes across the bay", pic=CLIP)],
        ),
    )
    assert import_legacy(second).exit_code == 0
    ferry.refresh_from_db()
    assert ferry.legacy_id == 4101
    assert ferry.lead_media.legacy_path == CLIP
    assert ferry.lead_media.kind == "video" and ferry.lead_media.file_missing
    assert AuditEntry.objects.filter(article=ferry, action="import", details__named_by=str(second)).exists()

    again = import_legacy(second)
    assert "unchanged" in again.line_for("b.txt")


def test_a_picture_an_editor_chose_is_never_replaced(tmp_path, import_legacy, editor):
    from tests.factories import ImageFactory

    write(tmp_path, "a.txt", page("Grain silos reopen in the north"))
    import_legacy(tmp_path / "a.txt")
    silos = Article.objects.get(title="Grain silos reopen in the north")
    chosen = ImageFactory()
    Article.objects.filter(pk=silos.pk).update(lead_media=chosen)

    write(
        tmp_path,
        "b.txt",
        page(
            "Harvest estimates rise",
            dateline="Wed Feb 08, 2017 09:00:00",
            related=[item(4102, "Grain silos reopen in the north")],
        ),
    )
    import_legacy(tmp_path / "b.txt")
    silos.refresh_from_db()
    assert silos.lead_media == chosen
