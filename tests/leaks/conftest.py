"""The leak matrix's world: live stories with everything editors keep beside them (a working
draft, a scheduled draft, autosaves, notes, media used only by a draft), each carrying a marker
word found nowhere else, so that finding a marker on a public surface means it leaked."""

import pytest
from django.test import TestCase
from django.utils import timezone
from django.utils.text import slugify

from articles import actions
from articles.desk import preview
from articles.models import Article
from media.ingest import ingest_bytes
from media.samples import draw_photo
from tests.factories import AuthorFactory, SectionFactory, TagFactory

# One marker per private thing; each is written only there.
MARKERS = {
    "draft title": "Zqdrafttitle",
    "draft summary": "Zqdraftsummary",
    "draft body": "Zqdraftbody",
    "scheduled title": "Zqschedtitle",
    "scheduled summary": "Zqschedsummary",
    "scheduled body": "Zqschedbody",
    "autosave of a story": "Zqautosavestory",
    "autosave of a new story": "Zqautosavenew",
    "note": "Zqnotebody",
    "note reply": "Zqnotereply",
    "note on the scheduled story": "Zqnotesched",
    "draft lead media": "Zqdraftleadmedia",
    "draft inline media": "Zqdraftinlinemedia",
}

_checks = {"count": 0}


def count_checks(number: int) -> None:
    _checks["count"] += number


def pytest_terminal_summary(terminalreporter):
    if _checks["count"]:
        terminalreporter.write_line(f"leak matrix: {_checks['count']} checks, 0 leaks")


def _photo(seed: int, title: str):
    item = ingest_bytes(draw_photo(240, 160, seed=seed), filename=f"{seed}.jpg", title=title)
    item.alt_text = title
    item.save()
    return item


@pytest.fixture
def public_world(people):
    """Live stories A, B and C (relating to A and B), plus F, the one live story of the section,
    tag and author A's draft will move it to. Nothing private yet (`add_private_work`)."""
    editor, chief = people["editor"], people["chief"]
    section = SectionFactory(name="Harbours", slug="harbours")
    quays = SectionFactory(name="Quays", slug="quays")
    tag, cranes = TagFactory(name="Shipping", slug="shipping"), TagFactory(name="Cranes", slug="cranes")
    hana, dora = (
        AuthorFactory(name="Hana Writer", slug="hana-writer"),
        AuthorFactory(name="Dora Other", slug="dora-other"),
    )
    live_media = _photo(40, "Live harbour photo")

    def story(title, *, home=section, tags=(tag,), author=hana, lead_media=None, related=()):
        """A live story made as the desk makes one: saved, then published (with revisions)."""
        article = Article(
            title=title,
            slug=slugify(title),
            summary=f"{title}, the summary.",
            body=f"<p>{title}, the body.</p>",
            section=home,
            lead_media=lead_media,
        )
        article = actions.save_article(
            actor=editor,
            article=article,
            tags=list(tags),
            author_ids=[author.pk],
            related_ids=[target.pk for target in related],
        )
        return actions.publish(actor=chief, article=article)

    f = story("Quay walls repaired", home=quays, tags=(cranes,), author=dora)
    b = story("Harbour pilots return to work")
    a = story("Harbour reopens after storm", lead_media=live_media, related=(b,))
    c = story("Harbour cranes stand idle", related=(a, b))

    stories = {name: Article.objects.get(pk=story.pk) for name, story in zip("ABCF", (a, b, c, f), strict=True)}
    return {
        "people": people,
        "stories": stories,
        "section": section,
        "quays": quays,
        "tag": tag,
        "cranes": cranes,
        "hana": hana,
        "dora": dora,
        "live_media": live_media,
    }


def add_private_work(world) -> dict:
    """A working draft of A (new words, media, section, tag, byline and related list), a
    scheduled draft of B, autosaves, notes, and share links of the live A and B."""
    editor, chief = world["people"]["editor"], world["people"]["chief"]
    a, b, f = (world["stories"][name] for name in "ABF")
    quays, cranes, hana, dora = world["quays"], world["cranes"], world["hana"], world["dora"]
    now = timezone.now()
    lead_only, inline_only = _photo(41, MARKERS["draft lead media"]), _photo(42, MARKERS["draft inline media"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        a = Article.objects.get(pk=a.pk)
        actions.save_draft(
            actor=editor,
            article=a,
            base_version=a.version,
            changes={
                "title": f"Harbour {MARKERS['draft title']}",
                "summary": f"Summary {MARKERS['draft summary']}",
                "body": f"<p>Harbour {MARKERS['draft body']}</p>"
                f'<p><img data-media-id="{inline_only.pk}" alt="" src="/x.jpg"></p>',
                "lead_media_id": lead_only.pk,
                "section_id": quays.pk,
                "tag_ids": [cranes.pk],
                "author_ids": [hana.pk, dora.pk],
                "related_ids": [f.pk],
            },
        )
        b = Article.objects.get(pk=b.pk)
        actions.save_draft(
            actor=chief,
            article=b,
            base_version=b.version,
            changes={
                "title": f"Harbour {MARKERS['scheduled title']}",
                "summary": f"Summary {MARKERS['scheduled summary']}",
                "body": f"<p>Harbour {MARKERS['scheduled body']}</p>",
            },
        )
        actions.publish_draft(actor=chief, article=b, draft_version=1, at=now + timezone.timedelta(days=1))
        actions.autosave(
            actor=editor,
            article=a,
            data={"title": MARKERS["autosave of a story"], "body": "typed"},
            base_version=a.version,
        )
        actions.autosave(actor=editor, article=None, data={"title": MARKERS["autosave of a new story"]})
        note = actions.add_note(actor=editor, article=a, body=f"{MARKERS['note']} for @carl")
        actions.add_note(actor=chief, article=a, body=MARKERS["note reply"], parent=note)
        actions.add_note(actor=chief, article=b, body=MARKERS["note on the scheduled story"])
        links = {name: preview.create_link(actor=editor, article=story) for name, story in (("A", a), ("B", b))}
    return {**world, "draft_media": [lead_only, inline_only], "links": links}


@pytest.fixture
def leak_world(public_world):
    """The public world with all the private work added."""
    return add_private_work(public_world)


def assert_no_markers(text: str, where: str) -> int:
    """Fails naming every marker found in `text`; the number of checks made otherwise."""
    leaked = [name for name, marker in MARKERS.items() if marker.lower() in text.lower()]
    assert not leaked, f"{where} shows: {', '.join(leaked)}"
    return len(MARKERS)
