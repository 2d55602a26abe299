"""Load the demo newsroom: the stories of `articles.demo.stories` with drawn pictures and clips.

Everything is created the way the newsroom creates it: articles through `articles.actions`,
media through `media.actions`, and the legacy-shaped stories as page files
written by `articles.legacy.synthetic` and imported by the real importer (`run_import`).

Idempotent: a story is looked up before it is made (by section and title; an imported page by
its title, and its stored dateline is written into the page again so the importer finds it
unchanged), a picture by its title or legacy path before it is drawn, and related lists and
captions are only set when they differ or are missing. A second run writes nothing.
"""

import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from articles import actions
from articles.demo import pictures
from articles.demo.stories import LEGACY_LEAD, LEGACY_PAGES, STORIES, LegacyStory, Story
from articles.legacy import synthetic
from articles.legacy.parser import split_title
from articles.legacy.report import ImportReport
from articles.legacy.run import run_import
from articles.models import Article, Section, Tag
from media import actions as media_actions
from media.models import MediaItem

# Top-level sections in the order the site header lists them.
TOP_SECTIONS = ("World", "Business", "Science", "Health", "Sport", "Culture")
CREDIT = "Newsroom demo (drawn)"
ALT_TEXT = {
    "landscape": "Drawing: layered hills under a wide sky",
    "town": "Drawing: a town's rooftops, domes and lit windows",
    "pitch": "Drawing: a football pitch in front of a packed stand",
    "sky": "Drawing: a ringed planet against a field of stars",
    "sea": "Drawing: a sailing boat on a choppy sea",
    "market": "Drawing: market stalls with striped awnings and crates of fruit",
    "books": "Drawing: shelves of brightly coloured books",
    "chart": "Drawing: a line chart rising and falling over a grid",
    "bridge": "Drawing: traffic on a floating bridge across a river",
    "turbines": "Drawing: wind turbines standing in the sea",
    "road": "Drawing: a white van with solar panels on a desert road",
}
LEGACY_ID_BASE, LEGACY_SORT_BASE = 1_960_000, 3_960_000


@dataclass
class Outcome:
    created: int = 0
    present: int = 0


def load_demo() -> Outcome:
    """Create whatever part of the demo is missing; return how many stories were new."""
    outcome = Outcome()
    now = timezone.now().replace(microsecond=0)
    with transaction.atomic():
        _top_sections()
        by_key = _import_legacy_pages(now, outcome)
        for index, story in enumerate(STORIES):
            by_key[story.key] = _story(story, index, now, outcome)
        for story in STORIES:
            _set_related(by_key[story.key], [by_key[key] for key in story.related])
        lead = by_key[LEGACY_LEAD]
        if not Article.objects.filter(pinned=True).exists():
            lead.pinned = True  # the lead story of the home page
            actions.save_article(actor=None, article=lead, base_version=lead.version)
    return outcome


def _top_sections() -> None:
    for position, name in enumerate(TOP_SECTIONS):
        Section.objects.get_or_create(parent=None, name=name, defaults={"position": position})


def _media(title: str, motif: str, seed: int, video: bool, *, caption: str = "", legacy_path: str = "") -> MediaItem:
    """The demo picture or clip named `title` (or at `legacy_path`), drawn and ingested if missing."""
    lookup = {"legacy_path": legacy_path} if legacy_path else {"title": title, "legacy_path": None}
    item = MediaItem.objects.filter(**lookup).first()
    if item is None:
        fields = {"title": title[:255], "credit": CREDIT, "alt_text": ALT_TEXT[motif]}
        if legacy_path:
            fields["legacy_path"] = legacy_path
        if video:
            data, filename, kind = pictures.clip(motif, seed), "demo.mp4", "video"
        else:
            data, filename, kind = pictures.photo(motif, seed), "demo.jpg", "image"
        item, _ = media_actions.create_media(actor=None, data=data, filename=filename, expected_kind=kind, **fields)
    if video and not item.captions:
        cues = (
            "WEBVTT\n\n"
            f"00:00:00.000 --> 00:00:01.500\n{caption or 'Drawn footage stands in for the real pictures.'}\n\n"
            f"00:00:01.500 --> 00:00:03.000\n{split_title(title)[0]}\n"
        )
        item = media_actions.attach_captions(actor=None, item=item, data=cues.encode(), language="en")
    return item


