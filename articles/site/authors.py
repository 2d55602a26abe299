"""The author page: who the author is (name, job title, bio, portrait) and their live stories,
newest first, in keyset pages like a section's (articles.site.listings).

Only authors readers may see have a page (`Author.objects.public()`: named on a live story's
byline); any other slug is a 404, as is one no author could have (too long, or not a slug),
which is refused before any query. Staff who may view authors (`articles.view_author`) also
see the page of an author with no live story yet, listing none; what they see is never cached
for anyone else (`cache_public_page` makes a signed-in user's page private).

The portrait shows only once its media item is public (media's own rule,
`MediaItem.objects.public()`), read in the same query as the author, so a page never points
readers at a picture they may not fetch.
"""

import re

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.text import Truncator
from django.views.decorators.http import require_safe

from articles.models import Article, Author
from articles.public_cache import cache_public_page
from articles.querysets import LISTED_NEWEST_FIRST
from articles.site.errors import bad_request
from articles.site.listings import BadCursor, keyset_page
from articles.site.navigation import nav_sections
from articles.site.seo import DESCRIPTION_LENGTH, json_ld_script
from caching import surrogate_keys
from media.models import MediaItem
from media.renditions import load_renditions, srcset_entries
from urlkit.absolute_urls import absolute_url

# The portrait is square; 640 pixels is the widest an author page ever draws it.
PHOTO_CROP = "1x1"
PHOTO_MAX_WIDTH = 640
# What Author.slug can hold: a Unicode slug of at most 200 characters.
_SLUG = re.compile(r"^[-\w]{1,200}\Z")


def public_author(slug: str, *, with_photo: bool = False, any_author: bool = False) -> Author:
    """The public author with this slug (one query); Http404 for any other slug. `with_photo`:
    their photo comes too, with `photo_is_public`; `any_author`: public or not (for staff)."""
    if not _SLUG.match(slug):
        raise Http404("No author has this name.")
    authors = Author.objects.all() if any_author else Author.objects.public()
    if with_photo:
        photo_is_public = Exists(MediaItem.objects.public().filter(pk=OuterRef("photo_id")))
        authors = authors.select_related("photo").annotate(photo_is_public=photo_is_public)
    return get_object_or_404(authors, slug=slug)


def shown_photo(author: Author) -> MediaItem | None:
    """The portrait readers may see, with its square renditions loaded (one query), or None."""
    if author.photo is None or not author.photo_is_public:
        return None
    load_renditions([author.photo], crops=(PHOTO_CROP,))
    return author.photo


def profile_page(author: Author, *, url: str, photo: MediaItem | None, request=None) -> dict:
    """The ProfilePage JSON-LD of an author page: the author as its `mainEntity` Person."""
    person = {"@type": "Person", "name": author.name, "url": url}
    if author.job_title:
        person["jobTitle"] = author.job_title
    if author.bio:
        person["description"] = author.bio
    if photo is not None:
        widest = srcset_entries(photo, "jpeg", PHOTO_CROP, PHOTO_MAX_WIDTH)[-1][0]
        person["image"] = absolute_url(widest, request)
    return {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "url": url,
        "dateCreated": author.created_at.isoformat(),
        "dateModified": author.updated_at.isoformat(),
        "mainEntity": person,
    }


def stories_page(request, author: Author, *, may_be_empty: bool) -> dict:
    """One keyset page of the author's live stories; Http404 when they have none, unless
    `may_be_empty` (staff looking at an author not public yet)."""
    try:
        return keyset_page(request, Article.objects.live().credited_to(author), LISTED_NEWEST_FIRST)
    except Http404:
        if not may_be_empty:
            raise
        return {"articles": [], "next_cursor": "", "is_first_page": "after" not in request.GET}


@require_safe
@cache_public_page(reads=("after",))
def author(request, slug):
    staff = request.user.has_perm("articles.view_author")
    author = public_author(slug, with_photo=True, any_author=staff)
    surrogate_keys.add(f"author-{author.pk}")
    try:
        page = stories_page(request, author, may_be_empty=staff)
    except BadCursor:
        return bad_request(request, "This page link is broken. Start again from the first page of the author.")
    photo = shown_photo(author)
    url = absolute_url(author.get_absolute_url(), request)
    context = {
        "author": author,
        "photo": photo,
        "description": Truncator(" ".join(author.bio.split())).chars(DESCRIPTION_LENGTH),
        "canonical": absolute_url(request.get_full_path(), request),
        "feed_url": absolute_url(reverse("feed-author", kwargs={"slug": author.slug}), request),
        "json_ld": json_ld_script(profile_page(author, url=url, photo=photo, request=request)),
        "nav_sections": nav_sections(),
        **page,
    }
    return render(request, "articles/author.html", context)
