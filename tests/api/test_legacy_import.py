"""After importing a legacy page, the legacy-shaped related list is the page's own dump again."""

import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.models import Article

pytestmark = pytest.mark.django_db

PAGE = Path(__file__).parent / "fixtures" / "harbour_page.txt"


def dump_items(page: Path) -> list[dict]:
    """The related list printed at the end of a legacy page (`string(N) "[...]"`)."""
    match = re.search(r'string\((\d+)\) "(\[.*\])"\s*$', page.read_text(encoding="utf-8"), re.S)
    assert match and len(match[2].encode()) == int(match[1])
    return json.loads(match[2])


@pytest.fixture
def imported():
    call_command("import_legacy", str(PAGE), stdout=io.StringIO())
    return Article.objects.get(title="Harbour Pilots Guide First Container Ship Through Widened Channel")


def test_editor_legacy_answer_equals_the_dump_item_for_item(editor_client, imported):
    response = editor_client.get(f"/api/v1/articles/{imported.pk}/related/", {"format": "legacy"})
    assert response.status_code == 200
    assert response.json() == dump_items(PAGE)


def test_anonymous_callers_never_get_the_stubs(anon, imported):
    assert imported.kind == Article.Kind.VIDEO and imported.is_live()
    assert anon.get(f"/api/v1/articles/{imported.pk}/related/", {"format": "legacy"}).json() == []
    assert anon.get(f"/api/v1/articles/{imported.pk}/").json()["related"] == []
    assert [a["id"] for a in anon.get("/api/v1/articles/", {"section": "coast"}).json()["results"]] == [imported.pk]


def test_a_stub_filled_by_its_own_page_shows_to_everyone(anon, imported, tmp_path):
    later = tmp_path / "lamp.txt"
    later.write_text(
        "\n\n".join(
            [
                "Coast – Ports",
                "VIDEO: Lighthouse Keepers Restore Old Signal Lamp",
                "Fri May 05, 2017 16:02:10",
                "Two keepers spent the winter rebuilding the lamp's brass housing by hand.",
                "M/RK 7",
            ]
        ),
        encoding="utf-8",
    )
    call_command("import_legacy", str(later), stdout=io.StringIO())
    legacy = anon.get(f"/api/v1/articles/{imported.pk}/related/", {"format": "legacy"}).json()
    assert legacy == [dump_items(PAGE)[3]]
