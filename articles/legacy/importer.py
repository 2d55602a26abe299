"""Write one parsed legacy page: the import action, one transaction per page (or per batch).

`import_page` is the state-changing function for imported articles (the importer's entry in
the actions layer; `import_batch` runs several pages the same way in one transaction): it
checks the actor's publish permission, writes the page, its related list, stubs and media
references inside one transaction, records a revision and an audit entry for every article it
creates or changes, and, once the page has committed, announces the articles it wrote
(`changes.announce`, through `context.Announcer`: a run gathers the pages' ids into one
announcement about every second) for the page cache and other listeners.

Which article a page is: see `articles.legacy.identity`. A re-imported page with the digest it
was last imported with is "unchanged" and nothing is written, so editors' changes stay. A page
that changed on the old site updates the article only when editors have not changed it since
its last import (else their version is kept, with a warning). Two imports running at once may
both insert one page: the database refuses the second (unique identity, legacy ids, paths), and
that page is imported again, finding the first one's rows.

The common paths (a new page, an unchanged page) run a fixed handful of plain SQL statements
(`rows.Rows`); updating an existing article or filling a stub goes through the ORM. The page's
related list is resolved by `related.RelatedResolver`, its revisions and audit entries gathered
by `records.PageRecords`.
"""

from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone

from articles.legacy.context import ImportContext
from articles.legacy.identity import match_candidates, page_digest, page_identity
from articles.legacy.parser import LegacyPage, split_title
from articles.legacy.records import FILLED_STUB, PageRecords
from articles.legacy.related import RelatedResolver
from articles.legacy.report import PageResult
from articles.link_dates import copy_dateline
from articles.models import Article, Revision, make_slug
from media.models import MediaItem

# Page fields compared on re-import (published_at is part of the identity lookup itself).
COMPARED_FIELDS = ("title", "kind", "body", "section_id", "signoff", "language")
EDITED_HERE = (
    "the page changed on the old site since its last import, but editors have changed the article "
    "here since then: their version was kept"
)
# A page whose insert collides with another import's (same identity, legacy id or path) is
# imported again this many times in all before it is reported as failed.
ATTEMPTS = 5
# PostgreSQL's deadlock and serialization failures: two imports waited on each other's rows.
RETRY_SQLSTATES = {"40P01", "40001"}


@dataclass
class Placement:
    """Which article a page went to, and what writing the page itself did to it."""

    pk: int
    status: str  # "created", "updated", or "" while nothing of the page itself was written
    from_status: str  # the article's status before the page: "" for a new article
    legacy_id: int | None
    before: list[int] | None  # its related targets before; None: the page leaves them as they are
    new_row: dict | None = None  # the row, when this page inserted the article


