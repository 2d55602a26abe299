"""Outages answer 503 with Retry-After, never a 500 or a hung request.

When the database cannot be reached (connection refused, a server that does not answer within
the connect or statement timeout, SQLite locked past its busy timeout) or the cache backend
raises its connection errors, the reader gets the site's branded "back soon" page (JSON
`{"detail": ...}` under /api/) with status 503 and a Retry-After header, so that browsers,
clients and load balancers know to come back rather than report a bug.

`OutageMiddleware` goes first in MIDDLEWARE. A view's exception reaches `process_exception`
directly. An exception raised inside another middleware (the session saved on the way out,
the page cache) is turned into a 500 response by Django before it gets here; for those the
`got_request_exception` signal, sent while the exception is being handled, marks the request,
and the middleware replaces that 500 with the 503 on its way out.
"""

import logging
import sys
import time

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader

logger = logging.getLogger(__name__)

OUTAGE_ATTRIBUTE = "_newsroom_outage"
API_PATH_PREFIX = "/api/"
API_MESSAGE = "The service is briefly unavailable (its database or cache cannot be reached). Try again shortly."
FALLBACK_503 = (
    '<!doctype html><html lang="en"><meta charset="utf-8"><title>Back soon</title>'
    "<h1>Back soon</h1><p>The site cannot be shown just now. Please try again in a minute.</p></html>"
)
_last_warning = 0.0


def _outage_exceptions() -> tuple[type[BaseException], ...]:
    """The exception types that mean "a backing service is down", not "the code is wrong"."""
    kinds: list[type[BaseException]] = [OperationalError, InterfaceError]
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:  # redis is optional when the embedded cache is used
        pass
    else:
        kinds += [RedisConnectionError, RedisTimeoutError]
    return tuple(kinds)


OUTAGE_EXCEPTIONS = _outage_exceptions()


def is_outage(exc: BaseException | None) -> bool:
    """Whether `exc`, or an exception it was raised from, is a backing-service outage."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, OUTAGE_EXCEPTIONS):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def retry_after_seconds() -> int:
    return int(getattr(settings, "OUTAGE_RETRY_AFTER_SECONDS", 30))


def outage_response(request, exc: BaseException | None = None) -> HttpResponse:
    """The 503 answer: JSON under /api/, otherwise the branded page rendered without the database."""
    global _last_warning
    now = time.monotonic()
    # One line a minute per process is enough to see the outage; a traceback per request is not.
    if now - _last_warning >= 60:
        _last_warning = now
        logger.warning("Answering 503: a backing service is unavailable (%s: %s)", type(exc).__name__, exc)
    if request.path.startswith(API_PATH_PREFIX):
        response = JsonResponse({"detail": API_MESSAGE}, status=503)
    else:
        try:
            html = loader.get_template("503.html").render({"SITE_NAME": settings.SITE_NAME})
        except Exception:  # noqa: BLE001 - the outage page must answer whatever else is broken
            logger.exception("The 503 page could not be rendered; serving the plain fallback")
            html = FALLBACK_503
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(retry_after_seconds())
    response["Cache-Control"] = "no-store"
    return response


def _mark_outage(sender, request=None, **kwargs):
    """Remember on the request that the exception being handled is an outage."""
    exc = sys.exc_info()[1]
    if request is not None and is_outage(exc):
        setattr(request, OUTAGE_ATTRIBUTE, exc)


got_request_exception.connect(_mark_outage, dispatch_uid="hardening.outages.mark")


class OutageMiddleware:
    """Turns database and cache outages into 503 + Retry-After; see the module docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        exc = getattr(request, OUTAGE_ATTRIBUTE, None)
        if exc is not None and response.status_code >= 500:
            return outage_response(request, exc)
        return response

    def process_exception(self, request, exception):
        if is_outage(exception):
            return outage_response(request, exception)
        return None
