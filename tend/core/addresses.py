"""Who a client is, by address, for rate limits: REMOTE_ADDR unless a trusted proxy says more.

Anyone can send ``X-Forwarded-For``; believing it from anyone would let one client pose as many
(to escape a limit) or as someone else (to get them limited). So it is read only when the
request comes from a proxy listed in ``TEND_TRUSTED_PROXIES``, and then from the right: each
trusted proxy appends the address it saw, so the first address from the right that is not one
of our proxies is the client. Whatever a client wrote further left is ignored.

The API's failed-token counter and allauth's sign-in limits both use this (the account
adapter's ``get_client_ip``), so the two agree on who a client is.
"""

from __future__ import annotations

import functools
import ipaddress

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    # Parsed once per process (and per value, so tests that override the setting see theirs),
    # not on every rate-limited request.
    return tuple(
        ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip()
    )


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _is_trusted(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address, proxies: tuple[Network, ...]
) -> bool:
    return any(address in network for network in proxies)


def client_address(request: HttpRequest) -> str:
    """The client's address as far as Tend can tell; "unknown" when there is none."""
    remote_text = request.META.get("REMOTE_ADDR", "")
    remote = _address(remote_text)
    if remote is None:
        return remote_text or "unknown"
    proxies = _networks(tuple(settings.TEND_TRUSTED_PROXIES))
    if not proxies or not _is_trusted(remote, proxies):
        return str(remote)
    forwarded = request.headers.get("X-Forwarded-For", "")
    hops = [hop for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            # Our own proxy would not write this: stop believing the header here.
            break
        if not _is_trusted(address, proxies):
            return str(address)
    # Every hop was one of our proxies (or there was no header): the nearest one is the client.
    return str(remote)
