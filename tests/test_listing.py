"""The shared listing machinery: validation, search, pagination and the 400 answer."""

import django_filters
import pytest
from django.test import RequestFactory

from wagtail_ar.listing import Listing
from wagtail_ar.models import ClusterCategory, ClusterPage

from .utils import build_tree

pytestmark = pytest.mark.django_db


class CategoryFilterSet(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(choices=ClusterCategory.choices)

    class Meta:
        model = ClusterPage
        fields = ["category"]


@pytest.fixture(autouse=True)
def tree():
    return build_tree()


def listing(query="", per_page=1):
    request = RequestFactory().get("/clusters/" + query)
    return Listing(
        request, ClusterPage.objects.live().order_by("pk"), CategoryFilterSet, per_page=per_page
    )


def test_valid_filter_and_first_page():
    result = listing("?category=geographical")
    assert not result.errors and result.status_code == 200
    assert [c.slug for c in result.objects] == ["seagrass"]
    assert result.is_filtered


@pytest.mark.parametrize(
    "query, message",
    [
        ("?category=volcanic", "Select a valid choice"),
        ("?page=0", "not a page number"),
        ("?page=abc", "not a page number"),
        ("?page=-1", "not a page number"),
        ("?page=999", "There is no page 999"),
        ("?q=" + "x" * 201, "too long"),
    ],
)
def test_bad_values_are_messages_and_a_400(query, message):
    result = listing(query)
    assert result.status_code == 400
    assert any(message in str(error) for error in result.errors), result.errors


def test_bad_filter_shows_nothing():
    assert listing("?category=volcanic").paginator.count == 0


def test_search_keeps_filters():
    assert [c.slug for c in listing("?q=seagrass").objects] == ["seagrass"]
    assert listing("?q=seagrass&category=thematic").paginator.count == 0
    assert listing("?q=nothingmatchesthis").paginator.count == 0


def test_querystring_keeps_other_parameters_and_drops_page_one():
    result = listing("?category=geographical&page=1&empty=")
    assert result.page_url(2) == "?category=geographical&page=2"
    assert result.page_url(1) == "?category=geographical"
    assert result.querystring(category=None, page=None) == "?"
