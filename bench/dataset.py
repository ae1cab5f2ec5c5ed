"""The benchmark's content, built fast: pages in bulk through the ORM and treebeard's paths.

:func:`build_site` makes one Amplification Room (landing, 4 working groups, a cluster index, an
activity index, a community map) and a bare Wagtail page beside them; :func:`grow` adds
clusters (each with a report and participants), organisations and activities to reach the
given totals. Page rows are written with ``bulk_create`` and their own tables with one
``INSERT`` per batch, as ``Page.add_child`` would leave them (paths, depth, ``numchild``,
``url_path``), then added to the search index in bulk.
"""

import datetime
import random
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from wagtail.models import Locale, Page, Site
from wagtail.search.backends import get_search_backend

from wagtail_ar.geo import format_point
from wagtail_ar.models import (
    ActivityIndexPage,
    ActivityPage,
    AmplificationRoomPage,
    ClusterIndexPage,
    ClusterPage,
    ClusterParticipant,
    ClusterReportPage,
    CommunityMapPage,
    Organisation,
    ThematicProject,
    WorkingGroupPage,
)
from wagtail_ar.models.clusters import ClusterPageTag

CATEGORIES = ("geographical", "thematic", "peer_review")
COUNTRIES = ("ES", "FR", "IT", "HR", "SI", "GR", "CY", "MT", "PT", "AL", "ME", "TN", "EG", "MA")
ORGANISATION_TYPES = ("public_authority", "protected_area", "research", "ngo", "business")
ROLES = ("pp", "ap", "tp_partner", "external")
TAGS = ("seagrass", "wetlands", "restoration", "tourism", "fisheries", "connectivity")
BATCH = 250


def today():
    return timezone.localdate()


def _insert_own_table(model, objects):
    """``INSERT`` the rows of ``model``'s own table (its ``Page`` rows exist already)."""
    fields = list(model._meta.local_concrete_fields)
    for start in range(0, len(objects), BATCH):
        model._base_manager._insert(objects[start : start + BATCH], fields=fields)


def bulk_pages(model, pairs):
    """Create ``[(parent, unsaved page of model), …]`` as ``add_child`` would, in bulk."""
    content_type = ContentType.objects.get_for_model(model)
    locale = Locale.get_default()
    now = timezone.now()
    next_step = {}
    parents = {}
    page_rows = []
    for parent, page in pairs:
        parents[parent.pk] = parent
        step = next_step.get(parent.pk, parent.numchild) + 1
        next_step[parent.pk] = step
        page.path = Page._get_path(parent.path, parent.depth + 1, step)
        page.depth = parent.depth + 1
        page.numchild = 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.content_type = content_type
        page.locale = locale
        page.translation_key = uuid.uuid4()
        page.live = True
        page.draft_title = page.title
        page.first_published_at = page.last_published_at = now
        page_rows.append(
            Page(**{f.attname: getattr(page, f.attname) for f in Page._meta.concrete_fields})
        )
    Page.objects.bulk_create(page_rows, batch_size=BATCH)
    if page_rows[0].pk is None:  # a database without RETURNING: read the ids back
        ids = dict(
            Page.objects.filter(path__in=[p.path for p in page_rows]).values_list("path", "pk")
        )
        for row in page_rows:
            row.pk = ids[row.path]
    pages = []
    for row, (_parent, page) in zip(page_rows, pairs, strict=True):
        page.pk = page.id = page.page_ptr_id = row.pk
        pages.append(page)
    _insert_own_table(model, pages)
    for parent_pk, step in next_step.items():
        added = step - parents[parent_pk].numchild
        Page.objects.filter(pk=parent_pk).update(numchild=F("numchild") + added)
        parents[parent_pk].numchild = step
    return pages


def index_for_search(model, pages):
    backend = get_search_backend()
    objects = list(model.objects.filter(pk__in=[p.pk for p in pages]))
    for start in range(0, len(objects), 500):
        backend.add_bulk(model, objects[start : start + 500])


def build_site():
    """The tree every measurement uses; returns its pages in a dict."""
    root = Site.objects.get(is_default_site=True).root_page
    ar = root.add_child(
        instance=AmplificationRoomPage(
            title="The Amplification Room",
            slug="ar",
            intro="<p>The space where the Community of Practice comes together.</p>",
        )
    )
    bare = ar.add_child(instance=Page(title="A bare Wagtail page", slug="bare"))
    groups = [
        ar.add_child(
            instance=WorkingGroupPage(
                title=f"WG{number} {theme}", slug=f"wg{number}", number=number, theme=theme
            )
        )
        for number, theme in enumerate(
            (
                "Connectivity of ecosystems",
                "Climate change mitigation and adaptation",
                "Socio-economic value of biodiversity",
                "Ecosystem restoration and nature-based solutions",
            ),
            start=1,
        )
    ]
    index = ar.add_child(instance=ClusterIndexPage(title="Clusters", slug="clusters"))
    activities = ar.add_child(instance=ActivityIndexPage(title="Activities", slug="activities"))
    community_map = ar.add_child(instance=CommunityMapPage(title="Community map", slug="map"))
    project = ThematicProject.objects.create(
        acronym="MPA4Change", name="Marine protected areas for change"
    )
    return {
        "ar": ar,
        "bare": bare,
        "groups": groups,
        "index": index,
        "activities": activities,
        "map": community_map,
        "project": project,
    }