class _PageWriter:
    """The writes of one page, inside its transaction."""

    def __init__(self, context: ImportContext, page: LegacyPage, stored: list[str], *, batch: "_Batch | None" = None):
        self.ctx = context
        self.rows = context.rows
        self.page = page
        self.stored = stored
        self.warnings = list(page.warnings)
        self.missing_files: list[str] = []  # legacy paths named here and not under the media root
        # In a batch, the pages share the transaction's time stamp and their records, written once.
        self.batch = batch
        self.records = batch.records if batch else PageRecords(context.actor)
        # The time stamp of every row this page writes: the moment of its transaction.
        self.now = batch.now if batch else self.rows.stamp(timezone.now())
        self.key, self.digest = page_identity(page), page_digest(page)
        self.written: set[int] = set()  # ids of the articles written, once the page is

    def run(self) -> PageResult:
        """Place the page (update, fill a stub or insert), write its related list, record it."""
        page = self.page
        section_id = self.ctx.sections.section_id(page.sections)
        related = RelatedResolver(
            self.ctx,
            page,
            self.records,
            section_id=section_id,
            warnings=self.warnings,
            stored=self.stored,
            missing_files=self.missing_files,
            now=self.now,
        )
        placed = self._place(self._wanted(section_id))
        targets = related.resolve(placed.pk)
        links_changed = self._write_links(placed, targets)
        self._settle(placed, links_changed, related.learnt_own_id)
        if placed.status:
            details = {"file": page.name, "legacy_id": placed.legacy_id}
            if placed.new_row is None:
                self.rows.leave_cached()  # the revision reads the article and its related list back
            self.records.page(
                pk=placed.pk,
                new_row=placed.new_row,
                targets=targets,
                from_status=placed.from_status,
                status=placed.status,
                details=details,
            )
        elif related.side_changes:
            placed.status = "updated"
        if self.batch is None:
            self.records.flush(self.rows, self.now)
        if placed.status:
            self.written = related.touched | {placed.pk}
        return self._result(placed)

    def _wanted(self, section_id: int) -> dict:
        """The article fields the page sets (attname → value), those compared on re-import."""
        page = self.page
        return {
            "title": page.title,
            "kind": page.kind,
            "body": page.body,
            "section_id": section_id,
            "signoff": page.signoff,
            "language": page.language,
        }

    def _place(self, wanted: dict) -> Placement:
        """The article that is this page, updated as the page asks; else the stub it fills; else new."""
        page = self.page
        candidates = self.rows.identity_candidates(self.key, page.title, page.published_at)
        found, stub = match_candidates(candidates, self.key, page.kind)
        if found is not None:
            return self._existing(found, wanted)
        if stub is not None:
            return self._fill(stub["id"], wanted)
        return self._create(wanted)

    def _write_links(self, placed: Placement, targets: list[int]) -> bool:
        """Make `targets` the article's related list, unless it has them or must be left alone;
        whether that wrote anything."""
        if placed.before is None or targets == placed.before:
            return False
        self.rows.replace_links(placed.pk, targets, had_links=bool(placed.before))
        return True

    def _settle(self, placed: Placement, links_changed: bool, learnt_own_id: int | None) -> None:
        """A page whose fields stayed but whose related list changed, or whose legacy id an item
        taught, updated its article: bump the version like an editor's save of the related list."""
        if learnt_own_id is not None:
            placed.legacy_id = learnt_own_id
        if placed.status or not (links_changed or learnt_own_id is not None):
            return
        placed.status = "updated"
        self.rows.leave_cached()
        identity = {"legacy_key": self.key, "legacy_digest": self.digest} if links_changed else {}
        Article.objects.filter(pk=placed.pk).update(version=F("version") + 1, **identity)

    def _result(self, placed: Placement) -> PageResult:
        page = self.page
        status = placed.status or "unchanged"
        reason = FILLED_STUB if placed.from_status == Article.Status.DRAFT and status == "created" else ""
        return PageResult(
            page.name,
            status,
            placed.pk,
            page.title,
            reason=reason,
            warnings=self.warnings,
            missing_files=self.missing_files,
        )

    # -- the page's own article ------------------------------------------------------------------

    def _existing(self, found: dict, wanted: dict) -> Placement:
        """A page imported before: updated when it changed on the old site and not here."""
        pk = found["id"]
        placed = Placement(pk, "", found["status"], found["legacy_id"], before=None)
        if found["legacy_digest"] == self.digest:
            return placed  # the old site's page is as imported: nothing of it to apply
        self.rows.leave_cached()  # what follows reads and writes through the ORM
        self.records.flush(self.rows, self.now)  # revisions read below include the batch's own
        before = self.rows.related_target_ids(pk)
        if self._edited_since_import(found, before):
            self.warnings.append(EDITED_HERE)
            if found["legacy_key"] is None:
                self.rows.set_identity(pk, self.key, found["legacy_digest"])
            return placed
        if any(found[name] != value for name, value in wanted.items()):
            self._update(pk, wanted)
            placed.status = "updated"
        else:
            self.rows.set_identity(pk, self.key, self.digest)
        placed.before = before
        return placed

    def _edited_since_import(self, found: dict, before: list[int]) -> bool:
        """Whether the article's fields or related order differ from what its last import wrote
        (its newest import revision); False when there is none to compare with."""
        data = (
            Revision.objects.filter(article_id=found["id"], note__startswith="import")
            .order_by("-number")
            .values_list("data", flat=True)
            .first()
        )
        if data is None:
            return False
        return data.get("related_ids") != before or any(data.get(name) != found[name] for name in COMPARED_FIELDS)

    def _create(self, wanted: dict) -> Placement:
        """Insert the page as a new published article."""
        row = {
            **wanted,
            "slug": make_slug(self.page.title),
            "published_at": self.page.published_at,
            "status": Article.Status.PUBLISHED,
            "created_by_id": self.ctx.actor_id,
            "published_by_id": self.ctx.actor_id,
            "version": 1,
            "legacy_key": self.key,
            "legacy_digest": self.digest,
        }
        (row["id"],) = self.rows.insert_article.rows([row], now=self.now)
        return Placement(row["id"], "created", "", None, before=[], new_row=row)

    def _fill(self, pk: int, wanted: dict) -> Placement:
        """The page of a stub arrived: same row, now with content, published."""
        self.rows.leave_cached()  # the stub is read and saved through the ORM
        self.records.flush(self.rows, self.now)  # its revision number counts the batch's own
        article = Article.objects.select_for_update().get(pk=pk)
        for name, value in wanted.items():
            setattr(article, name, value)
        article.published_at = self.page.published_at
        article.legacy_key, article.legacy_digest = self.key, self.digest
        article.is_stub = False
        article.status = Article.Status.PUBLISHED
        article.published_by = self.ctx.actor
        article.version += 1
        article.save()
        copy_dateline(article)  # an editor may have tagged or credited the stub
        # The stub's related list (none, unless an editor gave it one) is its page's to set.
        before = self.rows.related_target_ids(pk)
        return Placement(pk, "created", Article.Status.DRAFT, article.legacy_id, before=before)

    def _update(self, pk: int, wanted: dict) -> None:
        """A page imported before whose text changed; its editorial status is left as it is."""
        article = Article.objects.select_for_update().get(pk=pk)
        for name, value in wanted.items():
            setattr(article, name, value)
        article.legacy_key, article.legacy_digest = self.key, self.digest
        article.version += 1
        article.save()