# -- the legacy-shaped stories, through the importer -----------------------------------------


def _import_legacy_pages(now, outcome: Outcome) -> dict[str, Article]:
    """Write LEGACY_PAGES as page files and import them; {key: article}."""
    zone = ZoneInfo(settings.TIME_ZONE)
    stored = _legacy_articles()
    datelines, references = {}, {}
    for n, page in enumerate(LEGACY_PAGES):
        existing = stored.get(split_title(page.title)[0])
        published = existing.published_at if existing else now - timedelta(hours=page.hours_ago)
        datelines[page.key] = published.astimezone(zone).replace(tzinfo=None)
        references[page.key] = _reference(page, n)
    report = _write_and_import(datelines, references, zone)
    outcome.created += report.counts["created"]
    outcome.present += report.counts["unchanged"] + report.counts["updated"]
    found = _legacy_articles()
    return {page.key: found[split_title(page.title)[0]] for page in LEGACY_PAGES}


def _legacy_articles() -> dict[str, Article]:
    """{title: article} of the legacy-shaped stories imported already (stubs aside)."""
    return {
        a.title: a
        for a in Article.objects.filter(
            title__in=[split_title(p.title)[0] for p in LEGACY_PAGES],
            is_stub=False,
        ).order_by("-published_at")  # should a title be there twice, the first import counts
    }


def _reference(page: LegacyStory, n: int) -> synthetic.Reference:
    """How other pages' related lists name `page` (the `n`th); its picture is drawn if missing."""
    pic = ""
    if page.picture:
        video = page.key == LEGACY_LEAD
        pic = f"/demo/{page.key}.{'mp4' if video else 'jpg'}"
        _media(
            split_title(page.title)[0],
            page.picture,
            n,
            video,
            legacy_path=pic,
            caption="Traffic crosses the new floating bridge over the Tigris." if video else "",
        )
    return synthetic.Reference(legacy_id=LEGACY_ID_BASE + n, sort=LEGACY_SORT_BASE + n, title=page.title, pic=pic)


def _write_and_import(datelines: dict, references: dict, zone: ZoneInfo) -> ImportReport:
    """Write the pages into a temporary folder and import them; refuse a run in which any failed."""
    with tempfile.TemporaryDirectory(prefix="newsroom-demo-pages-") as folder:
        for n, page in enumerate(LEGACY_PAGES):
            synthetic.write_page(Path(folder) / f"{n:02d}-{page.key}.txt", _page(page, datelines, references))
        report = run_import([Path(folder)], zone=zone)
    if report.failed:
        raise CommandError(f"The demo's legacy pages did not all import: {report.summary()}")
    return report


def _page(page: LegacyStory, datelines: dict, references: dict) -> synthetic.Page:
    return synthetic.Page(
        crumbs=list(page.crumbs),
        title=page.title,
        published=datelines[page.key],
        paragraphs=list(page.paragraphs),
        signoff=page.signoff,
        related=[references[key] for key in page.related],
    )


# -- the stories written through the actions -------------------------------------------------


def _story(story: Story, index: int, now, outcome: Outcome) -> Article:
    section = Section.ensure_path(list(story.crumbs))
    existing = Article.objects.filter(section=section, title=story.title).first()
    if existing:
        outcome.present += 1
        return existing
    media = None
    if story.picture:
        media = _media(story.title, story.picture, 100 + index, story.kind == "video", caption=story.caption)
    tags = [Tag.objects.get_or_create(name=name)[0] for name in story.tags]
    article = Article(
        title=story.title,
        kind=story.kind,
        summary=story.summary,
        section=section,
        signoff=story.signoff,
        source="Newsroom",
        language=story.language,
        lead_media=media,
        body="".join(f"<p>{escape(paragraph)}</p>" for paragraph in story.paragraphs),
        published_at=now - timedelta(hours=story.hours_ago),
    )
    actions.save_article(actor=None, article=article, tags=tags)
    actions.publish(actor=None, article=article)
    outcome.created += 1
    return article


def _set_related(article: Article, targets: list[Article]) -> None:
    wanted = [target.pk for target in targets]
    if list(article.related_links.values_list("target_id", flat=True)) != wanted:
        article.refresh_from_db(fields=["version"])
        actions.save_article(actor=None, article=article, related_ids=wanted, base_version=article.version)
