"""RSS and Atom feeds of live articles: the whole site, one per section and one per author (Atom).

Items carry the full body (RSS `content:encoded`, Atom `content`), the byline (RSS one
`dc:creator` per author, Atom one `<author>` each, with the author page as its `<uri>`; an Atom
entry without a byline names the story's source, as every Atom entry needs an author) and, for
video articles, the mp4 as an enclosure. Every URL is absolute, on SITE_URL when it is set (a
feed fetched through a proxy still points readers at the public host), else on the scheme and
host the feed was requested on (urlkit.absolute_urls).

What goes into each element depends on how readers show it, so that no text stored in an article,
section, tag or author can become markup in a reader:
- fields typed HTML (RSS `description` and `content:encoded`, Atom `summary` and `content`, both
  `type="html"`) hold HTML: the body cleaned with the site's allowlist again (rows written past
  `Article.save()` are not trusted), plain text such as the summary escaped (`&`, `<`, `>`);
- RSS does not say whether its other elements (titles, categories, creators) are text or HTML
  and readers differ, so there `<` and `>` are escaped and `&` is kept: a reader showing text
  shows the title as typed (unless it holds `<` or `>`), and one showing HTML can build no element;
- Atom's titles, subtitle, category terms and author names are text by the specification and
  carry the text.
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

from articles.corrections import Correction
from articles.models import Article, Section
from articles.querysets import sections_with_live_stories
from articles.sanitize import clean_html
from articles.site.authors import public_author
from articles.site.bylines import bylines_prefetch, prefetched_authors
from caching import surrogate_keys
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


def corrections_html(corrections) -> str:
    """A story's corrections, newest first, as HTML put before its body in a feed entry: a
    reader who saw the first version learns what changed (the entry's updated date moves too)."""
    notes = sorted(corrections, key=lambda correction: correction.published_at, reverse=True)
    return "".join(
        f"<p><strong>{text_as_html(note.get_kind_display())}, "
        f"{note.published_at:%Y-%m-%d %H:%M} UTC:</strong> {text_as_html(note.text)}</p>"
        for note in notes
    )


class FullContentRss(Rss201rev2Feed):
    """RSS 2.0 with the article body in `content:encoded` and the byline in `dc:creator`s."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
            "xmlns:dc": "http://purl.org/dc/elements/1.1/",
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, _ in item.get("bylines", ()):
            handler.addQuickElement("dc:creator", name)
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])


class FullContentAtom(Atom1Feed):
    """Atom 1.0 with the article body in `<content type="html">` and an `<author>` per byline
    name (the story's source when it has no byline)."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, uri in item.get("bylines") or [(item.get("source_name"), "")]:
            if name:
                handler.startElement("author", {})
                handler.addQuickElement("name", name)
                if uri:
                    handler.addQuickElement("uri", uri)
                handler.endElement("author")
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
        """The feed's live articles, newest first."""
        return Article.objects.live().newest_first()

    def items(self, obj=None):
        surrogate_keys.add("feed")
        return (
            self.articles(obj)
            .select_related("section", "lead_media")
            .prefetch_related("tags", bylines_prefetch(), "corrections")[:FEED_SIZE]
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
        surrogate_keys.add(f"article-{item.pk}")
        return {
            "content_html": corrections_html(item.corrections.all()) + clean_html(xml_text(item.body)),
            "bylines": [
                (self.plain(author.name), self.absolute(author.get_absolute_url()))
                for author in prefetched_authors(item)
            ],
            "source_name": self.plain(item.source or settings.SITE_NAME),
        }


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
        section = get_object_or_404(sections_with_live_stories(Section.objects.all()), path=path.strip("/"))
        surrogate_keys.add(f"section-{section.pk}")
        return section

    def title(self, obj):
        return self.plain(f"{settings.SITE_NAME}: {' – '.join(obj.path_names())}")

    def description(self, obj):
        return text_as_html(f"Latest news from {settings.SITE_NAME} in {obj.name}.")

    def link(self, obj):
        return self.absolute(obj.get_absolute_url())

    def feed_url(self, obj):
        return self.absolute(reverse("feed-section", kwargs={"path": obj.path}))

    def articles(self, obj):
        return Article.objects.live().in_subtree(obj).newest_first()


class AuthorFeed(LatestArticlesAtomFeed):
    """An author's live stories (Atom); 404 for an author readers may not see, like their page."""

    url_name = "feed-author"

    def get_object(self, request, slug):
        author = public_author(slug)
        surrogate_keys.add(f"author-{author.pk}")
        return author

    def title(self, obj):
        return self.plain(f"{settings.SITE_NAME}: {obj.name}")

    def subtitle(self, obj):
        return xml_text(f"Stories by {obj.name} from {settings.SITE_NAME}.")

    def link(self, obj):
        return self.absolute(obj.get_absolute_url())

    def feed_url(self, obj):
        return self.absolute(reverse(self.url_name, kwargs={"slug": obj.slug}))

    def author_name(self, obj):
        return self.plain(obj.name)

    def author_link(self, obj):
        return self.absolute(obj.get_absolute_url())

    def articles(self, obj):
        return Article.objects.live().credited_to(obj).listed()  # the byline's index, newest first


class CorrectionsFeed(LatestArticlesFeed):
    """The newest corrections, clarifications and updates across the site (RSS), one item each,
    linking to the corrected story."""

    url_name = "feed-corrections"

    def title(self, obj=None):
        return self.plain(f"{settings.SITE_NAME}: corrections")

    def description(self, obj=None):
        return text_as_html(f"Corrections, clarifications and updates from {settings.SITE_NAME}.")

    def link(self, obj=None):
        return self.absolute(reverse("corrections"))

    def items(self, obj=None):
        surrogate_keys.add("corrections")
        return Correction.objects.shown().select_related("article")[:FEED_SIZE]

    def item_title(self, item):
        return self.plain(f"{item.get_kind_display()}: {item.article.legacy_title}")

    def item_description(self, item):
        return text_as_html(item.text)

    def item_link(self, item):
        return self.absolute(f"{item.article.get_absolute_url()}#corrections")

    def item_guid(self, item):
        return self.absolute(f"{item.article.get_absolute_url()}#correction-{item.pk}")

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at

    def item_categories(self, item):
        return [item.kind]

    def item_enclosures(self, item):
        return []

    def item_extra_kwargs(self, item):
        surrogate_keys.add(f"article-{item.article_id}")
        return {}
