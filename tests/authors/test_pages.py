"""The public author page: profile, portrait, live stories newest first in keyset pages,
ProfilePage JSON-LD, 404 for authors readers may not see, escaping, caching, query counts."""

import re

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import actions
from articles.site import listings
from media import models as media_models
from media.models import MediaItem
from tests.authors.site_support import (
    HIDDEN_STORIES,
    HOST,
    credit,
    hidden_story_fields,
    json_ld_blocks,
    public_author,
    story_by,
    structure_problems,
)
from tests.factories import ArticleFactory, AuthorFactory, ImageFactory, jpeg_bytes
from tests.site.conftest import make_image, make_video

pytestmark = pytest.mark.django_db

HOSTILE_NAME = 'Sam </script><script>alert("name")</script> & Co'
HOSTILE_JOB = '<img src=x onerror=alert("job")> correspondent'
HOSTILE_BIO = 'Covers ports.\n\n</script><script>alert("bio")</script> <b>bold</b> & "quoted"'


@pytest.fixture(autouse=True)
def _public_host(settings):
    settings.SITE_URL = HOST
    settings.PAGE_CACHE_SECONDS = 0


def get_page(client, url):
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return response.content.decode()


def card_titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="card-title"[^>]*><a href="[^"]+">([^<]+)</a>', html)


def test_page_shows_profile_portrait_and_live_stories_newest_first(client):
    now = timezone.now()
    photo = make_image(public=True, alt_text="Sara Hamidi in Baghdad")
    sara = AuthorFactory(
        name="Sara Hamidi",
        slug="sara-hamidi",
        job_title="Baghdad correspondent",
        bio="Reports on Iraq's rivers.\n\nJoined in 2015.",
        photo=photo,
    )
    other = AuthorFactory(name="Omar Khalil", slug="omar-khalil")
    story_by(sara, title="Older dam story", published_at=now - timezone.timedelta(days=2))
    story_by(other, sara, title="Newest joint story", published_at=now - timezone.timedelta(hours=1))
    story_by(sara, title="Middle bridge story", published_at=now - timezone.timedelta(days=1))
    story_by(other, title="Someone else's story")
    story_by(sara, title="Draft story never shown", status="draft", published_at=None)

    html = get_page(client, "/authors/sara-hamidi/")

    assert "<title>Sara Hamidi – Newsroom</title>" in html
    assert '<h1 id="author-name" class="page-title"><bdi>Sara Hamidi</bdi></h1>' in html
    assert '<p class="author-job">Baghdad correspondent</p>' in html
    assert '<div class="author-bio"><p>Reports on Iraq&#x27;s rivers.</p>\n\n<p>Joined in 2015.</p></div>' in html
    assert '<meta name="description" content="Reports on Iraq&#x27;s rivers. Joined in 2015.">' in html
    assert f'<link rel="canonical" href="{HOST}/authors/sara-hamidi/">' in html
    assert f'<link rel="alternate" type="application/atom+xml" href="{HOST}/authors/sara-hamidi/feed/"' in html
    assert card_titles(html) == ["Newest joint story", "Middle bridge story", "Older dam story"]
    assert "Draft story" not in html and "Someone else" not in html
    # The portrait: square renditions, responsive, decorative (the name is the heading next to it).
    portrait = re.search(r'<div class="author-photo">(.*?)</div>', html, re.S).group(1)
    assert f"/media-renditions/{photo.pk}/1x1-w320.jpeg 320w" in portrait
    assert f"/media-renditions/{photo.pk}/1x1-w640.webp 640w" in portrait
    assert "1x1-w960" not in portrait  # never wider than the page draws it
    assert 'alt=""' in portrait and 'width="640" height="640"' in portrait
    assert structure_problems(html) == []


def test_stories_readers_cannot_see_are_not_listed(client):
    sara = AuthorFactory(slug="sara-hamidi")
    story_by(sara, title="The one live story")
    for kind in HIDDEN_STORIES:
        story_by(sara, title=f"Quillo{kind} story", **hidden_story_fields(kind))
    html = get_page(client, "/authors/sara-hamidi/")
    assert card_titles(html) == ["The one live story"]
    assert "quillo" not in html.lower()


