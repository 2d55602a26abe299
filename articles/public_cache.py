"""Whole-answer caching for anonymous readers, with conditional GET and precise purges: the
public site's pages and the API's anonymous reads go through this one module (the site's views
with `cache_public_page`, the API's list and detail through articles.api.cached_reads).

A page (an HTML page, a feed, an API document) is stored under its URL (scheme, host, port,
path and the query parameters it reads: absolute URLs in a page name the host it was requested
on unless SITE_URL is set: urlkit.absolute_urls) with the surrogate keys of what it shows, gathered while it was made
(caching.surrogate_keys: `article-<id>` for each story, `section-<id>`, `tag-<id>`,
`author-<id>`, `front`, `feed`, `sitemap`, `search`), and the purge-log position it was made at.
After a change commits, `purge_changed` (articles.site.page_cache) purges exactly the keys
it touched (articles.site.purge_keys) in the shared log (caching.purges) and in every Varnish in
VARNISH_URLS (caching.varnish). A stored page is served while no later purge names one of its
keys: the story edited is fresh on the next request, in any server process, and pages not
showing it stay cached.

Only the query parameters a view declares (`cache_public_page(reads=("q", "page"))`) are part of
the key, and the view sees only those: `?utm_source=…&fbclid=…` is the same page as the bare
URL, and a crawler adding random parameters cannot fill the cache.

Pages are kept in the shared cache (Redis, or the embedded default's cache directory) and, for
speed, in a bounded copy in each process's memory (`PAGE_CACHE_MEMORY_MB`); both are checked
against this process's view of the purge log, brought up to date whenever the content
generation moved. On Redis a cached request costs one round trip: the generation is read with
the page (caching.generations.content_generation_for), or alone when this process holds a
copy. While the cache is unreachable (the generation is None) pages are made from the database
and nothing is stored. Pages also stop at the next moment the live set changes by itself (a
scheduled article going live, an embargo ending, an expiry), read from
`Article.objects.next_boundary()`, which is itself cached once per generation; their
`Cache-Control: s-maxage` says so to Varnish.

Never cached, neither read nor filled: logged-in users (they may see other things and must
see their edits at once), requests with an `Authorization` header (API tokens: editors see
drafts), responses marked private/no-store (previews), anything but a 200 GET/HEAD, responses
setting cookies. A view may name a check a stored answer must pass before it is replayed
(`admit`: the API's throttle and content negotiation); a refused request goes on to the view.
Every cached response carries an ETag (the view's own if it gave one) and Last-Modified, and a
request bearing a matching If-None-Match / If-Modified-Since gets a 304.
"""

import hashlib
import threading
import time
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, QueryDict
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from articles.cache_lifetime import page_timeout
from caching import purges, surrogate_keys
from caching.generations import content_generation, read_along

KEY_PREFIX = "newsroom:page"
# Headers a cached page is replayed with; everything else is recomputed per request.
STORED_HEADERS = ("Content-Type", "Content-Language", "X-Robots-Tag", "Link", "Vary", "Allow", surrogate_keys.HEADER)


class _Memory:
    """This process's copies of stored pages, up to a byte budget.

    Entries are the shared cache's own dicts, never changed once made; whether one is still
    current is asked of the purge log (`purges.view.is_fresh`) at each use. Past the budget the
    oldest copies go first.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.entries: dict[str, dict] = {}
        self.size = 0

    def get(self, key: str):
        return self.entries.get(key)

    def put(self, key: str, entry: dict) -> None:
        budget = settings.PAGE_CACHE_MEMORY_MB * 1024 * 1024
        size = len(entry["content"])
        if size > budget:
            return
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= len(old["content"])
            while self.entries and self.size + size > budget:
                self.size -= len(self.entries.pop(next(iter(self.entries)))["content"])
            self.entries[key] = entry
            self.size += size

    def drop(self, key: str) -> None:
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= len(old["content"])

    def clear(self) -> None:
        with self.lock:
            self.entries, self.size = {}, 0


memory = _Memory()
# Query parameters read by any cached view: the only ones CachedPageMiddleware keys pages by.
_READ_BY_ANY_VIEW: set[str] = set()
# Checks a stored answer must pass before it is replayed, by name (entries name theirs).
_ADMISSIONS: dict[str, Callable] = {}


def cached_for_generation(name: str, compute):
    """`compute()`'s value, computed once per content generation (e.g. the navigation)."""
    generation = content_generation()
    if generation is None:  # the cache is unreachable
        return compute()
    key = f"{KEY_PREFIX}:{name}:{generation}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=24 * 3600)
    return value


