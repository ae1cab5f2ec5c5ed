"""The community map's GeoJSON is gzipped once, when it is built, and kept so in the cache.

At 100,000 organisations the GeoJSON is 11 MB of text and 1.4 MB gzipped: a visitor on a slow
phone waits for eight times fewer bytes, and a cache hit neither compresses nor hashes again
(``wagtail_ar.map.views.EncodedPayload``).
"""

import gzip
import json
import re

import pytest
from django.test import override_settings

from wagtail_ar.map import views

from .test_map import bulk_organisations
from .utils import build_tree

pytestmark = pytest.mark.django_db

GZIP = {"accept-encoding": "gzip, deflate, br"}


@pytest.fixture
def tree():
    tree = build_tree()
    bulk_organisations(50)
    return tree


def get(client, tree, query="", **headers):
    return client.get(tree["map"].url + "geojson/" + query, headers=headers)


def test_a_client_that_accepts_gzip_gets_the_same_features_gzipped(client, tree):
    plain = get(client, tree)
    packed = get(client, tree, **GZIP)
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    assert len(json.loads(plain.content)["features"]) >= 50
    assert len(packed.content) < len(plain.content) / 3
    for response in (plain, packed):
        assert "Accept-Encoding" in response["Vary"]
        assert re.fullmatch(r'"[0-9a-f]{32}"', response["ETag"])
    # Each encoding has its tag: a shared cache never answers one with the other's bytes.
    assert plain["ETag"] != packed["ETag"]
    assert packed["Content-Type"] == plain["Content-Type"]


def test_each_encoding_answers_304_to_its_own_tag(client, tree):
    plain, packed = get(client, tree), get(client, tree, **GZIP)
    again = get(client, tree, **{**GZIP, "if-none-match": packed["ETag"]})
    assert again.status_code == 304
    assert again["ETag"] == packed["ETag"]
    assert "Content-Encoding" not in again  # a 304 has no body to encode
    # The identity tag does not match the gzipped variant, and the other way round.
    assert get(client, tree, **{**GZIP, "if-none-match": plain["ETag"]}).status_code == 200
    assert get(client, tree, **{"if-none-match": packed["ETag"]}).status_code == 200
    assert get(client, tree, **{"if-none-match": plain["ETag"]}).status_code == 304


def test_gzip_is_read_as_django_reads_it(client, tree):
    assert get(client, tree, **{"accept-encoding": "x-gzip"})["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in get(client, tree, **{"accept-encoding": "br, identity"})
    assert "Content-Encoding" not in get(client, tree, **{"accept-encoding": "gzipped"})


def test_a_hit_neither_compresses_nor_hashes_again(client, tree, monkeypatch):
    calls = {"compress": 0, "digest": 0}
    compress, digest = gzip.compress, views.digest

    def counting_compress(*args, **kwargs):
        calls["compress"] += 1
        return compress(*args, **kwargs)

    def counting_digest(body):
        calls["digest"] += 1
        return digest(body)

    monkeypatch.setattr(views.gzip, "compress", counting_compress)
    monkeypatch.setattr(views, "digest", counting_digest)
    first = get(client, tree, **GZIP)
    built = dict(calls)
    assert built == {"compress": 1, "digest": 2}  # the text and its gzip, once each
    for headers in (GZIP, {}, GZIP):
        assert get(client, tree, **headers).status_code == 200
    assert calls == built
    assert get(client, tree, **GZIP).content == first.content


def test_the_gzip_is_the_same_bytes_every_time_it_is_built(client, tree):
    from wagtail_ar import cache

    first = get(client, tree, **GZIP)
    cache.invalidate()
    second = get(client, tree, **GZIP)
    assert first.content == second.content
    assert first["ETag"] == second["ETag"]


def test_a_tiny_answer_is_not_compressed(client):
    tree = build_tree()  # no organisation with a place: an empty collection
    response = get(client, tree, "?country=MT", **GZIP)
    assert response.status_code == 200
    assert json.loads(response.content)["features"] == []
    assert "Content-Encoding" not in response


def test_a_hosts_gzip_middleware_does_not_compress_it_twice(client, tree, settings):
    middleware = ["django.middleware.gzip.GZipMiddleware", *settings.MIDDLEWARE]
    with override_settings(MIDDLEWARE=middleware):
        packed = get(client, tree, **GZIP)
    assert packed["Content-Encoding"] == "gzip"
    features = json.loads(gzip.decompress(packed.content))["features"]
    assert len(features) >= 50


def test_bad_parameters_are_still_a_400_in_json(client, tree):
    response = get(client, tree, "?bbox=1,2,3", **GZIP)
    assert response.status_code == 400
    assert "error" in json.loads(response.content)
