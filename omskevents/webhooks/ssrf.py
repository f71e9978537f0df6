"""The guard against server-side request forgery: which addresses a webhook may reach, checked where it connects.

A URL is checked when it is registered and again at every delivery; the delivery then connects to the very
address that was checked (never resolving the name a second time), so a name that resolves to a public address
for the check and to 127.0.0.1 a moment later (DNS rebinding) cannot reach the inside.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class Target:
    """Where a delivery goes: the URL's parts and the one checked address to connect to."""

    scheme: str
    host: str
    port: int
    path: str
    address: str


def _forbidden(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return bool(
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise ValidationError(_("The host %(host)s cannot be resolved.") % {"host": host}, code="unresolved") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def check_url(url: str) -> Target:
    """Parse and check a webhook URL; returns where to connect. Raises ValidationError (with a message for people).

    https only unless WEBHOOKS_ALLOW_HTTP; every address the host resolves to must be public unless
    WEBHOOKS_ALLOW_PRIVATE_ADDRESSES (a name with one private address among public ones is refused: the
    resolver could hand out either).
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    allowed = ("https", "http") if settings.WEBHOOKS_ALLOW_HTTP else ("https",)
    if scheme not in allowed:
        raise ValidationError(_("Only https:// addresses are accepted."), code="scheme")
    if parts.username or parts.password:
        raise ValidationError(_("The address must not contain a user name or password."), code="credentials")
    host = parts.hostname or ""
    if not host:
        raise ValidationError(_("The address has no host."), code="host")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise ValidationError(_("The port of the address is not valid."), code="port") from None
    addresses = _resolve(host, port)
    if not addresses:
        raise ValidationError(_("The host %(host)s cannot be resolved.") % {"host": host}, code="unresolved")
    if not settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES:
        for address in addresses:
            if _forbidden(ipaddress.ip_address(address.split("%", 1)[0])):
                raise ValidationError(
                    _(
                        "The address %(host)s leads to a private, loopback or reserved network address "
                        "(%(address)s): webhooks may only go to public addresses."
                    )
                    % {"host": host, "address": address},
                    code="private",
                )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(scheme=scheme, host=host, port=port, path=path, address=addresses[0])