def read_query(request, names) -> str:
    """The query string made of the parameters in `names` only, sorted by name (each name's
    values keep their order): the part of the query that can change a page reading `names`."""
    if not request.GET:
        return ""
    return urlencode(
        [(name, value) for name in sorted(request.GET) if name in names for value in request.GET.getlist(name)]
    )


def page_key(request, reads=None) -> str:
    """Key of this page: scheme, host, port, path and the query parameters in `reads` (default:
    those any cached view reads). The URL is absolute: a page cached for one host must never be
    replayed, with its absolute URLs, to another. The time zone its times are shown in is part
    of it too: after a change of TIME_ZONE, pages stored before it (in a shared cache) are not
    replayed with the old clock."""
    query = read_query(request, _READ_BY_ANY_VIEW if reads is None else reads)
    url = request.build_absolute_uri(request.path)
    place = f"{timezone.get_current_timezone_name()} {url}?{query}"
    return f"{KEY_PREFIX}:{hashlib.sha256(place.encode()).hexdigest()}"


def _is_storable(request, response) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def _finish(request, response, *, etag: str, last_modified: float, shared_seconds: int = 0):
    """Validators and revalidation headers (browsers revalidate each time; Varnish may keep the
    page `shared_seconds`), then a 304 when the reader's copy is current."""
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    if shared_seconds > 0:
        patch_cache_control(response, s_maxage=shared_seconds)
    patch_vary_headers(response, ["Cookie"])
    return get_conditional_response(request, etag=etag, last_modified=last_modified, response=response)


def _replay(entry: dict) -> HttpResponse:
    response = HttpResponse(entry["content"], status=200)
    for name, value in entry["headers"].items():
        response[name] = value
    response["X-Page-Cache"] = "hit"
    return response


def _current(entry) -> bool:
    return (
        entry is not None and entry["expires"] > time.time() and purges.view.is_fresh(entry["made_at"], entry["keys"])
    )


def _admitted(request, entry: dict) -> bool:
    """Whether `entry` may be replayed to `request`: no check named, or the named one passes. A
    check this process does not know (its view not yet imported) refuses: the view decides."""
    name = entry.get("admit")
    if name is None:
        return True
    check = _ADMISSIONS.get(name)
    return check is not None and check(request)


def _stored_page(request, key: str, read_along_values=None):
    """The stored copy of this page, finished (a 304 when the reader's copy is current), or
    None (also when its view's `admit` check refuses this request). This process's copy first,
    then what was read with the generation, then the shared cache's. Call after
    `purges.view.catch_up`."""
    if settings.PAGE_CACHE_SECONDS <= 0:  # 0 turns storing off, so there is nothing to look up
        return None
    entry = memory.get(key)
    if not _current(entry):
        if entry is not None:
            memory.drop(key)
        if read_along_values is not None and key in read_along_values:
            entry = read_along_values[key]
        else:
            entry = cache.get(key)
        if not _current(entry):
            return None
        memory.put(key, entry)
    if not _admitted(request, entry):
        return None
    shared = int(entry["expires"] - time.time())
    return _finish(
        request, _replay(entry), etag=entry["etag"], last_modified=entry["last_modified"], shared_seconds=shared
    )


def _may_be_cached(request) -> bool:
    """Whether the middleware may answer: a GET or HEAD with no credentials (no session cookie,
    no Authorization header). Anything else goes on to the view."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def _signed_in(request) -> bool:
    """A caller who may see more than readers: a logged-in session, or credentials in an
    Authorization header (an API token, checked by the view itself)."""
    return request.user.is_authenticated or "HTTP_AUTHORIZATION" in request.META


@read_along
def _page_to_read_along(request) -> list[str]:
    """The shared copy of the requested page, read with the generation (one round trip on
    Redis) when this process holds no copy of it."""
    if settings.PAGE_CACHE_SECONDS <= 0 or not _may_be_cached(request):
        return []
    key = request.page_cache_key = page_key(request)
    return [] if key in memory.entries else [key]


class CachedPageMiddleware:
    """Serve anonymous readers' stored pages before the session, CSRF, auth and messages
    middleware run: a hit then costs a read of the shared generation and a look-up in this
    process's memory (or the page read with the generation). A request carrying a session
    cookie goes on to the view, whose `cache_public_page` checks whether that session is logged
    in. Only pages a `cache_public_page` view stored can be found here. The key holds the query
    parameters any cached view reads; the view looks again under its own parameters when the
    request carries some it does not read (`?page=2` on an article)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _may_be_cached(request):
            # Read by articles.due_changes just before (with the page), unless it published.
            if hasattr(request, "content_generation"):
                generation, along = request.content_generation, getattr(request, "cache_read_along", None)
            else:
                generation, along = content_generation(), None
            if generation is not None:
                purges.view.catch_up(generation)
                key = getattr(request, "page_cache_key", None) or page_key(request)
                response = _stored_page(request, key, along)
                if response is not None:
                    return response
                request.page_cache_missed = (generation, key)
        return self.get_response(request)


