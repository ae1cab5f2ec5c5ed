"""The community map: its GeoJSON, marker details, layers, list, map block and admin map."""

import datetime
import json
import random
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.models import Locale, PageViewRestriction

from wagtail_ar.blocks import MapBlock
from wagtail_ar.geo import format_point
from wagtail_ar.map.parameters import BoundingBox, parse_bbox
from wagtail_ar.map.views import community_map_geojson
from wagtail_ar.models import (
    ActivityPage,
    ClusterPage,
    ClusterParticipant,
    CommunityMapPage,
    Organisation,
)

from .utils import TODAY, build_tree, make_organisation

pytestmark = pytest.mark.django_db

STATIC = Path(__file__).resolve().parent.parent / "wagtail_ar" / "static" / "wagtail_ar"
SCRIPT = '<script>alert("x")</script>'


@pytest.fixture
def tree():
    return build_tree()


def geojson(client, page, query=""):
    return client.get(page.url + "geojson/" + query)


def features(client, page, query=""):
    response = geojson(client, page, query)
    assert response.status_code == 200, response.content
    return json.loads(response.content)["features"]


def feature_ids(client, page, query=""):
    return {feature["id"] for feature in features(client, page, query)}


def bulk_organisations(count, seed=1, **fields):
    """``count`` published organisations, fast: bulk_create skips save(), so the numeric
    latitude and longitude that save() derives from the location are set here."""
    rng = random.Random(seed)
    locale = Locale.get_default()
    organisations = []
    for number in range(count):
        latitude, longitude = rng.uniform(-89.9, 89.9), rng.uniform(-179.9, 179.9)
        organisations.append(
            Organisation(
                name=f"Bulk organisation {number}",
                organisation_type="research",
                community_roles=["ap"],
                country="GR",
                location=format_point(latitude, longitude),
                latitude=latitude,
                longitude=longitude,
                locale=locale,
                live=True,
                **fields,
            )
        )
    Organisation.objects.bulk_create(organisations, batch_size=500)


def located_page(model, parent, **fields):
    page = parent.add_child(instance=model(**fields))
    page.save_revision().publish()
    return page


def cluster_fields(slug, category="geographical", lat=45.0, lng=13.5, **extra):
    return {
        "title": f"Cluster {slug}",
        "slug": slug,
        "category": category,
        "summary": "A cluster.",
        "question": "A question?",
        "objectives": "<p>Objectives.</p>",
        "start_date": TODAY,
        "location": format_point(lat, lng) if lat is not None else "",
        **extra,
    }


def activity_fields(slug, lat=41.9, lng=12.5, **extra):
    start = timezone.make_aware(datetime.datetime(2025, 3, 3, 9, 0), timezone=datetime.timezone.utc)
    return {
        "title": f"Activity {slug}",
        "slug": slug,
        "start": start,
        "end": start + datetime.timedelta(hours=2),
        "time_zone": "Europe/Rome",
        "location": format_point(lat, lng) if lat is not None else "",
        **extra,
    }


def restrict(page):
    return PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )


# The GeoJSON ------------------------------------------------------------------------------------


