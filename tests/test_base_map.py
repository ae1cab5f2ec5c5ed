"""The Natural Earth base map under the tiles: the vendored file, the maps' configuration,
``WAGTAIL_AR_BASE_MAP`` and ``WAGTAIL_AR_TILE_URL = None``. The browser side (the base map is
painted with every outside request refused, or with no tile server at all) is in
tests/test_map_browser.py."""

import gzip
import json
import re
from pathlib import Path

import pytest
from django.test import override_settings

from wagtail_ar.map.config import BASE_MAP_FILE, BASE_MAP_SCRIPTS, base_map_source, map_assets
from wagtail_ar.models import ActivityPage

from .test_map import activity_fields, located_page
from .utils import build_tree

STATIC = Path(__file__).resolve().parent.parent / "wagtail_ar" / "static"
BASE_MAP = STATIC / BASE_MAP_FILE

# Places the Euro-MED area must hold, on both shores (longitude, latitude).
PLACES = {
    "Lisbon": (-9.14, 38.72),
    "Málaga": (-4.42, 36.72),
    "Tunis": (10.18, 36.81),
    "Ljubljana": (14.51, 46.06),
    "Athens": (23.73, 37.98),
    "Beirut": (35.50, 33.89),
    "Nicosia": (33.38, 35.19),
}


@pytest.fixture(scope="module")
def topology():
    return json.loads(BASE_MAP.read_text())


def test_the_base_map_is_small(topology):
    # The bound: under 150 KB gzipped (it is about 57 KB).
    assert len(gzip.compress(BASE_MAP.read_bytes(), 9)) < 150_000


def test_the_base_map_is_a_quantized_topology_of_countries(topology):
    assert topology["type"] == "Topology"
    assert set(topology["objects"]) == {"countries"}
    assert topology["transform"]["scale"] and topology["transform"]["translate"]
    countries = topology["objects"]["countries"]["geometries"]
    # Countries of the Mediterranean and around it; no properties (nothing else is shipped).
    assert 60 <= len(countries) <= 120
    assert all(not geometry.get("properties") for geometry in countries)


def decoded_arcs(topology):
    """Every arc in degrees (the delta-encoded integers of a quantized topology)."""
    (kx, ky), (dx, dy) = topology["transform"]["scale"], topology["transform"]["translate"]
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for step_x, step_y in arc:
            x, y = x + step_x, y + step_y
            points.append((x * kx + dx, y * ky + dy))
        yield points


def test_the_base_map_covers_the_euro_med_area_and_no_more(topology):
    west, south, east, north = topology["bbox"]
    points = [point for arc in decoded_arcs(topology) for point in arc]
    longitudes = [x for x, _y in points]
    latitudes = [y for _x, y in points]
    assert west - 0.01 <= min(longitudes) and max(longitudes) <= east + 0.01
    assert south - 0.01 <= min(latitudes) and max(latitudes) <= north + 0.01
    for name, (lng, lat) in PLACES.items():
        assert west < lng < east and south < lat < north, name
        # A coast or border within about 100 km of every one of them: the area is drawn there.
        assert any(abs(x - lng) < 1 and abs(y - lat) < 1 for x, y in points), name


def test_the_vendored_files_say_where_they_come_from():
    for folder in ("natural-earth", "topojson-client"):
        readme = (STATIC / "wagtail_ar" / "vendor" / folder / "README").read_text()
        assert re.search(r"\d+\.\d+\.\d+", readme), folder
        assert (STATIC / "wagtail_ar" / "vendor" / folder / "LICENSE").exists()
    for path in BASE_MAP_SCRIPTS:
        script = (STATIC / path).read_text()
        # No outside address is fetched: only the URL the configuration hands over.
        assert not re.search(r"fetch\(\s*['\"]https?:", script)


def test_maps_load_the_base_map_scripts_before_the_map_script():
    scripts = map_assets()["js"]
    for path in BASE_MAP_SCRIPTS:
        assert scripts.index(path) < scripts.index("wagtail_ar/js/community_map.js")


def test_the_setting_chooses_the_base_map():
    assert base_map_source()["url"].endswith(BASE_MAP_FILE)
    assert "Natural Earth" in base_map_source()["attribution"]
    with override_settings(WAGTAIL_AR_BASE_MAP="mysite/basemap.topo.json"):
        assert base_map_source()["url"].endswith("mysite/basemap.topo.json")
    for off in (None, False):
        with override_settings(WAGTAIL_AR_BASE_MAP=off):
            assert base_map_source() is None


def map_config(response):
    (script,) = re.findall(
        r'<script id="[^"]*" type="application/json">(.*?)</script>', response.text, re.S
    )[:1]
    return json.loads(script)


@pytest.mark.django_db
def test_the_community_map_gets_the_base_map_and_may_have_no_tiles(client):
    tree = build_tree()
    config = map_config(client.get(tree["map"].url))
    assert config["baseMap"]["url"].endswith(BASE_MAP_FILE)
    assert config["tileUrl"]
    with override_settings(WAGTAIL_AR_TILE_URL=None, WAGTAIL_AR_CACHE_TIMEOUT=0):
        config = map_config(client.get(tree["map"].url))
    assert config["tileUrl"] is None
    assert config["baseMap"]["url"].endswith(BASE_MAP_FILE)
    with override_settings(WAGTAIL_AR_BASE_MAP=None, WAGTAIL_AR_CACHE_TIMEOUT=0):
        assert map_config(client.get(tree["map"].url))["baseMap"] is None


@pytest.mark.django_db
def test_the_activity_map_gets_the_base_map(client):
    tree = build_tree()
    page = located_page(ActivityPage, tree["activities"], **activity_fields("venue"))
    html = client.get(page.url).text
    assert f'data-base-map="/static/{BASE_MAP_FILE}"' in html
    for path in BASE_MAP_SCRIPTS:
        assert html.count(f'src="/static/{path}"') == 1
    assert html.index(BASE_MAP_SCRIPTS[-1]) < html.index("wagtail_ar/js/activity_map.js")
    with override_settings(WAGTAIL_AR_TILE_URL=None, WAGTAIL_AR_CACHE_TIMEOUT=0):
        html = client.get(page.url).text
    assert 'data-tile-url=""' in html
    with override_settings(WAGTAIL_AR_BASE_MAP=False, WAGTAIL_AR_CACHE_TIMEOUT=0):
        assert "data-base-map=" not in client.get(page.url).text
