"""The revisions and audit entries an imported page calls for, gathered while the page is
written and inserted together at its end (two multi-row inserts a page), or at the end of the
batch of pages sharing its transaction (two multi-row inserts a batch).

Audit entries take their shape from `articles.audit.entry_values`, like every other entry;
revisions hold `snapshot()` of the article, which for an article the page has just inserted is
built from its row (`fresh_snapshot`) instead of read back.
"""

from django.db.models import Max

from articles.audit import entry_values
from articles.legacy.rows import Rows
from articles.models import Article, Revision
from articles.revisions import SNAPSHOT_FIELDS, snapshot

FILLED_STUB = "filled the stub made from a related list"
# What an article inserted by the importer holds in the snapshot fields it does not set.
SNAPSHOT_DEFAULTS = {name: Article._meta.get_field(name).get_default() for name in SNAPSHOT_FIELDS}


def fresh_snapshot(row: dict, related_ids: list[int]) -> dict:
    """`snapshot(article)` for an article this page inserted from `row` (attname → value; the
    other fields hold their defaults), without its two queries.

    A new article has no tags yet and exactly the related list just written; a test checks
    this equals `snapshot()` of the stored article.
    """
    data = {}
    for name, default in SNAPSHOT_DEFAULTS.items():
        value = row.get(name, default)
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    data["tag_ids"] = []
    data["related_ids"] = list(related_ids)
    data["author_ids"] = []
    data["version"] = row.get("version", 1)
    return data


class PageRecords:
    """Revision rows and audit entries of one page, by the run's actor."""

    def __init__(self, actor):
        self.actor = actor
        self.actor_id = actor.pk if actor else None
        self.revisions: list[dict] = []
        self.entries: list[dict] = []

    def audit(self, *, article_id: int, title: str, details: dict, from_status: str = "", to_status: str = "") -> None:
        """An "import" audit entry for the article `article_id` (titled `title`)."""
        self.entries.append(
            entry_values(
                actor=self.actor,
                action="import",
                article_id=article_id,
                object_repr=title,
                from_status=from_status,
                to_status=to_status,
                details=details,
            )
        )

    def media_entry(self, *, actor, action: str, object_repr: str, details: dict) -> None:
        """The audit entry of a media action taken for this page (the items its pictures name,
        `media.actions.create_references`), written with the page's own entries."""
        self.entries.append(entry_values(actor=actor, action=action, object_repr=object_repr, details=details))

    def revision(
        self, *, article_id: int, title: str, status: str, data: dict, number: int, from_status: str, note: str, details
    ) -> None:
        """Revision `number` of the article (its snapshot `data`) and the audit entry that goes with it."""
        self.revisions.append(
            {
                "article_id": article_id,
                "number": number,
                "created_by_id": self.actor_id,
                "data": data,
                "note": note[:200],
            }
        )
        self.audit(article_id=article_id, title=title, from_status=from_status, to_status=status, details=details)

    def stub(self, row: dict, referenced_by: str) -> None:
        """The first revision of a stub this page inserted from `row` (with its "id")."""
        self.revision(
            article_id=row["id"],
            title=row["title"],
            status=row["status"],
            data=fresh_snapshot(row, []),
            number=1,
            from_status="",
            note="import: stub for a related item",
            details={"legacy_id": row["legacy_id"], "referenced_by": referenced_by},
        )

    def page(self, *, pk: int, new_row: dict | None, targets: list[int], from_status: str, status: str, details: dict):
        """The revision of the page's own article: `new_row` when this page inserted it (its
        snapshot is built from the row), else read back from the database."""
        if new_row is not None:
            data = fresh_snapshot(new_row, targets)
            self.revision(
                article_id=pk,
                title=new_row["title"],
                status=new_row["status"],
                data=data,
                number=1,
                from_status="",
                note="import",
                details=details,
            )
            return
        article = Article.objects.get(pk=pk)
        number = (Revision.objects.filter(article=article).aggregate(top=Max("number"))["top"] or 0) + 1
        note = FILLED_STUB if status == "created" else "import"
        self.revision(
            article_id=pk,
            title=article.title,
            status=article.status,
            data=snapshot(article),
            number=number,
            from_status=from_status,
            note=f"import: {note}",
            details=details,
        )

    def flush(self, rows: Rows, now) -> None:
        """Insert what was gathered, each kind in one statement, time-stamped `now`; then start
        over (a batch of pages shares one `PageRecords` and flushes it once, or before a page
        reads revisions back)."""
        if self.revisions:
            rows.insert_revisions.rows(self.revisions, now=now)
            self.revisions = []
        if self.entries:
            rows.insert_audit.rows(self.entries, now=now)
            self.entries = []
