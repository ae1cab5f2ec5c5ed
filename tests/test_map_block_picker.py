"""The map block's place, chosen on the package's Leaflet map in the admin (``PlaceBlock``).

The picker's widget brings the package's Leaflet and no outside address; the block's value
round-trips and is stored with the ``latitude`` and ``longitude`` keys of the content saved
before the picker (which opens in the picker at its place); what an editor posts that is not
a place is a form error on the place, never a 500. The picker in Chromium:
``tests/browser/test_place_picker.py``.
"""

import json
import re

import pytest
from django.urls import reverse
from wagtail.blocks import ListBlock, StructBlock
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from tests.hostapp.models import HostPage
from wagtail_ar.blocks import MapBlock, PlaceBlock
from wagtail_ar.place_picker import Place, PlaceField, PlacePickerWidget

from .utils import site_root

OLD_PLACE = {
    "heading": "The venue",
    "show": "place",
    "map_page": None,
    "role": "",
    "organisation_type": "",
    "country": "",
    "place_name": "Palacio",
    "latitude": 36.72,
    "longitude": -4.42,
    "zoom": 12,
}


def outside_urls(text):
    """Addresses of the text that are not paths of the site (a CDN's, a tile server's...)."""
    return re.findall(r"(?:https?:)?//[^\s\"'<>)]+", text)


@pytest.fixture
def local_tiles(settings, monkeypatch):
    """Tiles served by the site, and attributions without a link (a link is not a request):
    any address left in the picker is one it would ask for."""
    settings.WAGTAIL_AR_TILE_URL = "/tiles/{z}/{x}/{y}.png"
    settings.WAGTAIL_AR_TILE_ATTRIBUTION = "Our tiles"
    monkeypatch.setattr("wagtail_ar.map.config.BASE_MAP_ATTRIBUTION", "Natural Earth")


# The widget


def test_the_widget_brings_the_packages_leaflet_and_no_outside_url(local_tiles):
    widget = PlacePickerWidget(zoom_field="zoom")
    media = str(widget.media)
    assert "wagtail_ar/vendor/leaflet/leaflet.js" in media
    assert "wagtail_ar/vendor/leaflet/leaflet.css" in media
    assert "wagtail_ar/js/place_picker.js" in media
    assert not outside_urls(media)
    html = widget.render("body-0-value-place", Place(36.72, -4.42), attrs={"id": "body-0-place"})
    assert not outside_urls(html.replace("&quot;", '"')), html
    assert 'data-controller="ar-place-picker"' in html
    assert re.search(r'<input type="hidden" name="body-0-value-place"[^>]*id="body-0-place"', html)
    assert "{&quot;latitude&quot;: 36.72, &quot;longitude&quot;: -4.42}" in html
    assert 'aria-live="polite"' in html
    assert "Place the marker at the centre of the map" in html
    assert "Use the map's zoom" in html and ">Clear<" in html


def test_without_a_tile_server_the_picker_has_the_base_map(settings):
    settings.WAGTAIL_AR_TILE_URL = None
    widget = PlacePickerWidget()
    options = widget.options()
    assert options["tileUrl"] is None
    assert options["baseMap"]["url"].endswith("wagtail_ar/vendor/natural-earth/euromed.topo.json")
    # A path, or a Script whose str() is the path (Django 5.2) or its <script> tag (6.1).
    scripts = [re.search(r"wagtail_ar/[^\"'<> ]+", str(path)).group(0) for path in widget.media._js]
    assert (
        scripts.index("wagtail_ar/vendor/leaflet/leaflet.js")
        < scripts.index("wagtail_ar/js/base_map.js")
        < scripts.index("wagtail_ar/js/place_picker.js")
    )


def test_the_widget_uses_the_configured_tiles(settings):
    settings.WAGTAIL_AR_TILE_URL = "https://tiles.example.test/{z}/{x}/{y}.png"
    options = PlacePickerWidget().options()
    assert options["tileUrl"] == "https://tiles.example.test/{z}/{x}/{y}.png"
    assert options["zoomField"] == ""
    assert options["icons"]["marker"].endswith("wagtail_ar/vendor/leaflet/images/marker-icon.png")
    assert "Use the map" not in PlacePickerWidget().render("place", None)


