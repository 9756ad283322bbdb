"""The source address of a request, trusting a proxy's X-Forwarded-For only from a configured proxy.

With no GOVSITE_TRUSTED_PROXIES the peer's address (REMOTE_ADDR) is the source, whatever headers the
client sends. When the peer is a trusted proxy, X-Forwarded-For is read from the right (the entry the
nearest proxy appended) and the first address that is not itself a trusted proxy is the client's.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(items: Iterable[str]) -> list[Network]:
    return [ipaddress.ip_network(item.strip(), strict=False) for item in items if item.strip()]


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address, proxies: list[Network]) -> bool:
    return any(address in network for network in proxies if address.version == network.version)


def source_address(remote_addr: str, forwarded_for: str, proxies: list[Network]) -> str | None:
    """The client's address: pure, for the middleware, django-axes and tests."""
    peer = _address(remote_addr or "")
    if peer is None:
        return None
    if not proxies or not _trusted(peer, proxies):
        return str(peer)
    for hop in reversed([h for h in (forwarded_for or "").split(",") if h.strip()]):
        address = _address(hop)
        if address is None:
            break  # a malformed entry: nothing to its left can be trusted
        if not _trusted(address, proxies):
            return str(address)
    return str(peer)


def client_ip(request) -> str | None:
    """The request's source address under the GOVSITE_TRUSTED_PROXIES rule (django-axes' AXES_CLIENT_IP_CALLABLE)."""
    meta = request.META
    proxies = parse_networks(getattr(settings, "GOVSITE_TRUSTED_PROXIES", []))
    return source_address(meta.get("REMOTE_ADDR", ""), meta.get("HTTP_X_FORWARDED_FOR", ""), proxies)