def test_json_ld_is_a_profile_page_about_the_person(client):
    photo = make_image(public=True)
    sara = public_author(
        name="Sara Hamidi", slug="sara-hamidi", job_title="Baghdad correspondent", bio="Reports.", photo=photo
    )
    blocks = json_ld_blocks(get_page(client, "/authors/sara-hamidi/"))
    assert blocks == [
        {
            "@context": "https://schema.org",
            "@type": "ProfilePage",
            "url": f"{HOST}/authors/sara-hamidi/",
            "dateCreated": sara.created_at.isoformat(),
            "dateModified": sara.updated_at.isoformat(),
            "mainEntity": {
                "@type": "Person",
                "name": "Sara Hamidi",
                "url": f"{HOST}/authors/sara-hamidi/",
                "jobTitle": "Baghdad correspondent",
                "description": "Reports.",
                "image": f"{HOST}/media-renditions/{photo.pk}/1x1-w640.jpeg",
            },
        }
    ]


def test_json_ld_leaves_out_what_the_author_has_not_got(client):
    omar = public_author(name="Omar Khalil", slug="omar-khalil", job_title="", bio="")
    html = get_page(client, "/authors/omar-khalil/")
    assert json_ld_blocks(html) == [
        {
            "@context": "https://schema.org",
            "@type": "ProfilePage",
            "url": f"{HOST}/authors/omar-khalil/",
            "dateCreated": omar.created_at.isoformat(),
            "dateModified": omar.updated_at.isoformat(),
            "mainEntity": {"@type": "Person", "name": "Omar Khalil", "url": f"{HOST}/authors/omar-khalil/"},
        }
    ]
    assert 'class="author-photo"' not in html and 'class="author-job"' not in html and "author-bio" not in html
    assert '<meta name="description" content="Stories by Omar Khalil from Newsroom.">' in html
    assert structure_problems(html) == []


def test_the_portrait_shows_exactly_when_readers_may_fetch_it(client):
    """Whatever media's rule says of an author's portrait, the page agrees with the file views."""
    photo = ImageFactory(file=ContentFile(jpeg_bytes(400, 300), name="portrait.jpg"), width=400, height=300)
    public_author(slug="sara-hamidi", photo=photo)
    fetchable = MediaItem.objects.public().filter(pk=photo.pk).exists()
    html = get_page(client, "/authors/sara-hamidi/")
    assert (f"/media-renditions/{photo.pk}/1x1-w320.jpeg" in html) == fetchable
    assert ("image" in json_ld_blocks(html)[0]["mainEntity"]) == fetchable
    assert (client.get(f"/media-renditions/{photo.pk}/1x1-w320.jpeg").status_code != 404) == fetchable


def test_a_portrait_readers_may_not_fetch_is_left_out(client, monkeypatch):
    """With no use counting as live (media standing alone), a photo not marked public answers
    404 to readers, so the page leaves it out; marked public, it shows."""
    monkeypatch.setattr(media_models, "live_use_q", lambda: Q(pk__in=[]))
    photo = make_image(public=False)
    public_author(slug="sara-hamidi", photo=photo)
    html = get_page(client, "/authors/sara-hamidi/")
    assert "<picture" not in html and f"/media-renditions/{photo.pk}/" not in html
    assert "image" not in json_ld_blocks(html)[0]["mainEntity"]
    assert client.get(f"/media-renditions/{photo.pk}/1x1-w320.jpeg").status_code == 404

    MediaItem.objects.filter(pk=photo.pk).update(public=True)
    html = get_page(client, "/authors/sara-hamidi/")
    assert f"/media-renditions/{photo.pk}/1x1-w320.jpeg" in html
    assert json_ld_blocks(html)[0]["mainEntity"]["image"] == f"{HOST}/media-renditions/{photo.pk}/1x1-w640.jpeg"


def test_a_video_story_card_shows_its_poster(client):
    sara = AuthorFactory(slug="sara-hamidi")
    video = make_video()
    story_by(sara, title="Harbour at dawn", kind="video", lead_media=video)
    html = get_page(client, "/authors/sara-hamidi/")
    assert f"/media-renditions/{video.poster_id}/16x9-w320.jpeg" in html
    assert '<span class="kind">VIDEO</span>' in html


