"""Media URLs readers can open: renditions made on demand, and the stored files themselves.

Both answer 404 to anyone but staff until the item is public (`MediaItem.objects.public()`:
marked public, or used by a live story), so neither the sequential rendition URLs nor a file
name read from an editor's API answer shows media of drafts, scheduled or embargoed stories.
A share-preview page gives its media URLs a grant (`?grant=`, checked by the app that gave it,
through `media.usage.granted_item`) that opens one item while the link is valid; what it opens
is answered `private, no-store`.
"""

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from django.views.static import serve
from rest_framework.request import Request
from rest_framework.settings import api_settings

from caching import surrogate_keys
from media import usage
from media.models import MediaItem
from media.renditions import GRANT_PARAM, RenditionUnavailable, get_or_create_rendition, with_grant

MAX_ID = 2**63 - 1


def sees_everything(request) -> bool:
    """Staff who may view the library: signed in, or presenting an API token, with
    `media.view_mediaitem`. They see unpublished media (previews of drafts need it)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        user = _token_user(request)
    return bool(user and user.is_authenticated and user.has_perm("media.view_mediaitem"))


def _token_user(request):
    """The user of an `Authorization` header the API accepts (not the session: that is
    `request.user` already), or None."""
    if "HTTP_AUTHORIZATION" not in request.META:
        return None
    drf_request = Request(request)
    for authenticator in api_settings.DEFAULT_AUTHENTICATION_CLASSES:
        if authenticator.__name__ == "SessionAuthentication":
            continue
        try:
            found = authenticator().authenticate(drf_request)
        except Exception:  # a malformed or unknown credential is simply no credential here
            return None
        if found:
            return found[0]
    return None


def _granted_item(request) -> int | None:
    """The media item id the request's `?grant=` opens (a valid share link's), else None: asked
    of the apps that give grants (`media.usage.granted_item`)."""
    return usage.granted_item(request.GET.get(GRANT_PARAM))


def _private_unless_public(response, public: bool):
    """A response staff got for an unpublished item must not be kept by shared caches."""
    if not public:
        patch_cache_control(response, private=True, no_store=True)
        response.headers.pop("Last-Modified", None)
    return response


@require_safe
def rendition(request, pk: int, spec: str, fmt: str):
    """302 to the stored rendition `spec`.`fmt` of item `pk` (a video answers with its poster's).

    A spec or format outside the allowed set, an item with no image, or an item readers may not
    see yet (and the asker is not staff) is a 404: the set of files this URL can ever make is
    small and fixed, and guessing ids finds nothing unpublished.
    """
    if int(pk) > MAX_ID:
        raise Http404("No such media item.")
    public = MediaItem.objects.filter(pk=pk).public().exists()
    grant = None
    if not public and _granted_item(request) == int(pk):
        grant = request.GET[GRANT_PARAM]
    if not public and grant is None and not sees_everything(request):
        raise Http404("No such media item.")
    item = get_object_or_404(MediaItem.objects.select_related("poster"), pk=pk)
    try:
        made = get_or_create_rendition(item, spec, fmt)
    except (ValueError, RenditionUnavailable, FileNotFoundError) as exc:
        raise Http404(str(exc)) from exc
    # A grant goes on to the stored file, which checks it again.
    response = HttpResponseRedirect(with_grant(made.url, item.pk, grant) if grant else made.url)
    if public:
        # The target of a given URL changes only when the focal point moves: cache briefly.
        response["Cache-Control"] = "public, max-age=300"
        _name_for_purges(response, item.pk, item.poster_id)
    return _private_unless_public(response, public)


def _name_for_purges(response, *item_ids) -> None:
    """Name the items a public answer shows (`media-<id>`), so that a change to one of them (its
    file replaced, withdrawn, embargoed) purges the copies a shared cache such as Varnish keeps."""
    response[surrogate_keys.HEADER] = surrogate_keys.header_value(f"media-{pk}" for pk in item_ids if pk)


def _public_owner(name: str):
    """The query for the public item owning stored file `name` (its original, one of its
    renditions, or its captions); None when the name cannot belong to one."""
    parts = name.split("/")
    public = MediaItem.objects.public()
    if len(parts) == 3 and parts[0] in ("renditions", "captions") and parts[1].isdigit():
        if int(parts[1]) > MAX_ID:
            return None
        if parts[0] == "renditions":
            return public.filter(pk=parts[1], renditions__file=name)
        return public.filter(pk=parts[1], captions=name)
    return public.filter(file=name)


def _granted_file(request, name: str) -> bool:
    """True when the request's grant opens the item owning stored file `name` (a video's grant
    opens its poster too, as the video's rendition URLs redirect to the poster's files)."""
    pk = _granted_item(request)
    if pk is None or pk > MAX_ID:
        return False
    owns = Q(file=name) | Q(renditions__file=name) | Q(captions=name)
    owns |= Q(poster__file=name) | Q(poster__renditions__file=name)
    return MediaItem.objects.filter(owns, pk=pk).exists()


@require_safe
def stored_file(request, path: str):
    """A stored media file: when its item is public or the asker is staff, the file itself (local
    storage) or a redirect to a short-lived signed URL (private S3); else 404 exactly as for a
    name that does not exist."""
    owner = _public_owner(path)
    owner_id = owner.values_list("pk", flat=True).first() if owner is not None else None
    public = owner_id is not None
    if not public and not _granted_file(request, path) and not sees_everything(request):
        raise Http404("No such file.")
    if hasattr(default_storage, "signed_url"):
        # Private S3 (media.storage.PrivateS3Storage): a short-lived signature for this one file.
        response = HttpResponseRedirect(default_storage.signed_url(path))
        if public:
            response["Cache-Control"] = "public, max-age=60"
    else:
        response = serve(request, path, document_root=settings.MEDIA_ROOT)
    if public:
        _name_for_purges(response, owner_id)
    return _private_unless_public(response, public)
