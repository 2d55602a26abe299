"""Bylines on the public site: a story's authors in byline order, for its page, its JSON-LD
and the feeds.

An article page reads its byline with one prepared query (compiled once per process, like the
page's other queries) whatever the number of authors; a feed reads the bylines of all its
items with one more query (`bylines_prefetch`). Every author named on a live story's byline is
public (`Author.objects.public()`), so the links never lead to a 404.
"""

from django.db.models import Prefetch

from articles.authors import BYLINE_AUTHOR_FIELDS, BYLINE_ORDER, byline_prefetch
from articles.models import Article, Author, Byline
from querykit.prepared import PreparedQuery
from urlkit.absolute_urls import absolute_url

ARTICLE_BYLINE = PreparedQuery(
    lambda article_id: (
        Byline.objects.filter(article_id=article_id)
        .select_related("author")
        .only("author_id", *BYLINE_AUTHOR_FIELDS)
        .order_by(*BYLINE_ORDER)
    ),
    article_id=1,
)


def byline_authors(article: Article) -> list[Author]:
    """The saved authors of `article`, first named first (one query; none for an unsaved one)."""
    if article.pk is None:
        return []
    return [byline.author for byline in ARTICLE_BYLINE(article_id=article.pk)]


def bylines_prefetch() -> Prefetch:
    """For a list of articles: each one's bylines with their authors, in `article.byline_list`."""
    return byline_prefetch("byline_list")


def prefetched_authors(article: Article) -> list[Author]:
    """The authors `bylines_prefetch` loaded for `article`, in byline order."""
    return [byline.author for byline in article.byline_list]


def person(author: Author, request=None) -> dict:
    """The schema.org Person a story credits: name and the author's page."""
    return {"@type": "Person", "name": author.name, "url": absolute_url(author.get_absolute_url(), request)}
