"""Write one parsed legacy page: the import action, one transaction per page.

`import_page` is the state-changing function for imported articles (the importer's entry in
the actions layer): it checks the actor's publish permission, writes the page, its related
list, stubs and media references inside one transaction, records a revision and an audit entry
for every article it creates or changes, and bumps the cache generation on commit.

Identity: a page's legacy identity (`page_identity`: its title, label included, and dateline
as the old site gives them) is kept in `Article.legacy_key`, unique in the database. A page is
the article holding that identity, whatever editors have changed since; else (articles
imported before the identity was kept) the article with the same title and dateline and no
identity; else the stub with the same legacy title (made earlier from a related list); else
new. `Article.legacy_digest` holds a hash of the page as last imported: a re-imported page with
the same digest is "unchanged" and nothing is written, so editors' changes stay. A page that
changed on the old site updates the article only when editors have not changed it since its
last import (else their version is kept, with a warning). Two imports running at once may both
insert one page: the database refuses the second (unique identity, legacy ids, paths), and that
page is imported again, finding the first one's rows.

The common paths (a new page, an unchanged page) run a fixed handful of plain SQL statements
(`rows.Rows`); updating an existing article or filling a stub goes through the ORM.
"""

import hashlib
import json
from collections import defaultdict
from datetime import UTC
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import F, Max
from django.utils import timezone

from articles.legacy.dump import RelatedItem
from articles.legacy.parser import MAX_TITLE, LegacyPage, split_title
from articles.legacy.pictures import MediaResolver
from articles.legacy.report import PageResult
from articles.legacy.rows import Rows
from articles.models import Article, Revision, Section, make_slug
from articles.revisions import SNAPSHOT_FIELDS, snapshot
from caching.generations import bump_content_generation
from media.models import MediaItem

# Page fields compared on re-import (published_at is part of the identity lookup itself).
COMPARED_FIELDS = ("title", "kind", "body", "section_id", "signoff", "language")
FILLED_STUB = "filled the stub made from a related list"
EDITED_HERE = (
    "the page changed on the old site since its last import, but editors have changed the article "
    "here since then: their version was kept"
)
# A page whose insert collides with another import's (same identity, legacy id or path) is
# imported again this many times in all before it is reported as failed.
ATTEMPTS = 5
# PostgreSQL's deadlock and serialization failures: two imports waited on each other's rows.
RETRY_SQLSTATES = {"40P01", "40001"}
LABELS = {"video": "VIDEO: ", "photo": "PHOTOS: "}


def page_identity(page: LegacyPage) -> str:
    """The page's legacy identity: a hash of its title (label included) and dateline (UTC).

    The old site gives pages no id of their own; these two are what named a story there. The
    hash is taken from the page, never from the article, so editors' changes do not move it.
    """
    text = f"{LABELS.get(page.kind, '')}{page.title}\n{page.published_at.astimezone(UTC).isoformat()}"
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def page_digest(page: LegacyPage) -> str:
    """A hash of everything the page says (breadcrumb, fields, related items as listed)."""
    content = [
        page.sections,
        page.title,
        page.kind,
        page.body,
        page.signoff,
        page.language,
        [[i.legacy_id, i.sort, i.title, i.pic] for i in page.related],
    ]
    return hashlib.blake2b(json.dumps(content, ensure_ascii=False).encode(), digest_size=16).hexdigest()


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


class ImportContext:
    """What stays the same for every page of a run: actor, media, caches, prepared SQL."""

    # What an article inserted by the importer holds in the snapshot fields it does not set.
    SNAPSHOT_DEFAULTS = {name: Article._meta.get_field(name).get_default() for name in SNAPSHOT_FIELDS}

    def __init__(self, *, actor=None, media_root: Path | None = None, dry_run: bool = False):
        if actor is not None and not actor.has_perm("articles.publish_article"):
            raise PermissionDenied("You may not import legacy pages: importing publishes articles.")
        self.actor = actor if getattr(actor, "pk", None) else None
        self.actor_id = self.actor.pk if self.actor else None
        self.media_root = media_root
        self.dry_run = dry_run
        self.sections = SectionCache()
        self.media = MediaResolver(media_root, dry_run=dry_run)
        self.rows = Rows()


