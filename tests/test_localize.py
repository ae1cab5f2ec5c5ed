"""wagtail-localize: what is sent to translators, what is kept in sync, and the relations to
snippets of a translation, mapped to the snippets' translations (wagtail_ar.translation).

wagtail-localize is optional for sites; the test extra installs it and tests/settings.py adds it
to ``INSTALLED_APPS`` when it is importable. Without it this module is skipped.
"""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("wagtail_localize")

from wagtail_localize.models import TranslationSource  # noqa: E402

from wagtail_ar.geo import format_point  # noqa: E402
from wagtail_ar.models import ThematicProject  # noqa: E402

from .test_i18n_pages import locale, multilingual, publish  # noqa: E402
from .utils import build_tree  # noqa: E402

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def multilingual_site():
    with multilingual:
        yield


@pytest.fixture
def tree():
    tree = build_tree()
    tree["fr"] = locale("fr")
    return tree


def string_paths(source):
    """The paths of what ``source`` sends to translators."""
    return set(source.stringsegment_set.values_list("context__path", flat=True))


def overridable_paths(source):
    """The paths of the synchronised values a translator may override."""
    return set(source.overridablesegment_set.values_list("context__path", flat=True))


def french_copy(snippet, fr, **changes):
    """A live French translation of ``snippet``, made by hand (as an editor would)."""
    copy = snippet.copy_for_translation(fr)
    for name, value in changes.items():
        setattr(copy, name, value)
    copy.live = True
    copy.save()
    return copy


def sync(instance, fr, capture):
    """What "Translate" then "Sync translations" do: the source updated from ``instance``, the
    French translation created or updated from it, and published (on commit)."""
    source, created = TranslationSource.get_or_create_from_instance(instance)
    if not created:
        source.update_from_db()
    with capture(execute=True):
        translation, _created = source.create_or_update_translation(
            fr, copy_parent_pages=True, fallback=True
        )
    translation.refresh_from_db()
    return source, translation


def test_a_cluster_sends_its_texts_and_keeps_its_facts(tree):
    cluster = tree["cluster"]
    cluster.address = "Riva 1, Trieste"
    publish(cluster)
    source, _created = TranslationSource.get_or_create_from_instance(cluster)
    sent = string_paths(source)
    assert {"title", "summary", "question"} <= sent
    assert any(path.startswith("objectives") for path in sent)
    assert any(path.startswith("roadmap.") for path in sent)  # the stage's title
    kept = {"location", "address", "category", "countries", "start_date", "end_date"}
    assert not sent & kept
    assert not {path for path in sent if path.split(".")[0] in kept}
    # The address may be overridden by a translator; the point on the map may not.
    overridable = overridable_paths(source)
    assert "address" in overridable
    assert "location" not in overridable
    assert "lead_partner" not in overridable


def test_a_cluster_s_translation_follows_its_facts_and_relations(
    tree, django_capture_on_commit_callbacks
):
    cluster, fr = tree["cluster"], tree["fr"]
    cluster.location = format_point(45.65, 13.77)
    publish(cluster)
    fr_project = french_copy(tree["project"], fr, name="Aires marines protégées pour le changement")
    fr_lead = french_copy(tree["lead"], fr, name="Région Campanie")
    fr_member = french_copy(tree["member"], fr)

    _source, translation = sync(cluster, fr, django_capture_on_commit_callbacks)
    assert translation.locale == fr
    assert translation.live
    assert translation.location == cluster.location
    assert (translation.latitude, translation.longitude) == (45.65, 13.77)
    assert translation.category == cluster.category
    assert list(translation.countries) == list(cluster.countries)
    # The snippets translated into French are the French ones; the others the source's.
    assert list(translation.thematic_projects.all()) == [fr_project]
    assert list(translation.solutions.all()) == [tree["solution"]]
    assert translation.lead_partner == fr_lead
    # The participants are copied, each organisation in French where it is translated.
    assert [(p.organisation, p.role) for p in translation.participants.all()] == [
        (fr_member, "external")
    ]
    assert [p.organisation for p in cluster.participants.all()] == [tree["member"]]

    # The source changes: a new point, a second project (not translated), no solution.
    other = ThematicProject.objects.create(acronym="SEA", name="Seas")
    cluster.location = format_point(44.0, 12.5)
    cluster.thematic_projects.set([tree["project"], other])
    cluster.solutions.set([])
    cluster.start_date -= datetime.timedelta(days=1)
    publish(cluster)
    _source, translation = sync(cluster, fr, django_capture_on_commit_callbacks)
    assert translation.location == cluster.location
    assert translation.latitude == 44.0
    assert translation.start_date == cluster.start_date
    assert set(translation.thematic_projects.all()) == {fr_project, other}
    # Cleared in the translation too (wagtail-localize itself skips an empty source).
    assert list(translation.solutions.all()) == []
    # What is published is the revision: it carries the same relations.
    live = translation.live_revision.as_object()
    assert set(live.thematic_projects.all()) == {fr_project, other}


