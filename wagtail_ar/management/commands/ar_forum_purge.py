"""``manage.py ar_forum_purge``: delete archived forum posts past the retention period (and the
forum's spent fill-time tokens and ended rate-limit counts).

Run it daily (cron, a systemd timer, the host's scheduler). Only posts that a moderator archived
more than ``WAGTAIL_AR_FORUM_RETENTION_DAYS`` days ago are deleted, with the personal data they
hold (name, organisation, e-mail address); pending and published posts are never touched.
"""

from django.core.management.base import BaseCommand, CommandError

from wagtail_ar.conf import settings as ar_settings
from wagtail_ar.forum.retention import (
    posts_past_retention,
    purge_archived_posts,
    purge_spent_limits,
)


class Command(BaseCommand):
    help = (
        "Delete forum posts archived more than WAGTAIL_AR_FORUM_RETENTION_DAYS days ago, with "
        "the personal data they hold."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Override the retention period, in days (default: the setting).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only say how many posts would be deleted.",
        )

    def handle(self, *args, days=None, dry_run=False, **options):
        if days is not None and days < 0:
            raise CommandError("--days must be 0 or more.")
        if not dry_run:
            # Spent fill-time tokens and ended rate-limit windows: no personal data, no use.
            purge_spent_limits()
        if days is None and ar_settings.FORUM_RETENTION_DAYS is None:
            self.stdout.write("WAGTAIL_AR_FORUM_RETENTION_DAYS is None: archived posts are kept.")
            return
        if dry_run:
            count = posts_past_retention(days=days).count()
            self.stdout.write(f"{count} archived forum post(s) would be deleted.")
            return
        count = purge_archived_posts(days=days)
        self.stdout.write(self.style.SUCCESS(f"{count} archived forum post(s) deleted."))
