"""Revision snapshots (every editable field, the byline and related-link order, as JSON) and their diffs."""

import difflib

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString

from articles.models import Article, Revision

CONTENT_FIELDS = [
    "title",
    "slug",
    "kind",
    "summary",
    "body",
    "section_id",
    "signoff",
    "source",
    "language",
    "lead_media_id",
    "pinned",
]
TIMELINE_FIELDS = ["published_at", "embargo_until", "expires_at"]
SNAPSHOT_FIELDS = CONTENT_FIELDS[:-1] + ["status"] + TIMELINE_FIELDS + ["pinned"]

# How each snapshot key is labelled in a diff, in the order a diff lists them.
LABELS = {
    "title": "Title",
    "slug": "Slug",
    "kind": "Kind",
    "summary": "Summary",
    "body": "Body",
    "section_id": "Section",
    "signoff": "Sign-off",
    "source": "Source",
    "language": "Language",
    "lead_media_id": "Lead media",
    "status": "Status",
    "published_at": "Dateline",
    "embargo_until": "Embargo until",
    "expires_at": "Expires",
    "pinned": "Pinned",
    "tag_ids": "Tags",
    "related_ids": "Related (in order)",
    "author_ids": "Byline (author ids, in order)",
}


def snapshot(article: Article) -> dict:
    data = {}
    for field in SNAPSHOT_FIELDS:
        value = getattr(article, field)
        data[field] = value.isoformat() if hasattr(value, "isoformat") else value
    data["tag_ids"] = sorted(article.tags.values_list("id", flat=True)) if article.pk else []
    data["related_ids"] = list(article.related_links.order_by("position", "id").values_list("target_id", flat=True))
    data["author_ids"] = list(article.bylines.order_by("position", "id").values_list("author_id", flat=True))
    data["version"] = article.version
    return data


def data_for_version(article: Article, version: int) -> dict | None:
    """The snapshot the article had at `version` (every save and state change records one)."""
    revision = Revision.objects.filter(article_id=article.pk, data__version=version).order_by("-number").first()
    return revision.data if revision else None


def changed_fields(old: dict, new: dict) -> list[tuple[str, object, object]]:
    """(key, old value, new value) for every snapshot key that differs, in `LABELS` order."""
    return [(key, old.get(key), new.get(key)) for key in LABELS if old.get(key) != new.get(key)]


def _lines(value) -> list[str]:
    """A value as diffable lines; HTML bodies are split after block ends so changes line up."""
    if value is None:
        return [""]
    if isinstance(value, list):
        return [str(item) for item in value] or [""]
    text = str(value)
    for end in ("</p>", "</li>", "</h2>", "</h3>", "</blockquote>", "<br>"):
        text = text.replace(end, end + "\n")
    return text.splitlines() or [""]


def diff_table(old: dict, new: dict, *, old_label: str, new_label: str) -> SafeString:
    """A side-by-side HTML diff of two snapshots, changed fields only. Every value is escaped."""
    changes = changed_fields(old, new)
    if not changes:
        return format_html('<p class="nr-diff-none">{}</p>', "No differences in the article's fields.")
    differ = difflib.HtmlDiff(wrapcolumn=70)
    rows = []
    for key, before, after in changes:
        # HtmlDiff escapes &, < and > itself; labels are escaped by format_html.
        table = differ.make_table(_lines(before), _lines(after), escape(old_label), escape(new_label))
        rows.append((LABELS[key], SafeString(table)))
    return format_html_join(
        "",
        '<section class="nr-diff"><h3>{}</h3>{}</section>',
        rows,
    )
