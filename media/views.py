"""The on-demand rendition endpoint: make one allowed rendition once, then redirect to its file."""

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from media.models import MediaItem
from media.renditions import RenditionUnavailable, get_or_create_rendition


@require_safe
def rendition(request, pk: int, spec: str, fmt: str):
    """302 to the stored rendition `spec`.`fmt` of item `pk` (a video answers with its poster's).

    A spec or format outside the allowed set, or an item with no image, is a 404: the set of
    files this URL can ever make is small and fixed.
    """
    item = get_object_or_404(MediaItem.objects.select_related("poster"), pk=pk)
    try:
        made = get_or_create_rendition(item, spec, fmt)
    except (ValueError, RenditionUnavailable, FileNotFoundError) as exc:
        raise Http404(str(exc)) from exc
    response = HttpResponseRedirect(made.url)
    # The target of a given URL changes only when the focal point moves: cache briefly.
    response["Cache-Control"] = "public, max-age=300"
    return response
