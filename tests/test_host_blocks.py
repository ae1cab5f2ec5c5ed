"""The package's blocks in a page type of the host (``tests/hostapp``, installed before us).

A host page does not go through ``wagtail_ar/layouts/base.html``: the map block brings its own
stylesheets and deferred scripts (with the first map of the page only), and the other blocks
need nothing from the layout.
"""

import json
import re

import pytest

from tests.hostapp.models import HostPage
from wagtail_ar.map.config import map_assets

from .test_layout import assets
from .utils import build_tree, site_root

pytestmark = pytest.mark.django_db

MAP_ASSETS = {f"css:{path}" for path in map_assets()["css"]} | {
    f"js:{path}" for path in map_assets()["js"]
}


def organisations_map(**fields):
    return ("map", {"heading": "Who takes part", "show": "organisations", **fields})


def place_map():
    return (
        "map",
        {
            "heading": "The venue",
            "show": "place",
            "place_name": "Palacio",
            "latitude": 36.72,
            "longitude": -4.42,
            "zoom": 12,
        },
    )


def host_page(body, title="Host page", slug="host"):
    return site_root().add_child(instance=HostPage(title=title, slug=slug, body=body))


def get(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-host-base="testapp"' in html and "<article" not in html  # not our layout
    return html


def configs(html):
    return {
        match[0]: json.loads(match[1])
        for match in re.findall(
            r'<script id="(ar-map-block-\d+-config)" type="application/json">(.*?)</script>', html
        )
    }


@pytest.fixture
def tree():
    return build_tree()


def test_one_map_brings_its_assets_once(client, tree):
    html = get(client, host_page([organisations_map()]))
    found = assets(html)
    assert {asset: found[asset] for asset in MAP_ASSETS} == dict.fromkeys(MAP_ASSETS, 1)
    # The stylesheets before the map, the scripts (deferred, Leaflet first) after it.
    main = html.split('<main id="main">', 1)[1]
    assert main.index("leaflet.css") < main.index('data-ar-map="') < main.index("leaflet.js")
    scripts = re.findall(r'<script src="[^"]*/([^/"]+)" defer></script>', main)
    assert scripts == [path.rsplit("/", 1)[1] for path in map_assets()["js"]]
    assert scripts[0] == "leaflet.js" and scripts[-1] == "community_map.js"
    (config,) = configs(html).values()
    assert config["organisations"]["url"] and config["center"]
    assert f'href="{tree["map"].url}"' in html  # the link to the list of the organisations


def test_two_maps_load_each_asset_once(client, tree):
    html = get(
        client,
        host_page([organisations_map(country="FR"), ("text", "<p>Between</p>"), place_map()]),
    )
    found = assets(html)
    assert {asset: found[asset] for asset in MAP_ASSETS} == dict.fromkeys(MAP_ASSETS, 1)
    found_configs = configs(html)
    assert set(found_configs) == {"ar-map-block-1-config", "ar-map-block-2-config"}
    assert found_configs["ar-map-block-2-config"]["place"]["name"] == "Palacio"
    assert html.count('data-ar-map="ar-map-block-') == 2


def test_each_request_gets_the_assets(client, tree):
    page = host_page([organisations_map(), place_map()])
    for _request in range(2):
        found = assets(get(client, page))
        assert {asset: found[asset] for asset in MAP_ASSETS} == dict.fromkeys(MAP_ASSETS, 1)


def test_the_other_blocks_render_in_a_host_page(client, tree):
    link = {"page": tree["cluster"], "url": "", "text": ""}
    html = get(
        client,
        host_page(
            [
                ("text", "<p>Welcome</p>"),
                ("call_to_action", {"heading": "Join the forum", "text": "Say it.", "link": link}),
                ("faq", {"question": "Who can create a cluster?", "answer": "<p>All.</p>"}),
                (
                    "service",
                    {
                        "name": "Peer exchange",
                        "format": "online",
                        "description": "<p>Go.</p>",
                        "link": {"page": None, "url": "https://example.org/x", "text": "More"},
                    },
                ),
                ("link", {"page": tree["forum"], "url": "", "text": "The forum"}),
            ]
        ),
    )
    assert '<h3 class="ar-cta__heading">Join the forum</h3>' in html
    assert f'class="ar-button" href="{tree["cluster"].url}">{tree["cluster"].title}</a>' in html
    assert '<h3 class="ar-faq__question">Who can create a cluster?</h3>' in html
    assert '<h3 class="ar-service__name">Peer exchange</h3>' in html
    assert '<a href="https://example.org/x">More</a>' in html
    assert re.search(rf'<p class="ar-link">\s*<a href="{tree["forum"].url}">The forum</a>', html)
    assert not set(assets(html)) & MAP_ASSETS  # no map, no map assets


def test_a_hidden_page_in_a_link_is_not_named(client, tree):
    draft = tree["ar"].add_child(
        instance=HostPage(title="Secret draft plans", slug="secret", live=False)
    )
    link = {"page": draft, "url": "", "text": ""}
    html = get(
        client,
        host_page(
            [
                ("link", link),
                ("call_to_action", {"heading": "Read", "text": "", "link": link}),
                (
                    "service",
                    {"name": "S", "format": "online", "description": "<p>D</p>", "link": link},
                ),
            ]
        ),
    )
    assert "Secret draft plans" not in html
    assert "/secret/" not in html
    assert 'class="ar-link"' not in html  # a link to nowhere: no empty paragraph
