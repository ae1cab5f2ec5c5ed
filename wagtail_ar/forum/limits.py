"""The forum's checks against robots and floods: a signed fill-time token and who a client is.

Nothing here calls an outside service or imports a model. The fill-time token is signed with
``SECRET_KEY`` and carries a random nonce, which :class:`~wagtail_ar.models.ForumUsedToken`
lets be used once; the rate limits count in the database
(:class:`~wagtail_ar.models.ForumCounter`), where no flood of cached pages can evict them.

Extension point: :func:`client_key`, who a request comes from, for the rate limit:
``REMOTE_ADDR``, an IPv6 address counted by its /64 network (one subscriber's share). Behind a reverse proxy the site must set ``REMOTE_ADDR`` to the visitor's
address (for example with the proxy's real-IP module or a middleware), otherwise every visitor
shares one limit.
"""

import hashlib
import ipaddress
import secrets
import time

from django.core import signing

FILL_TOKEN_SALT = "wagtail_ar.forum.fill-time"  # noqa: S105 - a namespace, not a secret


def fill_token(at=None):
    """A signed token holding when a form was shown (``at``, seconds since the epoch) and a
    random nonce, so that a token can be used once only."""
    shown_at = int(time.time() if at is None else at)
    return signing.dumps([shown_at, secrets.token_hex(12)], salt=FILL_TOKEN_SALT)


def read_token(token):
    """``(shown_at, nonce)`` of a fill-time token, or ``None`` for a token that is missing,
    forged or not readable."""
    try:
        value = signing.loads(token, salt=FILL_TOKEN_SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not isinstance(value[0], int)
        or not isinstance(value[1], str)
    ):
        return None
    return value[0], value[1]


def seconds_since(token, now=None):
    """Seconds since the form holding ``token`` was shown, or ``None`` for a token that is
    missing, forged or not readable."""
    read = read_token(token)
    if read is None:
        return None
    return (time.time() if now is None else now) - read[0]


def client_key(request):
    """Who sent ``request``, for the rate limit: a hash of ``REMOTE_ADDR`` (see the module's
    docstring about proxies), an IPv6 address by its /64 network. The address itself is not
    stored."""
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        parsed = None
    if isinstance(parsed, ipaddress.IPv6Address):
        mapped = parsed.ipv4_mapped
        address = (
            str(mapped)
            if mapped is not None
            else str(ipaddress.IPv6Network(f"{parsed}/64", strict=False).network_address)
        )
    return hashlib.sha256(address.encode()).hexdigest()[:32]


def address_key(email):
    """An e-mail address as a key of a rate limit (a hash: the address is not stored again)."""
    return hashlib.sha256(email.strip().casefold().encode()).hexdigest()[:32]
