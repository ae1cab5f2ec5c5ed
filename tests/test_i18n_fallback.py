"""Items shown in a page of another language carry their own ``lang`` and ``dir`` (WCAG 2.1,
success criterion 3.1.2 Language of parts).

In the Arabic pages of a multilingual site, what has no Arabic translation yet is shown in the
default locale's version, in English: its text (title, summary, name…) must say so with
``lang="en" dir="ltr"``, or a screen reader reads it with an Arabic voice and the browser lays
its punctuation out right to left (".their own data"). What is translated must not carry a
wrong language. Each listing page is parsed, and every occurrence of an item's text is checked
against the nearest ``lang`` around it.
"""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone, translation
from wagtail.models import Locale

from wagtail_ar.locales import foreign_language
from wagtail_ar.models import ActivityPage, ClusterPage, Organisation

from .test_i18n_pages import in_language, locale, multilingual_site, translate  # noqa: F401
from .utils import TODAY, build_tree, make_forum_post

pytestmark = pytest.mark.django_db

ARABIC_CLUSTER = "مروج الأعشاب البحرية في البحر الأدرياتيكي"
ARABIC_SUMMARY = "نقل بروتوكول لرصد الأعشاب البحرية."
ARABIC_POST = "نبحث عن بيانات الأعشاب البحرية"

# Texts of items that exist in English only (the default locale).
ENGLISH_ONLY = (
    "Wetlands of the Ebro delta",  # a cluster
    "Only in English.",  # its summary
    "Interim report",  # a report of the translated cluster
    "Half way.",  # its summary
    "Malaga Institutional dialogue event",  # a past activity
    "Webinar on wetlands",  # an upcoming one
    "Summer school on restoration",  # its summary
    "WG1 Connectivity of ecosystems",  # the working group
    "Connectivity of ecosystems",  # its theme
    "Regione Campania",  # organisations
    "Université de Tunis",
    "Seagrass monitoring protocol",  # a solution
    "Seeking seagrass data",  # a post of the English forum answered by the Arabic cluster
)


@pytest.fixture
def arabic():
    """The tree in English with a second English cluster and an upcoming English activity;
    in Arabic: the landing page, the cluster index, the first cluster, the activity index, the
    map, and the forum with a post of its own."""
    tree = build_tree()
    locale("ar")
    other = tree["index"].add_child(
        instance=ClusterPage(
            title="Wetlands of the Ebro delta",
            slug="wetlands",
            category="geographical",
            summary="Only in English.",
            question="?",
            objectives="<p>Objectives.</p>",
            start_date=TODAY,
            working_group=tree["wg"],
        )
    )
    other.tags.add("seagrass")
    other.save_revision().publish()
    start = timezone.now() + datetime.timedelta(days=10)
    tree["activities"].add_child(
        instance=ActivityPage(
            title="Webinar on wetlands",
            slug="webinar",
            summary="Summer school on restoration",
            start=start,
            end=start + datetime.timedelta(hours=2),
            time_zone="Europe/Rome",
            format="online",
            working_group=tree["wg"],
        )
    )
    ar = {
        "cluster": translate(tree["cluster"], "ar", title=ARABIC_CLUSTER, summary=ARABIC_SUMMARY),
        "activities": translate(tree["activities"], "ar", title="الأنشطة"),
        "map": translate(tree["map"], "ar", title="خريطة المجتمع"),
        "forum": translate(tree["forum"], "ar", title="المنتدى"),
    }
    ar["index"] = ar["cluster"].get_parent().specific
    ar["landing"] = ar["index"].get_parent().specific
    make_forum_post(
        tree["forum"], "published", title="Seeking seagrass data", answered_by=ar["cluster"]
    )
    make_forum_post(ar["forum"], "published", title=ARABIC_POST)
    return tree, ar


def article(client, url, language="ar"):
    response = client.get(url)
    assert response.status_code == 200, url
    page = BeautifulSoup(response.content, "html.parser").find("article", class_="ar-page")
    assert page["lang"] == language
    assert page["dir"] == ("rtl" if language == "ar" else "ltr")
    return page


def language_around(element):
    """The ``(lang, dir)`` of the nearest element, ``element`` itself included, with a
    ``lang``; its ``dir`` must be on the same element."""
    while element is not None and not element.has_attr("lang"):
        element = element.parent
    assert element is not None
    return element["lang"], element.get("dir")


def occurrences(page, text):
    """The innermost elements whose own text is ``text``."""
    return [string.parent for string in page.find_all(string=True) if string.strip() == text]


def check(page, expected_english, translated=()):
    """Every occurrence of the English-only texts in ``expected_english`` (each at least once)
    is marked English, left to right; every translated text stays Arabic."""
    for text in expected_english:
        found = occurrences(page, text)
        assert found, text
        for element in found:
            assert language_around(element) == ("en", "ltr"), (text, str(element.parent)[:300])
    for text in translated:
        found = occurrences(page, text)
        assert found, text
        for element in found:
            assert language_around(element) == ("ar", "rtl"), (text, str(element.parent)[:300])
    # Nothing else of the page says it is in English.
    english = set(expected_english)
    for element in page.find_all(attrs={"lang": "en"}):
        assert element.get_text(" ", strip=True), str(element)
        assert element["dir"] == "ltr"
        assert any(text in element.get_text() for text in english), str(element)[:300]


