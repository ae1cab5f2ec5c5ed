"""Every page type in every shipped language, right to left in Arabic, and content translated
with Wagtail's i18n: the active locale's items, with a fallback to the default locale's.

The settings of a multilingual site are switched on here with ``override_settings`` (the rest of
the suite runs a one-language site): ``WAGTAIL_I18N_ENABLED``, the nine ``LANGUAGES``,
``LocaleMiddleware`` and this module as ``ROOT_URLCONF``, with Wagtail's pages under
``i18n_patterns`` (``/fr/…``, ``/ar/…``) as a multilingual host site has them.
"""

import datetime
import json
import re

import feedparser
import pytest
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.test import override_settings
from django.urls import include, path
from django.utils import translation
from icalendar import Calendar
from wagtail import urls as wagtail_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.models import Locale

from wagtail_ar.geo import format_point
from wagtail_ar.locales import localize
from wagtail_ar.models import ClusterPage, Organisation
from wagtail_ar.timeline import build_timeline

from .utils import PAGE_KEYS, TODAY, build_tree

pytestmark = pytest.mark.django_db

# What a multilingual host site routes: documents as before, Wagtail's pages under a language
# prefix.
urlpatterns = [path("documents/", include(wagtaildocs_urls))] + i18n_patterns(
    path("", include(wagtail_urls))
)

LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("es", "Español"),
    ("it", "Italiano"),
    ("el", "Ελληνικά"),
    ("hr", "Hrvatski"),
    ("sl", "Slovenščina"),
    ("pt", "Português"),
    ("ar", "العربية"),
]
CODES = [code for code, _name in LANGUAGES]

multilingual = override_settings(
    WAGTAIL_I18N_ENABLED=True,
    LANGUAGES=LANGUAGES,
    WAGTAIL_CONTENT_LANGUAGES=LANGUAGES,
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.locale.LocaleMiddleware",
        *[m for m in settings.MIDDLEWARE if "SessionMiddleware" not in m],
    ],
)


@pytest.fixture(autouse=True)
def multilingual_site():
    with multilingual:
        yield


def locale(code):
    return Locale.objects.get_or_create(language_code=code)[0]


def in_language(page, code):
    """The address of ``page`` as a reader of ``code`` asks for it: under ``/<code>/``."""
    url = page.url
    prefix = f"/{page.locale.language_code}/"
    assert url.startswith(prefix), url
    return f"/{code}/" + url.removeprefix(prefix)


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def translate(page, code, **changes):
    """A published translation of ``page`` into ``code`` (its parents copied when missing)."""
    copy = page.specific.copy_for_translation(locale(code), copy_parents=True)
    for name, value in changes.items():
        setattr(copy, name, value)
    copy.save()
    return publish(copy)


def one_h1(html):
    return len(re.findall(r"<h1[\s>]", html)) == 1


def article_tag(html):
    match = re.search(r'<article class="ar-page[^>]*>', html)
    assert match, html[:500]
    return match.group(0)


# Every page type in every language ------------------------------------------------------------


@pytest.mark.parametrize("code", CODES)
def test_every_page_type_renders_in_each_language(client, code):
    tree = build_tree()
    for code_ in CODES:
        locale(code_)
    for key in PAGE_KEYS:
        response = client.get(in_language(tree[key], code))
        html = response.content.decode()
        assert response.status_code == 200, (key, code, html[:300])
        assert one_h1(html), (key, code)
        article = article_tag(html)
        assert f'lang="{code}"' in article, (key, article)
        expected_dir = "rtl" if code == "ar" else "ltr"
        assert f'dir="{expected_dir}"' in article, (key, article)
        # The host's <html> carries them too (tests/testapp/templates/testapp/base.html).
        assert re.search(rf'<html lang="{code}" dir="{expected_dir}"', html), (key, html[:200])


def test_arabic_pages_are_right_to_left_with_the_map_left_to_right(client):
    tree = build_tree()
    locale("ar")
    html = client.get(in_language(tree["map"], "ar")).content.decode()
    assert 'dir="rtl"' in article_tag(html)
    # Leaflet's canvas keeps its own left-to-right geometry; its script mirrors the controls.
    assert re.search(r'<div class="ar-map" dir="ltr"', html)
    html = client.get(in_language(tree["activity"], "ar")).content.decode()
    assert re.search(r'<div class="ar-activity-map" dir="ltr"', html)


def test_interface_words_dates_and_numbers_follow_the_language(client):
    tree = build_tree()
    locale("fr")
    html = client.get(in_language(tree["activity"], "fr")).content.decode()
    # 29 November 2024, 10:00 UTC is 11:00 in Madrid: the French date, the 24-hour clock.
    assert "29 novembre 2024" in html
    assert "11:00" in html
    html = client.get(in_language(tree["activity"], "en")).content.decode()
    assert "Nov. 29, 2024" in html or "November 29, 2024" in html


