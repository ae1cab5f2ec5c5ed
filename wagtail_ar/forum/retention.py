"""The retention of the forum's personal data: archived posts are deleted
``WAGTAIL_AR_FORUM_RETENTION_DAYS`` days after a moderator archived them
(``manage.py ar_forum_purge`` calls :func:`purge_archived_posts`).
"""

import datetime

from django.utils import timezone

from ..choices import ForumPostStatus
from ..conf import settings as ar_settings
from ..models import ForumCounter, ForumPost, ForumReply, ForumUsedToken


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


def purge_spent_limits(now=None):
    """Delete the used fill-time tokens that have expired anyway, the answers never confirmed
    while their link was valid (the same age) and the rate-limit counts whose windows have
    ended (the longest is a day); returns how many rows were deleted."""
    now = now or timezone.now()
    tokens_before = now - datetime.timedelta(seconds=ar_settings.FORUM_MAX_FILL_SECONDS)
    windows_before = now - datetime.timedelta(
        seconds=max(ar_settings.FORUM_RATE_WINDOW, 24 * 60 * 60)
    )
    deleted, _ = ForumUsedToken.objects.filter(used_at__lt=tokens_before).delete()
    replies, _ = ForumReply.objects.filter(created_at__lt=tokens_before).delete()
    counts, _ = ForumCounter.objects.filter(window_start__lt=windows_before).delete()
    return deleted + replies + counts
