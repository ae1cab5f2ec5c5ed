"""The Wagtail admin: add, edit and preview views of every page type and snippet, and form errors."""

import datetime

from django.urls import reverse
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from wagtail_ar.models import (
    AmplificationRoomPage,
    ClusterIndexPage,
    ClusterPage,
    Organisation,
    Solution,
    ThematicProject,
    WorkingGroupPage,
)

from .utils import PAGE_KEYS, build_tree, make_organisation, site_root


def snippet_url(model, action, *args):
    return reverse(f"wagtailsnippets_wagtail_ar_{model._meta.model_name}:{action}", args=args)


def cluster_form_data(**overrides):
    lead = overrides.pop("lead", None) or make_organisation("Lead PP", roles=("pp",))
    data = {
        "title": "Posidonia in the Balearics",
        "slug": "posidonia",
        "category": "thematic",
        "summary": "A thematic cluster on Posidonia meadows.",
        "question": "How do we transfer anchoring rules?",
        "objectives": rich_text("<p>Three MPAs adopt the rules.</p>"),
        "expected_outcomes": ["adoption"],
        "start_date": "2025-01-10",
        "end_date": "2025-12-20",
        "roadmap": streamfield(
            [
                (
                    "stage",
                    {
                        "title": "Kick-off",
                        "start_date": "2025-01-10",
                        "end_date": "",
                        "format": "online",
                        "description": "",
                    },
                )
            ]
        ),
        "lead_partner": lead.pk,
        "participants": inline_formset([]),
        "working_group": "",
        "thematic_projects": [],
        "solutions": [],
        "transfer_level": "regional",
        "countries": ["ES"],
        "tags": "posidonia, anchoring",
        "address": "",
        "location": "",
        "factsheet_document": "",
    }
    data.update(overrides)
    # nested_form_data would flatten lists into "name-0" keys; multiple values are posted as lists.
    lists = {key: data.pop(key) for key in [k for k, v in data.items() if isinstance(v, list)]}
    return {**nested_form_data(data), **lists}


class AdminTestCase(WagtailPageTestCase):
    def setUp(self):
        self.tree = build_tree()
        self.user = self.login()


class PageAdminTests(AdminTestCase):
    def test_add_view_of_every_page_type(self):
        # A second Amplification Room: the first one has its only activity index and map already.
        other_ar = site_root().add_child(
            instance=AmplificationRoomPage(title="Other AR", slug="other-ar")
        )
        for key in PAGE_KEYS:
            page = self.tree[key]
            parent = other_ar if key in ("activities", "map", "statement") else page.get_parent()
            url = reverse(
                "wagtailadmin_pages:add", args=["wagtail_ar", page._meta.model_name, parent.pk]
            )
            with self.subTest(page_type=type(page).__name__):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)

    def test_edit_view_of_every_page_type(self):
        for key in PAGE_KEYS:
            page = self.tree[key]
            with self.subTest(page_type=type(page).__name__):
                response = self.client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.context["page"].pk, page.pk)

    def test_edit_round_trip_of_page_types_without_stream_fields(self):
        # Wagtail's helper reads the form back from the HTML, which holds no StreamField data
        # (those are drawn by JavaScript); the StreamField pages are posted in full below.
        for key in ("index", "activities", "map"):
            with self.subTest(page_type=type(self.tree[key]).__name__):
                self.assertPageIsEditable(self.tree[key])

    def test_preview_of_every_page_type(self):
        for key in PAGE_KEYS:
            page = self.tree[key]
            with self.subTest(page_type=type(page).__name__):
                response = page.make_preview_request()
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "<h1", count=1)

    def test_leaflet_served_by_the_package_not_a_cdn(self):
        response = self.client.get(
            reverse("wagtailadmin_pages:edit", args=[self.tree["cluster"].pk])
        )
        html = response.content.decode()
        self.assertIn("wagtail_ar/vendor/leaflet/leaflet.js", html)
        self.assertNotIn("unpkg.com", html)

    def test_create_cluster_page_through_the_admin(self):
        self.assertCanCreate(self.tree["index"], ClusterPage, cluster_form_data())
        page = ClusterPage.objects.get(slug="posidonia")
        self.assertEqual(page.expected_outcomes, ["adoption"])
        self.assertEqual([c.code for c in page.countries], ["ES"])
        self.assertEqual(set(page.tags.names()), {"posidonia", "anchoring"})
        self.assertTrue(page.live)

    def post_cluster(self, **overrides):
        url = reverse(
            "wagtailadmin_pages:add", args=["wagtail_ar", "clusterpage", self.tree["index"].pk]
        )
        response = self.client.post(url, cluster_form_data(**overrides))
        self.assertEqual(response.status_code, 200)  # the form again, with its errors; never a 500
        self.assertFalse(ClusterPage.objects.filter(slug="posidonia").exists())
        return response.context["form"]

    def test_end_before_start_is_a_form_error(self):
        form = self.post_cluster(start_date="2025-05-01", end_date="2025-04-30")
        self.assertIn("before it starts", form.errors["end_date"][0])

    def test_lead_partner_that_is_not_m4n_partner_is_a_form_error(self):
        form = self.post_cluster(lead=make_organisation("An AP only", roles=("ap",)))
        self.assertIn("M4N partner", form.errors["lead_partner"][0])

    def test_duplicate_participant_is_a_form_error(self):
        member = self.tree["member"]
        form = self.post_cluster(
            participants=inline_formset(
                [
                    {"organisation": member.pk, "role": "external"},
                    {"organisation": member.pk, "role": "ap"},
                ]
            )
        )
        errors = form.formsets["participants"].forms[1].errors
        self.assertIn("already a participant", errors["organisation"][0])

    def test_lead_partner_listed_as_participant_is_a_form_error(self):
        lead = make_organisation("Lead again", roles=("pp",))
        form = self.post_cluster(
            lead=lead, participants=inline_formset([{"organisation": lead.pk, "role": "pp"}])
        )
        self.assertIn(
            "lead partner already", form.formsets["participants"].forms[0].errors["organisation"][0]
        )

    def test_bad_location_is_a_form_error(self):
        form = self.post_cluster(location="SRID=4326;POINT(14 123)")
        self.assertIn("latitude", form.errors["location"][0])

    def test_working_group_number_unique_among_siblings(self):
        url = reverse(
            "wagtailadmin_pages:add", args=["wagtail_ar", "workinggrouppage", self.tree["ar"].pk]
        )
        data = nested_form_data(
            {
                "title": "Another WG1",
                "slug": "another-wg1",
                "number": 1,
                "theme": "Duplicate",
                "objectives": rich_text(""),
                "body": streamfield([]),
                "policy_papers": inline_formset([]),
                "action-publish": "action-publish",
            }
        )
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("WG1 is already", response.context["form"].errors["number"][0])
        self.assertEqual(WorkingGroupPage.objects.filter(number=1).count(), 1)

    def test_activity_times_are_typed_in_the_activity_time_zone(self):
        activity = self.tree["activity"]
        response = self.client.get(reverse("wagtailadmin_pages:edit", args=[activity.pk]))
        # Stored 10:00 UTC is shown as 11:00, Madrid time.
        self.assertEqual(
            response.context["form"].initial["start"], datetime.datetime(2024, 11, 29, 11, 0)
        )