def fresh_snapshot(row: dict, related_ids: list[int]) -> dict:
    """`snapshot(article)` for an article this page inserted from `row` (attname → value; the
    other fields hold their defaults), without its two queries.

    A new article has no tags yet and exactly the related list just written; a test checks
    this equals `snapshot()` of the stored article.
    """
    data = {}
    for name, default in ImportContext.SNAPSHOT_DEFAULTS.items():
        value = row.get(name, default)
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    data["tag_ids"] = []
    data["related_ids"] = list(related_ids)
    data["version"] = row.get("version", 1)
    return data


class _PageWriter:
    """The writes of one page, inside its transaction."""

    def __init__(self, context: ImportContext, page: LegacyPage, stored: list[str]):
        self.ctx = context
        self.rows = context.rows
        self.page = page
        self.stored = stored
        self.warnings = list(page.warnings)
        self.missing_files: list[str] = []  # legacy paths named here and not under the media root
        self.revisions: list[dict] = []  # Revision rows, inserted together at the end
        self.audit: list[dict] = []  # AuditEntry rows
        self.side_changes = 0
        self.learnt_own_id: int | None = None
        self.new_stubs: set[int] = set()  # made by this page, with their picture already
        self.lead_media: dict[int, int | None] = {}  # target id → its lead media id, as looked up
        self.titles: dict[int, str] = {}  # target id → title, as looked up
        self.adopted: dict[int, tuple[int, int | None]] = {}  # matched by title: id → (legacy id, sort), to write
        self.now = self.rows.stamp(timezone.now())  # the time stamp of every row this page writes

    # -- the page itself -------------------------------------------------------------------------

    def run(self) -> PageResult:
        page = self.page
        self.section_id = self.ctx.sections.section_id(page.sections)
        wanted = {
            "title": page.title,
            "kind": page.kind,
            "body": page.body,
            "section_id": self.section_id,
            "signoff": page.signoff,
            "language": page.language,
        }
        self.key, self.digest = key, digest = page_identity(page), page_digest(page)
        candidates = self.rows.identity_candidates(key, page.title, page.published_at)
        own = [c for c in candidates if c["legacy_key"] == key]
        same = own or [c for c in candidates if not c["is_stub"] and c["legacy_key"] is None]
        stubs = [c for c in candidates if c["is_stub"] and c["kind"] == page.kind and c["legacy_key"] is None]
        before = None
        if same:
            found = same[0]
            pk, from_status, legacy_id = found["id"], found["status"], found["legacy_id"]
            status, article, before = self._existing(found, wanted)
        elif stubs:
            article = self._fill(stubs[0]["id"], wanted)
            status, pk, from_status, legacy_id = "created", article.pk, Article.Status.DRAFT, article.legacy_id
        else:
            article = self._create(wanted)
            status, pk, from_status, legacy_id = "created", article["id"], "", None
            before = []
        if before is None:  # a filled stub, whose links are its own page's to set
            before = self.rows.related_target_ids(pk)
        follow = before is not False  # False: the article keeps its related list as it is
        targets = self._resolve_related(pk)
        links_changed = follow and targets != before
        if links_changed:
            self.rows.replace_links(pk, targets, had_links=bool(before))
        if self.learnt_own_id is not None:
            legacy_id = self.learnt_own_id
        if not status and (links_changed or self.learnt_own_id is not None):
            status = "updated"
            # Like an editor's save of the related list: bump the optimistic-lock version.
            identity = {"legacy_key": key, "legacy_digest": digest} if links_changed else {}
            Article.objects.filter(pk=pk).update(version=F("version") + 1, **identity)
        if status:
            self._record_page(
                article if status == "created" and from_status == "" else None,
                pk,
                targets,
                from_status,
                status,
                legacy_id,
            )
        elif self.side_changes:
            status = "updated"
        self._flush_records()
        if not status:
            return PageResult(
                page.name, "unchanged", pk, page.title, warnings=self.warnings, missing_files=self.missing_files
            )
        transaction.on_commit(bump_content_generation)
        reason = FILLED_STUB if from_status == Article.Status.DRAFT and status == "created" else ""
        return PageResult(
            page.name, status, pk, page.title, reason=reason, warnings=self.warnings, missing_files=self.missing_files
        )

    def _existing(self, found: dict, wanted: dict) -> tuple[str, Article | None, list[int] | bool]:
        """A page imported before: (status so far, the article if saved, its related targets
        before this page, or False when this page must leave its related list alone)."""
        pk = found["id"]
        if found["legacy_digest"] == self.digest:
            return "", None, False  # the old site's page is as imported: nothing of it to apply
        before = self.rows.related_target_ids(pk)
        if self._edited_since_import(found, before):
            self.warnings.append(EDITED_HERE)
            if found["legacy_key"] is None:
                self.rows.set_identity(pk, self.key, found["legacy_digest"])
            return "", None, False
        if any(found[name] != value for name, value in wanted.items()):
            return "updated", self._update(pk, wanted), before
        self.rows.set_identity(pk, self.key, self.digest)
        return "", None, before

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

    def _create(self, wanted: dict) -> dict:
        """Insert the page as a new published article; its row (attname → value, with "id")."""
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
        return row

    def _fill(self, pk: int, wanted: dict) -> Article:
        """The page of a stub arrived: same row, now with content, published."""
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
        return article

    def _update(self, pk: int, wanted: dict) -> Article:
        """A page imported before whose text changed; its editorial status is left as it is."""
        article = Article.objects.select_for_update().get(pk=pk)
        for name, value in wanted.items():
            setattr(article, name, value)
        article.legacy_key, article.legacy_digest = self.key, self.digest
        article.version += 1
        article.save()
        return article

    # -- related items ---------------------------------------------------------------------------

    def _resolve_related(self, page_pk: int) -> list[int]:
        """Target ids in `sort` order: by legacy id, else by exact title (that article takes the
        legacy id), else a new stub. The page itself and repeated targets are dropped."""
        items = self.page.related
        if not items:
            return []
        by_legacy = {}
        for legacy_id, (pk, media, title) in self.rows.targets_by_legacy_id([i.legacy_id for i in items]).items():
            by_legacy[legacy_id] = pk
            self.lead_media[pk] = media
            self.titles[pk] = title
        misses = [i for i in items if i.legacy_id not in by_legacy]
        pictures, media_changes = self.ctx.media.items_for(
            self.rows, [i.pic for i in items], self.warnings, self.stored, self.missing_files
        )
        self.side_changes += media_changes
        if misses:
            self._match_or_stub(misses, by_legacy, pictures, page_pk)
        targets: list[int] = []
        pics: dict[int, int | None] = {}
        for item in items:
            target = by_legacy[item.legacy_id]
            if target == page_pk:
                self.warnings.append(f"related item {item.legacy_id} is the page itself; dropped")
            elif target in targets:
                self.warnings.append(f"related item {item.legacy_id} repeats an earlier target; dropped")
            else:
                targets.append(target)
                pics.setdefault(target, pictures.get(item.pic))
        self._fill_lead_media(pics)
        return targets

    def _fill_lead_media(self, pics: dict[int, int | None]) -> None:
        """A legacy page never names its own lead media; the items that point at it do. So a target
        without lead media takes the picture its related item names (stubs already carry theirs).

        Also writes the legacy ids learnt by title: an article matched by title this page that
        takes its lead media too (the usual case: the first page to name it) is one UPDATE.
        """
        lead_media, adopted = self.lead_media, self.adopted
        for pk in sorted(
            pk for pk, media in pics.items() if media is not None and pk in lead_media and lead_media[pk] is None
        ):
            media = pics[pk]
            if pk in adopted:
                legacy_id, sort = adopted.pop(pk)
                took = self.rows.adopt_with_lead_media(pk, legacy_id, sort, media)
                if not took:  # the row is not as looked up: each change on its own terms
                    self.rows.set_legacy_id(pk, legacy_id, sort)
                    took = self.rows.set_lead_media(pk, media)
            else:
                took = self.rows.set_lead_media(pk, media)
            if not took:
                continue
            self.side_changes += 1
            self.audit.append(
                self._audit_entry(
                    article_id=pk,
                    title=self.titles[pk],
                    from_status="",
                    to_status="",
                    details={"lead_media_id": pics[pk], "named_by": self.page.name},
                )
            )
        for pk, (legacy_id, sort) in adopted.items():
            self.rows.set_legacy_id(pk, legacy_id, sort)
        adopted.clear()

    def _match_or_stub(self, misses: list[RelatedItem], by_legacy: dict, pictures: dict[str, int], page_pk: int):
        # The legacy title is the exact title: label (kind) included, so "VIDEO: X" is not "X".
        plain = {i.legacy_id: split_title(i.title) for i in misses}
        by_title: dict[tuple[str, str], list[int]] = defaultdict(list)
        for title, kind, pk, media in self.rows.ids_by_title_without_legacy_id(list({t for t, _ in plain.values()})):
            by_title[title, kind].append(pk)
            self.lead_media[pk] = media
            self.titles[pk] = title
        taken: set[int] = set()
        stubs: list[dict] = []
        for item in misses:
            title, kind = plain[item.legacy_id]
            matches = [pk for pk in by_title.get((title, kind), ()) if pk not in taken]
            if len(matches) == 1:
                pk = matches[0]
                taken.add(pk)
                by_legacy[item.legacy_id] = pk
                self.adopted[pk] = (item.legacy_id, item.sort)  # written with its lead media, if any
                if pk == page_pk:
                    self.learnt_own_id = item.legacy_id
                else:
                    self.side_changes += 1
                    self.audit.append(
                        self._audit_entry(
                            article_id=pk,
                            title=title,
                            from_status="",
                            to_status="",
                            details={
                                "legacy_id": item.legacy_id,
                                "matched_by": "title",
                                "pic": item.pic,
                                "referenced_by": self.page.name,
                            },
                        )
                    )
                continue
            if len(title) > MAX_TITLE:
                self.warnings.append(f"related item {item.legacy_id}: title cut to {MAX_TITLE} characters")
            stubs.append(
                {
                    "title": title[:MAX_TITLE],
                    "slug": make_slug(title),
                    "kind": kind,
                    "section_id": self.section_id,
                    "status": Article.Status.DRAFT,
                    "is_stub": True,
                    "legacy_id": item.legacy_id,
                    "legacy_sort": item.sort,
                    "lead_media_id": pictures.get(item.pic),
                    "created_by_id": self.ctx.actor_id,
                    "version": 1,
                }
            )
        if stubs:
            for stub, pk in zip(stubs, self.rows.insert_article.rows(stubs, now=self.now), strict=True):
                stub["id"] = pk
                by_legacy[stub["legacy_id"]] = pk
                self.new_stubs.add(pk)
                self._add_records(
                    pk,
                    stub["title"],
                    stub["status"],
                    fresh_snapshot(stub, []),
                    1,
                    "",
                    "import: stub for a related item",
                    {"legacy_id": stub["legacy_id"], "referenced_by": self.page.name},
                )
            self.side_changes += len(stubs)

    # -- the record ------------------------------------------------------------------------------

    def _record_page(
        self, new_row: dict | None, pk: int, targets: list[int], from_status: str, status: str, legacy_id: int | None
    ) -> None:
        """Revision and audit entry of the page: `new_row` when this page inserted it."""
        details = {"file": self.page.name, "legacy_id": legacy_id}
        if new_row is not None:
            self._add_records(
                pk, new_row["title"], new_row["status"], fresh_snapshot(new_row, targets), 1, "", "import", details
            )
            return
        article = Article.objects.get(pk=pk)
        number = (Revision.objects.filter(article=article).aggregate(top=Max("number"))["top"] or 0) + 1
        note = FILLED_STUB if status == "created" else "import"
        self._add_records(
            pk, article.title, article.status, snapshot(article), number, from_status, f"import: {note}", details
        )

    def _audit_entry(self, *, article_id: int, title: str, from_status: str, to_status: str, details: dict) -> dict:
        return {
            "actor_id": self.ctx.actor_id,
            "action": "import",
            "article_id": article_id,
            "object_repr": title[:300],
            "from_status": from_status,
            "to_status": to_status,
            "details": details,
        }

    def _add_records(
        self, pk: int, title: str, status: str, data: dict, number: int, from_status: str, note: str, details: dict
    ):
        self.revisions.append(
            {"article_id": pk, "number": number, "created_by_id": self.ctx.actor_id, "data": data, "note": note[:200]}
        )
        self.audit.append(
            self._audit_entry(article_id=pk, title=title, from_status=from_status, to_status=status, details=details)
        )

    def _flush_records(self) -> None:
        if self.revisions:
            self.rows.insert_revisions.rows(self.revisions, now=self.now)
        if self.audit:
            self.rows.insert_audit.rows(self.audit, now=self.now)


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
                result = _PageWriter(ctx, page, stored).run()
        except (IntegrityError, OperationalError) as exc:
            ctx.sections.discard()
            _remove_orphans(stored)
            if attempt == ATTEMPTS or not _another_import_won(exc):
                raise
            ctx.media.not_found = not_found
            continue  # the rows another import committed meanwhile are seen this time
        except BaseException:
            ctx.sections.discard()
            _remove_orphans(stored)
            raise
        ctx.sections.commit()
        return result
    raise AssertionError("unreachable")  # the last attempt returns or raises


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
