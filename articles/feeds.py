"""RSS and Atom feeds of live articles: the whole site, and one per section.

Items carry the full body (RSS `content:encoded`, Atom `content`) and, for video
articles, the mp4 as an enclosure. Every URL is absolute, on SITE_URL when it is set (a feed
fetched through a proxy still points readers at the public host), else on the scheme and host
the feed was requested on (newsroom.absolute_urls).
"""

import copy
import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed

from articles.models import Article, Section
from newsroom.absolute_urls import absolute_url

FEED_SIZE = 50

# Characters XML 1.0 cannot carry; a legacy title holding one must not break a whole feed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """`text` without the control characters XML 1.0 forbids."""
    return _NOT_XML.sub("", text)


class FullContentRss(Rss201rev2Feed):
    """RSS 2.0 with the article body in `content:encoded`."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:content": "http://purl.org/rss/1.0/modules/content/"}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])


class FullContentAtom(Atom1Feed):
    """Atom 1.0 with the article body in `<content type="html">`."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})


class LatestArticlesFeed(Feed):
    """The newest live articles of the whole site."""

    feed_type = FullContentRss
    url_name = "feed-rss"
    # The request being answered, on the per-request copy made by __call__ (None outside one).
    request = None

    def __call__(self, request, *args, **kwargs):
        """Answer from a copy of this feed that knows `request`. The instance in the URLconf
        serves every request, possibly in several threads at once, so the request that gives
        the URLs their host cannot be kept on it; item methods receive only the item."""
        bound = copy.copy(self)
        bound.request = request
        return super(LatestArticlesFeed, bound).__call__(request, *args, **kwargs)

    def absolute(self, url: str) -> str:
        return absolute_url(url, self.request)

    def title(self, obj=None):
        return settings.SITE_NAME

    def description(self, obj=None):
        return f"Latest news from {settings.SITE_NAME}."

    def link(self, obj=None):
        return self.absolute("/")

    def feed_url(self, obj=None):
        return self.absolute(reverse(self.url_name))

    def articles(self, obj):
        return Article.objects.live()

    def items(self, obj=None):
        return (
            self.articles(obj)
            .select_related("section", "lead_media")
            .prefetch_related("tags")
            .newest_first()[:FEED_SIZE]
        )

    def item_title(self, item):
        return xml_text(item.legacy_title)

    def item_description(self, item):
        return xml_text(item.summary)

    def item_link(self, item):
        return self.absolute(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [xml_text(name) for name in (item.section.name, *(tag.name for tag in item.tags.all()))]

    def item_enclosures(self, item):
        media = item.lead_media
        if media is None or not media.is_video or not media.url or not media.file_size:
            return []
        return [Enclosure(self.absolute(media.url), str(media.file_size), "video/mp4")]

    def item_extra_kwargs(self, item):
        return {"content_html": xml_text(item.body)}


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = FullContentAtom
    url_name = "feed-atom"
    subtitle = LatestArticlesFeed.description


class SectionFeed(LatestArticlesFeed):
    """Live articles of one section and its subsections; an unknown section answers 404."""

    def get_object(self, request, path):
        return get_object_or_404(Section, path=path.strip("/"))

    def title(self, obj):
        return f"{settings.SITE_NAME}: {' – '.join(obj.path_names())}"

    def description(self, obj):
        return f"Latest news from {settings.SITE_NAME} in {obj.name}."

    def link(self, obj):
        return self.absolute(obj.get_absolute_url())

    def feed_url(self, obj):
        return self.absolute(reverse("feed-section", kwargs={"path": obj.path}))

    def articles(self, obj):
        return Article.objects.live().in_section(obj)
