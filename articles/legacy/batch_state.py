"""What a batch of pages knows about the rows it reads and has yet to write (`rows.Rows`).

A batch of a hundred pages used to cost about six statements a page: the new article, the
related items' targets by legacy id, the articles matched by title, the pictures, the new
pictures, and the UPDATE giving an earlier article its legacy id. On PostgreSQL each is a round
trip to a server process on the same two cores, and those dominated an import.

`BatchState` instead reads, once for the whole batch, every row the pages can ask about (their
identities, the articles their related items name by legacy id or by title, the media their
pictures name) and answers the pages' look-ups from that. New rows (articles, stubs, media
items) take ids reserved from the table's sequence and wait, with the changes to rows read
(an earlier article taking its legacy id or lead picture), to be written together: one
multi-row INSERT a table and one UPDATE for all changed articles (`Rows.flush_pending`). A row
inserted by this batch that later takes its legacy id or picture takes it in the INSERT itself.

Pages see exactly what they saw when each ran its own statements: the state is the database's
as of the batch's start plus everything the earlier pages of the batch wrote. Anything the state
does not hold is looked up as before; a page that goes through the ORM (an update, a filled
stub) first writes what is pending and ends the state for the rest of the batch (`Rows.leave_cached`).
"""

import dataclasses
from datetime import UTC

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from articles.models import Article

# The article columns the batch keeps of each row it reads or inserts.
IDENTITY_COLUMNS = (
    "id",
    "is_stub",
    "status",
    "version",
    "legacy_id",
    "title",
    "kind",
    "body",
    "section_id",
    "signoff",
    "language",
    "legacy_key",
    "legacy_digest",
)
KEPT_COLUMNS = (*IDENTITY_COLUMNS, "published_at", "lead_media_id")
# What an inserted article holds in the kept columns its row leaves out.
ROW_DEFAULTS = {name: Article._meta.get_field(name).get_default() for name in KEPT_COLUMNS if name != "id"}


class StaleBatch(Exception):
    """An article changed under the batch (another import, an editor): the batch is imported
    again page by page, each page reading the rows as they are."""


def same_moment(stored, moment) -> bool:
    """Whether a time stamp as the driver returned it (aware, naive UTC, or text) is `moment`."""
    if stored is None or moment is None:
        return False
    if isinstance(stored, str):
        stored = parse_datetime(stored)
    if timezone.is_naive(stored):
        stored = stored.replace(tzinfo=UTC)
    return stored == moment


@dataclasses.dataclass
class Change:
    """What the batch changes in an article it read: legacy id (with sort key), lead media, version."""

    legacy_id: int | None = None
    legacy_sort: int | None = None
    lead_media_id: int | None = None
    bump: int = 0


