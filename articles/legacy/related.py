"""A page's related list → the ids of the articles it names, in order.

Each item names its target by legacy id; an article without one that has the item's exact title
(label included) takes that legacy id; else the item becomes a stub (a draft holding the legacy
id and title until its own page arrives). A legacy page never names its own lead media: the
items that point at it do, so a target without lead media takes the picture its item names.
Everything learnt about other articles on the way is written here, inside the page's transaction,
with an audit entry each.
"""

from collections import defaultdict

from articles.legacy.context import ImportContext
from articles.legacy.dump import RelatedItem
from articles.legacy.parser import MAX_TITLE, LegacyPage, split_title
from articles.legacy.records import PageRecords
from articles.models import Article, make_slug


class RelatedResolver:
    """Resolves one page's related items (`resolve`) and remembers what that changed."""

    def __init__(
        self,
        context: ImportContext,
        page: LegacyPage,
        records: PageRecords,
        *,
        section_id: int,
        warnings: list[str],
        stored: list[str],
        missing_files: list[str],
        now,
    ):
        self.ctx = context
        self.rows = context.rows
        self.page = page
        self.records = records
        self.section_id = section_id  # where stubs are filed: the page's own section
        self.warnings = warnings
        self.stored = stored
        self.missing_files = missing_files
        self.now = now
        self.side_changes = 0  # articles and media items written besides the page's own article
        self.touched: set[int] = set()  # ids of the other articles written
        self.learnt_own_id: int | None = None  # the page's legacy id, when an item names it by title
        self.lead_media: dict[int, int | None] = {}  # target id → its lead media id, as looked up
        self.titles: dict[int, str] = {}  # target id → title, as looked up
        self.adopted: dict[int, tuple[int, int | None]] = {}  # matched by title: id → (legacy id, sort), to write

    def resolve(self, page_pk: int) -> list[int]:
        """Target ids in `sort` order: by legacy id, else by exact title (that article takes the
        legacy id), else a new stub. The page itself and repeated targets are dropped."""
        items = self.page.related
        if not items:
            return []
        by_legacy = self._by_legacy_id(items)
        pictures = self._pictures(items)
        misses = [i for i in items if i.legacy_id not in by_legacy]
        if misses:
            self._match_or_stub(misses, by_legacy, pictures, page_pk)
        targets, pics = self._targets(items, by_legacy, pictures, page_pk)
        self._fill_lead_media(pics)
        return targets

    def _by_legacy_id(self, items: list[RelatedItem]) -> dict[int, int]:
        """{legacy id: article id} of the items whose target holds its legacy id already."""
        by_legacy = {}
        for legacy_id, (pk, media, title) in self.rows.targets_by_legacy_id([i.legacy_id for i in items]).items():
            by_legacy[legacy_id] = pk
            self.lead_media[pk] = media
            self.titles[pk] = title
        return by_legacy

    def _pictures(self, items: list[RelatedItem]) -> dict[str, int]:
        """{legacy path: media item id} of the items' pictures, found or created."""
        pictures, media_changes = self.ctx.media.items_for(
            self.rows,
            [i.pic for i in items],
            self.warnings,
            self.stored,
            self.missing_files,
            record=self.records.media_entry,
        )
        self.side_changes += media_changes
        return pictures

    def _targets(self, items: list[RelatedItem], by_legacy: dict[int, int], pictures: dict[str, int], page_pk: int):
        """(target ids in order, {target id: the picture its first item names}), without the
        page itself and without repeats (each dropped with a warning)."""
        targets: list[int] = []
        pics: dict[int, int | None] = {}
        for item in items:
            target = by_legacy[item.legacy_id]
            if target == page_pk:
                self.warnings.append(f"related item {item.legacy_id} is the page itself; dropped")
            elif target in pics:
                self.warnings.append(f"related item {item.legacy_id} repeats an earlier target; dropped")
            else:
                targets.append(target)
                pics[target] = pictures.get(item.pic)
        return targets, pics

    # -- items not known by their legacy id -----------------------------------------------------

    def _match_or_stub(self, misses: list[RelatedItem], by_legacy: dict, pictures: dict[str, int], page_pk: int):
        """Find each missed item's target by title, or make it a stub; fills `by_legacy`."""
        # The legacy title is the exact title: label (kind) included, so "VIDEO: X" is not "X".
        plain = {i.legacy_id: split_title(i.title) for i in misses}
        by_title = self._by_title({title for title, _ in plain.values()})
        taken: set[int] = set()
        stubs: list[dict] = []
        for item in misses:
            title, kind = plain[item.legacy_id]
            pk = _only_one(by_title.get((title, kind), ()), taken)
            if pk is None:
                stubs.append(self._stub_row(item, title, kind, pictures))
            else:
                by_legacy[item.legacy_id] = pk
                self._adopt(pk, item, title, page_pk)
        if stubs:
            self._insert_stubs(stubs, by_legacy)

    def _by_title(self, titles: set[str]) -> dict[tuple[str, str], list[int]]:
        """{(title, kind): ids of the articles without legacy id so titled, oldest first}."""
        by_title: dict[tuple[str, str], list[int]] = defaultdict(list)
        for title, kind, pk, media in self.rows.ids_by_title_without_legacy_id(list(titles)):
            by_title[title, kind].append(pk)
            self.lead_media[pk] = media
            self.titles[pk] = title
        return by_title

    def _adopt(self, pk: int, item: RelatedItem, title: str, page_pk: int) -> None:
        """The article `pk`, matched by title, takes the item's legacy id (written with its lead
        media by `_fill_lead_media`, if it gets any)."""
        self.adopted[pk] = (item.legacy_id, item.sort)
        if pk == page_pk:
            self.learnt_own_id = item.legacy_id
            return
        self.side_changes += 1
        self.touched.add(pk)
        details = {"legacy_id": item.legacy_id, "matched_by": "title", "pic": item.pic, "referenced_by": self.page.name}
        self.records.audit(article_id=pk, title=title, details=details)

    def _stub_row(self, item: RelatedItem, title: str, kind: str, pictures: dict[str, int]) -> dict:
        """The row of a stub for `item`, filed in the page's section, with the item's picture."""
        if len(title) > MAX_TITLE:
            self.warnings.append(f"related item {item.legacy_id}: title cut to {MAX_TITLE} characters")
        return {
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

    def _insert_stubs(self, stubs: list[dict], by_legacy: dict) -> None:
        """Insert the stubs in one statement, each with its first revision and audit entry."""
        for stub, pk in zip(stubs, self.rows.insert_article.rows(stubs, now=self.now), strict=True):
            stub["id"] = pk
            by_legacy[stub["legacy_id"]] = pk
            self.touched.add(pk)
            self.records.stub(stub, referenced_by=self.page.name)
        self.side_changes += len(stubs)

    # -- lead media ----------------------------------------------------------------------------

    def _fill_lead_media(self, pics: dict[int, int | None]) -> None:
        """A target without lead media takes the picture its related item names (stubs already
        carry theirs); then the legacy ids learnt by title that did not go with a picture are
        written."""
        lead_media = self.lead_media
        waiting = (pk for pk, media in pics.items() if media is not None and pk in lead_media)
        for pk in sorted(pk for pk in waiting if lead_media[pk] is None):
            if self._take_lead_media(pk, pics[pk]):
                self.side_changes += 1
                self.touched.add(pk)
                details = {"lead_media_id": pics[pk], "named_by": self.page.name}
                self.records.audit(article_id=pk, title=self.titles[pk], details=details)
        for pk, (legacy_id, sort) in self.adopted.items():
            self.rows.set_legacy_id(pk, legacy_id, sort)
        self.adopted.clear()

    def _take_lead_media(self, pk: int, media: int) -> bool:
        """Give the article `pk` lead media `media`, if it still has none; whether it took it.

        An article matched by title on this page that takes its lead media too (the usual case:
        the first page to name it) gets both in one UPDATE.
        """
        if pk not in self.adopted:
            return self.rows.set_lead_media(pk, media)
        legacy_id, sort = self.adopted.pop(pk)
        if self.rows.adopt_with_lead_media(pk, legacy_id, sort, media):
            return True
        # The row is not as looked up: each change on its own terms.
        self.rows.set_legacy_id(pk, legacy_id, sort)
        return self.rows.set_lead_media(pk, media)


def _only_one(candidates, taken: set[int]) -> int | None:
    """The one candidate id not `taken` yet (and take it), or None when there are none or several."""
    free = [pk for pk in candidates if pk not in taken]
    if len(free) != 1:
        return None
    taken.add(free[0])
    return free[0]
