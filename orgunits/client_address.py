"""The address of the person making a request, behind the organisation's reverse proxies.

One function for the whole portal: django-axes locks out this address (``AXES_CLIENT_IP_CALLABLE``)
and the history records it on every version saved in a request (``ClientAddressHistory``, the base
of every ``HistoricalRecords`` of ours, as django-simple-history's docs show). Behind a proxy, ``REMOTE_ADDR`` is the proxy's own address for every
visitor, so five bad guesses from anyone would lock out a real user signing in through the same
proxy. ``X-Forwarded-For`` says who the proxy served, but anyone can send that header: it is read
only when the request came from one of ``settings.TRUSTED_PROXIES``, and then from the right, past
the trusted proxies in the chain, to the first address no trusted proxy wrote (the one the
outermost proxy saw connect). What a client wrote further left is never believed.

Written here rather than taken from django-ipware: ipware's ``proxy_trusted_ips`` looks for a
trusted address inside the forwarded header itself, which the client controls, rather than asking
whether the connection came from a proxy.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.db import models
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def trusted_networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    """The trusted proxies as networks: a single address, or a range such as ``10.0.0.0/24``."""
    return tuple(ipaddress.ip_network(proxy) for proxy in proxies)


def _parsed(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(address.strip())
    except ValueError:
        return None


def _is_trusted(address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def client_address(request: HttpRequest) -> str | None:
    """The client's address: ``REMOTE_ADDR``, or behind a trusted proxy the right-most address of
    ``X-Forwarded-For`` that is not a trusted proxy. A header that holds no valid address where one
    is needed falls back on the address it came from, so bad input never becomes a lockout key."""
    peer = request.META.get("REMOTE_ADDR") or None
    networks = trusted_networks(tuple(settings.TRUSTED_PROXIES))
    peer_address = _parsed(peer) if peer else None
    if peer_address is None or not _is_trusted(peer_address, networks):
        return peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    nearest = peer
    for hop in reversed(forwarded.split(",")):
        address = _parsed(hop)
        if address is None:
            # Garbage in the chain: the last address a trusted proxy vouched for is all we know.
            return nearest
        nearest = str(address)
        if not _is_trusted(address, networks):
            return nearest
    # Every hop is a proxy of ours (or there is no header): the left-most one is the closest we get.
    return nearest


class ClientAddressHistory(models.Model):
    """The base of every historical model: the address the version was saved from. Empty for a
    version saved outside a request (a command, the demo's seeding) or in bulk (measurement
    imports, which django-simple-history writes without its per-row signal)."""

    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        abstract = True


@receiver(pre_create_historical_record)
def record_client_address(sender, history_instance, **kwargs) -> None:
    request = getattr(HistoricalRecords.context, "request", None)
    if request is None or not isinstance(history_instance, ClientAddressHistory):
        return
    address = client_address(request)
    history_instance.ip_address = address if address and _parsed(address) else None