def test_geojson_is_a_lean_feature_collection(client, tree):
    make_organisation("Precise", lat=40.123456789, lng=-14.987654321, organisation_type="ngo")
    response = geojson(client, tree["map"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == 3
    for feature in data["features"]:
        assert set(feature) == {"type", "id", "geometry", "properties"}
        assert feature["type"] == "Feature"
        assert isinstance(feature["id"], int)
        assert feature["geometry"]["type"] == "Point"
        longitude, latitude = feature["geometry"]["coordinates"]
        assert -180 <= longitude <= 180 and -90 <= latitude <= 90
        assert set(feature["properties"]) == {"t"}
    by_id = {feature["id"]: feature for feature in data["features"]}
    precise = Organisation.objects.get(name="Precise")
    # Longitude first (RFC 7946), 5 decimals, and the type's one-letter code.
    assert by_id[precise.pk]["geometry"]["coordinates"] == [-14.98765, 40.12346]
    assert by_id[precise.pk]["properties"] == {"t": "n"}
    assert by_id[tree["lead"].pk]["geometry"]["coordinates"] == [14.25, 40.85]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", {"lead", "member", "ngo_tn"}),
        ("?role=pp", {"lead"}),
        ("?role=external", {"member", "ngo_tn"}),
        ("?role=ap", {"ngo_tn"}),
        ("?type=ngo", {"ngo_tn"}),
        ("?country=TN", {"member", "ngo_tn"}),
        ("?country=tn", {"member", "ngo_tn"}),
        ("?country=FR", set()),
        ("?country=TN&type=ngo&role=ap", {"ngo_tn"}),
        ("?country=TN&role=pp", set()),
        ("?role=&type=&country=&bbox=", {"lead", "member", "ngo_tn"}),
        ("?unknown=1&_=123", {"lead", "member", "ngo_tn"}),
    ],
)
def test_geojson_filters(client, tree, query, expected):
    ngo_tn = make_organisation(
        "Sfax NGO",
        roles=("ap", "external"),
        lat=34.74,
        lng=10.76,
        country="TN",
        organisation_type="ngo",
    )
    ids = {"lead": tree["lead"].pk, "member": tree["member"].pk, "ngo_tn": ngo_tn.pk}
    assert feature_ids(client, tree["map"], query) == {ids[key] for key in expected}


@pytest.mark.parametrize(
    "query, field, words",
    [
        ("?role=president", "role", "not a community role"),
        ("?type=volcano", "type", "not a type of organisation"),
        ("?country=XX", "country", "not a country code"),
        ("?country=ITA", "country", "not a country code"),
        ("?bbox=a,b,c,d", "bbox", "not a bounding box"),
        ("?bbox=1,2,3", "bbox", "not a bounding box"),
        ("?bbox=1,2,3,4,5", "bbox", "not a bounding box"),
        ("?bbox=nan,0,1,1", "bbox", "not a bounding box"),
        ("?bbox=inf,0,1,1", "bbox", "not a bounding box"),
        ("?bbox=1e2,0,1,1", "bbox", "not a bounding box"),
        ("?bbox=1,,3,4", "bbox", "not a bounding box"),
        ("?bbox=0x10,0,1,1", "bbox", "not a bounding box"),
        ("?bbox=-181,0,10,10", "bbox", "longitude -181.0 is out of range"),
        ("?bbox=0,0,180.5,10", "bbox", "longitude 180.5 is out of range"),
        ("?bbox=0,-91,10,10", "bbox", "latitude -91.0 is out of range"),
        ("?bbox=0,0,10,90.1", "bbox", "latitude 90.1 is out of range"),
        # Inverted corners: south above north is refused, not read as another shape.
        ("?bbox=0,45,10,35", "bbox", "south edge (45.0) is north of the north edge (35.0)"),
        ("?layer=volcanoes", "layer", "not a layer of the map"),
    ],
)
def test_bad_parameters_are_a_400_in_plain_language(client, tree, query, field, words):
    response = geojson(client, tree["map"], query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert list(body["errors"]) == [field]
    assert words in body["errors"][field][0]
    assert body["error"].startswith(f"{field}: ")
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "query",
    [
        "?bbox=٣,0,10,10",  # Arabic-Indic three
        "?bbox=0,0,１０,10",  # full-width digits
        "?bbox=0,0,10,1²",
        "?organisation=" + "9" * 400,
        "?organisation=٣",
        "?organisation=1e5",
    ],
)
def test_numbers_are_ascii_digits_only(client, tree, query):
    # "٣".isdigit() and \d accept other scripts' digits; a number here is ASCII or a 400.
    urls = [tree["map"].url + "geojson/" + query]
    if "organisation" in query:
        urls.append(tree["map"].url + query)  # the page itself reads no bbox
    for url in urls:
        assert client.get(url).status_code == 400, url


def test_every_bad_parameter_is_reported_at_once(client, tree):
    body = json.loads(geojson(client, tree["map"], "?role=x&bbox=x&layer=x").content)
    assert set(body["errors"]) == {"role", "bbox", "layer"}


def test_the_list_of_valid_values_is_in_the_message(client, tree):
    body = json.loads(geojson(client, tree["map"], "?role=x").content)
    assert "pp, c4n, d4n, tp_partner, ap, tp_ap, external" in body["error"]


