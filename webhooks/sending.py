"""One HTTP POST to a webhook endpoint, to an address checked just before (webhooks.addresses).

The host is resolved once; the connection goes to the first checked address while the request
keeps the URL's host in its Host header and, over HTTPS, in SNI and certificate checks. Redirects
are not followed (a 3xx is a failed attempt), the connection and each read time out after
`TIMEOUT` seconds, and no more than `EXCERPT_BYTES` of the answer are read.
"""

import http.client
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from webhooks.addresses import RefusedAddress, checked_addresses

TIMEOUT = 5.0
EXCERPT_BYTES = 300


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status: int | None = None
    excerpt: str = ""
    error: str = ""


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to `address` whatever its host name resolves to by then."""

    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, **kwargs)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, context=ssl.create_default_context(), **kwargs)
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url: str, body: bytes, headers: dict[str, str]) -> Outcome:
    """POST `body` to `url`; a 2xx answer is success, anything else (or no answer) is not."""
    try:
        scheme, host, port, addresses = checked_addresses(url)
    except RefusedAddress as exc:
        return Outcome(ok=False, error=str(exc))
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    kind = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    connection = kind(host, port, addresses[0], timeout=TIMEOUT)
    try:
        connection.request("POST", target, body=body, headers=headers)
        response = connection.getresponse()
        excerpt = response.read(EXCERPT_BYTES).decode("utf-8", "replace")
        status = response.status
    except (OSError, http.client.HTTPException) as exc:
        return Outcome(ok=False, error=_describe(exc))
    finally:
        connection.close()
    if 200 <= status < 300:
        return Outcome(ok=True, status=status, excerpt=excerpt)
    return Outcome(ok=False, status=status, excerpt=excerpt, error=f"The receiver answered {status}.")


def _describe(exc: Exception) -> str:
    if isinstance(exc, TimeoutError | socket.timeout):
        return f"No answer within {TIMEOUT:g} seconds."
    if isinstance(exc, ConnectionRefusedError):
        return "The connection was refused."
    if isinstance(exc, ssl.SSLError):
        return f"TLS failed: {exc.__class__.__name__}."
    return f"{exc.__class__.__name__}: {exc}"[:300]
