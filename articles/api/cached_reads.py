"""The API's anonymous reads answered from the page cache, as the site's pages are.

A viewset with `CachedPublicReads` has its list and detail views wrapped by
articles.public_cache.cache_public_page: an anonymous GET is kept under its URL (the list by the
query parameters it reads, `list_reads`; the detail by none), with the surrogate keys the answer
names (articles.api.surrogate), its ETag and its purge-log position, and replayed until a change
purges one of those keys or the next scheduled change comes. Callers with credentials (a token in
`Authorization`, a logged-in session) neither read nor fill it: editors see more (drafts,
`has_draft`, `draft_publish_at`). Writes, the other routes (related lists, drafts, revisions)
and every answer but a 200 are never kept.

Two things the view would do are done before a stored answer is replayed (`may_replay`): the
anonymous throttle (hardening.throttling; a stored answer counts against the caller's rate as a
fresh one does), and content negotiation: the API renders JSON only, so a stored answer goes only
to a caller who accepts JSON as stored (not indented); any other asks the view, which refuses
what it cannot render with 406.
"""

from rest_framework.request import Request
from rest_framework.settings import api_settings

from articles.public_cache import cache_public_page

JSON = "application/json"


def _caller(request) -> Request:
    """`request` as the API's views see it, authenticated by the API's own authenticators (the
    page cache has already refused requests with an Authorization header or a session cookie;
    this also sees whatever else DRF counts as credentials, such as a test's forced user)."""
    return Request(
        request, authenticators=[authenticator() for authenticator in api_settings.DEFAULT_AUTHENTICATION_CLASSES]
    )


def _accepts_stored_json(request) -> bool:
    """Whether the caller takes JSON as stored: DRF would indent it for `application/json;
    indent=4`, and refuses a caller accepting no JSON at all (406)."""
    return "indent" not in request.headers.get("Accept", "") and request.accepts(JSON)


def shared(request) -> bool:
    """Whether `request` gets the answer every anonymous reader gets: the API knows no user behind
    it and it takes the JSON as stored. Otherwise nothing is read from the cache or kept."""
    return _accepts_stored_json(request) and not _caller(request).user.is_authenticated


def may_replay(request) -> bool:
    """Whether a stored API answer may go to `request`, a caller with no credentials (it may not
    be through the session and authentication middleware yet): `shared`, and within every default
    API throttle (which counts this request, as the view would)."""
    if not _accepts_stored_json(request):
        return False
    caller = _caller(request)
    if caller.user.is_authenticated:
        return False
    return all(throttle().allow_request(caller, None) for throttle in api_settings.DEFAULT_THROTTLE_CLASSES)


class CachedPublicReads:
    """For viewsets with the default throttles: cache the anonymous `list` (keyed by the query
    parameters named in `list_reads`) and `retrieve` (keyed by its URL alone)."""

    list_reads: tuple[str, ...] = ()

    @classmethod
    def as_view(cls, actions=None, *, page_cache: bool = True, **initkwargs):
        """The viewset's view; `page_cache=False` for callers inside the site (the webhooks'
        documents), which must get the view's own answer, not an HTTP cache's."""
        view = super().as_view(actions, **initkwargs)
        read = (actions or {}).get("get") if page_cache else None
        if read == "list":
            return cache_public_page(view, reads=cls.list_reads, admit=may_replay, shared=shared)
        if read == "retrieve":
            return cache_public_page(view, reads=(), admit=may_replay, shared=shared)
        return view