@pytest.mark.parametrize("kind", list(HIDDEN_STORIES))
def test_an_author_with_only_a_story_readers_cannot_see_has_no_page(client, kind):
    author = AuthorFactory(slug="hidden-author")
    story_by(author, title=f"Hidden {kind} story", **hidden_story_fields(kind))
    response = client.get("/authors/hidden-author/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert client.get("/authors/hidden-author/feed/").status_code == 404


def test_a_story_that_goes_live_opens_the_page(client, settings):
    settings.PAGE_CACHE_SECONDS = 300  # the cached 404 must not outlive the boundary
    author = AuthorFactory(slug="soon")
    story = story_by(author, published_at=timezone.now() + timezone.timedelta(hours=1))
    assert client.get("/authors/soon/").status_code == 404
    actions.set_timeline(actor=None, article=story, published_at=timezone.now() - timezone.timedelta(minutes=1))
    cache.clear()
    assert client.get("/authors/soon/").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/authors/nobody/",
        "/authors/" + "a" * 201 + "/",
        "/authors/" + "a" * 100_000 + "/",
        "/authors/two%20words/",
        "/authors/semi;colon/",
        "/authors/%00/",
        "/authors/%3Cscript%3E/",
        "/authors/nobody/feed/",
        "/authors/" + "a" * 5000 + "/feed/",
    ],
)
def test_unknown_huge_or_impossible_slugs_are_404(client, path):
    public_author(slug="sara-hamidi")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html") or "/feed/" in path
    if not path.startswith("/authors/nobody/"):  # refused before any look-up
        assert not [q for q in queries if "articles_author" in q["sql"]]


def test_an_author_with_no_story_at_all_has_no_page(client):
    AuthorFactory(slug="new-hire")
    assert client.get("/authors/new-hire/").status_code == 404