def test_the_factsheet_timeline_is_mirrored_in_arabic():
    tree = build_tree()
    cluster = tree["cluster"]
    with translation.override("en"):
        ltr = build_timeline(cluster.roadmap, cluster.start_date, cluster.end_date, today=TODAY)
    with translation.override("ar"):
        rtl = build_timeline(cluster.roadmap, cluster.start_date, cluster.end_date, today=TODAY)
    assert not ltr.rtl and rtl.rtl
    stage_ltr, stage_rtl = ltr.stages[0], rtl.stages[0]
    assert stage_rtl.width == stage_ltr.width
    # The bar's right edge in Arabic is where its left edge is in English, measured from the
    # other side: time runs from right to left.
    assert stage_rtl.x + stage_rtl.width == pytest.approx(ltr.width - stage_ltr.x, abs=0.02)
    assert {stage_ltr.label_anchor, stage_rtl.label_anchor} == {"start", "end"}
    assert rtl.today_x == pytest.approx(ltr.width - ltr.today_x, abs=0.02)


# Content translation -------------------------------------------------------------------------


@pytest.fixture
def translated():
    """The tree in English, a second English cluster, and French translations of the landing
    page, the working group, the cluster index, the first cluster, the activity index and its
    activity, and the lead organisation."""
    tree = build_tree()
    for code in ("fr", "ar"):
        locale(code)
    tree["cluster"].location = format_point(45.0, 13.6)
    publish(tree["cluster"])
    other = tree["index"].add_child(
        instance=ClusterPage(
            title="Wetlands of the Ebro delta",
            slug="wetlands",
            category="geographical",
            summary="Only in English.",
            question="?",
            objectives="<p>Objectives.</p>",
            expected_outcomes=["networking"],
            start_date=TODAY,
            location=format_point(40.7, 0.8),
            working_group=tree["wg"],
        )
    )
    publish(other)
    tree["other"] = other
    tree["fr_ar"] = translate(tree["ar"], "fr", title="La Salle d’amplification")
    tree["fr_wg"] = translate(tree["wg"], "fr", title="GT1 Connectivité des écosystèmes")
    tree["fr_cluster"] = translate(
        tree["cluster"], "fr", title="Herbiers de posidonie de l’Adriatique"
    )
    tree["fr_index"] = tree["fr_cluster"].get_parent().specific
    tree["fr_activity"] = translate(
        tree["activity"], "fr", title="Dialogue institutionnel de Malaga"
    )
    tree["fr_activities"] = tree["fr_activity"].get_parent().specific
    tree["fr_map"] = translate(tree["map"], "fr", title="Carte de la communauté")
    fr_lead = tree["lead"].copy_for_translation(locale("fr"))
    fr_lead.name = "Région Campanie"
    fr_lead.save()
    tree["fr_lead"] = fr_lead
    return tree


def test_every_page_type_can_be_translated(translated):
    fr = locale("fr")
    for key in PAGE_KEYS:
        page = translated[key]
        translation_ = page.get_translation_or_none(fr) or translate(page, "fr")
        assert translation_.locale == fr
        assert translation_.translation_key == page.translation_key
        assert translation_.live


def test_a_translated_working_group_keeps_its_number(translated):
    """The number is unique among the working groups of one Amplification Room, which lives
    in one locale: WG1 in French is WG1 too."""
    assert translated["fr_wg"].number == translated["wg"].number
    assert translated["fr_wg"].get_parent().locale.language_code == "fr"


def test_the_french_listing_shows_the_translation_and_falls_back_once(client, translated):
    html = client.get(in_language(translated["fr_index"], "fr")).content.decode()
    assert "Herbiers de posidonie de l’Adriatique" in html
    assert "Seagrass meadows of the Adriatic" not in html  # replaced by its translation
    assert html.count("Wetlands of the Ebro delta") == 1  # untranslated: in English, once
    # The English listing is English only.
    html = client.get(in_language(translated["index"], "en")).content.decode()
    assert "Seagrass meadows of the Adriatic" in html
    assert "Herbiers" not in html


def test_relations_follow_the_translation(client, translated):
    """The French cluster was copied from the English one, which points to the English
    working group: the French factsheet names the French working group."""
    assert translated["fr_cluster"].working_group_id == translated["wg"].pk
    html = client.get(in_language(translated["fr_cluster"], "fr")).content.decode()
    assert "GT1 Connectivité des écosystèmes" in html
    assert "Région Campanie" in html  # the lead partner's French translation
    # The English fallback cluster in the French listing names the French working group too.
    listing = client.get(in_language(translated["fr_index"], "fr")).content.decode()
    assert "WG1 Connectivity of ecosystems" not in listing


def test_the_french_feed_shows_the_translation_and_falls_back_once(client, translated):
    base = in_language(translated["fr_index"], "fr")
    for route in ("feed/", "feed/atom/"):
        response = client.get(base + route)
        assert response.status_code == 200
        titles = [entry.title for entry in feedparser.parse(response.content).entries]
        assert "Herbiers de posidonie de l’Adriatique" in titles
        assert "Seagrass meadows of the Adriatic" not in titles
        assert titles.count("Wetlands of the Ebro delta") == 1
        # The English cluster's report has no translation: it comes with the French cluster.
        assert titles.count("Interim report") == 1


