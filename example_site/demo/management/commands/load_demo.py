"""Load the Amplification Room demo content: ``python example_site/manage.py load_demo``.

The content is Python data in ``demo.content``. Running the command again updates what
changed and creates no duplicates; cluster and activity dates are relative to today, so the
mix of planned, active and completed clusters and of past and upcoming activities holds
whenever it runs. The Amplification Room page becomes the root of the default site, so that
http://127.0.0.1:8000/ opens it.
"""

import datetime
import zoneinfo

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from wagtail_ar.geo import format_point
from wagtail_ar.models import (
    AccessibilityStatementPage,
    ActivityIndexPage,
    ActivityPage,
    AmplificationRoomPage,
    ClusterIndexPage,
    ClusterPage,
    ClusterParticipant,
    ClusterReportPage,
    CommunityMapPage,
    ForumPage,
    ForumPost,
    ForumPostStatus,
    Organisation,
    Solution,
    ThematicProject,
    WorkingGroupPage,
)

from ...content import forum as forum_content
from ...content import landing
from ...content.accessibility import STATEMENT
from ...content.activities import ACTIVITIES
from ...content.clusters import CLUSTERS
from ...content.organisations import ORGANISATIONS
from ...content.places import PLACES, address
from ...content.projects import SOLUTIONS, THEMATIC_PROJECTS
from ...site_root import make_site_root
from ...translate import load_translations
from ...upsert import Tally, stream, upsert_page, upsert_snippet


def days(n):
    return datetime.timedelta(days=n)


def iso(date):
    return date.isoformat() if date else None


def location(city):
    """The address and point of a city, as LocationMixin stores them."""
    place = PLACES[city]
    return {"address": address(city), "location": format_point(place.lat, place.lng)}


