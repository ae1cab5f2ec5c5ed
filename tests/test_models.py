"""The content model: validation, derived values and the multiple-choice storage."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from wagtail_ar.fields import has_choice
from wagtail_ar.geo import format_point, parse_point
from wagtail_ar.models import ClusterPage, ClusterStatus, Organisation

from .utils import TODAY, build_tree, make_organisation

pytestmark = pytest.mark.django_db


class TestPoints:
    @pytest.mark.parametrize(
        "value, expected",
        [
            ("SRID=4326;POINT(14.25 40.85)", (40.85, 14.25)),
            ("POINT(-4.42 36.72)", (36.72, -4.42)),
            ("SRID=4326;POINT (-180 -90)", (-90.0, -180.0)),
        ],
    )
    def test_valid_points_parse(self, value, expected):
        assert parse_point(value) == expected

    @pytest.mark.parametrize(
        "value, code",
        [
            ("40.85,14.25", "invalid"),
            ("SRID=4326;POINT(14.25)", "invalid"),
            ("SRID=4326;POINT(nan 40)", "invalid"),
            ("SRID=4326;POINT(1e3 40)", "invalid"),
            ("SRID=3857;POINT(14.25 40.85)", "srid"),
            ("SRID=4326;POINT(14.25 90.5)", "latitude"),
            ("SRID=4326;POINT(181 40.85)", "longitude"),
        ],
    )
    def test_bad_points_are_validation_errors(self, value, code):
        with pytest.raises(ValidationError) as excinfo:
            parse_point(value)
        assert excinfo.value.code == code

    def test_format_point_round_trips(self):
        assert parse_point(format_point(36.72, -4.42)) == (36.72, -4.42)

    def test_organisation_full_clean_refuses_out_of_range_point(self):
        organisation = Organisation(name="Bad point", location="SRID=4326;POINT(14.25 95)")
        with pytest.raises(ValidationError) as excinfo:
            organisation.full_clean()
        assert "location" in excinfo.value.message_dict
        assert "latitude" in excinfo.value.message_dict["location"][0]

    def test_latitude_and_longitude_follow_the_location(self):
        organisation = make_organisation(lat=43.30, lng=5.37)
        organisation.refresh_from_db()
        assert (organisation.latitude, organisation.longitude) == (43.30, 5.37)
        organisation.location = ""
        organisation.save()
        organisation.refresh_from_db()
        assert organisation.latitude is None and organisation.longitude is None
        assert Organisation.objects.filter(latitude__isnull=False).count() == 0

    def test_invalid_point_saved_by_code_is_not_stored(self):
        organisation = Organisation.objects.create(name="Code path", location="POINT(500 500)")
        organisation.refresh_from_db()
        assert organisation.location == "" and organisation.latitude is None


class TestMultipleChoices:
    def test_round_trip_keeps_choice_order(self):
        organisation = make_organisation(roles=("external", "pp"))
        organisation.refresh_from_db()
        assert organisation.community_roles == ["pp", "external"]

    def test_has_choice_matches_whole_values_only(self):
        make_organisation("Partner", roles=("tp_partner",))
        make_organisation("AP of a TP", roles=("tp_ap",))
        make_organisation("AP", roles=("ap",))
        assert set(
            Organisation.objects.filter(has_choice("community_roles", "ap")).values_list(
                "name", flat=True
            )
        ) == {"AP"}
        assert Organisation.with_role("tp_ap").get().name == "AP of a TP"

    def test_unknown_choice_is_a_validation_error(self):
        organisation = Organisation(name="X", community_roles=["pp", "king"])
        with pytest.raises(ValidationError) as excinfo:
            organisation.full_clean()
        assert "community_roles" in excinfo.value.message_dict


class TestClusterPage:
    def cluster(self, **kwargs):
        values = {
            "title": "C",
            "slug": "c",
            "category": "thematic",
            "summary": "s",
            "question": "q",
            "objectives": "<p>o</p>",
            "start_date": TODAY,
        }
        values.update(kwargs)
        return ClusterPage(**values)

    @pytest.mark.parametrize(
        "start, end, status",
        [
            (TODAY + datetime.timedelta(days=1), None, ClusterStatus.PLANNED),
            (TODAY, None, ClusterStatus.ACTIVE),
            (TODAY - datetime.timedelta(days=10), TODAY, ClusterStatus.ACTIVE),
            (
                TODAY - datetime.timedelta(days=10),
                TODAY - datetime.timedelta(days=1),
                ClusterStatus.COMPLETED,
            ),
        ],
    )
    def test_status_follows_dates(self, start, end, status):
        assert self.cluster(start_date=start, end_date=end).get_status(today=TODAY) == status

    def test_status_queryset_agrees_with_property(self):
        tree = build_tree()
        index = tree["index"]
        for n, (start, end) in enumerate(
            [
                (TODAY + datetime.timedelta(days=5), None),
                (TODAY - datetime.timedelta(days=50), TODAY - datetime.timedelta(days=2)),
            ]
        ):
            index.add_child(
                instance=self.cluster(slug=f"c{n}", title=f"C{n}", start_date=start, end_date=end)
            )
        for status in ClusterStatus.values:
            from_query = set(
                ClusterPage.objects.with_status(status, today=TODAY).values_list("pk", flat=True)
            )
            from_property = {
                c.pk for c in ClusterPage.objects.all() if c.get_status(today=TODAY) == status
            }
            assert from_query == from_property, status
        with pytest.raises(ValueError):
            ClusterPage.objects.with_status("sleeping")

    def test_end_before_start_is_an_error_on_end_date(self):
        page = self.cluster(end_date=TODAY - datetime.timedelta(days=1))
        with pytest.raises(ValidationError) as excinfo:
            page.clean()
        assert "before it starts" in excinfo.value.message_dict["end_date"][0]

    def test_lead_partner_must_be_an_m4n_partner(self):
        page = self.cluster(lead_partner=make_organisation("Just an AP", roles=("ap",)))
        with pytest.raises(ValidationError) as excinfo:
            page.clean()
        message = excinfo.value.message_dict["lead_partner"][0]
        assert "Just an AP" in message and "M4N partner" in message

    @pytest.mark.parametrize("role", ["pp", "tp_partner"])
    def test_pp_or_tp_partner_may_lead(self, role):
        self.cluster(lead_partner=make_organisation(roles=(role,))).clean()

    def test_reports_newest_first(self):
        tree = build_tree()
        from wagtail_ar.models import ClusterReportPage

        tree["cluster"].add_child(
            instance=ClusterReportPage(
                title="Final",
                slug="final",
                report_type="final",
                date=TODAY + datetime.timedelta(days=9),
                summary="s",
            )
        )
        assert [r.slug for r in tree["cluster"].reports()] == ["final", "interim"]

    def test_participants_grouped_by_role(self):
        tree = build_tree()
        groups = tree["cluster"].participants_by_role()
        assert [(str(label), [p.organisation.name for p in ps]) for label, ps in groups] == [
            ("External partner", ["Université de Tunis"])
        ]


class TestActivityPage:
    def test_end_before_start_is_an_error(self):
        tree = build_tree()
        activity = tree["activity"]
        activity.end = activity.start - datetime.timedelta(minutes=1)
        with pytest.raises(ValidationError) as excinfo:
            activity.clean()
        assert "end" in excinfo.value.message_dict

    def test_local_times_are_in_the_activity_time_zone(self):
        activity = build_tree()["activity"]
        assert activity.local_start.hour == 11  # 10:00 UTC is 11:00 in Madrid in November
        assert str(activity.local_start.tzinfo) == "Europe/Madrid"

    def test_unknown_time_zone_is_refused(self):
        activity = build_tree()["activity"]
        activity.time_zone = "Mars/Olympus_Mons"
        with pytest.raises(ValidationError) as excinfo:
            activity.full_clean()
        assert "time_zone" in excinfo.value.message_dict


def test_working_group_code_and_clusters():
    tree = build_tree()
    assert tree["wg"].code == "WG1"
    assert list(tree["wg"].clusters()) == [tree["cluster"]]
    assert list(tree["ar"].working_groups()) == [tree["wg"]]


def test_faqs_of_landing_page():
    tree = build_tree()
    assert [faq["question"] for faq in tree["ar"].faqs()] == ["Who can create a cluster?"]


def test_community_map_lists_live_located_organisations_only():
    tree = build_tree()
    make_organisation("Nowhere", lat=None)
    draft = make_organisation("Draft org")
    draft.live = False
    draft.save()
    names = set(tree["map"].organisations().values_list("name", flat=True))
    assert names == {"Regione Campania", "Université de Tunis"}


class TestAbstractIndexPages:
    """The index pages have abstract bases, as the other pages do: a host subclasses them."""

    CASES = [
        ("AbstractClusterIndexPage", "ClusterIndexPage", "clusters", "feed"),
        ("AbstractActivityIndexPage", "ActivityIndexPage", "activities", "ical"),
    ]

    @pytest.mark.parametrize(("abstract", "concrete", "method", "route"), CASES)
    def test_the_concrete_page_subclasses_the_abstract_base(
        self, abstract, concrete, method, route
    ):
        from wagtail_ar import models

        base, page = getattr(models, abstract), getattr(models, concrete)
        assert base._meta.abstract
        assert not page._meta.abstract
        assert issubclass(page, base)
        assert abstract in models.__all__
        # The extension points are on the base; the template and the page tree rules on the page.
        assert method in vars(base)
        assert "filterset_class" in vars(base)
        assert "listing_class" in vars(base)
        assert {"template", "parent_page_types", "subpage_types"} <= set(vars(page))
        assert page.parent_page_types == ["wagtail_ar.AmplificationRoomPage"]

    @pytest.mark.parametrize(("abstract", "concrete", "method", "route"), CASES)
    def test_a_subclass_inherits_the_extension_points_and_routes(
        self, abstract, concrete, method, route
    ):
        from wagtail_ar import models

        base = getattr(models, abstract)
        subclass = type(
            f"Host{concrete}",
            (base,),
            {
                "__module__": "tests.testapp.models",
                "Meta": type("Meta", (), {"abstract": True, "app_label": "testapp"}),
            },
        )
        assert subclass._meta.abstract
        assert getattr(subclass, method) is getattr(base, method)
        assert subclass.filterset_class == base.filterset_class
        assert subclass.listing_class is base.listing_class
        assert route in {pattern.name for pattern in subclass.get_subpage_urls()}
