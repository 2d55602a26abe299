"""RSS and Atom feeds of live articles: the whole site, and one per section.

Items carry the full body (RSS `content:encoded`, Atom `content`) and, for video
articles, the mp4 as an enclosure. Every URL is absolute, built from `settings.SITE_URL`
so a feed fetched through a proxy still points readers at the public host.
"""

import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed

from articles.models import Article, Section

FEED_SIZE = 50

# Characters XML 1.0 cannot carry; a legacy title holding one must not break a whole feed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """`text` without the control characters XML 1.0 forbids."""
    return _NOT_XML.sub("", text)


def absolute_url(url: str) -> str:
    """`url` on the public host; URLs that already name a host (S3, CDN) are kept."""
    if url.startswith(("http://", "https://")):
        return url
    if url.startswith("//"):
        return "https:" + url
    return settings.SITE_URL + url


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

    def title(self, obj=None):
        return settings.SITE_NAME

    def description(self, obj=None):
        return f"Latest news from {settings.SITE_NAME}."

    def link(self, obj=None):
        return absolute_url("/")

    def feed_url(self, obj=None):
        return absolute_url(reverse(self.url_name))

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
        return absolute_url(item.get_absolute_url())

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
        return [Enclosure(absolute_url(media.url), str(media.file_size), "video/mp4")]

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
        return absolute_url(obj.get_absolute_url())

    def feed_url(self, obj):
        return absolute_url(reverse("feed-section", kwargs={"path": obj.path}))

    def articles(self, obj):
        return Article.objects.live().in_section(obj)