def test_staff_who_may_view_authors_see_a_page_not_public_yet_never_cached(client, editor, settings):
    settings.PAGE_CACHE_SECONDS = 300
    author = AuthorFactory(name="New Hire", slug="new-hire")
    story_by(author, title="Quillodraft story", status="draft", published_at=None)
    client.force_login(editor)
    response = client.get("/authors/new-hire/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<bdi>New Hire</bdi>" in html and '<p class="empty">No published stories yet.</p>' in html
    assert "Quillodraft" not in html  # staff see what readers would: live stories only
    assert "private" in response["Cache-Control"] and "X-Page-Cache" not in response
    assert client.get("/authors/nobody/").status_code == 404
    client.logout()
    assert client.get("/authors/new-hire/").status_code == 404
    assert client.get("/authors/new-hire/feed/").status_code == 404


def test_signed_in_users_without_the_permission_get_the_404(client):
    from tests.factories import UserFactory

    AuthorFactory(slug="new-hire")
    client.force_login(UserFactory(is_staff=True))
    assert client.get("/authors/new-hire/").status_code == 404


def test_a_unicode_slug_resolves(client):
    author = public_author(name="سارا حمیدی", slug="سارا-حمیدی")
    url = author.get_absolute_url()
    assert url == "/authors/%D8%B3%D8%A7%D8%B1%D8%A7-%D8%AD%D9%85%DB%8C%D8%AF%DB%8C/"
    html = get_page(client, url)
    assert "<bdi>سارا حمیدی</bdi>" in html


def test_hostile_name_job_title_and_bio_are_text_everywhere_on_the_page(client):
    public_author(name=HOSTILE_NAME, slug="hostile", job_title=HOSTILE_JOB, bio=HOSTILE_BIO)
    html = get_page(client, "/authors/hostile/")
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>bold</b>" not in html
    assert "Sam &lt;/script&gt;&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt; &amp; Co" in html
    assert "&lt;img src=x onerror=alert(&quot;job&quot;)&gt; correspondent" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    # JSON-LD: nothing in the block can end the <script> element, and the values come back whole.
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        assert "<" not in block and ">" not in block and "&" not in block
    assert html.count("</script>") == 1
    person = json_ld_blocks(html)[0]["mainEntity"]
    assert (person["name"], person["jobTitle"], person["description"]) == (HOSTILE_NAME, HOSTILE_JOB, HOSTILE_BIO)
    assert structure_problems(html) == []


# --- keyset pages ---------------------------------------------------------------------------


def next_link(html: str) -> str | None:
    match = re.search(r'<a href="([^"]+)" rel="next">Older stories</a>', html)
    return match.group(1).replace("&amp;", "&") if match else None


def test_stories_page_by_keyset_and_each_shows_once(client, monkeypatch):
    monkeypatch.setattr(listings, "PAGE_SIZE", 2)
    now = timezone.now()
    sara = AuthorFactory(slug="sara-hamidi")
    # Two stories share a publication time: the id breaks the tie, so neither is lost or repeated.
    same_time = now - timezone.timedelta(hours=3)
    times = [now - timezone.timedelta(hours=h) for h in (1, 2)] + [same_time, same_time]
    times.append(now - timezone.timedelta(hours=4))
    stories = [story_by(sara, title=f"Story number {i}", published_at=t) for i, t in enumerate(times)]

    seen, url, pages = [], "/authors/sara-hamidi/", []
    while url:
        html = get_page(client, url)
        pages.append(card_titles(html))
        seen += card_titles(html)
        if len(pages) > 1:
            assert '<a href="/authors/sara-hamidi/">Newest stories</a>' in html
        url = next_link(html)
    expected = sorted(stories, key=lambda s: (s.published_at, s.pk), reverse=True)
    assert seen == [s.title for s in expected]
    assert [len(page) for page in pages] == [2, 2, 1]


def test_a_broken_cursor_is_a_400_in_the_site_design(client):
    public_author(slug="sara-hamidi")
    response = client.get("/authors/sara-hamidi/?after=forged.123")
    assert response.status_code == 400
    assert "Start again from the first page of the author." in response.content.decode()


def queries_for(client, url) -> int:
    cache.clear()
    client.get("/search/")  # warms navigation and the boundary
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_query_count_is_the_same_for_any_page_size_and_any_page(client, monkeypatch):
    sara = AuthorFactory(slug="sara-hamidi", photo=make_image(public=True))
    co_author = AuthorFactory()
    stories = [story_by(sara, co_author, lead_media=make_video() if i % 3 else make_image()) for i in range(12)]
    monkeypatch.setattr(listings, "PAGE_SIZE", 2)
    small = queries_for(client, "/authors/sara-hamidi/")
    monkeypatch.setattr(listings, "PAGE_SIZE", 10)
    large = queries_for(client, "/authors/sara-hamidi/")
    newest = sorted(stories, key=lambda s: (s.published_at, s.pk), reverse=True)
    far = queries_for(client, f"/authors/sara-hamidi/?after={listings.encode_cursor(newest[1])}")
    assert small == large == far
    # The author with the photo's visibility, the ids of their bylines (a rare byline is read
    # by primary key: ArticleQuerySet.among), the stories, their renditions, the portrait's.
    assert small <= 5


def test_page_is_cached_and_ignores_parameters_it_does_not_read(client, settings):
    settings.PAGE_CACHE_SECONDS = 300
    public_author(slug="sara-hamidi")
    first = client.get("/authors/sara-hamidi/")
    assert first["X-Page-Cache"] == "miss"
    again = client.get("/authors/sara-hamidi/?utm_source=mail")
    assert again["X-Page-Cache"] == "hit" and again.content == first.content
    assert client.get("/authors/sara-hamidi/", headers={"if-none-match": first["ETag"]}).status_code == 304


def test_post_is_refused(client):
    public_author(slug="sara-hamidi")
    assert client.post("/authors/sara-hamidi/").status_code == 405


def test_byline_links_reach_the_author_pages(client):
    first, second = AuthorFactory(name="Sara Hamidi"), AuthorFactory(name="Omar Khalil")
    story = credit(ArticleFactory(title="Joint story"), first, second)
    html = get_page(client, story.get_absolute_url())
    for author in (first, second):
        assert f'<a href="{author.get_absolute_url()}" rel="author">' in html
        assert "Joint story" in get_page(client, author.get_absolute_url())
