"""One audit writer: every kind of change leaves exactly one entry, of one shape, written by
`articles.audit.record` (and no other code in the project creates audit entries)."""

import re
from pathlib import Path

import pytest

from articles import actions
from articles.desk import preview
from articles.models import AuditEntry
from media import usage
from tests.factories import SectionFactory, TagFactory
from tests.roles import draft_by

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def one_new_entry(step) -> AuditEntry:
    """Run `step`; the one audit entry it wrote (fails on none or several)."""
    before = set(AuditEntry.objects.values_list("pk", flat=True))
    step()
    new = list(AuditEntry.objects.exclude(pk__in=before))
    assert len(new) == 1, [(e.action, e.object_repr) for e in new]
    return new[0]


def test_article_changes_name_the_story_and_its_states(people):
    article = draft_by(people["author"], title="Bridge repairs begin")
    entry = one_new_entry(lambda: actions.publish(actor=people["editor"], article=article))
    assert (entry.actor, entry.action, entry.article_id) == (people["editor"], "publish", article.pk)
    assert (entry.object_repr, entry.from_status, entry.to_status) == ("Bridge repairs begin", "draft", "published")
    assert set(entry.details) == {"revision", "published_at"}


def test_a_deleted_story_keeps_its_name_in_the_log(people):
    article = draft_by(people["author"], title="Withdrawn notice")
    pk = article.pk
    entry = one_new_entry(lambda: actions.delete_article(actor=people["chief"], article=article))
    assert (entry.action, entry.article_id, entry.object_repr) == ("delete", None, "Withdrawn notice")
    assert (entry.from_status, entry.to_status) == ("draft", "")
    assert entry.details == {"article_id": pk, "legacy_id": None}


def test_share_links_are_logged_against_the_story_in_its_state(people):
    article = draft_by(people["author"], title="Ferry timetable")
    made = {}
    entry = one_new_entry(lambda: made.update(link=preview.create_link(actor=people["editor"], article=article)))
    assert (entry.action, entry.article_id, entry.from_status, entry.to_status) == (
        "share_preview",
        article.pk,
        "draft",
        "draft",
    )
    entry = one_new_entry(lambda: preview.revoke_link(actor=people["editor"], link=made["link"]))
    assert (entry.action, entry.details) == ("revoke_preview", {"link": made["link"].pk})


@pytest.mark.parametrize(
    "kind, save, delete",
    [("section", actions.save_section, actions.delete_section), ("tag", actions.save_tag, actions.delete_tag)],
)
def test_sections_and_tags_are_logged_by_name(people, kind, save, delete):
    factory = SectionFactory if kind == "section" else TagFactory
    item = factory.build(name="Harbour")
    entry = one_new_entry(lambda: save(actor=people["chief"], **{kind: item}))
    assert (entry.actor, entry.action, entry.article_id, entry.object_repr) == (
        people["chief"],
        f"{kind}_create",
        None,
        "Harbour",
    )
    assert entry.details == {f"{kind}_id": item.pk, "fields": ["name"]}
    item.name = "Port"
    entry = one_new_entry(lambda: save(actor=people["chief"], **{kind: item}))
    assert (entry.action, entry.object_repr, entry.details["fields"]) == (f"{kind}_edit", "Port", ["name"])
    pk = item.pk
    entry = one_new_entry(lambda: delete(actor=people["chief"], **{kind: item}))
    assert (entry.action, entry.object_repr, entry.details) == (f"{kind}_delete", "Port", {f"{kind}_id": pk})


def test_saving_a_section_unchanged_writes_nothing(people):
    section = SectionFactory()
    before = AuditEntry.objects.count()
    actions.save_section(actor=people["chief"], section=section)
    assert AuditEntry.objects.count() == before


def test_the_media_librarys_audit_hook_writes_one_entry(people):
    """media.usage.record is how the media library logs a change: articles' provider writes it."""
    entry = one_new_entry(
        lambda: usage.record(
            actor=people["editor"], action="media_edit", object_repr="Bridge at dusk", details={"media_id": 7}
        )
    )
    assert (entry.actor, entry.action, entry.article_id, entry.object_repr) == (
        people["editor"],
        "media_edit",
        None,
        "Bridge at dusk",
    )
    assert (entry.from_status, entry.to_status, entry.details) == ("", "", {"media_id": 7})


# Creating an entry in any other way than articles.audit: the model's manager or constructor
# (the class statement itself excepted).
_OTHER_WRITERS = re.compile(
    r"AuditEntry\.objects\.(create|bulk_create|get_or_create|update_or_create)\b|(?<!class )\bAuditEntry\("
)


def test_no_module_but_articles_audit_creates_audit_entries():
    writers = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in {".venv", "tests", "bench", "var", "node_modules"} or "migrations" in relative.parts:
            continue
        if _OTHER_WRITERS.search(path.read_text(encoding="utf-8")):
            writers.append(str(relative))
    assert writers == ["articles/audit.py"]
