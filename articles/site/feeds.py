"""RSS and Atom feeds of live articles: the whole site, and one per section.

Items carry the full body (RSS `content:encoded`, Atom `content`) and, for video
articles, the mp4 as an enclosure. Every URL is absolute, on SITE_URL when it is set (a feed
fetched through a proxy still points readers at the public host), else on the scheme and host
the feed was requested on (urlkit.absolute_urls).

What goes into each element depends on how readers show it, so that no text stored in an article,
section or tag can become markup in a reader:
- fields typed HTML (RSS `description` and `content:encoded`, Atom `summary` and `content`, both
  `type="html"`) hold HTML: the body cleaned with the site's allowlist again (rows written past
  `Article.save()` are not trusted), plain text such as the summary escaped (`&`, `<`, `>`);
- RSS does not say whether its other elements (titles, categories) are text or HTML and readers
  differ, so there `<` and `>` are escaped and `&` is kept: a reader showing text shows the
  title as typed (unless it holds `<` or `>`), and one showing HTML can build no element;
- Atom's titles, subtitle and category terms are text by the specification and carry the text.
Characters XML 1.0 forbids are dropped everywhere, so stored data never breaks a feed.
"""

import copy
import html
import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed

from articles.models import Article, Section
from articles.querysets import sections_with_live_stories
from articles.sanitize import clean_html
from urlkit.absolute_urls import absolute_url

FEED_SIZE = 50

# Characters XML 1.0 cannot carry; a legacy title holding one must not break a whole feed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """`text` without the control characters XML 1.0 forbids."""
    return _NOT_XML.sub("", text)


def text_as_html(text: str) -> str:
    """Plain text as the HTML that shows it, for a field readers render as HTML."""
    return html.escape(xml_text(text), quote=False)


def rss_text(text: str) -> str:
    """Plain text for an RSS element readers may show as text or as HTML (titles, categories):
    `<` and `>` escaped, so no reader can find an element in it; `&` kept, so a reader showing
    text shows "M&A" as typed."""
    return xml_text(text).replace("<", "&lt;").replace(">", "&gt;")


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
    # How plain text (titles, categories) goes into this feed type's text elements.
    plain = staticmethod(rss_text)
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
        return self.plain(settings.SITE_NAME)

    def description(self, obj=None):
        """The RSS channel's description, which readers show as HTML."""
        return text_as_html(f"Latest news from {settings.SITE_NAME}.")

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
        return self.plain(item.legacy_title)

    def item_description(self, item):
        """The summary (plain text) in an HTML-typed field: escaped."""
        return text_as_html(item.summary)

    def item_link(self, item):
        return self.absolute(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [self.plain(name) for name in (item.section.name, *(tag.name for tag in item.tags.all()))]

    def item_enclosures(self, item):
        media = item.lead_media
        if media is None or not media.is_video or not media.url or not media.file_size:
            return []
        return [Enclosure(self.absolute(media.url), str(media.file_size), "video/mp4")]

    def item_extra_kwargs(self, item):
        """The body, cleaned again: saving cleans it, but a row written another way must not
        reach readers as it is."""
        return {"content_html": clean_html(xml_text(item.body))}


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = FullContentAtom
    url_name = "feed-atom"
    plain = staticmethod(xml_text)  # Atom titles and category terms are text

    def subtitle(self, obj=None):
        return xml_text(f"Latest news from {settings.SITE_NAME}.")


class SectionFeed(LatestArticlesFeed):
    """Live articles of one section and its subsections; an unknown section, or one without a
    live story, answers 404."""

    def get_object(self, request, path):
        """The section, if a live story is in it or in a subsection (else 404, like its page)."""
        return get_object_or_404(sections_with_live_stories(Section.objects.all()), path=path.strip("/"))

    def title(self, obj):
        return self.plain(f"{settings.SITE_NAME}: {' – '.join(obj.path_names())}")

    def description(self, obj):
        return text_as_html(f"Latest news from {settings.SITE_NAME} in {obj.name}.")

    def link(self, obj):
        return self.absolute(obj.get_absolute_url())

    def feed_url(self, obj):
        return self.absolute(reverse("feed-section", kwargs={"path": obj.path}))

    def articles(self, obj):
        return Article.objects.live().in_section(obj)
