"""The layout: every page fills only the host's content block, and loads each asset exactly once.

``wagtail_ar/layouts/base.html`` puts the package's stylesheets at the top of the host's
``{% block content %}`` and its scripts at the end, unless the host's base template has
``{% wagtail_ar_assets "head" %}`` (or ``"scripts"``) in its ``<head>``: then they are there and
only there. Checked on a cache miss and on a fragment-cache hit, for hosts of several shapes
(``tests/testapp/templates/testapp/hosts/``).
"""

import re
from collections import Counter

import pytest
from django.conf import settings as django_settings
from django.template import Context, Template, TemplateSyntaxError
from django.test import override_settings

from wagtail_ar.cache import FRAGMENTS

from .utils import PAGE_KEYS, module_tree

pytestmark = pytest.mark.django_db

LAYOUT_MAIN = django_settings.BASE_DIR / "testapp" / "layout_main"

# Host base templates, and where the package's stylesheets (and <head> additions) and scripts
# land: "head" (in <head>) or "content" (in the host's content block).
HOSTS = {
    "testapp/base.html": ("head", "content"),  # the default test host: the tag in its <head>
    "otherhost/base.html": ("content", "content"),  # extra_css/extra_js, no tag: left empty
    "testapp/hosts/content_only.html": ("content", "content"),  # bakerydemo-like
    "testapp/hosts/head_tag.html": ("head", "content"),
    "testapp/hosts/head_tag_scripts.html": ("head", "head"),
    "testapp/hosts/tag_after_content.html": ("content", "content"),
    "testapp/hosts/head_include.html": ("content", "content"),
    "testapp/hosts/main_block.html": ("head", "content"),  # with layout_main's layout
}

# What each page must load (beyond the package's stylesheet, which every page loads).
EXPECTED = {
    "ar": {"css:wagtail_ar/css/activities.css", "json-ld"},
    "wg": {"css:wagtail_ar/css/activities.css"},
    "index": {
        "css:wagtail_ar/css/clusters.css",
        "alternate:application/rss+xml",
        "alternate:application/atom+xml",
    },
    "cluster": {
        "css:wagtail_ar/css/wagtail_ar_print.css",
        "css:wagtail_ar/css/clusters.css",
        "json-ld",
        "meta:og:title",
    },
    "report": {"css:wagtail_ar/css/wagtail_ar_print.css", "json-ld", "meta:og:title"},
    "activities": {"css:wagtail_ar/css/activities.css", "alternate:text/calendar"},
    "activity": {
        "css:wagtail_ar/css/activities.css",
        "css:wagtail_ar/vendor/leaflet/leaflet.css",
        "js:wagtail_ar/vendor/leaflet/leaflet.js",
        "js:wagtail_ar/js/activity_map.js",
        "json-ld",
        "meta:og:title",
    },
    "map": {
        "css:wagtail_ar/vendor/leaflet/leaflet.css",
        "css:wagtail_ar/css/map.css",
        "preload",
        "js:wagtail_ar/vendor/leaflet/leaflet.js",
        "js:wagtail_ar/vendor/supercluster/supercluster.min.js",
        "js:wagtail_ar/js/community_map.js",
    },
    "forum": {"css:wagtail_ar/css/forum.css"},
    "statement": set(),
    "post_form": {"css:wagtail_ar/css/forum.css"},
    "post": {"css:wagtail_ar/css/forum.css"},
}
# The pages whose JSON-LD is page_metadata's, in the head part (the landing's FAQs are a script).
HEAD_JSON_LD = {"cluster", "report", "activity"}
# The page types with CachedFragmentsMixin: their second anonymous request is a hit.
CACHED = {"ar", "wg", "index", "cluster", "report", "activities", "activity", "map"}

_ASSET = re.compile(
    r'<link rel="stylesheet" href="[^"]*?(?P<css>wagtail_ar/[^"]+)"'
    r'|<script src="[^"]*?(?P<js>wagtail_ar/[^"]+)"'
    r'|(?P<jsonld><script type="application/ld\+json">)'
    r'|<meta property="(?P<meta>(?:og|article):[a-z_:]+)"'
    r'|<link rel="alternate" type="(?P<alternate>[^"]+)"'
    r'|(?P<preload><link rel="preload")'
)


def assets(html):
    """The package's assets in ``html``: ``Counter`` of "css:<path>", "js:<path>", "json-ld",
    "meta:<property>", "alternate:<type>" (feed links), "preload"."""
    found = Counter()
    for match in _ASSET.finditer(html):
        kind = match.lastgroup
        if kind in ("css", "js", "meta", "alternate"):
            found[f"{kind}:{match.group(kind)}"] += 1
        else:
            found[{"jsonld": "json-ld"}.get(kind, kind)] += 1
    return found


def head_part(found):
    """What ``{% wagtail_ar_assets "head" %}`` emits, of ``found``."""
    return {a for a in found if a.startswith(("css:", "meta:", "alternate:")) or a == "preload"}


@pytest.fixture(scope="module")
def tree(django_db_setup, django_db_blocker, tmp_path_factory):
    with module_tree(django_db_blocker, tmp_path_factory) as tree:
        yield tree


