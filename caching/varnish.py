"""Purging the Varnish instances in front of the site (settings.VARNISH_URLS).

After a change commits, each Varnish gets one `PURGE /` request per batch of keys, naming them
in an `xkey-purge` header (deploy/varnish/newsroom.vcl hands them to vmod xkey, which drops every
object whose Surrogate-Key names one of them); a purge of everything is `X-Purge-All: 1`.

A Varnish that cannot be reached, answers slowly or refuses costs the edit at most
`TIMEOUT_SECONDS` and a logged warning, never an error: the change is saved whatever happens
here, and Varnish's copies still end when their s-maxage runs out.
"""

import http.client
import logging
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from django.conf import settings

from caching.surrogate_keys import EVERYTHING

logger = logging.getLogger("caching.varnish")

TIMEOUT_SECONDS = 1.0
# Varnish's default limit for one request header line is 8 KB: batches stay well under it.
BATCH_CHARACTERS = 4000


def batches(keys: Iterable[str]) -> list[str]:
    """The keys as `xkey-purge` header values, each under BATCH_CHARACTERS."""
    found, current = [], ""
    for key in sorted(set(keys)):
        if current and len(current) + 1 + len(key) > BATCH_CHARACTERS:
            found.append(current)
            current = ""
        current = f"{current} {key}" if current else key
    return [*found, current] if current else found


def _send(base_url: str, headers: dict[str, str]) -> None:
    url = urlsplit(base_url)
    connection_class = http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(url.hostname, url.port, timeout=TIMEOUT_SECONDS)
    try:
        connection.request("PURGE", (url.path.rstrip("/") or "") + "/", headers=headers)
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            logger.warning("Varnish at %s refused a purge: %s %s", base_url, response.status, response.reason)
    finally:
        connection.close()


def _purge_one(base_url: str, requests: list[dict[str, str]]) -> None:
    for headers in requests:
        try:
            _send(base_url, headers)
        except (OSError, http.client.HTTPException) as error:
            logger.warning(
                "Varnish at %s could not be purged (%s: %s); its copies end with their s-maxage.",
                base_url,
                type(error).__name__,
                error,
            )
            return


def purge_varnish(keys: Iterable[str], urls: Iterable[str] | None = None) -> None:
    """Tell every Varnish (default: settings.VARNISH_URLS) to drop what shows `keys`."""
    urls = [url for url in (settings.VARNISH_URLS if urls is None else urls) if url]
    keys = set(keys)
    if not urls or not keys:
        return
    if EVERYTHING in keys:
        requests = [{"X-Purge-All": "1"}]
    else:
        requests = [{"xkey-purge": value} for value in batches(keys)]
    if len(urls) == 1:
        _purge_one(urls[0], requests)
        return
    with ThreadPoolExecutor(max_workers=min(len(urls), 8)) as pool:
        list(pool.map(lambda url: _purge_one(url, requests), urls))