def test_the_cluster_index(client, arabic):
    tree, ar = arabic
    for _time in ("rendered", "from the cache"):
        check(
            article(client, in_language(ar["index"], "ar")),
            ["Wetlands of the Ebro delta", "Only in English.", "WG1 Connectivity of ecosystems"],
            translated=[ARABIC_CLUSTER, ARABIC_SUMMARY],
        )
    # The English page's fragments, cached apart, carry no lang of their own.
    english = article(client, in_language(tree["index"], "en"), language="en")
    assert english.find_all(attrs={"lang": True}) == []


def test_the_activity_index(client, arabic):
    tree, ar = arabic
    page = article(client, in_language(ar["activities"], "ar"))
    check(
        page,
        [
            "Webinar on wetlands",
            "Summer school on restoration",
            "Malaga Institutional dialogue event",
            "Palacio de Ferias",  # its venue
            "WG1 Connectivity of ecosystems",  # the working group filter's option
        ],
        translated=[ARABIC_CLUSTER],  # the cluster filter's option
    )


def test_the_amplification_room_landing(client, arabic):
    tree, ar = arabic
    page = article(client, in_language(ar["landing"], "ar"))
    check(
        page,
        [
            "Wetlands of the Ebro delta",
            "Only in English.",
            "Webinar on wetlands",
            "Summer school on restoration",
            "WG1 Connectivity of ecosystems",
            "Connectivity of ecosystems",
        ],
        translated=[ARABIC_CLUSTER],
    )


def test_the_factsheet_s_related_sections(client, arabic):
    tree, ar = arabic
    page = article(client, in_language(ar["cluster"], "ar"))
    check(
        page,
        [
            "Interim report",
            "Half way.",
            "WG1 Connectivity of ecosystems",
            "Regione Campania",
            "Université de Tunis",
            "Seagrass monitoring protocol",
            "A protocol.",  # its summary
            "MPA4Change: Marine protected areas for change",  # a thematic project
            "Seeking seagrass data",
            "Wetlands of the Ebro delta",  # related clusters
            "Only in English.",
        ],
    )


def test_the_forum_board(client, arabic):
    tree, ar = arabic
    page = article(client, in_language(ar["forum"], "ar"))
    check(page, [], translated=[ARABIC_POST])


def test_the_map_list_and_details(client, arabic):
    tree, ar = arabic
    base = in_language(ar["map"], "ar")
    check(article(client, base), ["Regione Campania", "Université de Tunis"])
    # A marker's details: the organisation, and the clusters it takes part in.
    response = client.get(base + f"organisations/{tree['lead'].pk}/")
    details = BeautifulSoup(response.content, "html.parser")
    heading = details.find(class_="ar-map-details__name")
    assert (heading["lang"], heading["dir"]) == ("en", "ltr")
    names = {a.get_text(): a.get("lang") for a in details.select(".ar-map-details__list a")}
    assert names.get("Wetlands of the Ebro delta", "en") == "en"
    assert names.get(ARABIC_CLUSTER) is None


def test_the_english_pages_carry_no_lang_of_their_own(client, arabic):
    tree, ar = arabic
    for key in ("ar", "index", "cluster", "activities", "map", "forum"):
        html = client.get(in_language(tree[key], "en")).content.decode()
        body = BeautifulSoup(html, "html.parser").find("article", class_="ar-page")
        assert body["lang"] == "en"
        assert body.find_all(attrs={"lang": True}) == [], key


def test_the_language_of_an_item_costs_no_query_per_item(arabic, django_assert_max_num_queries):
    tree, ar = arabic
    organisations = list(Organisation.objects.all())
    with translation.override("ar"), django_assert_max_num_queries(1):
        languages = [foreign_language(organisation) for organisation in organisations]
    assert set(languages) == {("en", "ltr")}
    with translation.override("en"):
        assert foreign_language(organisations[0]) is None
        assert foreign_language(ar["cluster"]) == ("ar", "rtl")
    # A locale added later is read again (the codes are kept until a locale is saved).
    french = Locale.objects.create(language_code="fr")
    Organisation.objects.filter(pk=organisations[0].pk).update(locale=french)
    with translation.override("ar"):
        assert foreign_language(Organisation.objects.get(pk=organisations[0].pk)) == ("fr", "ltr")


def test_a_link_block_named_by_its_page_s_title(rf, arabic):
    from django.template.loader import render_to_string

    tree, ar = arabic
    request = rf.get("/ar/")
    with translation.override("ar"):
        untitled = render_to_string(
            "wagtail_ar/includes/link.html",
            {"link": {"page": tree["wg"], "text": "", "url": ""}, "request": request},
        )
        titled = render_to_string(
            "wagtail_ar/includes/link.html",
            {"link": {"page": tree["wg"], "text": "فريق العمل", "url": ""}, "request": request},
        )
    assert 'lang="en" dir="ltr"' in untitled and "WG1 Connectivity of ecosystems" in untitled
    assert "lang=" not in titled  # the editor's words, in the page's language
