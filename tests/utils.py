"""Builders of Amplification Room content for the tests."""

import contextlib
import datetime

from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Page, Site

from wagtail_ar.geo import format_point
from wagtail_ar.models import (
    AccessibilityStatementPage,
    ActivityIndexPage,
    ActivityPage,
    AmplificationRoomPage,
    ClusterIndexPage,
    ClusterPage,
    ClusterParticipant,
    ClusterReportAttachment,
    ClusterReportPage,
    CommunityMapPage,
    ForumPage,
    Organisation,
    Solution,
    ThematicProject,
    WorkingGroupPage,
    WorkingGroupPolicyPaper,
)

TODAY = datetime.date(2025, 6, 15)


def site_root():
    return Site.objects.get(is_default_site=True).root_page


def make_document(title="Factsheet"):
    document = get_document_model()(title=title)
    document.file.save("factsheet.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    document.file_size = document.file.size
    document.save()
    return document


def make_organisation(name="Regione Campania", roles=("pp",), lat=40.85, lng=14.25, **kwargs):
    kwargs.setdefault("country", "IT")
    kwargs.setdefault("city", "Napoli")
    return Organisation.objects.create(
        name=name,
        community_roles=list(roles),
        location=format_point(lat, lng) if lat is not None else "",
        **kwargs,
    )


def build_tree():
    """One page of every type, with the snippets they point to; returns them in a dict."""
    lead = make_organisation()
    member = make_organisation(
        "Université de Tunis", roles=("external",), lat=36.81, lng=10.18, country="TN", city="Tunis"
    )
    project = ThematicProject.objects.create(
        acronym="MPA4Change", name="Marine protected areas for change"
    )
    lead.thematic_projects.add(project)
    lead.save()  # a ParentalManyToManyField is written on save
    solution = Solution.objects.create(
        title="Seagrass monitoring protocol",
        thematic_project=project,
        summary="A protocol.",
        transfer_levels=["local"],
    )

    ar = site_root().add_child(
        instance=AmplificationRoomPage(
            title="The Amplification Room",
            slug="amplification-room",
            intro="<p>The space where the core community comes together.</p>",
            body=[
                ("rich_text", "<p>Portfolio of services</p>"),
                (
                    "service",
                    {
                        "name": "Peer exchange",
                        "format": "in_person",
                        "description": "<p>Visit.</p>",
                        "link": {"url": "https://example.org", "text": "More", "page": None},
                    },
                ),
                (
                    "faq",
                    {"question": "Who can create a cluster?", "answer": "<p>The whole CoP.</p>"},
                ),
                (
                    "call_to_action",
                    {
                        "heading": "Join",
                        "text": "Say what you need.",
                        "link": {"url": "https://example.org/forum", "text": "Forum", "page": None},
                    },
                ),
            ],
        )
    )
    wg = ar.add_child(
        instance=WorkingGroupPage(
            title="WG1 Connectivity of ecosystems",
            slug="wg1",
            number=1,
            theme="Connectivity of ecosystems",
        )
    )
    wg.coordinating_organisations.add(lead)
    wg.member_organisations.add(member)
    WorkingGroupPolicyPaper.objects.create(
        page=wg, document=make_document("Policy paper"), date=TODAY
    )
    wg.save_revision().publish()

    index = ar.add_child(instance=ClusterIndexPage(title="Clusters", slug="clusters"))
    cluster = index.add_child(
        instance=ClusterPage(
            title="Seagrass meadows of the Adriatic",
            slug="seagrass",
            category="geographical",
            summary="Transfer of a seagrass monitoring protocol.",
            question="How can marine protected areas monitor seagrass cheaply?",
            objectives="<p>Adopt the protocol in three MPAs.</p>",
            expected_outcomes=["transference", "adoption"],
            start_date=TODAY - datetime.timedelta(days=30),
            end_date=TODAY + datetime.timedelta(days=300),
            roadmap=[
                (
                    "stage",
                    {
                        "title": "Kick-off",
                        "start_date": TODAY,
                        "end_date": None,
                        "format": "online",
                        "description": "",
                    },
                )
            ],
            lead_partner=lead,
            working_group=wg,
            countries=["HR", "IT"],
            transfer_level="regional",
            factsheet_document=make_document(),
        )
    )
    cluster.thematic_projects.add(project)
    cluster.solutions.add(solution)
    cluster.tags.add("seagrass")
    ClusterParticipant.objects.create(page=cluster, organisation=member, role="external")
    cluster.save_revision().publish()

    report = cluster.add_child(
        instance=ClusterReportPage(
            title="Interim report",
            slug="interim",
            report_type="interim",
            date=TODAY,
            summary="Half way.",
        )
    )
    ClusterReportAttachment.objects.create(page=report, document=make_document("Annex"))

    activities = ar.add_child(instance=ActivityIndexPage(title="Activities", slug="activities"))
    start = timezone.make_aware(
        datetime.datetime(2024, 11, 29, 10, 0), timezone=datetime.timezone.utc
    )
    activity = activities.add_child(
        instance=ActivityPage(
            title="Malaga Institutional dialogue event",
            slug="malaga",
            start=start,
            end=start + datetime.timedelta(hours=7),
            time_zone="Europe/Madrid",
            format="in_person",
            venue="Palacio de Ferias",
            location=format_point(36.72, -4.42),
            working_group=wg,
            cluster=cluster,
        )
    )
    activity.organisers.add(lead)
    activity.save_revision().publish()
    community_map = ar.add_child(instance=CommunityMapPage(title="Community map", slug="map"))
    forum = ar.add_child(instance=ForumPage(title="Forum", slug="forum"))
    statement = ar.add_child(
        instance=AccessibilityStatementPage(
            title="Accessibility statement",
            slug="accessibility",
            public_body="Community4Nature",
            scope="the Amplification Room website",
            compliance_status="partially",
            non_compliance="<p>The map cannot be used with a screen reader alone.</p>",
            preparation_date=TODAY,
            last_review_date=TODAY,
            feedback="<p>Write to us.</p>",
            contact_email="a11y@example.org",
            enforcement_procedure="<p>Turn to the national monitoring body.</p>",
        )
    )
    return {
        "lead": lead,
        "member": member,
        "project": project,
        "solution": solution,
        "ar": ar,
        "wg": wg,
        "index": index,
        "cluster": cluster,
        "report": report,
        "activities": activities,
        "activity": activity,
        "map": community_map,
        "forum": forum,
        "statement": statement,
    }


def make_forum_post(forum, status="pending", **fields):
    """A forum post on ``forum`` from a Croatian TP partner, then published or archived
    (through publication, as a moderator would) when ``status`` says so."""
    from django.utils import timezone

    from wagtail_ar.models import ForumPost

    values = {
        "kind": "need",
        "title": "Restoring dune vegetation",
        "description": "Who has done it?",
        "name": "Ana Kovač",
        "organisation": "Javna ustanova Priroda",
        "country": "HR",
        "community_role": "tp_partner",
        "email": "ana.private@example.hr",
        "consent_at": timezone.now(),
    } | fields
    post = ForumPost.objects.create(forum=forum, **values)
    if status in ("published", "archived"):
        post.publish()
    if status == "archived":
        post.archive()
    return post


PAGE_KEYS = (
    "ar",
    "wg",
    "index",
    "cluster",
    "report",
    "activities",
    "activity",
    "map",
    "forum",
    "statement",
)


def root_page():
    return Page.objects.get(depth=1)


@contextlib.contextmanager
def module_tree(django_db_blocker, tmp_path_factory):
    """:func:`build_tree` with a published forum post, for a module-scoped fixture: built once,
    in a transaction rolled back at the end, with the cache cleared before and after."""
    from django.core.cache import cache
    from django.db import transaction
    from django.test import override_settings

    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))),
        transaction.atomic(),
    ):
        cache.clear()
        tree = build_tree()
        tree["post"] = make_forum_post(tree["forum"], "published", title="Seeking seagrass data")
        yield tree
        transaction.set_rollback(True)
    cache.clear()
