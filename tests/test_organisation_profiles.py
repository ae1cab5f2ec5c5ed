"""Organisation profiles (``organisations/<id>/<slug>/`` of the community map page): what a
profile shows, its JSON-LD, its address (slugs, redirects, 404s), what it must not name, the
links to it from the map's list, the marker details and the factsheets, and the sitemap."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from wagtail_ar.map.profiles import profile_path, profile_slug
from wagtail_ar.models import ActivityPage, ClusterPage, ClusterParticipant, ThematicProject

from .test_map import activity_fields, cluster_fields, located_page
from .utils import build_tree, make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return build_tree()


def profile_url(tree, organisation):
    return tree["map"].url + profile_path(tree["map"], organisation)


def json_ld(html, kind):
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        data = json.loads(block)
        if data.get("@type") == kind:
            return data
    raise AssertionError(f"no {kind} JSON-LD")


def main_part(html):
    return html.split('<article class="ar-page', 1)[1].rsplit("</article>", 1)[0]


def test_a_profile_shows_the_organisation_and_what_it_takes_part_in(client, tree):
    lead = tree["lead"]
    lead.description = "Regional authority of Campania.\n\nIt leads seagrass work."
    lead.website = "https://www.regione.campania.it/"
    lead.save()
    response = client.get(profile_url(tree, lead))
    assert response.status_code == 200
    html = main_part(response.text)
    assert re.search(r"<h1 id=\"ar-title\"[^>]*>Regione Campania", html)
    assert "Regional authority of Campania." in html and "It leads seagrass work." in html
    assert 'href="https://www.regione.campania.it/"' in html
    assert "Italy" in html and "Napoli" in html
    # The cluster it leads, the activity it organises, its thematic project.
    assert f'href="{tree["cluster"].url}"' in html and "Lead partner" in html
    assert f'href="{tree["activity"].url}"' in html
    assert "MPA4Change" in html
    # The breadcrumbs lead back to the map; the host's <title> names the organisation.
    assert f'<a href="{tree["map"].url}">Community map</a>' in html
    assert "<title>Regione Campania" in response.text
    # A small map of its place, with the package's map scripts.
    config = json.loads(
        re.search(
            r'<script id="ar-profile-map-canvas-config" type="application/json">(.*?)</script>',
            response.text,
            re.S,
        ).group(1)
    )
    assert config["place"] == {"lat": 40.85, "lng": 14.25, "name": "Regione Campania"}
    assert response.text.count("wagtail_ar/js/community_map.js") == 1


def test_the_profile_has_organization_json_ld(client, tree):
    lead = tree["lead"]
    lead.acronym = "RC"
    lead.website = "https://www.regione.campania.it/"
    lead.save()
    data = json_ld(client.get(profile_url(tree, lead)).text, "Organization")
    assert data["@context"] == "https://schema.org"
    assert data["name"] == "Regione Campania" and data["alternateName"] == "RC"
    assert data["url"].endswith(profile_url(tree, lead)) and data["url"].startswith("http")
    assert data["sameAs"] == ["https://www.regione.campania.it/"]
    assert data["address"] == {
        "@type": "PostalAddress",
        "addressLocality": "Napoli",
        "addressCountry": "IT",
    }
    assert data["location"]["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": 40.85,
        "longitude": 14.25,
    }
    assert [member["name"] for member in data["memberOf"]] == [tree["cluster"].title]


def test_the_address_is_the_name_and_other_addresses_redirect(client, tree):
    organisation = make_organisation("Région Sud – Provence-Alpes-Côte d'Azur", country="FR")
    assert profile_slug(organisation) == "région-sud-provence-alpes-côte-dazur"
    url = profile_url(tree, organisation)
    assert "r%C3%A9gion-sud" in url  # reverse_subpage encodes it; Django decodes it
    assert client.get(url).status_code == 200
    base = f"{tree['map'].url}organisations/{organisation.pk}/"
    for wrong in ("old-name", "R%C3%A9gion", "x" * 300):
        response = client.get(base + wrong + "/")
        assert response.status_code == 301
        assert response["Location"] == url
    # Nothing left of a name: a word stands in.
    assert profile_slug(make_organisation("—")) == "organisation"


@pytest.mark.parametrize(
    "path",
    ["organisations/999999/x/", "organisations/0/x/", "organisations/1x/x/", "organisations/²/x/"],
)
def test_an_unknown_organisation_is_a_404(client, tree, path):
    assert client.get(tree["map"].url + path).status_code == 404


def test_a_draft_or_unpublished_organisation_has_no_profile(client, tree):
    organisation = make_organisation("Hidden partner", live=False)
    assert client.get(profile_url(tree, organisation)).status_code == 404
    tree["member"].live = False
    tree["member"].save()
    assert client.get(profile_url(tree, tree["member"])).status_code == 404


def test_an_organisation_without_a_place_has_a_profile_without_a_map(client, tree):
    organisation = make_organisation("Nowhere partner", lat=None, lng=None)
    response = client.get(profile_url(tree, organisation))
    assert response.status_code == 200
    assert "ar-profile-map-canvas" not in response.text
    assert "community_map.js" not in response.text


def test_a_profile_names_nothing_visitors_may_not_see(client, tree):
    lead = tree["lead"]
    # A draft cluster it leads, an unpublished and a private activity it organises, and an
    # unpublished thematic project.
    draft = located_page(
        ClusterPage,
        tree["index"],
        **cluster_fields("draft-cluster", title="Secret draft cluster", lead_partner=lead),
    )
    draft.unpublish()
    hidden = located_page(
        ActivityPage, tree["activities"], **activity_fields("hidden", title="Secret activity")
    )
    hidden.organisers.add(lead)
    hidden.save_revision().publish()
    hidden.unpublish()
    private = located_page(
        ActivityPage, tree["activities"], **activity_fields("private", title="Private activity")
    )
    private.organisers.add(lead)
    private.save_revision().publish()
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    project = ThematicProject.objects.create(acronym="SECRETTP", name="Secret TP", live=False)
    lead.thematic_projects.add(project)
    lead.save()
    html = client.get(profile_url(tree, lead)).text
    for secret in ("Secret draft cluster", "Secret activity", "Private activity", "SECRETTP"):
        assert secret not in html, secret
    assert tree["cluster"].title in html  # what is visible still is


def test_the_map_list_the_marker_details_and_the_factsheet_link_to_profiles(client, tree):
    lead, member = tree["lead"], tree["member"]
    lead_url, member_url = profile_url(tree, lead), profile_url(tree, member)
    listing = client.get(tree["map"].url).text
    assert f'href="{lead_url}"' in listing and f'href="{member_url}"' in listing
    details = client.get(f"{tree['map'].url}organisations/{lead.pk}/").text
    assert f'href="{lead_url}"' in details and "The profile of Regione Campania" in details
    factsheet = client.get(tree["cluster"].url).text
    assert f'href="{lead_url}"' in factsheet and f'href="{member_url}"' in factsheet


def test_profiles_are_in_the_sitemap(client, tree):
    hidden = make_organisation("Hidden partner", live=False)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [
        element.text for element in ET.fromstring(response.content).findall(".//s:loc", namespace)
    ]
    for organisation in (tree["lead"], tree["member"]):
        assert any(loc.endswith(profile_url(tree, organisation)) for loc in locations)
    assert not any(f"/organisations/{hidden.pk}/" in loc for loc in locations)


def test_a_profile_takes_as_many_queries_with_many_relations_as_with_one(client, tree):
    lead = tree["lead"]

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(profile_url(tree, lead)).status_code == 200
        return len(queries)

    client.get(profile_url(tree, lead))  # the site's root paths and the like are cached
    few = count()
    for number in range(6):
        activity = located_page(
            ActivityPage, tree["activities"], **activity_fields(f"more-{number}")
        )
        activity.organisers.add(lead)
        activity.save_revision().publish()
        cluster = located_page(ClusterPage, tree["index"], **cluster_fields(f"more-{number}"))
        ClusterParticipant.objects.create(page=cluster, organisation=lead, role="external")
    many = count()
    # Thematic projects are read one by one (their translations); clusters and activities not.
    assert many == few, (few, many)


@pytest.fixture
def logo(settings, tmp_path):
    from io import BytesIO

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    settings.MEDIA_ROOT = str(tmp_path)
    buffer = BytesIO()
    PILImage.new("RGB", (600, 300), "#2a6f97").save(buffer, "PNG")
    return get_image_model().objects.create(
        title="Campania logo", file=ImageFile(buffer, name="campania.png")
    )


def test_the_logo_is_shown_in_two_densities_and_in_the_json_ld(client, tree, logo):
    lead = tree["lead"]
    lead.logo = logo
    lead.save()
    html = client.get(profile_url(tree, lead)).text
    (img,) = re.findall(r'<img class="ar-logo"[^>]*>', html)
    # 80 px tall at 1x (600×300 → 160×80), twice that at 2x; beside the name, so alt="".
    assert 'width="160" height="80"' in img and 'alt=""' in img
    one, two = re.search(r'srcset="([^ ]+) 1x, ([^ ]+) 2x"', img).groups()
    assert one != two
    data = json_ld(html, "Organization")
    assert data["logo"].startswith("http") and "/images/" in data["logo"]
    assert ("og:image", data["logo"]) in [
        tuple(pair) for pair in re.findall(r'<meta property="(og:image)" content="([^"]+)">', html)
    ]
    # The marker's details show it small.
    details = client.get(f"{tree['map'].url}organisations/{lead.pk}/").text
    assert 'class="ar-logo ar-logo--small"' in details


def test_a_missing_logo_file_is_no_logo_not_a_500(client, tree, logo):
    lead = tree["lead"]
    lead.logo = logo
    lead.save()
    logo.file.storage.delete(logo.file.name)
    response = client.get(profile_url(tree, lead))
    assert response.status_code == 200
    assert "logo" not in json_ld(response.text, "Organization")
    assert "og:image" not in response.text