class TestBoundingBox:
    @pytest.fixture
    def points(self, tree):
        """Organisations around the world: Napoli and Tunis (from the tree), and these."""
        return {
            "fiji": make_organisation("Suva", lat=-18.14, lng=178.44, country="FJ").pk,
            "samoa": make_organisation("Apia", lat=-13.83, lng=-171.76, country="WS").pk,
            "edge": make_organisation("On the edge", lat=35.0, lng=10.0).pk,
            "napoli": tree["lead"].pk,
            "tunis": tree["member"].pk,
        }

    @pytest.mark.parametrize(
        "bbox, expected",
        [
            ("5,30,20,45", {"napoli", "tunis", "edge"}),
            ("14,40,15,41", {"napoli"}),
            # Edges are inside.
            ("10,35,10,35", {"edge"}),
            (" 10 , 35 , 10.0 , 35. ", {"edge"}),
            ("-180,-90,180,90", {"fiji", "samoa", "napoli", "tunis", "edge"}),
            # West greater than east crosses the antimeridian: both sides of 180°.
            ("170,-20,-170,-10", {"fiji", "samoa"}),
            ("178,-20,-175,-10", {"fiji"}),
            ("175,-20,-171,-10", {"fiji", "samoa"}),
            ("179,-20,-179,-10", set()),
            # Not crossing: the same numbers the other way round are the rest of the world.
            ("-170,-20,170,-10", set()),
            ("-175,-90,175,90", {"samoa", "napoli", "tunis", "edge"}),
        ],
    )
    def test_bbox(self, client, tree, points, bbox, expected):
        assert feature_ids(client, tree["map"], f"?bbox={bbox}") == {
            points[key] for key in expected
        }

    def test_bbox_and_filters_together(self, client, tree, points):
        assert feature_ids(client, tree["map"], "?bbox=5,30,20,45&country=TN") == {points["tunis"]}

    def test_parse_bbox(self):
        assert parse_bbox("1,2,3,4") == BoundingBox(1.0, 2.0, 3.0, 4.0)
        assert parse_bbox("170,-20,-170,20").crosses_antimeridian
        assert not parse_bbox("-170,-20,170,20").crosses_antimeridian


@pytest.mark.parametrize("count", [10, 5000])
def test_geojson_takes_two_queries_whatever_the_number_of_organisations(tree, count):
    bulk_organisations(count)
    request = RequestFactory().get("/", {"role": "ap", "bbox": "-180,-90,180,90"})
    with CaptureQueriesContext(connection) as queries:
        response = community_map_geojson(request, tree["map"])
    assert response.status_code == 200
    assert len(json.loads(response.content)["features"]) == count
    assert len(queries) <= 2, [query["sql"] for query in queries]


@override_settings(WAGTAIL_AR_CACHE_TIMEOUT=0)  # compare two misses, not a miss and a hit
def test_whole_request_takes_as_many_queries_at_10_as_at_5000(client, tree):
    bulk_organisations(10)
    geojson(client, tree["map"])  # warm Wagtail's caches of site root paths
    with CaptureQueriesContext(connection) as at_10:
        geojson(client, tree["map"])
    bulk_organisations(4990, seed=2)
    with CaptureQueriesContext(connection) as at_5000:
        response = geojson(client, tree["map"])
    assert len(json.loads(response.content)["features"]) == 5002
    assert len(at_5000) == len(at_10)


def test_at_most_120_bytes_per_point(client, tree):
    # Random points over the whole world: negative and three-digit coordinates included.
    Organisation.objects.all().delete()
    bulk_organisations(5000)
    response = geojson(client, tree["map"])
    per_point = len(response.content) / 5000
    assert per_point <= 120, per_point