def test_the_french_map_and_its_details(client, translated):
    base = in_language(translated["fr_map"], "fr")
    organisations = json.loads(client.get(base + "geojson/").content)["features"]
    ids = [feature["id"] for feature in organisations]
    assert translated["fr_lead"].pk in ids and translated["lead"].pk not in ids
    assert translated["member"].pk in ids  # untranslated: its English version
    assert len(ids) == len(set(ids)) == 2
    clusters = json.loads(client.get(base + "geojson/?layer=clusters").content)["features"]
    names = sorted(feature["properties"]["n"] for feature in clusters)
    assert names == ["Herbiers de posidonie de l’Adriatique", "Wetlands of the Ebro delta"]
    details = client.get(base + f"organisations/{translated['fr_lead'].pk}/").content.decode()
    # The French organisation's clusters: the French factsheet, which still points to the
    # English organisation, found through the translation key.
    assert "Herbiers de posidonie de l’Adriatique" in details
    assert "GT1 Connectivité des écosystèmes" in details


def test_the_french_calendar_shows_the_translation_and_falls_back_once(
    client, translated, settings
):
    settings.WAGTAIL_AR_CALENDAR_PAST_DAYS = None  # the tree's activity is dated 2024
    english_only = translated["activities"].add_child(
        instance=translated["activity"].specific_class(
            title="Webinar on seagrass",
            slug="webinar",
            start=translated["activity"].start + datetime.timedelta(days=3),
            end=translated["activity"].end + datetime.timedelta(days=3),
            time_zone="Europe/Rome",
            format="online",
        )
    )
    publish(english_only)
    response = client.get(in_language(translated["fr_activities"], "fr") + "ical/")
    assert response.status_code == 200
    events = Calendar.from_ical(response.content).walk("VEVENT")
    summaries = sorted(str(event["SUMMARY"]) for event in events)
    assert summaries == ["Dialogue institutionnel de Malaga", "Webinar on seagrass"]
    french = next(e for e in events if str(e["SUMMARY"]).startswith("Dialogue"))
    assert "GT1 Connectivité des écosystèmes" in str(french["DESCRIPTION"])
    # One event, one UID across its translations.
    english = Calendar.from_ical(
        client.get(in_language(translated["activity"], "en") + "ical/").content
    ).walk("VEVENT")[0]
    assert french["UID"] == english["UID"]
    listing = client.get(in_language(translated["fr_activities"], "fr")).content.decode()
    assert listing.count("Webinar on seagrass") == 1
    assert "Malaga Institutional dialogue event" not in listing


def test_the_french_landing_page_and_working_group(client, translated):
    html = client.get(in_language(translated["fr_ar"], "fr")).content.decode()
    assert "GT1 Connectivité des écosystèmes" in html
    assert "Herbiers de posidonie de l’Adriatique" in html
    assert html.count("Wetlands of the Ebro delta") == 1
    assert "Seagrass meadows of the Adriatic" not in html
    html = client.get(in_language(translated["fr_wg"], "fr")).content.decode()
    assert "Dialogue institutionnel de Malaga" in html
    assert "Malaga Institutional dialogue event" not in html


def test_a_draft_translation_falls_back_to_the_published_source(translated):
    translated["fr_cluster"].unpublish()
    with translation.override("fr"):
        titles = sorted(localize(ClusterPage.objects.live()).values_list("title", flat=True))
    assert titles == ["Seagrass meadows of the Adriatic", "Wetlands of the Ebro delta"]


def test_without_i18n_nothing_is_narrowed(translated):
    with override_settings(WAGTAIL_I18N_ENABLED=False), translation.override("fr"):
        assert localize(Organisation.objects.all()).count() == Organisation.objects.count() == 3


def test_result_counts_take_each_language_s_plural_forms(client):
    # Slovenian has four plural forms (1, 2, 3-4, other); a count is one of them, never the
    # "from-to" range, which is its own sentence (ranges apply only with several pages).
    from .test_clusters import make_cluster
    from .utils import make_forum_post

    tree = build_tree()
    for code in ("sl", "fr"):
        locale(code)
    index = tree["index"]
    clusters_url = in_language(index, "sl")
    assert "1 grozd<" in client.get(clusters_url).content.decode()
    make_cluster(index, "second")
    assert "2 grozda<" in client.get(clusters_url).content.decode()
    for number in range(11):
        make_cluster(index, f"more-{number}")
    html = client.get(in_language(index, "fr")).content.decode()
    assert "Clusters 1 à 12 sur 13" in html
    make_forum_post(tree["forum"], "published")
    assert "1 annonce<" in client.get(in_language(tree["forum"], "fr")).content.decode()
