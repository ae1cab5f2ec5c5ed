"""Run by tests/test_editor_modeladmin.py with ``--ds=tests.settings_modeladmin``.

Not collected by the main suite (its name does not start with ``test_``): wagtail-modeladmin is
installed only in the settings of that subprocess.
"""

import csv
import io
from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.menu import admin_menu

from tests.utils import build_tree, make_organisation
from wagtail_ar.importers import OrganisationImporter, SolutionImporter, ThematicProjectImporter
from wagtail_ar.management.commands.ar_create_editors_group import GROUP_NAME
from wagtail_ar.models import ClusterPage

pytestmark = pytest.mark.django_db

ADMINS = {
    "clusterpage": None,
    "organisation": OrganisationImporter,
    "thematicproject": ThematicProjectImporter,
    "solution": SolutionImporter,
}


def url(model_name, action="index", *args):
    return reverse(f"wagtail_ar_{model_name}_modeladmin_{action}", args=args)


def csv_rows(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(content.decode("utf-8"), newline="")))


def listed(response):
    return {str(obj) for obj in response.context["object_list"]}


@pytest.fixture
def tree():
    tree = build_tree()
    tree["lead"].save()
    return tree


def test_the_site_group_holds_the_four_model_admins(admin_user, tree):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    labels = {str(item.label): item for item in admin_menu.menu_items_for_request(request)}
    mission = labels["Mission"]
    assert [item.url for item in mission.menu.menu_items_for_request(request)] == [
        url(name) for name in ADMINS
    ]


def test_listings_inspect_views_and_exports(admin_client, tree):
    for model_name, importer in ADMINS.items():
        response = admin_client.get(url(model_name))
        assert response.status_code == 200, model_name
        rows = csv_rows(admin_client.get(url(model_name), {"export": "csv"}))
        if importer is not None:
            assert rows[0] == importer.column_names(), model_name
        else:
            assert rows[0][:3] == ["Title", "Category", "Cluster status"]
        xlsx = admin_client.get(url(model_name), {"export": "xlsx"})
        assert xlsx.status_code == 200 and xlsx["Content-Disposition"].endswith('.xlsx"')
    organisation = tree["lead"]
    assert admin_client.get(url("organisation", "inspect", organisation.pk)).status_code == 200
    assert admin_client.get(url("organisation", "create")).status_code == 200
    # Editing a page goes to Wagtail's page editor.
    listing = admin_client.get(url("clusterpage")).content.decode()
    assert reverse("wagtailadmin_pages:edit", args=[tree["cluster"].pk]) in listing


def test_filters_and_safe_exports(admin_client, tree):
    make_organisation("=cmd|' /C calc'!A0", roles=("tp_ap",))
    make_organisation("An AP", roles=("ap",))
    assert listed(admin_client.get(url("organisation"), {"community_role": "ap"})) == {"An AP"}
    rows = csv_rows(admin_client.get(url("organisation"), {"export": "csv"}))
    assert ["'=cmd|' /C calc'!A0"] == [r[0] for r in rows if "cmd" in r[0]]

    today = timezone.localdate()
    ClusterPage.objects.filter(pk=tree["cluster"].pk).update(start_date=today, end_date=None)
    assert listed(admin_client.get(url("clusterpage"), {"status": "active"})) == {
        "Seagrass meadows of the Adriatic"
    }
    assert listed(admin_client.get(url("clusterpage"), {"status": "planned"})) == set()
    assert listed(admin_client.get(url("clusterpage"), {"category": "thematic"})) == set()


def test_editors_use_them_and_outsiders_do_not(client, django_user_model, tree):
    call_command("ar_create_editors_group", stdout=StringIO())
    editor = django_user_model.objects.create_user("editor", password="pw")  # noqa: S106
    editor.groups.add(Group.objects.get(name=GROUP_NAME))
    client.force_login(editor)
    for model_name in ADMINS:
        assert client.get(url(model_name)).status_code == 200, model_name
        assert client.get(url(model_name), {"export": "csv"}).status_code == 200, model_name

    outsider = django_user_model.objects.create_user("outsider", password="pw")  # noqa: S106
    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(outsider)
    for model_name in ("organisation", "thematicproject", "solution"):
        response = client.get(url(model_name), {"export": "csv"})
        assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
        assert not response.get("Content-Disposition")
    # Issue 17, point 9: the cluster listing is open to any admin user (modeladmin's page
    # helper), but lists and exports only the factsheets the user may edit: none here.
    response = client.get(url("clusterpage"))
    assert response.status_code == 200
    assert listed(response) == set()
    rows = csv_rows(client.get(url("clusterpage"), {"export": "csv"}))
    assert len(rows) <= 1  # the heading only
    assert tree["cluster"].title not in str(rows)