def test_etag_and_cache_control(client, tree):
    first = geojson(client, tree["map"])
    etag = first["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    assert first["Cache-Control"] == "public, max-age=300"
    assert geojson(client, tree["map"])["ETag"] == etag  # the same map, the same tag

    not_modified = client.get(tree["map"].url + "geojson/", headers={"if-none-match": etag})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == etag
    # A proxy that compressed the answer sends the weak form of the tag back.
    weak = client.get(tree["map"].url + "geojson/", headers={"if-none-match": f"W/{etag}"})
    assert weak.status_code == 304

    make_organisation("Newcomer", lat=43.3, lng=5.4, country="FR")
    changed = client.get(tree["map"].url + "geojson/", headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    # A filter is another payload with its own tag.
    assert geojson(client, tree["map"], "?role=pp")["ETag"] != changed["ETag"]


@override_settings(WAGTAIL_AR_GEOJSON_MAX_AGE=60)
def test_max_age_is_a_setting(client, tree):
    assert geojson(client, tree["map"])["Cache-Control"] == "public, max-age=60"


def test_private_map_is_not_cached_by_shared_caches(tree):
    restrict(tree["ar"])
    response = community_map_geojson(RequestFactory().get("/"), tree["map"])
    assert response["Cache-Control"] == "private, max-age=300"


def test_private_map_asks_for_the_password(client, tree):
    restrict(tree["map"])
    response = geojson(client, tree["map"])
    assert b"FeatureCollection" not in response.content


def test_routes_need_no_routable_page_app():
    assert "wagtail.contrib.routable_page" not in settings.INSTALLED_APPS


def test_unknown_route_is_a_404(client, tree):
    assert client.get(tree["map"].url + "organisations/abc/").status_code == 404
    assert client.get(tree["map"].url + "nothing/").status_code == 404


# What is hidden stays hidden ---------------------------------------------------------------------


@pytest.fixture
def hidden(tree):
    """Organisations that must never be on the map."""
    draft = make_organisation("Draft organisation", country="ES")
    draft.live = False
    draft.save()
    nowhere = make_organisation("Organisation without a location", lat=None, country="ES")
    french = Locale.objects.create(language_code="fr")
    other_locale = make_organisation("Organisation d'une autre langue", locale=french, country="FR")
    return {"draft": draft, "nowhere": nowhere, "other_locale": other_locale}


def test_hidden_organisations_are_not_in_the_geojson(client, tree, hidden):
    ids = feature_ids(client, tree["map"])
    assert ids == {tree["lead"].pk, tree["member"].pk}
    assert not ids & {organisation.pk for organisation in hidden.values()}


def test_hidden_organisations_have_no_details(client, tree, hidden):
    for organisation in hidden.values():
        response = client.get(tree["map"].url + f"organisations/{organisation.pk}/")
        assert response.status_code == 404, organisation.name


def test_hidden_organisations_are_not_in_the_list(client, tree, hidden):
    html = client.get(tree["map"].url).content.decode()
    assert "Regione Campania" in html
    for organisation in hidden.values():
        assert organisation.name not in html
    assert "Spain" not in html  # nor their countries in the menu


@pytest.fixture
def layer_pages(tree):
    index, activities = tree["index"], tree["activities"]
    pages = {
        "geographical": located_page(ClusterPage, index, **cluster_fields("istria")),
        "thematic": located_page(
            ClusterPage, index, **cluster_fields("posidonia", category="thematic")
        ),
        "no_location": located_page(ClusterPage, index, **cluster_fields("nowhere", lat=None)),
        "draft_cluster": index.add_child(
            instance=ClusterPage(**cluster_fields("draft"), live=False)
        ),
        "private_cluster": located_page(ClusterPage, index, **cluster_fields("private")),
        "activity": tree["activity"],
        "rome": located_page(ActivityPage, activities, **activity_fields("rome")),
        "draft_activity": activities.add_child(
            instance=ActivityPage(**activity_fields("draft"), live=False)
        ),
        "private_activity": located_page(ActivityPage, activities, **activity_fields("private")),
        "activity_no_location": located_page(
            ActivityPage, activities, **activity_fields("online", lat=None)
        ),
    }
    restrict(pages["private_cluster"])
    restrict(pages["private_activity"])
    return pages


def test_layer_of_geographical_clusters(client, tree, layer_pages):
    found = features(client, tree["map"], "?layer=clusters")
    assert [feature["id"] for feature in found] == [layer_pages["geographical"].pk]
    (feature,) = found
    assert feature["geometry"]["coordinates"] == [13.5, 45.0]
    assert feature["properties"] == {"n": "Cluster istria", "u": layer_pages["geographical"].url}


def test_layer_of_activities(client, tree, layer_pages):
    found = features(client, tree["map"], "?layer=activities")
    assert {feature["id"] for feature in found} == {
        layer_pages["activity"].pk,
        layer_pages["rome"].pk,
    }
    rome = next(f for f in found if f["id"] == layer_pages["rome"].pk)
    assert rome["properties"]["u"] == layer_pages["rome"].url
    assert rome["properties"]["d"] == "March 3, 2025"


def test_layers_and_bbox(client, tree, layer_pages):
    assert [
        f["id"] for f in features(client, tree["map"], "?layer=activities&bbox=0,40,20,45")
    ] == [layer_pages["rome"].pk]


def test_layers_stay_in_the_pages_locale(client, tree, layer_pages):
    french = Locale.objects.create(language_code="fr")
    ClusterPage.objects.filter(pk=layer_pages["geographical"].pk).update(locale=french)
    assert features(client, tree["map"], "?layer=clusters") == []


def test_marker_details(client, tree):
    lead, member, wg = tree["lead"], tree["member"], tree["wg"]
    lead.website = "https://www.regione.campania.it/"
    lead.organisation_type = "public_authority"
    lead.community_roles = ["pp", "tp_partner"]
    lead.save()
    second = located_page(ClusterPage, tree["index"], **cluster_fields("gulf", lead_partner=None))
    ClusterParticipant.objects.create(page=second, organisation=lead, role="tp_partner")

    response = client.get(tree["map"].url + f"organisations/{lead.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=300"
    assert response.has_header("ETag")
    html = response.content.decode()
    for text in (
        "Regione Campania",
        "Public authority",
        "M4N partner (PP), TP partner",
        "Napoli",
        "Italy",
        'href="https://www.regione.campania.it/"',
        "Seagrass meadows of the Adriatic",
        f'href="{tree["cluster"].url}"',
        "(Lead partner)",
        "Cluster gulf",
        "(TP partner)",
        "WG1 Connectivity of ecosystems",
        f'href="{wg.url}"',
        "(Coordinator)",
    ):
        assert text in html, text

    member_html = client.get(tree["map"].url + f"organisations/{member.pk}/").content.decode()
    assert "(External partner)" in member_html  # its role among the cluster's participants
    assert "(Member)" in member_html  # of WG1


def test_marker_details_leave_out_hidden_clusters_and_working_groups(client, tree):
    lead = tree["lead"]
    tree["cluster"].unpublish()
    private = located_page(
        ClusterPage, tree["index"], **cluster_fields("private-one", lead_partner=lead)
    )
    restrict(private)
    restrict(tree["wg"])
    html = client.get(tree["map"].url + f"organisations/{lead.pk}/").content.decode()
    assert "Seagrass meadows" not in html
    assert "private-one" not in html
    assert "WG1" not in html
    assert "Clusters" not in html and "Working groups" not in html


def test_organisation_helpers(tree):
    lead, member = tree["lead"], tree["member"]
    assert list(lead.clusters()) == [tree["cluster"]]
    assert lead.clusters()[0].participant_role is None
    assert member.clusters()[0].participant_role == "external"
    assert [(g, g.is_coordinator) for g in lead.working_groups()] == [(tree["wg"], True)]
    assert [(g, g.is_coordinator) for g in member.working_groups()] == [(tree["wg"], False)]


# Escaping ---------------------------------------------------------------------------------------


def test_script_in_names_is_escaped_in_html(client, tree):
    organisation = make_organisation(SCRIPT, lat=41.0, lng=16.0)
    organisation.acronym = SCRIPT
    organisation.city = SCRIPT
    organisation.save()
    page_html = client.get(tree["map"].url).content.decode()
    details = client.get(tree["map"].url + f"organisations/{organisation.pk}/").content.decode()
    for html in (page_html, details):
        assert SCRIPT not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_script_in_titles_is_inert_in_json(client, tree, layer_pages):
    cluster = layer_pages["geographical"]
    cluster.title = SCRIPT
    cluster.save_revision().publish()
    response = geojson(client, tree["map"], "?layer=clusters")
    assert b"<script" not in response.content and b"</" not in response.content
    assert json.loads(response.content)["features"][0]["properties"]["n"] == SCRIPT
    bad = geojson(client, tree["map"], "?role=" + SCRIPT)
    assert bad.status_code == 400 and b"<script" not in bad.content
    assert SCRIPT in json.loads(bad.content)["error"]


# The page: map, filters, list -------------------------------------------------------------------


def map_config(html, config_id="ar-map-config"):
    match = re.search(rf'<script id="{config_id}" type="application/json">(.*?)</script>', html)
    assert match, f"no {config_id}"
    return json.loads(match.group(1))


def test_page_has_the_map_and_its_configuration(client, tree):
    html = client.get(tree["map"].url).content.decode()
    assert 'data-ar-map="ar-map-config"' in html
    config = map_config(html)
    assert config["tileUrl"] == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert config["center"] == [38.0, 15.0] and config["zoom"] == 5
    assert config["organisations"]["url"] == tree["map"].url + "geojson/"
    assert config["organisations"]["detailsUrl"] == tree["map"].url + "organisations/{id}/"
    assert [layer["name"] for layer in config["layers"]] == ["clusters", "activities"]
    assert config["typeLabels"]["n"] == "NGO or civil society organisation"
    assert "{count}" in config["labels"]["cluster"]
    assert f'<link rel="preload" href="{tree["map"].url}geojson/" as="fetch"' in html


@override_settings(
    WAGTAIL_AR_TILE_URL="https://tiles.example.org/{z}/{x}/{y}.png",
    WAGTAIL_AR_TILE_ATTRIBUTION="Tiles by Example",
    WAGTAIL_AR_MAP_CENTER={"lat": 36.7, "lng": -4.4},
    WAGTAIL_AR_MAP_ZOOM=7,
    WAGTAIL_AR_MAP_MAX_ZOOM=18,
)
def test_tiles_and_view_are_settings(client, tree):
    config = map_config(client.get(tree["map"].url).content.decode())
    assert config["tileUrl"] == "https://tiles.example.org/{z}/{x}/{y}.png"
    assert config["attribution"] == "Tiles by Example"
    assert config["center"] == [36.7, -4.4]
    assert (config["zoom"], config["maxZoom"]) == (7, 18)


def test_page_loads_everything_from_the_package(client, tree):
    html = client.get(tree["map"].url).content.decode()
    for path in (
        "/static/wagtail_ar/vendor/leaflet/leaflet.css",
        "/static/wagtail_ar/vendor/leaflet/leaflet.js",
        "/static/wagtail_ar/vendor/supercluster/supercluster.min.js",
        "/static/wagtail_ar/css/map.css",
        "/static/wagtail_ar/js/community_map.js",
    ):
        assert path in html, path
    assert "unpkg" not in html and "cdn" not in html.lower()
    # No inline script: every <script> has a src, or holds data only.
    for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
        assert (
            "src=" in attributes
            or 'type="application/json"' in attributes
            or ('type="application/ld+json"' in attributes)
        ), attributes
        if "src=" in attributes:
            assert not body.strip()


def test_vendored_files_are_complete_and_local():
    vendor = STATIC / "vendor" / "supercluster"
    for name in ("supercluster.min.js", "LICENSE", "README"):
        assert (vendor / name).is_file(), name
    for path in [*vendor.iterdir(), STATIC / "js" / "community_map.js", STATIC / "css" / "map.css"]:
        text = path.read_text()
        if path.suffix in (".js", ".css"):
            assert "sourceMappingURL" not in text, path
            assert not re.search(r"https?://", text), f"{path} names an outside address"


def test_filter_form_and_list_follow_the_same_parameters(client, tree):
    make_organisation(
        "Sfax NGO", roles=("ap",), lat=34.74, lng=10.76, country="TN", organisation_type="ngo"
    )
    html = client.get(tree["map"].url + "?country=tn&role=ap").content.decode()
    assert '<select name="role"' in html and '<select name="type"' in html
    assert '<option value="TN" selected>Tunisia</option>' in html
    assert "Sfax NGO" in html
    assert "Regione Campania" not in html and "Université de Tunis" not in html
    config = map_config(html)
    # The map asks for the same organisations as the list shows.
    assert config["organisations"]["url"] == tree["map"].url + "geojson/?role=ap&country=TN"
    assert config["fitToData"] is True
    assert feature_ids(client, tree["map"], "?role=ap&country=TN") == {
        Organisation.objects.get(name="Sfax NGO").pk
    }


def test_one_organisation_as_cluster_factsheets_link_to_it(client, tree):
    lead = tree["lead"]
    html = client.get(tree["map"].url + f"?organisation={lead.pk}").content.decode()
    assert "Regione Campania" in html and "Université de Tunis" not in html
    config = map_config(html)
    assert config["openDetails"] == lead.pk
    assert config["organisations"]["url"].endswith(f"geojson/?organisation={lead.pk}")
    assert feature_ids(client, tree["map"], f"?organisation={lead.pk}") == {lead.pk}
    # Not a field of the form: choosing a filter shows every organisation again.
    assert 'name="organisation"' not in html
    assert client.get(tree["map"].url + "?organisation=abc").status_code == 400
    assert geojson(client, tree["map"], "?organisation=abc").status_code == 400


def test_bad_filter_on_the_page_is_a_400_with_a_message(client, tree):
    response = client.get(tree["map"].url + "?role=president")
    assert response.status_code == 400
    html = response.content.decode()
    assert "not a community role" in html
    assert "Regione Campania" not in html
    assert "organisations" not in map_config(html)  # the map stays as empty as the list


@override_settings(WAGTAIL_AR_MAP_LIST_PER_PAGE=2)
def test_list_is_paginated_and_keeps_the_filters(client, tree):
    for number in range(3):
        make_organisation(
            f"Zadar partner {number}", roles=("ap",), lat=44.1, lng=15.2, country="HR"
        )
    first = client.get(tree["map"].url + "?role=ap").content.decode()
    assert "Zadar partner 0" in first and "Zadar partner 1" in first
    assert "Zadar partner 2" not in first
    assert 'href="?role=ap&amp;page=2"' in first
    second = client.get(tree["map"].url + "?role=ap&page=2").content.decode()
    assert "Zadar partner 2" in second and "Zadar partner 0" not in second
    assert "(3 organisations)" in second


def test_page_works_without_organisations(client, tree):
    Organisation.objects.all().delete()
    response = client.get(tree["map"].url)
    assert response.status_code == 200
    assert "No organisation is on the map yet." in response.content.decode()
    assert features(client, tree["map"]) == []


def test_map_page_counts_queries_independently_of_organisations(client, tree):
    bulk_organisations(10)
    client.get(tree["map"].url)
    with CaptureQueriesContext(connection) as at_10:
        client.get(tree["map"].url)
    bulk_organisations(500, seed=3)
    with CaptureQueriesContext(connection) as at_510:
        client.get(tree["map"].url)
    assert len(at_510) == len(at_10)


# The map block ----------------------------------------------------------------------------------


def landing_with_maps(tree, *values):
    ar = tree["ar"]
    ar.body = [("map", value) for value in values]
    ar.save_revision().publish()
    return ar


def test_map_block_shows_the_community_organisations(client, tree):
    landing_with_maps(tree, {"heading": "Who takes part", "show": "organisations", "role": "pp"})
    html = client.get(tree["ar"].url).content.decode()
    assert '<h2 class="ar-map-block__heading">Who takes part</h2>' in html
    config = map_config(html, "ar-map-block-1-config")
    assert config["organisations"]["url"] == tree["map"].url + "geojson/?role=pp"
    assert config["organisations"]["detailsUrl"] == tree["map"].url + "organisations/{id}/"
    assert "layers" not in config
    assert f'href="{tree["map"].url}?role=pp"' in html  # the same organisations, as a list
    assert "/static/wagtail_ar/js/community_map.js" in html


def test_map_block_shows_one_place(client, tree):
    landing_with_maps(
        tree,
        {
            "show": "place",
            "place_name": "Palacio de Ferias",
            "latitude": 36.72,
            "longitude": -4.42,
            "zoom": 12,
        },
    )
    html = client.get(tree["ar"].url).content.decode()
    config = map_config(html, "ar-map-block-1-config")
    assert config["place"] == {"lat": 36.72, "lng": -4.42, "name": "Palacio de Ferias"}
    assert config["center"] == [36.72, -4.42] and config["zoom"] == 12
    assert "organisations" not in config


def test_two_map_blocks_load_the_scripts_once(client, tree):
    landing_with_maps(tree, {"show": "organisations"}, {"show": "organisations", "country": "TN"})
    html = client.get(tree["ar"].url).content.decode()
    assert html.count("/static/wagtail_ar/js/community_map.js") == 1
    assert html.count("/static/wagtail_ar/vendor/leaflet/leaflet.js") == 1
    assert map_config(html, "ar-map-block-1-config")["organisations"]["url"].endswith("geojson/")
    second = map_config(html, "ar-map-block-2-config")
    assert second["organisations"]["url"].endswith("geojson/?country=TN")


def test_map_block_without_a_published_map_page(client, tree):
    tree["map"].unpublish()
    landing_with_maps(tree, {"show": "organisations"})
    response = client.get(tree["ar"].url)
    assert response.status_code == 200
    assert "organisations" not in map_config(response.content.decode(), "ar-map-block-1-config")


def test_map_block_validation():
    """The place is chosen on the picker's map (tests/test_map_block_picker.py posts junk to
    it): a stored half or out-of-range point is no place, and "One place" needs one."""
    block = MapBlock()
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(block.to_python({"show": "place", "latitude": 36.7}))
    assert "place" in error.value.block_errors
    for stored in ({"longitude": -4.4}, {"latitude": 95, "longitude": 0}):
        value = block.clean(block.to_python({"show": "organisations", **stored}))
        assert value["place"] is None
    value = block.clean(block.to_python({"show": "place", "latitude": 36.7, "longitude": -4.4}))
    assert (value["place"].latitude, value["place"].longitude) == (36.7, -4.4)
    assert block.clean(block.to_python({"show": "organisations"}))["show"] == "organisations"


def test_map_block_is_in_the_landing_body_only():
    from wagtail_ar.blocks import BodyBlock, LandingBodyBlock

    assert "map" in LandingBodyBlock.base_blocks
    assert "map" not in BodyBlock.base_blocks


# The admin map ----------------------------------------------------------------------------------


def leaflet_options(html):
    match = re.search(r'data-leaflet-field-options-value="([^"]*)"', html)
    assert match, "no Leaflet widget"
    return json.loads(match.group(1).replace("&quot;", '"').replace("&amp;", "&"))


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "password")
    client.force_login(user)
    return client


def organisation_add_url():
    from django.urls import reverse

    return reverse("wagtailsnippets_wagtail_ar_organisation:add")


def test_admin_map_is_served_by_the_package_and_opens_on_the_mediterranean(admin_client):
    html = admin_client.get(organisation_add_url()).content.decode()
    assert "unpkg" not in html
    assert "wagtail_ar/vendor/leaflet/leaflet.js" in html
    options = leaflet_options(html)
    assert options["defaultLocation"] == {"lat": 38.0, "lng": 15.0}
    assert options["tileLayer"] == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


@override_settings(WAGTAIL_AR_MAP_CENTER={"lat": 43.3, "lng": 5.37})
def test_admin_map_centre_is_the_setting(admin_client):
    html = admin_client.get(organisation_add_url()).content.decode()
    assert leaflet_options(html)["defaultLocation"] == {"lat": 43.3, "lng": 5.37}


def test_map_page_is_editable_in_the_admin(admin_client, tree):
    from django.urls import reverse

    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[tree["map"].pk]))
    assert response.status_code == 200
    assert isinstance(response.context["page"], CommunityMapPage)


def test_geojson_memory_is_the_text_not_the_rows(tree):
    """Issue 20: a GeoJSON request holds its text and one chunk of rows, not every row as
    Python objects: the peak of the allocations while it is built stays under twice and a half
    the size of the text (holding every row and every feature first was about four times)."""
    import tracemalloc

    from wagtail_ar.map.geojson import organisations_geojson

    bulk_organisations(20_000)
    organisations = tree["map"].organisations()
    organisations_geojson(organisations)  # the query compiled, the caches warm
    tracemalloc.start()
    try:
        text = organisations_geojson(organisations)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(json.loads(text)["features"]) == 20_002
    ratio = peak / len(text)
    assert ratio < 2.5, ratio
