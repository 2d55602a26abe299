"""API throttles keyed by an address a client cannot choose, and a rate of their own for users.

DRF's stock throttles, with NUM_PROXIES unset, key anonymous callers by the whole
`X-Forwarded-For` header, so a caller that writes a new value into it on every request is
never limited. Here the client's address is the socket's (REMOTE_ADDR) unless that socket
belongs to a proxy named in the TRUSTED_PROXIES setting: only then does `X-Forwarded-For`
count, read from the right, and the first address in it that is not itself a trusted proxy is
the client.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    """The TRUSTED_PROXIES entries (addresses or CIDR networks) as ip_network objects."""
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in proxies if entry.strip())


def _is_trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request) -> str:
    """The address of the client that sent `request` (a Django or DRF request).

    REMOTE_ADDR, unless it is a trusted proxy: then the right-most `X-Forwarded-For` entry
    that is not a trusted proxy (each proxy appends the address it received from).
    """
    remote = request.META.get("REMOTE_ADDR", "")
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    if not networks or not _is_trusted(remote, networks):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, networks):
            return hop
    # Every hop is a proxy of ours (or no header): the left-most one is as near the client as known.
    return hops[0] if hops else remote


class AnonymousThrottle(AnonRateThrottle):
    """Anonymous callers, `API_ANON_RATE` per client address (see `client_address`)."""

    def get_ident(self, request):
        return client_address(request)


class SignedInThrottle(UserRateThrottle):
    """Callers with a token or a session, `API_USER_RATE` per user; anonymous callers are left
    to `AnonymousThrottle`."""

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)

    def get_ident(self, request):
        return client_address(request)
