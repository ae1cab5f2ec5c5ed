"""A frontend cache (CDN) is purged of the pages that show what changed (wagtail_ar.purge).

``RecordingBackend`` is a real frontend cache backend, as in Wagtail's own tests: it records the
URLs it is asked to purge instead of calling a CDN.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.contrib.frontend_cache.backends import BaseBackend
from wagtail.models import PageViewRestriction

from wagtail_ar import purge
from wagtail_ar.models import ClusterPage, ForumPost, Organisation, ThematicProject

from .utils import TODAY, build_tree, make_forum_post

PURGED = []


class RecordingBackend(BaseBackend):
    def purge(self, url):
        PURGED.append(url)

    def purge_batch(self, urls):
        PURGED.extend(urls)


@pytest.fixture
def frontend_cache(settings):
    settings.WAGTAILFRONTENDCACHE = {
        "test": {"BACKEND": "tests.test_frontend_cache.RecordingBackend"}
    }
    PURGED.clear()
    yield PURGED
    PURGED.clear()


@pytest.fixture
def tree(db, frontend_cache):
    tree = build_tree()
    frontend_cache.clear()
    return tree


@pytest.fixture
def purged(frontend_cache, django_capture_on_commit_callbacks):
    """Run the block, then the purges waiting for the commit; the URLs purged."""

    class Purged:
        def __enter__(self):
            frontend_cache.clear()
            self._capture = django_capture_on_commit_callbacks(execute=True)
            self._capture.__enter__()
            return frontend_cache

        def __exit__(self, *exc):
            return self._capture.__exit__(*exc)

    return Purged


def reload(page):
    return type(page).objects.get(pk=page.pk)


def test_publishing_a_cluster_purges_what_lists_it(tree, purged):
    index, cluster, community_map = tree["index"], tree["cluster"], tree["map"]
    with purged() as urls:
        reload(cluster).save_revision().publish()
    index_url, map_url = index.get_full_url(), community_map.get_full_url()
    assert index_url.startswith("http://localhost/")  # absolute, with the site's hostname
    assert {
        cluster.get_full_url(),
        index_url,
        index_url + "feed/",
        index_url + "feed/atom/",
        tree["ar"].get_full_url(),
        tree["wg"].get_full_url(),
        map_url + "geojson/",
        map_url + "geojson/?layer=clusters",
        tree["report"].get_full_url(),
        tree["activity"].get_full_url(),
    } <= set(urls)


def test_publishing_an_activity_purges_the_calendars(tree, purged):
    activities, activity = tree["activities"], tree["activity"]
    with purged() as urls:
        reload(activity).save_revision().publish()
    assert {
        activity.get_full_url() + "ical/",
        activities.get_full_url(),
        activities.get_full_url() + "ical/",
        tree["wg"].get_full_url(),
        tree["cluster"].get_full_url(),
        tree["map"].get_full_url() + "geojson/?layer=activities",
    } <= set(urls)


def test_publishing_a_working_group_purges_its_clusters_activities_and_landing(tree, purged):
    with purged() as urls:
        reload(tree["wg"]).save_revision().publish()
    assert {
        tree["ar"].get_full_url(),
        tree["cluster"].get_full_url(),
        tree["activity"].get_full_url(),
        tree["index"].get_full_url(),
    } <= set(urls)


def test_unpublishing_and_deleting_a_cluster_purge_its_index(tree, purged):
    index_url = tree["index"].get_full_url()
    with purged() as urls:
        reload(tree["cluster"]).unpublish()
    assert {index_url, index_url + "feed/", tree["ar"].get_full_url()} <= set(urls)
    reload(tree["cluster"]).save_revision().publish()
    with purged() as urls:
        reload(tree["cluster"]).delete()
    assert {index_url, index_url + "feed/atom/"} <= set(urls)


def test_moving_a_report_purges_both_clusters(tree, purged):
    old_url = tree["report"].get_full_url()
    other = tree["index"].add_child(
        instance=ClusterPage(
            title="Posidonia",
            slug="posidonia",
            category="thematic",
            summary="s",
            question="q",
            objectives="<p>o</p>",
            expected_outcomes=["transference"],
            start_date=TODAY,
        )
    )
    with purged() as urls:
        reload(tree["report"]).move(other, pos="last-child")
    assert {old_url, tree["cluster"].get_full_url(), other.get_full_url()} <= set(urls)
    assert reload(tree["report"]).get_full_url() in urls


def test_a_private_cluster_still_purges_the_public_listing(tree, purged):
    cluster = reload(tree["cluster"])
    PageViewRestriction.objects.create(page=cluster, restriction_type="login")
    with purged() as urls:
        cluster.save_revision().publish()
    assert tree["index"].get_full_url() in urls


def test_saving_an_organisation_purges_the_map_and_the_factsheets_naming_it(tree, purged):
    lead, map_url = tree["lead"], tree["map"].get_full_url()
    with purged() as urls:
        lead.city = "Salerno"
        lead.save()
    assert {
        map_url,
        map_url + "geojson/",
        map_url + f"organisations/{lead.pk}/",
        tree["cluster"].get_full_url(),
        tree["wg"].get_full_url(),
        tree["activity"].get_full_url(),
    } <= set(urls)
    member = tree["member"]
    with purged() as urls:
        member.save()
    assert {tree["cluster"].get_full_url(), tree["wg"].get_full_url()} <= set(urls)


def test_an_unpublished_organisation_purges_its_marker_details(tree, purged):
    lead = Organisation.objects.get(pk=tree["lead"].pk)
    with purged() as urls:
        lead.unpublish()
    assert tree["map"].get_full_url() + f"organisations/{lead.pk}/" in urls


def test_a_draft_revision_of_a_snippet_purges_nothing(tree, purged):
    with purged() as urls:
        Organisation.objects.get(pk=tree["lead"].pk).save_revision()
    assert urls == []


def test_saving_a_thematic_project_or_solution_purges_the_clusters_that_reference_it(tree, purged):
    with purged() as urls:
        ThematicProject.objects.get(pk=tree["project"].pk).save()
    assert {tree["cluster"].get_full_url(), tree["wg"].get_full_url()} <= set(urls)
    unrelated = ThematicProject.objects.create(acronym="OTHER", name="Another project")
    with purged() as urls:
        unrelated.save()
    assert tree["cluster"].get_full_url() not in urls
    with purged() as urls:
        tree["solution"].save()
    assert tree["cluster"].get_full_url() in urls


def test_a_published_forum_post_purges_its_forum_and_the_cluster_answering_it(tree, purged):
    forum = tree["forum"]
    with purged() as urls:
        post = make_forum_post(forum)  # awaiting moderation: nothing visitors see
    assert urls == []
    with purged() as urls:
        post.publish()
    assert {forum.get_full_url(), forum.get_full_url() + f"{post.pk}/"} <= set(urls)
    post = ForumPost.objects.get(pk=post.pk)
    with purged() as urls:
        post.answered_by_id = tree["cluster"].pk
        post.save()
    assert tree["cluster"].get_full_url() in urls


def test_nothing_is_purged_without_a_frontend_cache(tree, purged, settings):
    del settings.WAGTAILFRONTENDCACHE
    assert not purge.is_enabled()
    with purged() as urls:
        reload(tree["cluster"]).save_revision().publish()
        tree["lead"].save()
    assert urls == []


def test_the_purge_costs_the_same_queries_with_1_or_20_clusters(tree):
    cluster = reload(tree["cluster"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            batch = purge.purge_batch_for(cluster)
        return len(queries), batch

    one, batch = count()
    for number in range(19):
        other = tree["index"].add_child(
            instance=ClusterPage(
                title=f"Cluster {number}",
                slug=f"cluster-{number}",
                category="geographical",
                summary="s",
                question="q",
                objectives="<p>o</p>",
                expected_outcomes=["transference"],
                start_date=TODAY - datetime.timedelta(days=number),
                working_group=tree["wg"],
                lead_partner=tree["lead"],
            )
        )
        other.tags.add("seagrass")
        other.save()
    twenty, batch = count()
    assert twenty == one
    assert reload(other).get_full_url() in batch.urls  # a related factsheet (same group)


def test_the_map_names_its_layers_and_a_bounded_number_of_marker_details(tree):
    community_map = reload(tree["map"])
    paths = community_map.get_cached_paths()
    assert paths[:4] == ["/", "geojson/", "geojson/?layer=clusters", "geojson/?layer=activities"]
    assert f"organisations/{tree['lead'].pk}/" in paths
    assert f"organisations/{tree['lead'].pk}/regione-campania/" in paths  # its profile
    community_map.cached_organisation_details_limit = 1
    # The four, one marker's details and one profile.
    assert len(community_map.get_cached_paths()) == 6


def test_an_organisation_purges_its_profile(tree):
    from wagtail_ar.purge import purge_batch_for

    batch = purge_batch_for(tree["lead"])
    profile = tree["map"].get_full_url() + f"organisations/{tree['lead'].pk}/regione-campania/"
    assert profile in batch.urls


def test_a_page_of_the_host_costs_no_query(tree, django_assert_num_queries):
    from wagtail.models import Page

    home = Page.objects.get(pk=tree["ar"].get_parent().pk)
    with django_assert_num_queries(0):
        assert purge.pages_showing(home) == []


def test_an_import_purges_once_what_shows_each_organisation(tree, purged, monkeypatch):
    """Each imported row saves its organisation three times: what shows them is gathered once
    for each, after the import, and purged in one batch."""
    from wagtail.contrib.frontend_cache.utils import PurgeBatch

    from wagtail_ar.importers import get_importer
    from wagtail_ar.purge import purge_batch_for

    batches = []
    real_purge = PurgeBatch.purge

    def purge(self, *args, **kwargs):
        batches.append(len(self.urls))
        return real_purge(self, *args, **kwargs)

    monkeypatch.setattr(PurgeBatch, "purge", purge)
    header = "name,acronym,organisation_type,country,city,latitude,longitude,thematic_projects"
    rows = "".join(f"Imported {i},I{i},other,IT,City,41.9,12.5,\n" for i in range(3))
    with purged() as urls:
        result = get_importer("organisations").run(f"{header}\n{rows}".encode())
    assert len(result.created) == 3
    assert len(batches) == 1, batches
    expected = set()
    for organisation in Organisation.objects.filter(name__startswith="Imported "):
        expected |= set(purge_batch_for(organisation).urls)
        assert tree["map"].get_full_url() + f"organisations/{organisation.pk}/" in urls
    assert set(urls) == expected
    # A dry run, rolled back, purges nothing.
    batches.clear()
    with purged() as urls:
        get_importer("organisations").run(f"{header}\n{rows}".encode(), dry_run=True)
    assert urls == [] and batches == []
    # A save outside an import still purges at once.
    with purged() as urls:
        tree["lead"].save()
    assert len(batches) == 1 and urls