def url_of(tree, key):
    if key == "post_form":
        return tree["forum"].url + "new/"
    if key == "post":
        return tree["forum"].url + f"{tree['post'].pk}/"
    return tree[key].url


def host_settings(base_template):
    """The settings of a host: its base template and, for the main-block host, its layout."""
    changes = {"WAGTAIL_AR_BASE_TEMPLATE": base_template}
    if base_template == "testapp/hosts/main_block.html":
        templates = [dict(django_settings.TEMPLATES[0])]
        templates[0]["DIRS"] = [LAYOUT_MAIN, *templates[0]["DIRS"]]
        changes["TEMPLATES"] = templates
    return override_settings(**changes)


def host_name(base_template):
    """What the host's <body data-host-base> says: "testapp", "otherhost", "content_only"…"""
    folder, name = base_template.rsplit("/", 2)[-2:]
    return folder if name == "base.html" else name.removesuffix(".html")


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response, response.content.decode()


def split_page(html):
    """``(head, before the article, after the article)`` of a page."""
    head, body = html.split("</head>", 1)
    before, after = body.split("<article", 1)
    return head, before, after.rsplit("</article>", 1)[1]


@pytest.mark.parametrize("key", [*PAGE_KEYS, "post_form", "post"])
@pytest.mark.parametrize("base_template", HOSTS)
def test_every_asset_once_where_the_host_wants_it_on_a_miss_and_a_hit(
    client, tree, base_template, key
):
    css_place, js_place = HOSTS[base_template]
    url = url_of(tree, key)
    with host_settings(base_template):
        miss, miss_html = get(client, url)
        hit, hit_html = get(client, url)
    assert f'data-host-base="{host_name(base_template)}"' in miss_html
    assert FRAGMENTS not in miss.context
    if key in CACHED:
        assert FRAGMENTS in hit.context, "the second request is a fragment-cache hit"
    for html in (miss_html, hit_html):
        found = assets(html)
        # None is missing…
        assert found["css:wagtail_ar/css/wagtail_ar.css"] == 1
        assert EXPECTED[key] <= set(found), EXPECTED[key] - set(found)
        # …and none is loaded twice.
        assert not {asset: n for asset, n in found.items() if n > 1}
        head, before, after = split_page(html)
        in_head, in_before, in_after = assets(head), assets(before), assets(after)
        for asset in found:
            if asset in head_part(found):
                where = in_head if css_place == "head" else in_before
            elif asset == "json-ld" and key in HEAD_JSON_LD:
                where = in_head if css_place == "head" else in_before
            else:
                where = in_head if js_place == "head" else in_after
            assert where[asset] == 1, (asset, css_place, js_place)
        if css_place == "content":
            assert not assets(head), "nothing of the package in a <head> that has no tag"
    assert assets(miss_html) == assets(hit_html)


@pytest.mark.parametrize("key", ["map", "cluster", "forum"])
def test_every_host_gets_the_same_assets(client, tree, key):
    """The set of assets depends on the page, not on the host nor on where they go."""
    url = url_of(tree, key)
    seen = set()
    for base_template in HOSTS:
        with host_settings(base_template):
            seen.add(frozenset(assets(get(client, url)[1]).items()))
    assert len(seen) == 1


def test_content_only_host_gets_the_styles_and_a_working_map(client, tree):
    """A bakerydemo-like host: the stylesheets at the top of its <main>, then the map (its
    container and configuration), then Leaflet before the map's script, deferred."""
    with host_settings("testapp/hosts/content_only.html"):
        html = get(client, tree["map"].url)[1]
    main = html.split("<main>", 1)[1].split("</main>", 1)[0]
    assert main.lstrip().startswith('<link rel="stylesheet"')
    assert 'id="ar-map"' in main
    scripts = re.findall(r'<script src="([^"]+)" defer></script>', main)
    assert [s.rsplit("/", 1)[1] for s in scripts] == [
        "leaflet.js",
        "supercluster.min.js",
        "topojson-client.min.js",
        "base_map.js",
        "community_map.js",
    ]
    assert main.index("<article") < main.index("leaflet.js")
    # The host's own blocks and assets are untouched.
    assert html.count("/static/host/main.css") == 1 and "The host's footer" in html


def test_main_block_host_with_its_own_layout(client, tree):
    with host_settings("testapp/hosts/main_block.html"):
        html = get(client, tree["cluster"].url)[1]
    page = html.split('<div id="page">', 1)[1]
    assert page.lstrip().startswith("<article")
    assert html.count('<article class="ar-page ') == 1
    assert assets(html)["css:wagtail_ar/css/wagtail_ar.css"] == 1


def test_the_tag_outside_a_page_of_the_package_renders_nothing():
    template = Template('{% load wagtail_ar_tags %}[{% wagtail_ar_assets "head" %}]')
    assert template.render(Context({})) == "[]"


@pytest.mark.parametrize("tag", ["", '"css"', "head", '"head" "scripts"'])
def test_the_tag_takes_one_known_quoted_part(tag):
    with pytest.raises(TemplateSyntaxError):
        Template("{% load wagtail_ar_tags %}{% wagtail_ar_assets " + tag + " %}")
