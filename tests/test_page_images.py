"""Images of clusters, reports and activities (``PageImageMixin``): the alt text or an explicit
"decorative" choice, renditions in several widths on the page and its cards, the Open Graph
image, and lists of cards whose queries do not grow with the number of pictures."""

import re
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image as PILImage
from wagtail.images import get_image_model

from wagtail_ar.models import ClusterPage

from .test_map import cluster_fields, located_page
from .utils import build_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def picture(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)

    def make(name="seagrass"):
        buffer = BytesIO()
        PILImage.new("RGB", (1600, 900), "#3a7d44").save(buffer, "JPEG")
        return get_image_model().objects.create(
            title=name, file=ImageFile(buffer, name=f"{name}.jpg")
        )

    return make


@pytest.fixture
def tree():
    return build_tree()


def with_image(page, image, alt="Divers counting seagrass shoots off Mljet", decorative=False):
    page.image, page.image_alt, page.image_decorative = image, alt, decorative
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.mark.parametrize("key", ["cluster", "report", "activity"])
def test_an_image_needs_an_alt_text_or_the_decorative_choice(tree, picture, key):
    page = tree[key].specific
    page.image = picture()
    page.image_alt = "  "
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "image_alt" in error.value.message_dict
    page.image_decorative = True
    page.full_clean()
    page.image_decorative, page.image_alt = False, "A meadow of Posidonia"
    page.full_clean()


@pytest.mark.parametrize("key", ["cluster", "report", "activity"])
def test_the_page_shows_its_image_in_several_widths_with_its_alt(client, tree, picture, key):
    page = with_image(tree[key].specific, picture())
    html = client.get(page.url).text
    (img,) = re.findall(r'<img[^>]*class="ar-image"[^>]*>', html)
    assert 'alt="Divers counting seagrass shoots off Mljet"' in img
    widths = re.findall(r" (\d+)w", re.search(r'srcset="([^"]+)"', img).group(1))
    assert widths == ["480", "960", "1440"]
    assert 'sizes="' in img
    # Shared: the Open Graph image is a 1200×630 crop, with its alt text.
    og = dict(re.findall(r'<meta property="(og:image(?::alt)?)" content="([^"]*)">', html))
    assert og["og:image"].startswith("http") and "1200x630" in og["og:image"]
    assert og["og:image:alt"] == "Divers counting seagrass shoots off Mljet"


def test_a_decorative_image_has_an_empty_alt(client, tree, picture):
    page = with_image(tree["cluster"].specific, picture(), alt="ignored", decorative=True)
    html = client.get(page.url).text
    (img,) = re.findall(r'<img[^>]*class="ar-image"[^>]*>', html)
    assert 'alt=""' in img and "ignored" not in html


def test_a_page_without_an_image_shows_none(client, tree):
    html = client.get(tree["cluster"].url).text
    assert "ar-image" not in html and "og:image" not in html


def test_cards_show_the_image_and_cost_no_query_per_picture(client, tree, picture):
    index = tree["index"]

    def listing_queries():
        with CaptureQueriesContext(connection) as queries:
            html = client.get(index.url + "?q=&page=1&status=").text
        return len(queries), html

    with_image(tree["cluster"].specific, picture())
    for number in range(1, 3):
        with_image(
            located_page(ClusterPage, index, **cluster_fields(f"c{number}")), picture(f"p{number}")
        )
    listing_queries()  # renditions are made on the first request
    few, html = listing_queries()
    cards = re.findall(r'<img[^>]*class="ar-image ar-image--card"[^>]*>', html)
    assert len(cards) == 3
    assert all("320w" in card and "640w" in card and 'loading="lazy"' in card for card in cards)
    for number in range(3, 9):
        with_image(
            located_page(ClusterPage, index, **cluster_fields(f"c{number}")), picture(f"p{number}")
        )
    listing_queries()
    many, html = listing_queries()
    assert len(re.findall(r'class="ar-image ar-image--card"', html)) == 9
    assert many == few, (few, many)


@pytest.mark.parametrize("key", ["cluster", "report", "activity"])
def test_a_missing_image_file_is_no_open_graph_image_not_a_500(client, tree, picture, key):
    image = picture()
    page = with_image(tree[key].specific, image)
    image.file.storage.delete(image.file.name)  # a restored database without its media
    response = client.get(page.url)
    assert response.status_code == 200
    assert "og:image" not in response.text