class Command(BaseCommand):
    help = "Create or update the Amplification Room demo content (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="Date (YYYY-MM-DD) that cluster and activity dates are relative to (default: today in TIME_ZONE).",
        )

    def handle(self, *args, today=None, **options):
        self.today = today or timezone.localdate()
        self.tally = Tally()
        with transaction.atomic():
            projects = self.load_thematic_projects()
            self.load_solutions(projects)
            self.orgs = self.load_organisations(projects)
            root_page = self.load_pages()
            site = make_site_root(root_page, site_name="Natural Heritage Mission")
            # French and Arabic versions of part of the content, on a multilingual site only.
            pages = {root_page.slug: root_page, **self.clusters}
            pages |= {wg.slug: wg for wg in self.working_groups.values()}
            load_translations(pages, self.orgs)
        self.print_summary(site)

    # Snippets ---------------------------------------------------------------------------

    def load_thematic_projects(self):
        return {
            tp.acronym: upsert_snippet(
                ThematicProject,
                {"acronym": tp.acronym},
                {
                    "name": tp.name,
                    "website": tp.website,
                    "summary": tp.summary,
                    "start_date": tp.start_date,
                    "end_date": tp.end_date,
                },
                self.tally,
            )
            for tp in THEMATIC_PROJECTS
        }

    def load_solutions(self, projects):
        for sol in SOLUTIONS:
            project = projects[sol.thematic_project]
            values = {
                "thematic_project": project,
                "solution_type": sol.solution_type,
                "summary": sol.summary,
                "transfer_levels": sol.transfer_levels,
                "tags": sol.tags,
                "link": project.website,
            }
            upsert_snippet(Solution, {"title": sol.title}, values, self.tally)

    def load_organisations(self, projects):
        orgs = {}
        for org in ORGANISATIONS:
            values = {
                "acronym": org.acronym,
                "organisation_type": org.organisation_type,
                "community_roles": org.community_roles,
                "country": PLACES[org.city].country,
                "city": org.city,
                "description": org.description,
                "thematic_projects": [projects[acronym] for acronym in org.thematic_projects],
                **location(org.city),
            }
            orgs[org.acronym] = upsert_snippet(Organisation, {"name": org.name}, values, self.tally)
        return orgs

    # Pages ------------------------------------------------------------------------------

    def page(self, parent, model, slug, values, **kwargs):
        return upsert_page(parent, model, slug, values, self.tally, **kwargs)

    def load_pages(self):
        ar_values = {
            "title": landing.AR_TITLE,
            "seo_title": landing.AR_SEO_TITLE,
            "search_description": landing.AR_SEARCH_DESCRIPTION,
        }
        # The landing page links to its children: add it first, publish it once they exist.
        root = Page.get_first_root_node()
        ar = self.page(root, AmplificationRoomPage, landing.AR_SLUG, ar_values, publish=False)
        self.working_groups = {
            wg.number: self.page(
                ar,
                WorkingGroupPage,
                wg.slug,
                {
                    "title": wg.title,
                    "number": wg.number,
                    "theme": wg.theme,
                    "objectives": wg.objectives,
                    "body": stream(wg.slug, [("rich_text", wg.body)]),
                    "coordinating_organisations": [self.orgs[a] for a in wg.coordinators],
                    "member_organisations": [self.orgs[a] for a in wg.members],
                },
            )
            for wg in landing.WORKING_GROUPS
        }
        pages = {}
        for key, model, data in (
            ("clusters", ClusterIndexPage, landing.CLUSTER_INDEX),
            ("activities", ActivityIndexPage, landing.ACTIVITY_INDEX),
            ("map", CommunityMapPage, landing.COMMUNITY_MAP),
        ):
            values = {"title": data["title"], "intro": data["intro"], "show_in_menus": True}
            pages[key] = self.page(ar, model, data["slug"], values)
        self.clusters = {spec.slug: self.load_cluster(pages["clusters"], spec) for spec in CLUSTERS}
        for spec in ACTIVITIES:
            self.load_activity(pages["activities"], spec)
        self.load_forum(ar)
        self.page(ar, AccessibilityStatementPage, STATEMENT["slug"], dict(STATEMENT))
        ar_values |= {
            "intro": landing.ar_intro(pages),
            "body": stream(landing.AR_SLUG, landing.ar_body(pages)),
        }
        return self.page(root, AmplificationRoomPage, landing.AR_SLUG, ar_values)

    def load_forum(self, ar):
        """The forum page and its published demo posts, updated by title on a re-run."""
        forum = self.page(
            ar,
            ForumPage,
            forum_content.FORUM["slug"],
            {"title": forum_content.FORUM["title"], "intro": forum_content.FORUM["intro"]},
        )
        for spec in forum_content.POSTS:
            values = {
                "kind": spec.kind,
                "description": spec.description,
                "name": spec.name,
                "organisation": spec.organisation,
                "country": spec.country,
                "community_role": spec.role,
                "email": spec.email,
                "status": ForumPostStatus.PUBLISHED,
                "answered_by": self.clusters.get(spec.answered_by),
            }
            post, created = ForumPost.objects.update_or_create(
                forum=forum,
                title=spec.title,
                defaults=values,
                create_defaults={**values, "consent_at": timezone.now()},
            )
            post.themes.set(
                [self.working_groups[n] for n in spec.themes if n in self.working_groups]
            )
            self.tally.add(ForumPost, "created" if created else "updated")
        return forum

    def load_cluster(self, index, spec):
        start = self.today + days(spec.start)
        end = self.today + days(spec.end) if spec.end is not None else None
        lead = self.orgs[spec.lead]
        participants = [(self.orgs[acronym], role) for acronym, role in spec.participants]
        organisations = [org for org, _role in participants]
        if lead in organisations or len(set(organisations)) != len(organisations):
            raise CommandError(
                f"Cluster {spec.slug}: list each participant once, and not the lead partner."
            )
        stages = [
            (
                "stage",
                {
                    "title": stage.title,
                    "start_date": iso(start + days(stage.start)),
                    "end_date": iso(start + days(stage.end) if stage.end is not None else None),
                    "format": stage.format,
                    "description": stage.description,
                },
            )
            for stage in spec.stages
        ]
        solutions = list(Solution.objects.filter(title__in=spec.solutions))
        if len(solutions) != len(spec.solutions):
            raise CommandError(f"Cluster {spec.slug}: unknown solution among {spec.solutions}.")
        values = {
            "title": spec.title,
            "category": spec.category,
            "summary": spec.summary,
            "question": spec.question,
            "objectives": spec.objectives,
            "expected_outcomes": spec.expected_outcomes,
            "start_date": start,
            "end_date": end,
            "roadmap": stream(spec.slug, stages),
            "lead_partner": lead,
            "working_group": self.working_groups[spec.working_group],
            "thematic_projects": list(
                ThematicProject.objects.filter(acronym__in=spec.thematic_projects)
            ),
            "solutions": solutions,
            "countries": spec.countries,
            "transfer_level": spec.transfer_level,
            "tags": spec.tags,
            **(location(spec.city) if spec.city else {"address": "", "location": ""}),
        }

        def set_participants(page):
            current = (
                [(p.organisation_id, p.role) for p in page.participants.all()] if page.pk else []
            )
            if current == [(org.pk, role) for org, role in participants]:
                return False
            existing = {p.organisation_id: p for p in page.participants.all()} if page.pk else {}
            items = []
            for org, role in participants:
                item = existing.get(org.pk) or ClusterParticipant(organisation=org)
                item.role = role
                item.full_clean(exclude=["page"], validate_constraints=False)  # checks the role
                items.append(item)
            page.participants = items
            return True

        cluster = self.page(index, ClusterPage, spec.slug, values, extra_changes=set_participants)
        for report in spec.reports:
            report_values = {
                "title": report.title,
                "report_type": report.report_type,
                "date": min(self.today + days(report.day), self.today),
                "summary": report.summary,
                "body": stream(f"{spec.slug}/{report.slug}", [("rich_text", report.body)]),
            }
            self.page(cluster, ClusterReportPage, report.slug, report_values)
        return cluster

    def load_activity(self, index, spec):
        day = spec.day if isinstance(spec.day, datetime.date) else self.today + days(spec.day)
        time_zone = PLACES[spec.city].time_zone if spec.city else spec.time_zone
        zone = zoneinfo.ZoneInfo(time_zone)
        last_day = day + days(spec.days - 1)
        start = datetime.datetime.combine(day, datetime.time.fromisoformat(spec.start), tzinfo=zone)
        end = datetime.datetime.combine(
            last_day, datetime.time.fromisoformat(spec.end), tzinfo=zone
        )
        online = spec.format in ("online", "hybrid")
        upcoming = last_day >= self.today
        values = {
            "title": spec.title,
            "start": start,
            "end": end,
            "time_zone": time_zone,
            "format": spec.format,
            "summary": spec.summary,
            "body": stream(spec.slug, [("rich_text", spec.body)]),
            "venue": spec.venue,
            "online_link": f"https://meet.example.org/amplification-room/{spec.slug}"
            if online
            else "",
            "registration_link": f"https://forms.example.org/amplification-room/{spec.slug}"
            if upcoming
            else "",
            "organisers": [self.orgs[acronym] for acronym in spec.organisers],
            "working_group": self.working_groups[spec.working_group]
            if spec.working_group
            else None,
            "cluster": self.clusters[spec.cluster] if spec.cluster else None,
            **(location(spec.city) if spec.city else {"address": "", "location": ""}),
        }
        return self.page(index, ActivityPage, spec.slug, values)

    def print_summary(self, site):
        write = self.stdout.write
        write(
            self.style.SUCCESS(f"Amplification Room demo loaded (dates relative to {self.today}).")
        )
        write(f"  {'':<26} {'total':>5} {'created':>8} {'updated':>8} {'unchanged':>10}")
        for kind, total, created, updated, unchanged in self.tally.lines():
            write(f"  {kind:<26} {total:>5} {created:>8} {updated:>8} {unchanged:>10}")
        statuses = ("planned", "active", "completed")
        counts = [f"{ClusterPage.objects.with_status(s, self.today).count()} {s}" for s in statuses]
        write(f"  clusters by status: {', '.join(counts)}")
        write(f"  cluster participants: {ClusterParticipant.objects.count()}")
        write(f"  site root: {site.root_url}/ -> {site.root_page.title}")
