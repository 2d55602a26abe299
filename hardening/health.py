"""`/healthz`: whether this server process can serve pages, for load balancers and deploy scripts.

A load balancer (or Varnish's backend probe) sends a request to every app server every few
seconds and stops sending readers to one that does not answer 200; a rolling deploy waits for
it before restarting the next server. So the answer says whether the two services every page
needs are usable from this process right now:

- the database: one `SELECT 1` on the process's connection (a new connection if it has none);
- the shared cache: a value written under a key of its own, read back and deleted. The
  resilient Redis cache (caching/backends.py) swallows its errors, so an unreachable Redis shows
  up as a value that does not come back, not as an exception.

200 `{"status": "ok", "database": "ok", "cache": "ok"}` when both answer; 503 with the failing
part named (and Retry-After) when either does not; an outage met earlier, by a middleware,
gets the site's usual 503 (hardening/outages.py). Never cached anywhere (`no-store`), and it
needs no session or sign-in: a probe sends a bare GET.
"""

import secrets
import time

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from hardening.outages import is_outage, retry_after_seconds

CACHE_PROBE_SECONDS = 10


def database_status() -> str:
    """ "ok", or why the database cannot be used from this process."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "not healthy"; the kind is reported
        if not is_outage(exc):
            raise
        return f"unavailable ({type(exc).__name__})"
    return "ok"


def cache_status() -> str:
    """ "ok", or why the shared cache did not keep a value written to it just now."""
    key = f"newsroom:healthz:{secrets.token_hex(8)}"
    value = time.time()
    try:
        cache.set(key, value, CACHE_PROBE_SECONDS)
        kept = cache.get(key)
        cache.delete(key)
    except Exception as exc:  # noqa: BLE001 - as above
        if not is_outage(exc):
            raise
        return f"unavailable ({type(exc).__name__})"
    return "ok" if kept == value else "unavailable (a value written was not read back)"


@never_cache
@require_safe
def healthz(request):
    """200 when the database and the cache both answer, else 503 naming the one that did not."""
    found = {"database": database_status(), "cache": cache_status()}
    healthy = all(state == "ok" for state in found.values())
    response = JsonResponse({"status": "ok" if healthy else "unavailable", **found}, status=200 if healthy else 503)
    if not healthy:
        response["Retry-After"] = str(retry_after_seconds())
    return response
