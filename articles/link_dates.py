"""The article's dateline copied onto its tag links and byline rows (`TagLink.published_at`,
`Byline.published_at`), which tag and author pages read in index order (articles.querysets).

The copy must equal the article's dateline at all times. New link rows are written with it
(`article.tags.set(…, through_defaults=dateline_of(article))`, `set_byline`); whatever changes
an article's dateline then calls `copy_dateline` in the same transaction: the workflow actions
(publish, schedule, set_timeline…), a content save that moves the dateline, and the importer
filling a stub. No trigger: state changes go through the action functions.
"""

from articles.models import Article, Byline, TagLink


def dateline_of(article: Article) -> dict:
    """The values a new link row of `article` carries besides its two ids."""
    return {"published_at": article.published_at}


def copy_dateline(article: Article) -> None:
    """Give `article`'s tag links and byline rows its dateline where theirs differs (two
    UPDATEs on the article's own rows; none is written when nothing moved)."""
    for model in (TagLink, Byline):
        rows = model.objects.filter(article_id=article.pk).exclude(published_at=article.published_at)
        rows.update(published_at=article.published_at)
