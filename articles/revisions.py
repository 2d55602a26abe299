"""Revision snapshots: every editable field and the related-link order, as JSON."""

from articles.models import Article

SNAPSHOT_FIELDS = [
    "title", "slug", "kind", "summary", "body", "section_id", "signoff", "source", "language",
    "lead_media_id", "status", "published_at", "embargo_until", "expires_at", "pinned",
]


def snapshot(article: Article) -> dict:
    data = {}
    for field in SNAPSHOT_FIELDS:
        value = getattr(article, field)
        data[field] = value.isoformat() if hasattr(value, "isoformat") else value
    data["tag_ids"] = sorted(article.tags.values_list("id", flat=True)) if article.pk else []
    data["related_ids"] = list(article.related_links.order_by("position", "id").values_list("target_id", flat=True))
    data["version"] = article.version
    return data