def test_the_block_definition_for_the_streamfield_has_no_outside_url(local_tiles):
    """What the StreamField's script gets (telepath): the widget's HTML and media."""
    from wagtail.admin.telepath import JSContext

    context = JSContext()
    packed = json.dumps(context.pack(MapBlock()))
    assert "ar-place-picker" in packed and "__NAME__" in packed
    assert not outside_urls(packed.replace("\\u0026quot;", '"').replace("\\/", "/"))
    media = str(context.media)
    assert "wagtail_ar/js/place_picker.js" in media and "wagtail_ar/vendor/leaflet" in media
    assert "unpkg" not in media and "cdn" not in media.lower()


# The field and the block


@pytest.mark.parametrize(
    "text",
    [
        "junk",
        "{}",
        "[36, -4]",
        '{"latitude": 91, "longitude": 0}',
        '{"latitude": 0, "longitude": -180.5}',
        '{"latitude": "north", "longitude": 2}',
        '{"latitude": true, "longitude": 2}',
        '{"latitude": NaN, "longitude": 2}',
        '{"latitude": Infinity, "longitude": 2}',
        '{"latitude": 1}',
        "[" * 5000,
    ],
)
def test_what_is_not_a_place_is_a_validation_error(text):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as excinfo:
        PlaceField().clean(text)
    assert excinfo.value.code == "invalid"
    with pytest.raises(ValidationError):
        PlaceBlock().clean(text)


def test_a_place_is_required_when_the_block_is():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Choose the place on the map"):
        PlaceBlock().clean("")
    assert PlaceBlock(required=False).clean("") is None


def test_the_place_round_trips():
    block = PlaceBlock()
    place = block.clean('{"latitude": "36.7200004", "longitude": -4.42}')
    assert place == Place(36.72, -4.42) and str(place) == "36.7200, -4.4200"
    stored = block.get_prep_value(place)
    assert stored == {"latitude": 36.72, "longitude": -4.42}
    assert block.to_python(json.loads(json.dumps(stored))) == place
    assert json.loads(block.get_form_state(place)) == stored
    assert block.to_python(None) is None and block.get_prep_value(None) is None


@pytest.mark.django_db  # Django 6.1's in_bulk() asks the database even for no ids
def test_the_map_block_stores_the_keys_of_before():
    block = MapBlock()
    value = block.to_python(OLD_PLACE)
    assert value["place"] == Place(36.72, -4.42)
    assert (value.latitude, value.longitude) == (36.72, -4.42)
    assert block.get_prep_value(value) == OLD_PLACE
    assert block.get_api_representation(value)["latitude"] == 36.72
    assert "place" not in block.get_api_representation(value)
    (bulk,) = block.bulk_to_python([OLD_PLACE])
    assert bulk["place"] == Place(36.72, -4.42)
    assert block.normalize(OLD_PLACE)["place"] == Place(36.72, -4.42)
    # The old content opens in the picker at its place.
    state = block.get_form_state(value)
    assert json.loads(state["place"]) == {"latitude": 36.72, "longitude": -4.42}
    assert state["zoom"] == "12"


def test_stored_junk_is_no_place_and_no_error():
    block = MapBlock()
    for junk in ({"latitude": "abc", "longitude": 2}, {"latitude": 95, "longitude": 2}):
        value = block.to_python({**OLD_PLACE, **junk})
        assert value["place"] is None and value.latitude is None
        assert block.render(value)  # renders, without a marker


def test_one_place_needs_a_place_and_says_so_on_the_place():
    from wagtail.blocks.struct_block import StructBlockValidationError

    block = MapBlock()
    value = block.to_python({**OLD_PLACE, "latitude": None, "longitude": None})
    with pytest.raises(StructBlockValidationError) as excinfo:
        block.clean(value)
    assert set(excinfo.value.block_errors) == {"place"}
    assert "Choose the place" in excinfo.value.block_errors["place"].messages[0]
    organisations = block.to_python({**OLD_PLACE, "show": "organisations", "latitude": None})
    assert block.clean(organisations)["place"] is None


