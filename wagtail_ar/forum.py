"""The forum's machinery that is not a model: the board's filters, the checks against robots
and floods, the e-mails, and the retention of personal data.

Nothing here calls an outside service: the rate limit counts in Django's cache framework
(locmem, Redis, Memcached…), the fill-time check signs a timestamp with ``SECRET_KEY``, and
mail goes through Django's e-mail backend.

Extension points:

:class:`ForumPostFilterSet`
    The filters of the board (``kind``, ``theme``, ``country``), built from the listings'
    filters (:mod:`wagtail_ar.filters`), so URL parameters and bad input behave alike.
:func:`client_key`
    Who a request comes from, for the rate limit: ``REMOTE_ADDR``. Behind a reverse proxy the
    site must set ``REMOTE_ADDR`` to the visitor's address (for example with the proxy's
    real-IP module or a middleware), otherwise every visitor shares one limit.
:func:`notify_moderators`, :func:`send_reply`
    The e-mails, rendered from ``wagtail_ar/emails/forum_*.txt``.
:func:`purge_archived_posts`
    Deletes archived posts older than ``WAGTAIL_AR_FORUM_RETENTION_DAYS``
    (``manage.py ar_forum_purge``).
"""

import datetime
import hashlib
import time

from django.core import signing
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .conf import settings as ar_settings
from .filters import CountryFilter, ListingChoiceFilter, ListingFilterSet, WorkingGroupFilter
from .models import ForumPost, ForumPostKind, ForumPostStatus

# The board -------------------------------------------------------------------------------------


class ThemeFilter(WorkingGroupFilter):
    """A working group among the post's themes, by its slug (``theme=wg1``)."""

    def filter(self, qs, value):
        return super().filter(qs, value).distinct() if value else qs


class ForumPostFilterSet(ListingFilterSet):
    """The filters of the forum board: ``kind`` (need or offer), ``theme`` (the slug of a
    working group) and ``country`` (ISO code). ``q`` and ``page`` are the listing's own."""

    kind = ListingChoiceFilter(
        choices=ForumPostKind.choices,
        label=_("Need or offer"),
        empty_label=_("Needs and offers"),
        invalid_message=_("“%(value)s” is not a kind of post. The kinds are: %(choices)s."),
    )
    theme = ThemeFilter(
        field_name="themes",
        label=_("Theme"),
        empty_label=_("All themes"),
    )
    country = CountryFilter(field_name="country", label=_("Country"))

    class Meta:
        model = ForumPost
        fields = []


# Robots and floods -----------------------------------------------------------------------------

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


# E-mails ---------------------------------------------------------------------------------------


def moderator_addresses():
    """``WAGTAIL_AR_FORUM_MODERATORS``, or the addresses of Django's ``MANAGERS``."""
    from django.conf import settings

    addresses = list(ar_settings.FORUM_MODERATORS or [])
    if not addresses:
        addresses = [address for _name, address in getattr(settings, "MANAGERS", [])]
    return addresses


def admin_edit_url(post, request=None):
    """The absolute URL of ``post`` in the admin, or ``""`` if the admin is not installed."""
    try:
        url = reverse("wagtailsnippets_wagtail_ar_forumpost:edit", args=[post.pk])
    except NoReverseMatch:
        return ""
    return request.build_absolute_uri(url) if request is not None else url


def _render_mail(name, context):
    subject = render_to_string(f"wagtail_ar/emails/forum_{name}_subject.txt", context)
    body = render_to_string(f"wagtail_ar/emails/forum_{name}_body.txt", context)
    # A header is one line: a title with a line break must not add headers.
    return " ".join(subject.split()), body


def notify_moderators(post, request=None):
    """E-mail the moderators that ``post`` awaits moderation. Returns the number of messages
    sent (0 when no moderator is configured)."""
    recipients = moderator_addresses()
    if not recipients:
        return 0
    subject, body = _render_mail(
        "moderation", {"post": post, "edit_url": admin_edit_url(post, request)}
    )
    return EmailMessage(subject, body, to=recipients).send()


def send_reply(post, data, request=None):
    """Forward a visitor's answer to the author of ``post``. The author's address is only in
    the envelope; the visitor's is the ``Reply-To``, so the author answers them directly."""
    forum = post.forum
    context = {
        "post": post,
        "reply_name": data["name"],
        "reply_email": data["email"],
        "message": data["message"],
        "post_url": forum.post_url(post, request) if request is not None else "",
    }
    subject, body = _render_mail("reply", context)
    return EmailMessage(subject, body, to=[post.email], reply_to=[data["email"]]).send()


# Retention -------------------------------------------------------------------------------------


def posts_past_retention(now=None, days=None):
    """The archived posts archived more than ``days`` (``WAGTAIL_AR_FORUM_RETENTION_DAYS``)
    ago; none when the retention is ``None``. Pending and published posts are never
    included: only moderators' archiving starts the clock."""
    days = ar_settings.FORUM_RETENTION_DAYS if days is None else days
    if days is None:
        return ForumPost.objects.none()
    limit = (now or timezone.now()) - datetime.timedelta(days=days)
    return ForumPost.objects.filter(
        status=ForumPostStatus.ARCHIVED, archived_at__isnull=False, archived_at__lt=limit
    )


def purge_archived_posts(now=None, days=None):
    """Delete the posts of :func:`posts_past_retention` with their personal data; returns
    how many were deleted."""
    posts = posts_past_retention(now=now, days=days)
    count = posts.count()
    # One by one: the search index drops each post through the delete signal.
    for post in posts.iterator():
        post.delete()
    return count