def import_page(
    *, actor=None, page: LegacyPage, media_root: Path | None = None, context: ImportContext | None = None
) -> PageResult:
    """Import one parsed page in its own transaction; nothing of it remains if it fails.

    The actor (None for the system) needs `articles.publish_article`: imported pages are
    published history. Pass a `context` to share caches across the pages of a run.
    """
    ctx = context or ImportContext(actor=actor, media_root=media_root)
    for attempt in range(1, ATTEMPTS + 1):
        stored: list[str] = []
        not_found = set(ctx.media.not_found)  # a page imported again reports its missing files again
        try:
            with transaction.atomic(), connection.wrap_database_errors, ctx.rows.sql.page():
                writer = _PageWriter(ctx, page, stored)
                result = writer.run()
        except (IntegrityError, OperationalError) as exc:
            _undo(ctx, stored)
            if attempt == ATTEMPTS or not _another_import_won(exc):
                raise
            ctx.media.not_found = not_found
            continue  # the rows another import committed meanwhile are seen this time
        except BaseException:
            _undo(ctx, stored)
            raise
        ctx.sections.commit()
        ctx.announcer.add(writer.written)
        return result
    raise AssertionError("unreachable")  # the last attempt returns or raises


class _Batch:
    """What the pages of one batch share inside its transaction: a time stamp and the records."""

    def __init__(self, context: ImportContext):
        self.now = context.rows.stamp(timezone.now())
        self.records = PageRecords(context.actor)


def import_batch(pages: list[LegacyPage], *, context: ImportContext) -> list[PageResult] | None:
    """Import several parsed pages in one transaction; their results, or None when any page
    failed, in which case nothing of the batch remains (the caller imports its pages again one
    by one with `import_page`, where a failure stays the failing page's own).

    The pages run exactly as `import_page` runs them, in order, each seeing what the earlier
    ones wrote; what a batch saves is a transaction a page (two round trips and a commit), the
    revision, audit and related-link inserts of each page (gathered, written together at the
    end) and, for a page whose identity key and title the database does not hold, its identity
    look-up (`Rows.begin_batch` asks for the whole batch at once).
    """
    stored: list[str] = []
    not_found = set(context.media.not_found)
    done: list[tuple[_PageWriter, PageResult]] = []
    try:
        with transaction.atomic(), connection.wrap_database_errors:
            batch = _Batch(context)
            context.rows.begin_batch([(page_identity(page), page.title) for page in pages], **batch_reads(pages))
            for page in pages:
                with context.rows.sql.page():
                    writer = _PageWriter(context, page, stored, batch=batch)
                    done.append((writer, writer.run()))
            context.rows.end_batch()
            batch.records.flush(context.rows, batch.now)
    except PermissionDenied:
        context.rows.leave_batch()
        _undo(context, stored)
        raise
    except Exception:  # noqa: BLE001 - the pages are imported again one by one, which reports it
        context.rows.leave_batch()
        _undo(context, stored)
        context.media.not_found = not_found
        return None
    context.sections.commit()
    for writer, _ in done:
        context.announcer.add(writer.written)
    return [result for _, result in done]


def batch_reads(pages: list[LegacyPage]) -> dict:
    """What the pages of a batch can ask the database about, for `Rows.begin_batch`: the legacy
    ids, plain titles and pictures their related items name, and how many articles (each page,
    a stub for each item at most) and media items (one a picture) they can insert."""
    items = [item for page in pages for item in page.related]
    return {
        "legacy_ids": sorted({item.legacy_id for item in items}),
        "titles": sorted({split_title(item.title)[0] for item in items}),
        "paths": sorted({item.pic for item in items if item.pic}),
        "articles_at_most": len(pages) + len(items),
        "media_at_most": len(items),
    }


def _undo(ctx: ImportContext, stored: list[str]) -> None:
    """After a page rolled back: forget the sections it made and remove the files it stored."""
    ctx.sections.discard()
    _remove_orphans(stored)


def _another_import_won(exc: Exception) -> bool:
    """Whether the page's writes may have collided with another import's: a uniqueness
    violation (the other one inserted the same identity, legacy id, section or media path
    first), or on PostgreSQL a deadlock or serialization failure between the two."""
    if isinstance(exc, IntegrityError):
        return True
    return getattr(exc.__cause__, "sqlstate", None) in RETRY_SQLSTATES


def _remove_orphans(names: list[str]) -> None:
    """Delete files stored for a page that rolled back, unless an item still points at them."""
    for name in names:
        if not MediaItem.objects.filter(file=name).exists():
            default_storage.delete(name)
