"""Refuse a request whose declared body is too large before any of it is read.

Django streams file uploads to disk (past FILE_UPLOAD_MAX_MEMORY_SIZE), but it would still
take the whole body before the view could say no: gigabytes of disk and minutes of a worker
for an upload that is refused anyway. This middleware goes near the top of MIDDLEWARE, before
anything reads request.POST (CSRF, sessions), and answers 413 at once, with JSON under /api/.
"""

from django.conf import settings
from django.http import HttpResponse, JsonResponse

API_PATH_PREFIX = "/api/"
# Room for a multipart body's boundaries and its other fields (title, caption, credit…).
FORM_OVERHEAD_BYTES = 1024 * 1024


def declared_length(request) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None


class DeclaredSizeLimitMiddleware:
    """413 for a body whose Content-Length exceeds MEDIA_MAX_UPLOAD_BYTES (plus form overhead)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = declared_length(request)
        limit = settings.MEDIA_MAX_UPLOAD_BYTES
        if length is not None and length > limit + FORM_OVERHEAD_BYTES:
            message = (
                f"The request is {length:,} bytes, more than the upload limit of {limit:,} bytes; nothing was stored."
            )
            if request.path.startswith(API_PATH_PREFIX):
                response = JsonResponse({"detail": message}, status=413)
            else:
                response = HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
            # The body was not read: the connection cannot carry another request.
            response["Connection"] = "close"
            return response
        return self.get_response(request)