def _organisations(start, stop, rng):
    locale = Locale.get_default()
    rows = []
    for number in range(start, stop):
        # Around the Mediterranean: 30-46 N, 10 W-36 E.
        lat, lng = rng.uniform(30, 46), rng.uniform(-10, 36)
        rows.append(
            Organisation(
                name=f"Organisation {number}",
                acronym=f"O{number}",
                organisation_type=ORGANISATION_TYPES[number % len(ORGANISATION_TYPES)],
                community_roles=[ROLES[number % len(ROLES)]],
                country=COUNTRIES[number % len(COUNTRIES)],
                city="Città",
                location=format_point(lat, lng),
                latitude=lat,
                longitude=lng,
                locale=locale,
                live=True,
            )
        )
    Organisation.objects.bulk_create(rows, batch_size=BATCH)
    return list(Organisation.objects.order_by("pk").values_list("pk", flat=True)[start:stop])


def _roadmap(start):
    return [
        (
            "stage",
            {
                "title": f"Stage {n}",
                "start_date": start + datetime.timedelta(days=30 * n),
                "end_date": None,
                "format": "online",
                "description": "",
            },
        )
        for n in range(4)
    ]


@transaction.atomic
def grow(site, clusters, organisations, activities, seed=1):
    """Add content until the site holds these totals (one report per cluster, 5 participants
    each; organisations are spread over the Mediterranean)."""
    rng = random.Random(seed)  # noqa: S311 - made-up coordinates
    for page in (site["index"], site["activities"]):
        page.refresh_from_db()
    have_orgs = Organisation.objects.count()
    if organisations > have_orgs:
        _organisations(have_orgs, organisations, rng)
    org_ids = list(Organisation.objects.order_by("pk").values_list("pk", flat=True))
    groups = site["groups"]
    have = ClusterPage.objects.count()
    new_clusters = []
    base = today()
    for number in range(have, clusters):
        start = base - datetime.timedelta(days=30 + number % 200)
        cluster = ClusterPage(
            title=f"Cluster {number} on seagrass meadows",
            slug=f"cluster-{number}",
            category=CATEGORIES[number % 3],
            summary="Transfer of a seagrass monitoring protocol between marine protected areas.",
            question="How can marine protected areas monitor seagrass cheaply?",
            objectives="<p>Adopt the protocol in three MPAs.</p>",
            expected_outcomes=["transference", "adoption"],
            start_date=start,
            end_date=start + datetime.timedelta(days=400),
            roadmap=_roadmap(start),
            lead_partner_id=org_ids[number % len(org_ids)],
            working_group=groups[number % len(groups)],
            countries=[COUNTRIES[number % len(COUNTRIES)], "FR"],
            transfer_level="regional",
        )
        new_clusters.append((site["index"], cluster))
    if new_clusters:
        created = bulk_pages(ClusterPage, new_clusters)
        ClusterParticipant.objects.bulk_create(
            [
                ClusterParticipant(
                    page_id=cluster.pk,
                    organisation_id=org_ids[(cluster.pk * 7 + n) % len(org_ids)],
                    role="external",
                    sort_order=n,
                )
                for cluster in created
                for n in range(5)
            ],
            batch_size=BATCH,
        )
        from taggit.models import Tag

        tags = [Tag.objects.get_or_create(name=name, slug=name)[0] for name in TAGS]
        ClusterPageTag.objects.bulk_create(
            [
                ClusterPageTag(content_object_id=cluster.pk, tag_id=tags[(cluster.pk + n) % 6].pk)
                for cluster in created
                for n in range(2)
            ],
            batch_size=BATCH,
        )
        reports = [
            (
                cluster,
                ClusterReportPage(
                    title=f"Report of {cluster.title}",
                    slug="report",
                    report_type="interim",
                    date=base,
                    summary="Half way: the protocol is in use in two MPAs.",
                ),
            )
            for cluster in created
        ]
        bulk_pages(ClusterReportPage, reports)
        index_for_search(ClusterPage, created)
    have = ActivityPage.objects.count()
    cluster_ids = list(ClusterPage.objects.order_by("pk").values_list("pk", flat=True)[:200])
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    new_activities = []
    for number in range(have, activities):
        start = now + datetime.timedelta(days=(number % 400) - 200, hours=number % 8)
        new_activities.append(
            (
                site["activities"],
                ActivityPage(
                    title=f"Activity {number}",
                    slug=f"activity-{number}",
                    start=start,
                    end=start + datetime.timedelta(hours=3),
                    time_zone="Europe/Madrid",
                    format=("online", "in_person")[number % 2],
                    summary="A clustering session.",
                    venue="Palacio de Ferias",
                    working_group=groups[number % len(groups)],
                    cluster_id=cluster_ids[number % len(cluster_ids)],
                ),
            )
        )
    if new_activities:
        created = bulk_pages(ActivityPage, new_activities)
        through = ActivityPage.organisers.through
        through.objects.bulk_create(
            [
                through(activitypage_id=a.pk, organisation_id=org_ids[a.pk % len(org_ids)])
                for a in created
            ],
            batch_size=BATCH,
        )
    # Working groups: a few coordinators and members each (the same whatever the size).
    for number, group in enumerate(groups):
        group.coordinating_organisations.set(org_ids[number : number + 2])
        group.member_organisations.set(org_ids[number + 2 : number + 10])
        group.save()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