def _only_parameters(request, reads) -> None:
    """Leave the view only the query parameters it declared: what it shows then depends on
    nothing the cache key leaves out (links it builds from the request's path name no others)."""
    query = read_query(request, reads)
    if query != request.META.get("QUERY_STRING", ""):
        request.META["QUERY_STRING"] = query
        request.GET = QueryDict(query)


def cache_public_page(view=None, *, reads=(), admit: Callable | None = None, shared: Callable | None = None):
    """Decorator for public views (pages, feeds, the API's anonymous reads): serve anonymous GETs
    from the page cache and store them, named by the surrogate keys the view adds while it runs
    (`Surrogate-Key` header).

    `reads` names the query parameters the view reads (`@cache_public_page(reads=("q",))`);
    only they vary the cached page, and the view is given no others. `admit(request) -> bool`,
    if given, must pass before a stored answer is replayed (it runs before sessions and
    authentication: only the request's headers and address are known); when it refuses, the
    view answers, as it would with nothing stored. `shared(request) -> bool`, if given, is the
    view's own test that this request gets the answer every reader gets (the API: no caller its
    authenticators know, plain JSON accepted), asked beside the session's before the cache is
    read or filled: when it says no, the view answers and nothing is kept.
    """
    if view is None:
        return lambda view: cache_public_page(view, reads=reads, admit=admit, shared=shared)
    reads = frozenset(reads)
    _READ_BY_ANY_VIEW.update(reads)
    admission = None
    if admit is not None:
        admission = f"{admit.__module__}.{admit.__qualname__}"
        _ADMISSIONS[admission] = admit

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        _only_parameters(request, reads)
        if request.method not in ("GET", "HEAD") or _signed_in(request):
            return _not_cached(view, request, *args, **kwargs)
        if shared is not None and not shared(request):
            return view(request, *args, **kwargs)
        generation, looked_up = _generation_read(request)
        if generation is None:  # the cache is unreachable: make the page, store nothing
            return _made(view, request, *args, **kwargs)[0]
        key = page_key(request, reads)
        if key != looked_up:
            stored = _stored_page(request, key)
            if stored is not None:
                return stored
        made_at = purges.view.stamp()  # before the database is read
        response, keys = _made(view, request, *args, **kwargs)
        if not _is_storable(request, response) or made_at is None:
            return response
        return _store(request, response, generation, key, made_at=made_at, keys=keys, admit=admission)

    return wrapper


def _generation_read(request) -> tuple[int | None, str | None]:
    """The content generation and the key CachedPageMiddleware looked up, or, when it looked
    nothing up (a session cookie), the generation read now (None: the cache is unreachable)."""
    generation, looked_up = getattr(request, "page_cache_missed", (None, None))
    if generation is None:
        generation = content_generation()
        if generation is not None:
            purges.view.catch_up(generation)
    return generation, looked_up


def _made(view, request, *args, **kwargs):
    """The view's answer, rendered, with the surrogate keys it gathered (and its header)."""
    with surrogate_keys.gathering() as keys:
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
    if keys and response.status_code == 200:
        response[surrogate_keys.HEADER] = surrogate_keys.header_value(keys)
    return response, frozenset(keys)


def _not_cached(view, request, *args, **kwargs):
    """The view's answer made afresh: for a signed-in user, marked never to be stored by anyone."""
    response = view(request, *args, **kwargs)
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, no_cache=True)
        patch_vary_headers(response, ["Cookie"])
    return response


def _store(request, response, generation: int, key: str, *, made_at, keys, admit=None):
    """Keep a freshly made page under `key` (unless it may not be kept at all now), finished.
    An ETag the view gave (the API's, which names the article's version) is kept."""
    timeout = page_timeout(generation)
    etag = response.get("ETag") or '"' + hashlib.md5(response.content, usedforsecurity=False).hexdigest() + '"'
    now = time.time()
    last_modified = int(now)  # HTTP dates have whole seconds
    if timeout > 0:
        headers = {name: response[name] for name in STORED_HEADERS if response.has_header(name)}
        entry = {
            "content": response.content,
            "headers": headers,
            "etag": etag,
            "last_modified": last_modified,
            "expires": now + timeout,
            "made_at": made_at,
            "keys": keys,
        }
        if admit is not None:
            entry["admit"] = admit
        cache.set(key, entry, timeout)
        memory.put(key, entry)
        response["X-Page-Cache"] = "miss"
    return _finish(request, response, etag=etag, last_modified=last_modified, shared_seconds=timeout)
