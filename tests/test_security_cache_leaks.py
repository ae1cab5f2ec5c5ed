"""The leak matrix through wagtail_ar's cache: outputs read while content is visible (filling
the cache) must forget it once it is hidden. Apart from ``test_security_leaks.py`` because that
module holds its content in module-scoped transactions."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageViewRestriction

from .test_security_leaks import (
    SECRET,
    activity_listing,
    atom,
    cluster_listing,
    factsheet,
    geojson_activities,
    geojson_clusters,
    hidden_pages,
    ical_index,
    landing,
    make_forum,
    organisation_details,
    rss,
    working_group,
)
from .utils import PAGE_KEYS, build_tree

pytestmark = pytest.mark.django_db

# The matrix reads its outputs with an empty cache. Here they are read first while the content is
# visible (filling wagtail_ar's cache), then the content is hidden and they are read again: the
# cache must not keep showing it.


def hide_by_unpublishing(tree, pages):
    for page in pages:
        page.unpublish()


def hide_by_expiring(tree, pages):
    for page in pages:
        page.expire_at = timezone.now() - datetime.timedelta(minutes=1)
        page.save_revision().publish()
    call_command("publish_scheduled", stdout=StringIO())


def hide_by_password(tree, pages):
    for page in pages:
        PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
        )


def hide_by_deleting(tree, pages):
    for page in pages:
        page.delete()


HIDINGS = [hide_by_unpublishing, hide_by_expiring, hide_by_password, hide_by_deleting]
CACHED_OUTPUTS = [
    cluster_listing,
    activity_listing,
    rss,
    atom,
    ical_index,
    geojson_clusters,
    geojson_activities,
    organisation_details,
    factsheet,
    working_group,
    landing,
]


@pytest.mark.parametrize("hide", HIDINGS, ids=[h.__name__ for h in HIDINGS])
def test_cached_outputs_forget_what_was_hidden(client, hide):
    tree = build_tree()
    make_forum(tree)
    pages = hidden_pages(tree)  # published: visible for now
    context = {"pages": [], "outsider": None}
    for output in CACHED_OUTPUTS:
        shown = output(client, tree, context)
        if output in (cluster_listing, rss, atom, geojson_clusters, geojson_activities):
            assert SECRET in shown, output.__name__  # it was there, and is cached now
    hide(tree, pages)
    for key in (*PAGE_KEYS, "forum"):
        tree[key].refresh_from_db()
    for output in CACHED_OUTPUTS:
        assert SECRET not in output(client, tree, context), output.__name__