class SnippetAdminTests(AdminTestCase):
    def test_add_edit_and_inspect_views_of_every_snippet(self):
        for model, obj in (
            (Organisation, self.tree["lead"]),
            (ThematicProject, self.tree["project"]),
            (Solution, self.tree["solution"]),
        ):
            with self.subTest(model=model.__name__):
                self.assertEqual(self.client.get(snippet_url(model, "list")).status_code, 200)
                self.assertEqual(self.client.get(snippet_url(model, "add")).status_code, 200)
                self.assertEqual(
                    self.client.get(snippet_url(model, "edit", obj.pk)).status_code, 200
                )
                self.assertEqual(
                    self.client.get(snippet_url(model, "inspect", obj.pk)).status_code, 200
                )

    def organisation_data(self, **overrides):
        data = {
            "name": "Parc national de Port-Cros",
            "acronym": "PNPC",
            "organisation_type": "protected_area",
            "community_roles": ["ap"],
            "country": "FR",
            "city": "Hyères",
            "address": "Hyères, France",
            "location": "SRID=4326;POINT(6.13 43.12)",
            "website": "",
            "logo": "",
            "description": "",
            "thematic_projects": [self.tree["project"].pk],
            "action-publish": "action-publish",
        }
        data.update(overrides)
        return data

    def test_create_organisation_with_a_location(self):
        response = self.client.post(snippet_url(Organisation, "add"), self.organisation_data())
        self.assertEqual(response.status_code, 302)
        organisation = Organisation.objects.get(acronym="PNPC")
        self.assertEqual((organisation.latitude, organisation.longitude), (43.12, 6.13))
        self.assertTrue(organisation.live)
        self.assertEqual(list(organisation.thematic_projects.all()), [self.tree["project"]])

    def test_malformed_location_is_a_form_error_and_nothing_is_stored(self):
        for bad in (
            "SRID=4326;POINT(6.13)",
            "SRID=4326;POINT(200 43)",
            "<script>alert(1)</script>",
        ):
            with self.subTest(location=bad):
                response = self.client.post(
                    snippet_url(Organisation, "add"), self.organisation_data(location=bad)
                )
                self.assertEqual(response.status_code, 200)
                self.assertIn("location", response.context["form"].errors)
        self.assertFalse(Organisation.objects.filter(acronym="PNPC").exists())

    def test_unknown_community_role_is_a_form_error(self):
        response = self.client.post(
            snippet_url(Organisation, "add"), self.organisation_data(community_roles=["king"])
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("community_roles", response.context["form"].errors)

    def test_thematic_project_end_before_start(self):
        response = self.client.post(
            snippet_url(ThematicProject, "add"),
            {
                "acronym": "X",
                "name": "X",
                "website": "",
                "summary": "",
                "start_date": "2025-02-01",
                "end_date": "2025-01-01",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("end_date", response.context["form"].errors)

    def test_amplification_room_menu_groups_the_snippets(self):
        response = self.client.get(reverse("wagtailadmin_home"))
        self.assertContains(response, "Amplification Room")


def test_cluster_index_count_matches_categories(db):
    tree = build_tree()
    groups = {
        value: clusters
        for value, _label, clusters in ClusterIndexPage.objects.get().get_context(None)[
            "clusters_by_category"
        ]
    }
    assert [c.pk for c in groups["geographical"]] == [tree["cluster"].pk]
    assert groups["thematic"] == [] and groups["peer_review"] == []


def test_single_activity_index_per_amplification_room(admin_client, db):
    tree = build_tree()
    url = reverse("wagtailadmin_pages:add", args=["wagtail_ar", "activityindexpage", tree["ar"].pk])
    assert admin_client.get(url).status_code == 302  # refused: there is one already
