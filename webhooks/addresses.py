"""The address guard: webhooks must not reach into our own network.

A URL is refused when its host is, or resolves to, an address that is not public: loopback,
private, link-local, shared (CGNAT), multicast, unspecified, reserved or documentation ranges, in
IPv4 and IPv6 (an IPv4 address written inside IPv6 is judged as the IPv4 address). Names are
resolved the way the sending socket will resolve them (`getaddrinfo`), so `2130706433`,
`0177.0.0.1` and names pointing at 127.0.0.1 are all caught; every address a name has must be
public. At send time the host is resolved once more, checked, and the connection goes to that
checked address (webhooks.sending), so a name re-pointed after the save gains nothing.
`WEBHOOK_ALLOW_PRIVATE_HOSTS` turns the check off (tests, a receiver on the same machine).
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings


class RefusedAddress(ValueError):
    """The URL may not be used; the message says why, for an editor."""


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (the addresses a socket would try)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def is_public(address: str) -> bool:
    """True for an address on the public internet."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6:
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            return is_public(str(embedded))
        if ip in ipaddress.ip_network("64:ff9b::/96"):  # NAT64: the IPv4 address in its last bits
            return is_public(str(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)))
    return ip.is_global and not ip.is_multicast and not ip.is_reserved


def split(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of a webhook URL; RefusedAddress if it is not one we can send to."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise RefusedAddress("This is not a valid URL.") from None
    if parts.scheme not in ("http", "https"):
        raise RefusedAddress("The URL must start with https:// (or http://).")
    if not parts.hostname:
        raise RefusedAddress("The URL names no host.")
    if parts.username or parts.password:
        raise RefusedAddress("The URL may not contain a user name or password.")
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80)


def checked_addresses(url: str) -> tuple[str, str, int, list[str]]:
    """(scheme, host, port, addresses) of `url`, every address checked; RefusedAddress otherwise."""
    scheme, host, port = split(url)
    try:
        found = resolve(host, port)
    except (OSError, UnicodeError):
        raise RefusedAddress(f"The host {host} could not be found (DNS).") from None
    if not found:
        raise RefusedAddress(f"The host {host} could not be found (DNS).")
    if not getattr(settings, "WEBHOOK_ALLOW_PRIVATE_HOSTS", False):
        for address in found:
            if not is_public(address):
                raise RefusedAddress(
                    f"The host {host} is an address of a private network ({address}); "
                    "webhooks are only sent to public addresses."
                )
    return scheme, host, port, found


def check_url(url: str) -> None:
    """RefusedAddress unless `url` may receive webhooks now."""
    checked_addresses(url)
