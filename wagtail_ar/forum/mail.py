"""The forum's e-mails, rendered from ``wagtail_ar/emails/forum_*.txt`` and sent through
Django's e-mail backend: :func:`notify_moderators` (a post awaits moderation) and
:func:`send_reply_confirmation` (a visitor answers a post: the link to confirm it) and
:func:`send_reply` (the confirmed answer, to the post's author). Imports no model: it is handed the posts.
The views do not call these functions: the tasks of :mod:`wagtail_ar.forum.tasks` do, after the
post or reply is committed, retrying a failing mail server.
"""

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse

from ..site_settings import site_value


def moderator_addresses(site=None):
    """The forum moderators of ``site`` (its Amplification Room settings), else
    ``WAGTAIL_AR_FORUM_MODERATORS``, else the addresses of Django's ``MANAGERS``."""
    from django.conf import settings

    addresses = list(site_value("FORUM_MODERATORS", site=site) or [])
    if not addresses:
        addresses = [address for _name, address in getattr(settings, "MANAGERS", [])]
    return addresses


def admin_edit_url(post, request=None):
    """The absolute URL of ``post`` in the admin, or ``""`` if the admin is not installed.

    Its host is ``WAGTAILADMIN_BASE_URL``, or else the root URL of the forum's own site: never
    the request's ``Host`` header, which a visitor chooses (a moderator's mail must not link
    to a host of the visitor's)."""
    from django.conf import settings

    try:
        url = reverse("wagtailsnippets_wagtail_ar_forumpost:edit", args=[post.pk])
    except NoReverseMatch:
        return ""
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "") or ""
    if not base:
        site = post.forum.get_site() if post.forum_id else None
        base = site.root_url if site is not None else ""
    return base.rstrip("/") + url


def _render_mail(name, context):
    subject = render_to_string(f"wagtail_ar/emails/forum_{name}_subject.txt", context)
    body = render_to_string(f"wagtail_ar/emails/forum_{name}_body.txt", context)
    # A header is one line: a title with a line break must not add headers.
    return " ".join(subject.split()), body


def notify_moderators(post, request=None):
    """E-mail the moderators that ``post`` awaits moderation. Returns the number of messages
    sent (0 when no moderator is configured)."""
    site = post.forum.get_site() if post.forum_id else None
    recipients = moderator_addresses(site)
    if not recipients:
        return 0
    subject, body = _render_mail(
        "moderation", {"post": post, "edit_url": admin_edit_url(post, request)}
    )
    return EmailMessage(subject, body, to=recipients).send()


def send_reply_confirmation(reply, confirm_url):
    """E-mail the visitor who wrote ``reply`` the link that sends it to the post's author. The
    mail holds no text of the visitor's: sent to an address that is not theirs, it says only
    that somebody used it, so the form cannot carry a message to anybody."""
    subject, body = _render_mail("reply_confirm", {"post": reply.post, "confirm_url": confirm_url})
    return EmailMessage(subject, body, to=[reply.email]).send()


def send_reply(post, data, request=None, post_url=None):
    """Forward a visitor's answer to the author of ``post``. The author's address is only in
    the envelope; the visitor's is the ``Reply-To``, so the author answers them directly.
    ``post_url`` is the post's public URL, built from ``request`` when not given."""
    if post_url is None:
        post_url = post.forum.post_url(post, request) if request is not None else ""
    context = {
        "post": post,
        "reply_name": data["name"],
        "reply_email": data["email"],
        "message": data["message"],
        "post_url": post_url,
    }
    subject, body = _render_mail("reply", context)
    return EmailMessage(subject, body, to=[post.email], reply_to=[data["email"]]).send()
