"""The example site's demo content, and the README's demo command over real HTTP."""

import datetime
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from wagtail_ar.models import (
    ActivityPage,
    ClusterPage,
    ClusterReportPage,
    Organisation,
    Solution,
    ThematicProject,
    WorkingGroupPage,
)

ROOT = Path(__file__).resolve().parent.parent
PAGE_TYPES = (
    "amplificationroompage",
    "workinggrouppage",
    "clusterindexpage",
    "clusterpage",
    "clusterreportpage",
    "activityindexpage",
    "activitypage",
    "communitymappage",
)
SNIPPETS = (Organisation, ThematicProject, Solution)


def counts():
    from django.apps import apps

    return {
        model.__name__: model.objects.count()
        for model in apps.get_app_config("wagtail_ar").get_models()
    } | {"Page": Page.objects.count()}


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=StringIO())


def test_running_the_demo_twice_creates_no_duplicates(demo):
    first = counts()
    call_command("load_demo", stdout=StringIO())
    assert counts() == first


def test_demo_content_covers_the_sources(demo):
    assert sorted(WorkingGroupPage.objects.values_list("number", flat=True)) == [1, 2, 3, 4]
    clusters = list(ClusterPage.objects.live())
    assert len(clusters) >= 12
    assert {c.category for c in clusters} == {"geographical", "thematic", "peer_review"}
    assert {c.status for c in clusters} == {"planned", "active", "completed"}
    assert ClusterReportPage.objects.live().count() >= 6
    for cluster in clusters:
        cluster.full_clean()  # every demo cluster obeys the editors' rules
    located = Organisation.objects.filter(live=True, latitude__isnull=False)
    assert located.count() >= 40
    countries = set(located.values_list("country", flat=True))
    assert countries & {"ES", "FR", "IT", "GR", "HR"} and countries & {
        "MA",
        "TN",
        "DZ",
        "EG",
        "LB",
    }, countries
    assert {"Artemis", "Germ of Life", "MPA4Change"} <= {
        p.acronym for p in ThematicProject.objects.all()
    } | {p.name for p in ThematicProject.objects.all()}
    assert Solution.objects.count() >= 3
    malaga = ActivityPage.objects.get(title__icontains="Malaga")
    assert timezone.localtime(malaga.start, malaga.zone).date() == datetime.date(2024, 11, 29)


def test_every_demo_page_type_answers_200(demo, client):
    for model_name in PAGE_TYPES:
        page = Page.objects.live().filter(content_type__model=model_name).first()
        assert page is not None, model_name
        response = client.get(page.url)
        assert response.status_code == 200, (model_name, response.status_code)


def test_admin_edit_view_of_every_demo_page_type_and_snippet(demo, admin_client):
    for model_name in PAGE_TYPES:
        page = Page.objects.filter(content_type__model=model_name).first()
        assert (
            admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code == 200
        ), model_name
    for model in SNIPPETS:
        url = reverse(
            f"wagtailsnippets_wagtail_ar_{model._meta.model_name}:edit",
            args=[model.objects.first().pk],
        )
        assert admin_client.get(url).status_code == 200, model.__name__


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_readme_demo_command_serves_the_site_over_http(tmp_path):
    """`scripts/demo` on a fresh SQLite database, then the example site served by runserver."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "AR_VENV": sys.prefix,  # the environment running the tests; scripts/demo makes .venv otherwise
        "AR_DEMO_NO_SERVE": "1",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    setup = subprocess.run(
        ["bash", "scripts/demo"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert setup.returncode == 0, setup.stdout[-2000:] + setup.stderr[-2000:]
    assert "User:      admin" in setup.stdout and "Password:  changeme" in setup.stdout

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "example_site/manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        for _attempt in range(100):
            try:
                home = opener.open(base + "/", timeout=5)
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("the example site did not start")
        assert home.status == 200

        # Log in to the admin as the README says.
        login = opener.open(base + "/admin/login/", timeout=10).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login).group(1)
        data = urllib.parse.urlencode(
            {"username": "admin", "password": "changeme", "csrfmiddlewaretoken": token}
        )
        request = urllib.request.Request(
            base + "/admin/login/", data=data.encode(), headers={"Referer": base + "/admin/login/"}
        )
        assert opener.open(request, timeout=10).geturl().rstrip("/").endswith("/admin")

        # Every page type, and its admin edit view; every snippet's edit view.
        list_env = {**env, "DJANGO_SETTINGS_MODULE": "example.settings"}
        listing = subprocess.run(
            [sys.executable, "example_site/manage.py", "shell", "--no-imports", "-c", LIST_PAGES],
            cwd=ROOT,
            env=list_env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout.split()
        assert len(listing) == len(PAGE_TYPES) + len(SNIPPETS), listing
        for line in listing:
            kind, url, edit_url = line.split("|")
            if url:
                assert opener.open(base + url, timeout=10).status == 200, kind
            assert opener.open(base + edit_url, timeout=10).status == 200, kind
    finally:
        server.terminate()
        server.wait(timeout=10)


LIST_PAGES = f"""
from django.urls import reverse
from wagtail.models import Page
from wagtail_ar.models import Organisation, Solution, ThematicProject
for name in {PAGE_TYPES!r}:
    page = Page.objects.live().filter(content_type__model=name).first()
    print(name + "|" + page.url + "|" + reverse("wagtailadmin_pages:edit", args=[page.pk]))
for model in (Organisation, ThematicProject, Solution):
    obj = model.objects.first()
    print(model.__name__ + "||" + reverse("wagtailsnippets_wagtail_ar_" + model._meta.model_name + ":edit", args=[obj.pk]))
"""
