"""What stays the same for every page of an import run: the actor, media, caches, prepared SQL."""

import time
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction

import changes
from articles.legacy.pictures import MediaResolver
from articles.legacy.rows import Rows
from articles.models import Section


class SectionCache:
    """Breadcrumb → section id, so each path costs queries once per run.

    Sections made inside a page's transaction are remembered only once it commits: a page
    that fails must not leave a cached id for a section that was rolled back.
    """

    def __init__(self):
        self._known: dict[tuple[str, ...], int] = {}
        self._pending: dict[tuple[str, ...], int] = {}

    def section_id(self, names: list[str]) -> int:
        key = tuple(names)
        found = self._known.get(key) or self._pending.get(key)
        if found is None:
            found = self._pending[key] = Section.ensure_path(names).pk
        return found

    def commit(self) -> None:
        self._known.update(self._pending)
        self._pending.clear()

    def discard(self) -> None:
        self._pending.clear()


# A run announces the articles its pages wrote together, at least this often.
ANNOUNCE_EVERY_PAGES = 500
ANNOUNCE_EVERY_SECONDS = 1.0


class Announcer:
    """Announces the articles that committed pages wrote, and the media items their pictures
    added (`changes.announce`).

    On its own (`gather=False`, `import_page` called alone) each page is announced as its
    transaction ends. A run gathers the ids of its pages instead and announces them together
    every `ANNOUNCE_EVERY_PAGES` pages or `ANNOUNCE_EVERY_SECONDS` seconds, and at its end
    (`flush`): a long import then makes about one announcement a second, not one per page, and
    listeners (the page cache, later purges and webhooks) are not called a thousand times a second.
    Only pages that committed are given here, so a page that rolled back is never announced; inside
    a caller's transaction (a dry run) the announcement waits for it, and is dropped if it rolls back.
    """

    def __init__(self, *, gather: bool):
        self.gather = gather
        self.articles: set[int] = set()
        self.media: set[int] = set()
        self.pages = 0
        self.since = time.monotonic()

    def add_media(self, media_ids: list[int]) -> None:
        """The ids of media items a page added (`media.actions.create_references`), announced with
        the next gathering once the page's transaction has committed, never if it rolls back."""
        if not self.gather:
            changes.announce(media=media_ids)
            return
        transaction.on_commit(lambda: self.media.update(media_ids))

    def add(self, article_ids: set[int]) -> None:
        """The ids of the articles one committed page wrote (none when it was unchanged)."""
        if not article_ids:
            return
        if not self.gather:
            changes.announce(articles=article_ids)
            return
        self.articles |= article_ids
        self.pages += 1
        if self.pages >= ANNOUNCE_EVERY_PAGES or time.monotonic() - self.since >= ANNOUNCE_EVERY_SECONDS:
            self.flush()

    def flush(self) -> None:
        """Announce what was gathered since the last announcement, if anything."""
        if self.articles or self.media:
            changes.announce(articles=self.articles, media=self.media)
        self.articles, self.media, self.pages, self.since = set(), set(), 0, time.monotonic()


class ImportContext:
    """What stays the same for every page of a run: actor, media, caches, prepared SQL.

    The actor (None for the system) needs `articles.publish_article`: imported pages are
    published history. `gather_announcements`: see `Announcer` (a run's context gathers them).
    """

    def __init__(
        self,
        *,
        actor=None,
        media_root: Path | None = None,
        dry_run: bool = False,
        gather_announcements: bool = False,
    ):
        if actor is not None and not actor.has_perm("articles.publish_article"):
            raise PermissionDenied("You may not import legacy pages: importing publishes articles.")
        self.actor = actor if getattr(actor, "pk", None) else None
        self.actor_id = self.actor.pk if self.actor else None
        self.media_root = media_root
        self.dry_run = dry_run
        self.sections = SectionCache()
        self.rows = Rows()
        self.announcer = Announcer(gather=gather_announcements)
        self.media = MediaResolver(media_root, dry_run=dry_run, actor=self.actor, announce=self.announcer.add_media)
