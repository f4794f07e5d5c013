"""Who is on the other end: the client's address and whether it reached us over HTTPS.

Behind a reverse proxy every request comes from the proxy's address. Only when the direct peer
is a proxy we were told to trust (OMA_TRUSTED_PROXIES) do we believe what it says about the
client: its address (X-Forwarded-For) and whether it came over HTTPS (X-Forwarded-Proto).
Anyone else can write those headers, so from anyone else they are ignored.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network
from typing import Any

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Networks = tuple[IPv4Network | IPv6Network, ...]


def networks(addresses: Iterable[str]) -> Networks:
    """Addresses or networks (10.0.0.0/8); raises ValueError for anything else."""
    return tuple(ip_network(a, strict=False) for a in addresses)


def _within(address: str | None, trusted: Networks) -> bool:
    try:
        ip = ip_address((address or "").strip())
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped:  # a dual-stack socket reports ::ffff:127.0.0.1
        ip = ip.ipv4_mapped
    return any(ip in network for network in trusted)


def counted_address(remote: str | None) -> str:
    """What a per-address limit counts as one client: an IPv4 address, or an IPv6 address's
    /64 network (a home or an office is given a whole /64, so one client could otherwise
    count as 2^64 addresses)."""
    try:
        ip = ip_address((remote or "unknown").strip())
    except ValueError:
        return remote or "unknown"
    if ip.version == 6 and ip.ipv4_mapped:  # a dual-stack socket's IPv4 client
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ip_network(f"{ip}/64", strict=False))
    return str(ip)


def behind_proxy(trusted_proxies: Iterable[str]) -> Any:
    """A middleware that, for requests from a trusted proxy, takes the client's address and
    scheme from the proxy's headers, so request.remote and request.secure are the client's."""
    trusted = networks(trusted_proxies)

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if not trusted or not _within(request.remote, trusted):
            return await handler(request)
        hops = [
            hop.strip()
            for header in request.headers.getall("X-Forwarded-For", ())
            for hop in header.split(",")
            if hop.strip()
        ]
        # Each proxy appends the address it saw: the right-most one no trusted proxy wrote is
        # the client. Entries left of it are whatever the client chose to send.
        untrusted = [hop for hop in hops if not _within(hop, trusted)]
        remote = untrusted[-1] if untrusted else (hops[0] if hops else request.remote or "")
        scheme = request.headers.get("X-Forwarded-Proto", "").split(",")[-1].strip().lower()
        if scheme not in ("http", "https"):
            scheme = request.scheme
        return await handler(request.clone(remote=remote, scheme=scheme))

    return middleware