def test_an_untranslated_snippet_draft_is_not_linked(tree, django_capture_on_commit_callbacks):
    """A French project still in draft is not shown; the translation keeps the English one,
    which the French page shows in French once the translation is published (``localized``)."""
    cluster, fr = tree["cluster"], tree["fr"]
    draft = tree["project"].copy_for_translation(fr)
    draft.live = False
    draft.save()
    _source, translation = sync(cluster, fr, django_capture_on_commit_callbacks)
    assert list(translation.thematic_projects.all()) == [tree["project"]]


def test_an_organisation_sends_its_name_and_keeps_its_place(
    tree, django_capture_on_commit_callbacks
):
    lead, fr = tree["lead"], tree["fr"]
    lead.acronym = "RC"
    lead.description = "The region of Naples."
    lead.website = "https://regione.campania.it"
    lead.save()
    fr_project = french_copy(tree["project"], fr, name="Aires marines protégées")
    source, _created = TranslationSource.get_or_create_from_instance(lead)
    sent = string_paths(source)
    assert {"name", "description"} <= sent
    assert not sent & {"location", "address", "country", "city", "acronym", "website"}
    assert {"acronym", "city", "website"} <= overridable_paths(source)
    assert "location" not in overridable_paths(source)

    _source, translation = sync(lead, fr, django_capture_on_commit_callbacks)
    assert translation.locale == fr
    assert translation.location == lead.location
    assert (translation.latitude, translation.longitude) == (lead.latitude, lead.longitude)
    assert translation.country == lead.country
    assert translation.community_roles == lead.community_roles
    assert list(translation.thematic_projects.all()) == [fr_project]

    lead.location = format_point(41.0, 15.0)
    lead.thematic_projects.set([])
    lead.save()
    _source, translation = sync(lead, fr, django_capture_on_commit_callbacks)
    assert translation.latitude == 41.0
    assert list(translation.thematic_projects.all()) == []


def test_a_solution_points_to_the_french_project(tree, django_capture_on_commit_callbacks):
    fr = tree["fr"]
    fr_project = french_copy(tree["project"], fr, name="Aires marines protégées")
    source, _created = TranslationSource.get_or_create_from_instance(tree["solution"])
    assert {"title", "summary"} <= string_paths(source)
    _source, translation = sync(tree["solution"], fr, django_capture_on_commit_callbacks)
    assert translation.thematic_project == fr_project
    assert translation.transfer_levels == tree["solution"].transfer_levels


def test_an_activity_keeps_its_time_and_place(tree, django_capture_on_commit_callbacks):
    activity, fr = tree["activity"], tree["fr"]
    source, _created = TranslationSource.get_or_create_from_instance(activity)
    sent = string_paths(source)
    assert {"title", "venue"} <= sent
    assert not sent & {"time_zone", "location", "start", "end", "format"}
    assert not overridable_paths(source) & {"time_zone", "location"}
    fr_lead = french_copy(tree["lead"], fr, name="Région Campanie")

    _source, translation = sync(activity, fr, django_capture_on_commit_callbacks)
    assert translation.time_zone == "Europe/Madrid"
    assert (translation.start, translation.end) == (activity.start, activity.end)
    assert translation.location == activity.location
    assert list(translation.organisers.all()) == [fr_lead]

    activity.time_zone = "Africa/Tunis"
    activity.start += datetime.timedelta(days=1)
    activity.end += datetime.timedelta(days=1)
    publish(activity)
    _source, translation = sync(activity, fr, django_capture_on_commit_callbacks)
    assert translation.time_zone == "Africa/Tunis"
    assert translation.start == activity.start


def test_a_working_group_keeps_its_number_and_organisations(
    tree, django_capture_on_commit_callbacks
):
    wg, fr = tree["wg"], tree["fr"]
    source, _created = TranslationSource.get_or_create_from_instance(wg)
    assert "number" not in string_paths(source)
    fr_lead = french_copy(tree["lead"], fr, name="Région Campanie")
    _source, translation = sync(wg, fr, django_capture_on_commit_callbacks)
    assert translation.number == wg.number
    assert list(translation.coordinating_organisations.all()) == [fr_lead]
    assert list(translation.member_organisations.all()) == [tree["member"]]


def test_the_models_do_not_import_wagtail_localize():
    """A site without wagtail-localize loads the package: nothing imports it at module level."""
    code = (
        "import sys; sys.modules['wagtail_localize'] = None\n"
        "import django; django.setup()\n"
        "from django.apps import apps\n"
        "from wagtail_ar.models import ClusterPage\n"
        "assert not apps.is_installed('wagtail_localize')\n"
        "assert 'wagtail_localize.fields' not in sys.modules\n"
        "print('ok')\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.stdout.strip() == "ok", result.stderr


def test_a_subclass_can_build_on_the_base_s_fields():
    """As docs/languages.md shows: the base's names, one of them changed."""
    from wagtail_ar.models import AbstractClusterPage
    from wagtail_ar.translation import TranslationFields, translation_fields_of

    fields = TranslationFields(
        translation_fields_of(AbstractClusterPage), synchronized=["question"]
    )
    assert fields.kinds["question"] == "synchronized"
    assert fields.kinds["location"] == "fixed"
    assert fields.kinds["summary"] == "translated"