@pytest.mark.django_db  # Django 6.1's in_bulk() asks the database even for no ids
def test_the_picker_works_inside_struct_and_list_blocks():
    block = ListBlock(StructBlock([("where", PlaceBlock()), ("map", MapBlock())]))
    value = block.to_python([{"where": {"latitude": 1, "longitude": 2}, "map": OLD_PLACE}])
    assert value[0]["where"] == Place(1.0, 2.0)
    assert value[0]["map"].latitude == 36.72
    stored = block.get_prep_value(value)
    assert stored[0]["value"]["where"] == {"latitude": 1.0, "longitude": 2.0}
    assert stored[0]["value"]["map"]["longitude"] == -4.42


# In a page: rendering the same, and what the editor posts


@pytest.fixture
def old_page(db):
    return site_root().add_child(
        instance=HostPage(title="Venue", slug="venue", body=[("map", OLD_PLACE)])
    )


def test_old_content_renders_as_before(client, old_page):
    raw = old_page.body.raw_data[0]["value"]
    assert (raw["latitude"], raw["longitude"]) == (36.72, -4.42) and "place" not in raw
    html = client.get(old_page.url).content.decode()
    config = json.loads(
        re.search(
            r'<script id="ar-map-block-1-config" type="application/json">(.*?)</script>', html
        )[1]
    )
    assert config["place"] == {"lat": 36.72, "lng": -4.42, "name": "Palacio"}
    assert config["center"] == [36.72, -4.42] and config["zoom"] == 12
    assert "Palacio: latitude 36.72, longitude -4.42" in html


def edit_data(page, place, show="place"):
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "body": streamfield(
                [
                    (
                        "map",
                        {
                            "heading": "The venue",
                            "show": show,
                            "map_page": "",
                            "role": "",
                            "organisation_type": "",
                            "country": "",
                            "place_name": "Palacio",
                            "place": place,
                            "zoom": "9",
                        },
                    ),
                    ("text", rich_text("<p>Hello</p>")),
                ]
            ),
        }
    )


def post_edit(client, page, place, show="place"):
    return client.post(
        reverse("wagtailadmin_pages:edit", args=(page.pk,)), edit_data(page, place, show)
    )


def test_the_editor_saves_a_picked_place(admin_client, old_page):
    response = post_edit(admin_client, old_page, '{"latitude": 43.2965, "longitude": 5.3698}')
    assert response.status_code == 302, response.content.decode()[:2000]
    old_page.refresh_from_db()
    revision = old_page.get_latest_revision_as_object()
    raw = revision.body.raw_data[0]["value"]
    assert (raw["latitude"], raw["longitude"], raw["zoom"]) == (43.2965, 5.3698, 9)
    assert "place" not in raw
    assert revision.body[0].value.latitude == 43.2965


def test_the_edit_form_opens_the_old_place_in_the_picker(admin_client, old_page):
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=(old_page.pk,)))
    html = response.content.decode()
    assert response.status_code == 200
    assert "wagtail_ar/js/place_picker.js" in html
    # The block's state, given to the StreamField's script, holds the place as JSON.
    assert (
        "&quot;place&quot;: &quot;{\\&quot;latitude\\&quot;: 36.72, "
        "\\&quot;longitude\\&quot;: -4.42}&quot;" in html
    )


@pytest.mark.parametrize(
    "place",
    ["junk", '{"latitude": 91, "longitude": 0}', '{"latitude": "x", "longitude": "y"}', "{" * 300],
)
def test_bad_posted_places_are_form_errors(admin_client, old_page, place):
    response = post_edit(admin_client, old_page, place)
    assert response.status_code == 200
    assert "This is not a place on the map" in response.content.decode()
    old_page.refresh_from_db()
    assert old_page.body[0].value.latitude == 36.72  # unchanged


def test_one_place_without_a_place_is_a_form_error(admin_client, old_page):
    response = post_edit(admin_client, old_page, "")
    assert response.status_code == 200
    assert "Choose the place to show on the map." in response.content.decode()
    assert post_edit(admin_client, old_page, "", show="organisations").status_code == 302
