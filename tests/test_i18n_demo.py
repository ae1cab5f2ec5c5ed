"""The example site's demo content in French and Arabic: created by load_demo, idempotently."""

import pytest
from django.core.management import call_command
from wagtail.models import Locale

from wagtail_ar.models import AmplificationRoomPage, ClusterPage, Organisation, WorkingGroupPage

from .test_i18n_pages import in_language, multilingual

pytestmark = pytest.mark.django_db

DEMO_LANGUAGES = [("en", "English"), ("fr", "Français"), ("ar", "العربية")]


@pytest.fixture(autouse=True)
def multilingual_site():
    with multilingual:
        yield


def counts():
    return {
        code: (
            AmplificationRoomPage.objects.filter(locale__language_code=code).count(),
            WorkingGroupPage.objects.filter(locale__language_code=code).count(),
            ClusterPage.objects.filter(locale__language_code=code).count(),
            Organisation.objects.filter(locale__language_code=code).count(),
        )
        for code in ("fr", "ar")
    }


def test_load_demo_translates_part_of_the_content_once(client, settings):
    settings.WAGTAIL_CONTENT_LANGUAGES = settings.LANGUAGES = DEMO_LANGUAGES
    call_command("load_demo", "--today", "2025-06-15")
    first = counts()
    assert first == {"fr": (1, 1, 2, 2), "ar": (1, 1, 2, 2)}
    assert set(Locale.objects.values_list("language_code", flat=True)) == {"en", "fr", "ar"}
    call_command("load_demo", "--today", "2025-06-15")
    assert counts() == first

    fr_room = AmplificationRoomPage.objects.get(locale__language_code="fr")
    assert fr_room.live and fr_room.title == "La Salle d’amplification"
    html = client.get(in_language(fr_room, "fr")).content.decode()
    assert "GT1 : Connectivité des écosystèmes" in html
    ar_room = AmplificationRoomPage.objects.get(locale__language_code="ar")
    response = client.get(in_language(ar_room, "ar"))
    assert response.status_code == 200
    assert 'dir="rtl"' in response.content.decode()
    assert "غرفة التضخيم" in response.content.decode()
