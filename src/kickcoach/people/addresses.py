"""The client address a login is throttled by: the peer, or, only when the peer is a configured trusted proxy,
the right-most address in ``X-Forwarded-For`` that is not itself a trusted proxy.

A client can write anything into ``X-Forwarded-For``, but a proxy such as nginx (``$proxy_add_x_forwarded_for``)
appends the address it saw, so reading from the right and skipping only our own proxies gives the real client;
whatever a client forged stays on the left, unread.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=32)
def networks(trusted: tuple[str, ...]) -> tuple[Network, ...]:
    """``trusted`` (addresses or CIDR ranges) as networks; a malformed entry raises ``ValueError``."""
    return tuple(ipaddress.ip_network(t.strip(), strict=False) for t in trusted if t.strip())


def is_trusted(address: str, trusted: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def client_address(peer: str | None, forwarded_for: Iterable[str], trusted: tuple[str, ...]) -> str | None:
    """The address to throttle: ``peer`` unless it is a trusted proxy (see the module doc)."""
    nets = networks(trusted)
    if peer is None or not nets or not is_trusted(peer, nets):
        return peer
    hops = [h.strip() for header in forwarded_for for h in header.split(",") if h.strip()]
    for hop in reversed(hops):
        if not is_trusted(hop, nets):
            return hop[:100]
    return peer