@dataclasses.dataclass
class BatchState:
    """The rows a batch reads and writes; see the module's docstring."""

    articles: dict[int, dict] = dataclasses.field(default_factory=dict)  # id → kept columns
    by_key: dict[str, int] = dataclasses.field(default_factory=dict)  # identity key → id, of held rows
    by_page_title: dict[str, list[int]] = dataclasses.field(default_factory=dict)  # page title → held ids
    keys: set[str] = dataclasses.field(default_factory=set)  # identity keys the batch asked for
    titles: set[str] = dataclasses.field(default_factory=set)  # page titles the batch asked for
    by_legacy_id: dict[int, int] = dataclasses.field(default_factory=dict)  # legacy id → article id
    legacy_ids: set[int] = dataclasses.field(default_factory=set)  # legacy ids asked for
    by_title: dict[str, list[int]] = dataclasses.field(default_factory=dict)  # title → ids, oldest first
    item_titles: set[str] = dataclasses.field(default_factory=set)  # related titles asked for
    media: dict[str, tuple] = dataclasses.field(default_factory=dict)  # legacy path → media row
    paths: set[str] = dataclasses.field(default_factory=set)  # media paths asked for
    new_articles: dict[int, tuple[dict, object]] = dataclasses.field(default_factory=dict)  # id → (row, now)
    new_media: list[tuple[dict, object]] = dataclasses.field(default_factory=list)
    changes: dict[int, Change] = dataclasses.field(default_factory=dict)  # article id → change to write

    # -- reading -------------------------------------------------------------------------------

    def keep(self, row: dict) -> None:
        """Remember an article row read from the database (columns of KEPT_COLUMNS or fewer)."""
        known = self.articles.setdefault(row["id"], {})
        known.update(row)
        self._index(row["id"])

    def _index(self, pk: int) -> None:
        known = self.articles[pk]
        if known.get("legacy_id") is not None:
            self.by_legacy_id[known["legacy_id"]] = pk
        title = known.get("title")
        if title in self.item_titles and known.get("legacy_id") is None:
            ids = self.by_title.setdefault(title, [])
            if pk not in ids:
                ids.append(pk)
                ids.sort()

    def hold_identity(self, pk: int) -> None:
        """The held row `pk` may be a page's identity candidate (its key or title is one the batch asked for)."""
        row = self.articles[pk]
        if row["legacy_key"] in self.keys:
            self.by_key[row["legacy_key"]] = pk
        if row["title"] in self.titles:
            self.by_page_title.setdefault(row["title"], []).append(pk)

    def identity_candidates(self, key: str, title: str, published_at) -> list[dict]:
        """`Rows.identity_candidates` answered from the rows held: oldest first."""
        found = set(self.by_page_title.get(title, ()))
        found = {
            pk
            for pk in found
            if self.articles[pk]["is_stub"] or same_moment(self.articles[pk]["published_at"], published_at)
        }
        if key in self.by_key:
            found.add(self.by_key[key])
        return [{name: self.articles[pk][name] for name in IDENTITY_COLUMNS} for pk in sorted(found)]

    def targets(self, legacy_ids) -> dict[int, tuple[int, int | None, str]]:
        """{legacy id: (article id, lead media id, title)} of the held articles holding these."""
        found = {}
        for legacy_id in legacy_ids:
            pk = self.by_legacy_id.get(legacy_id)
            if pk is not None:
                row = self.articles[pk]
                found[legacy_id] = (pk, row["lead_media_id"], row["title"])
        return found

    def without_legacy_id(self, titles) -> list[tuple[str, str, int, int | None]]:
        """(title, kind, id, lead media id) of held articles without a legacy id so titled, oldest first."""
        found = []
        for title in titles:
            for pk in self.by_title.get(title, ()):
                row = self.articles[pk]
                if row["legacy_id"] is None:
                    found.append((title, row["kind"], pk, row["lead_media_id"]))
        return sorted(found, key=lambda row: row[2])

    # -- writing -------------------------------------------------------------------------------

    def add_article(self, row: dict, now) -> None:
        """A new article (its row with "id"), inserted at the batch's end."""
        pk = row["id"]
        self.new_articles[pk] = (row, now)
        kept = {name: row.get(name, default) for name, default in ROW_DEFAULTS.items()}
        kept["id"] = pk
        self.articles[pk] = kept
        self.hold_identity(pk)
        self._index(pk)

    def add_media(self, row: dict, now) -> None:
        self.new_media.append((row, now))
        self.media[row["legacy_path"]] = (row["id"], row["legacy_path"], True, row["kind"])

    def set_legacy_id(self, pk: int, legacy_id: int, legacy_sort: int | None) -> bool:
        """Give a held article without a legacy id this one; whether it took it."""
        row = self.articles[pk]
        if row["legacy_id"] is not None:
            return False
        row["legacy_id"] = legacy_id
        self.by_legacy_id[legacy_id] = pk
        self._write(pk, legacy_id=legacy_id, legacy_sort=legacy_sort)
        return True

    def set_lead_media(self, pk: int, media_id: int) -> bool:
        """Give a held article without lead media this one (a new version); whether it took it."""
        row = self.articles[pk]
        if row["lead_media_id"] is not None:
            return False
        row["lead_media_id"] = media_id
        row["version"] += 1
        self._write(pk, lead_media_id=media_id, bump=1)
        return True

    def _write(self, pk: int, *, legacy_id=None, legacy_sort=None, lead_media_id=None, bump=0) -> None:
        """Into the row still to be inserted, or into the article's change still to be written."""
        new = self.new_articles.get(pk)
        if new is not None:
            row = new[0]
            if legacy_id is not None:
                row["legacy_id"], row["legacy_sort"] = legacy_id, legacy_sort
            if lead_media_id is not None:
                row["lead_media_id"] = lead_media_id
            row["version"] = row.get("version", 1) + bump
            return
        change = self.changes.setdefault(pk, Change())
        if legacy_id is not None:
            change.legacy_id, change.legacy_sort = legacy_id, legacy_sort
        if lead_media_id is not None:
            change.lead_media_id = lead_media_id
        change.bump += bump

    def take_pending(self):
        """(new media, new articles, changes) to write, in the order they were made; then none."""
        pending = (self.new_media, list(self.new_articles.values()), self.changes)
        self.new_media, self.new_articles, self.changes = [], {}, {}
        return pending
