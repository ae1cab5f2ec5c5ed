"""The forum's checks against robots and floods: a signed fill-time token and a rate limit.

Nothing here calls an outside service or imports a model: the rate limit counts in Django's
cache framework (locmem, Redis, Memcached…) and the fill-time token is signed with
``SECRET_KEY``.

Extension point: :func:`client_key`, who a request comes from, for the rate limit:
``REMOTE_ADDR``. Behind a reverse proxy the site must set ``REMOTE_ADDR`` to the visitor's
address (for example with the proxy's real-IP module or a middleware), otherwise every visitor
shares one limit.
"""

import hashlib
import time

from django.core import signing
from django.core.cache import cache

from ..conf import settings as ar_settings

FILL_TOKEN_SALT = "wagtail_ar.forum.fill-time"  # noqa: S105 - a namespace, not a secret


def fill_token(at=None):
    """A signed token holding when a form was shown (``at``, seconds since the epoch)."""
    return signing.dumps(int(time.time() if at is None else at), salt=FILL_TOKEN_SALT)


def seconds_since(token, now=None):
    """Seconds since the form holding ``token`` was shown, or ``None`` for a token that is
    missing, forged or not readable."""
    try:
        shown_at = signing.loads(token, salt=FILL_TOKEN_SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if not isinstance(shown_at, int):
        return None
    return (time.time() if now is None else now) - shown_at


def client_key(request):
    """Who sent ``request``, for the rate limit: a hash of ``REMOTE_ADDR`` (see the module's
    docstring about proxies). The address itself is not kept in the cache."""
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    return hashlib.sha256(address.encode()).hexdigest()[:32]


def _rate_key(request):
    return f"wagtail_ar:forum:rate:{client_key(request)}"


def is_rate_limited(request):
    """Whether the client of ``request`` has sent ``WAGTAIL_AR_FORUM_RATE_LIMIT`` posts or
    replies in the current window already."""
    limit = ar_settings.FORUM_RATE_LIMIT
    if not limit:
        return False
    return (cache.get(_rate_key(request)) or 0) >= limit


def record_submission(request):
    """Count one post or reply of the client of ``request`` in the current window."""
    key = _rate_key(request)
    # add() starts the window only for the first submission: later ones do not extend it.
    cache.add(key, 0, timeout=ar_settings.FORUM_RATE_WINDOW)
    try:
        cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=ar_settings.FORUM_RATE_WINDOW)
