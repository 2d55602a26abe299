"""The article page: every element in order, head metadata, escaping, redirects, previews."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.test import RequestFactory, override_settings
from django.utils import timezone

from articles.models import Article
from articles.site.article_page import render_article_page
from tests.factories import ArticleFactory, RelatedLinkFactory, TagFactory
from tests.site.conftest import make_image

pytestmark = pytest.mark.django_db

NASTY = 'Talks </script><script>alert("x")</script> & "quotes"'


def json_ld_blocks(html: str) -> list[dict]:
    return [json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]


def meta(html: str, key: str) -> list[str]:
    """Content of every <meta property|name=key> (attribute values unescaped by the parser)."""

    class Finder(HTMLParser):
        found: list[str] = []

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "meta" and key in (attrs.get("property"), attrs.get("name")):
                self.found.append(attrs.get("content"))

    finder = Finder()
    finder.found = []
    finder.feed(html)
    return finder.found


def get_page(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


@override_settings(DATELINE_FORMAT="D M d, Y H:i:s", TIME_ZONE="UTC")
def test_elements_appear_in_the_required_order(client, tree, video):
    when = timezone.datetime(2016, 3, 24, 14, 18, 9, tzinfo=timezone.UTC)
    tag = TagFactory(name="Bridges")
    article = ArticleFactory(
        section=tree["mosul"],
        kind=Article.Kind.VIDEO,
        lead_media=video,
        published_at=when,
        title="Pontoon bridge opens",
        body="<p>BODYTEXT crews worked overnight.</p>",
        signoff="S/SH 11",
        tags=[tag],
    )
    target = ArticleFactory(title="Earlier crossing closed", kind=Article.Kind.PHOTO, lead_media=make_image())
    RelatedLinkFactory(source=article, target=target)
    html = get_page(client, article)

    crumbs = html.index('<nav class="breadcrumb"')
    order = [
        crumbs,
        html.index('<p class="kind">VIDEO</p>'),
        html.index('<h1 class="story-title">Pontoon bridge opens</h1>'),
        html.index('<time datetime="2016-03-24T14:18:09+00:00">Thu Mar 24, 2016 14:18:09 UTC</time>'),
        html.index('<video controls preload="metadata"'),
        html.index("BODYTEXT"),
        html.index('<p class="signoff">S/SH 11</p>'),
        html.index(f'href="{tag.get_absolute_url()}"'),
        html.index('<aside class="related"'),
    ]
    assert order == sorted(order)
    breadcrumb = html[crumbs : html.index("</nav>", crumbs)]
    assert re.sub(r"<[^>]+>", "", breadcrumb).split() == ["Iraq", "–", "Conflict", "–", "Mosul"]
    assert 'href="/section/iraq/"' in breadcrumb and 'href="/section/iraq/conflict/mosul/"' in breadcrumb


def test_video_article_has_a_player_with_poster_and_mp4_source(client, video):
    article = ArticleFactory(kind=Article.Kind.VIDEO, lead_media=video)
    html = get_page(client, article)
    player = re.search(r"<video [^>]*>.*?</video>", html, re.S).group(0)
    assert 'controls preload="metadata"' in player
    assert re.search(rf'poster="/media-renditions/{video.poster_id}/w1280\.jpeg"', player)
    assert f'<source src="{video.url}" type="video/mp4">' in player
    assert "<picture" not in html.split('<div class="story-body">')[0].split("<main")[1]


def test_photo_article_has_a_responsive_image(client, image):
    article = ArticleFactory(kind=Article.Kind.PHOTO, lead_media=image)
    html = get_page(client, article)
    lead = re.search(r'<figure class="lead-media">.*?</figure>', html, re.S).group(0)
    img = re.search(r"<img [^>]*>", lead).group(0)
    assert 'width="640" height="360"' in img  # intrinsic size of the fallback rendition
    assert 'alt="Engineers inspect a bridge at dusk"' in img
    assert re.search(r'srcset="[^"]*w320\.jpeg 320w, [^"]*w640\.jpeg 640w', img)
    assert 'type="image/webp"' in lead
    assert '<p class="kind">PHOTOS</p>' in html


def test_text_article_has_no_kind_label_and_no_lead_media(client):
    html = get_page(client, ArticleFactory())
    assert 'class="kind"' not in html and "<video" not in html and '<figure class="lead-media' not in html


def test_head_metadata_for_a_video_article(client, tree, video):
    tag = TagFactory(name="Engineering")
    article = ArticleFactory(
        section=tree["mosul"],
        kind=Article.Kind.VIDEO,
        lead_media=video,
        tags=[tag],
        title="Bridge towed into place",
        summary="Crews moved the span at dawn.",
    )
    html = get_page(client, article)
    canonical = f"http://testserver-site.example{article.get_absolute_url()}"
    assert "<title>Bridge towed into place – Newsroom</title>" in html
    assert '<meta name="description" content="Crews moved the span at dawn.">' in html
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert meta(html, "og:title") == ["Bridge towed into place"]
    assert meta(html, "og:url") == [canonical]
    assert meta(html, "og:type") == ["article"]
    assert meta(html, "og:image")[0].startswith("http://testserver-site.example/media-renditions/")
    assert meta(html, "og:video") == [f"http://testserver-site.example{video.url}"]
    assert meta(html, "og:video:type") == ["video/mp4"]
    assert meta(html, "twitter:card") == ["summary_large_image"]
    assert meta(html, "twitter:image") == meta(html, "og:image")
    assert meta(html, "article:tag") == ["Engineering"]

    news, crumbs = json_ld_blocks(html)
    assert news["@type"] == "NewsArticle"
    assert news["headline"] == "Bridge towed into place"
    assert news["mainEntityOfPage"]["@id"] == canonical
    assert news["datePublished"] == article.published_at.isoformat()
    assert news["articleSection"] == ["Iraq", "Conflict", "Mosul"]
    assert news["video"]["@type"] == "VideoObject"
    assert news["video"]["contentUrl"] == f"http://testserver-site.example{video.url}"
    assert news["video"]["duration"] == "PT1M5S"
    assert crumbs["@type"] == "BreadcrumbList"
    assert [item["name"] for item in crumbs["itemListElement"]] == ["Iraq", "Conflict", "Mosul"]
    assert crumbs["itemListElement"][2]["item"] == "http://testserver-site.example/section/iraq/conflict/mosul/"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "http://testserver-site.example"


def test_photo_article_json_ld_has_no_video(client, image):
    html = get_page(client, ArticleFactory(kind=Article.Kind.PHOTO, lead_media=image))
    news = json_ld_blocks(html)[0]
    assert "video" not in news and news["image"][0].endswith(".jpeg")
    assert meta(html, "og:video") == []


def test_arabic_article_sets_lang_and_rtl(client):
    html = get_page(client, ArticleFactory(title="جسر جديد فوق النهر", language="ar"))
    assert html.startswith('<!doctype html>\n<html lang="ar" dir="rtl">')
    assert '<header class="site-header" lang="en" dir="ltr">' in html


def test_hostile_title_and_signoff_are_escaped_everywhere(client, tree, image):
    article = ArticleFactory(
        section=tree["mosul"],
        title=NASTY,
        summary=NASTY,
        lead_media=image,
        kind=Article.Kind.PHOTO,
    )
    Article.objects.filter(pk=article.pk).update(signoff='<script>"S/SH"</script>')
    article.refresh_from_db()
    html = get_page(client, article)
    assert "<script>alert" not in html
    assert '<script>"S/SH"' not in html
    assert '<p class="signoff">&lt;script&gt;&quot;S/SH&quot;&lt;/script&gt;</p>' in html
    assert '<h1 class="story-title">Talks &lt;/script&gt;&lt;script&gt;alert(&quot;x&quot;)' in html
    assert meta(html, "og:title") == [NASTY]  # attribute escaped, so the parser reads it back whole
    assert f'content="{NASTY}"' not in html
    # JSON-LD: no raw "<", ">" or "&" inside the script element, and the value survives intact.
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        assert "<" not in block and ">" not in block and "&" not in block
    assert json_ld_blocks(html)[0]["headline"] == NASTY
    assert html.count("</script>") == 2  # only the two JSON-LD blocks close a script


def test_related_list_is_live_only_in_editorial_order_with_thumbnails(client, image, video):
    article = ArticleFactory()
    second = ArticleFactory(title="Second by position", lead_media=image)
    first = ArticleFactory(title="First by position", kind=Article.Kind.VIDEO, lead_media=video)
    hidden = {
        "draft": ArticleFactory(title="Hidden draft item", draft=True),
        "future": ArticleFactory(title="Hidden future item", published_at=timezone.now() + timezone.timedelta(days=1)),
        "archived": ArticleFactory(title="Hidden archived item", status=Article.Status.ARCHIVED),
        "stub": ArticleFactory(title="Hidden stub item", status=Article.Status.DRAFT, is_stub=True),
        "expired": ArticleFactory(
            title="Hidden expired item", expires_at=timezone.now() - timezone.timedelta(minutes=1)
        ),
    }
    RelatedLinkFactory(source=article, target=second, position=5)
    RelatedLinkFactory(source=article, target=first, position=1)
    for position, target in enumerate(hidden.values(), start=2):
        RelatedLinkFactory(source=article, target=target, position=position)
    html = get_page(client, article)
    related = html[html.index('<aside class="related"') :]
    assert related.index("First by position") < related.index("Second by position")
    assert related.count('<li class="related-item"') == 2
    assert "Hidden" not in html
    assert f'href="{first.get_absolute_url()}"' in related
    first_item = related[: related.index("Second by position")]
    assert '<span class="kind">VIDEO</span>' in first_item
    assert f"/media-renditions/{video.poster_id}/16x9-w320.jpeg" in first_item
    assert all(target.title not in json.dumps(json_ld_blocks(html)) for target in hidden.values())


def test_wrong_or_old_slug_redirects_permanently(client):
    article = ArticleFactory(title="Dam repairs finish early")
    response = client.get(f"/news/{article.pk}/old-headline/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


@pytest.mark.parametrize(
    "hidden",
    [
        {"status": Article.Status.DRAFT, "published_at": None},
        {"status": Article.Status.REVIEW, "published_at": None},
        {"status": Article.Status.ARCHIVED},
        {"published_at": timezone.now() + timezone.timedelta(days=2)},
        {"embargo_until": timezone.now() + timezone.timedelta(hours=2)},
        {"status": Article.Status.DRAFT, "is_stub": True},
    ],
    ids=["draft", "review", "archived", "future", "embargoed", "stub"],
)
def test_non_live_articles_have_no_page_and_no_legacy_redirect(client, hidden):
    article = ArticleFactory(legacy_id=4242, **hidden)
    assert client.get(article.get_absolute_url()).status_code == 404
    assert client.get("/legacy/4242/").status_code == 404


def test_legacy_id_redirects_to_canonical_url(client):
    article = ArticleFactory(legacy_id=1234567)
    response = client.get("/legacy/1234567/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()
    assert client.get("/legacy/7654321/").status_code == 404


def test_unicode_slug_page_resolves_without_redirect(client):
    article = ArticleFactory(title="جسر جديد فوق النهر")
    assert client.get(article.get_absolute_url()).status_code == 200


def test_preview_of_an_unsaved_article_shows_banner_and_is_private(tree, image):
    request = RequestFactory().get("/preview/x/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    related = [ArticleFactory(title="Live neighbour story")]
    draft = Article(
        title="Unpublished draft headline",
        section=tree["mosul"],
        body="<p>Draft body.</p>",
        kind=Article.Kind.PHOTO,
        lead_media=image,
        signoff="D/RF 2",
    )
    response = render_article_page(request, draft, related=related, tags=[], preview=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"
    assert "<strong>Preview</strong>" in html
    assert "Unpublished draft headline" in html and "Live neighbour story" in html
    assert '<link rel="canonical"' not in html and "application/ld+json" not in html
    assert '<p class="signoff">D/RF 2</p>' in html


def test_preview_response_is_never_put_in_the_page_cache(tree):
    from django.contrib.auth.models import AnonymousUser

    from articles.public_cache import cache_public_page

    article = ArticleFactory(title="Previewed in place")

    @cache_public_page
    def preview_view(request):
        return render_article_page(request, article, preview=True)

    responses = []
    for _ in range(2):
        request = RequestFactory().get("/p/")
        request.user = AnonymousUser()
        responses.append(preview_view(request))
    assert all("X-Page-Cache" not in r and "ETag" not in r for r in responses)
    assert responses[1]["Cache-Control"] == "private, no-store"
