"""Shared test helpers: the whole stored state of an article, and admin form data for it."""

from django.utils import timezone

from articles.models import Article, AuditEntry, PreviewLink, Revision


def state_of(article_id: int) -> dict:
    """Everything a refused action must leave alone: the row, tags, related order, revisions, audit."""
    row = Article.objects.filter(pk=article_id).values().first()
    return {
        "row": row,
        "tags": sorted(Article.tags.through.objects.filter(article_id=article_id).values_list("tag_id", flat=True)),
        "related": list(
            Article.objects.filter(pk=article_id)
            .values_list("related_links__target_id", flat=True)
            .order_by("related_links__position")
        ),
        "revisions": Revision.objects.filter(article_id=article_id).count(),
        "audit": AuditEntry.objects.count(),
        "links": PreviewLink.objects.filter(article_id=article_id).count(),
    }


def management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _split(moment) -> tuple[str, str]:
    if moment is None:
        return "", ""
    local = timezone.localtime(moment)
    return local.strftime("%Y-%m-%d"), local.strftime("%H:%M:%S")


def change_data(article: Article, **overrides) -> dict:
    """The admin change form for `article` as a browser would post it, opened at its current version."""
    article.refresh_from_db()
    links = list(article.related_links.order_by("position", "id"))
    data = {
        "section": article.section_id,
        "kind": article.kind,
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "body": article.body,
        "signoff": article.signoff,
        "source": article.source,
        "language": article.language,
        "lead_media": article.lead_media_id or "",
        "tags": [tag.pk for tag in article.tags.all()],
        "pinned": "on" if article.pinned else "",
        "base_version": article.version,
    }
    for field in ("published_at", "embargo_until", "expires_at"):
        data[f"{field}_0"], data[f"{field}_1"] = _split(getattr(article, field))
    data.update(management("related_links", len(links), len(links)))
    for index, link in enumerate(links):
        data[f"related_links-{index}-id"] = link.pk
        data[f"related_links-{index}-source"] = article.pk
        data[f"related_links-{index}-target"] = link.target_id
        data[f"related_links-{index}-position"] = link.position
    if not data["pinned"]:
        del data["pinned"]
    data.update(overrides)
    return data
