"""Run inside a project made by `wagtail start` with the wheel installed: create every page type
under the site's home page, request each one and check it renders inside the project's base.html.

Used by tests/test_packaging.py; runnable by hand as `python smoke_fresh_project.py` from the
project folder with DJANGO_SETTINGS_MODULE set.
"""

import datetime

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.models import Site  # noqa: E402

from wagtail_ar.geo import format_point  # noqa: E402
from wagtail_ar.models import (  # noqa: E402
    ActivityIndexPage,
    ActivityPage,
    AmplificationRoomPage,
    ClusterIndexPage,
    ClusterPage,
    ClusterReportPage,
    CommunityMapPage,
    Organisation,
    WorkingGroupPage,
)

settings.ALLOWED_HOSTS = ["*"]
today = datetime.date.today()
home = Site.objects.get(is_default_site=True).root_page
lead = Organisation.objects.create(
    name="Junta de Andalucía", community_roles=["pp"], location=format_point(37.39, -5.98)
)
ar = home.add_child(instance=AmplificationRoomPage(title="The Amplification Room", slug="ar"))
wg = ar.add_child(
    instance=WorkingGroupPage(title="WG1", slug="wg1", number=1, theme="Connectivity of ecosystems")
)
index = ar.add_child(instance=ClusterIndexPage(title="Clusters", slug="clusters"))
cluster = index.add_child(
    instance=ClusterPage(
        title="Cluster",
        slug="cluster",
        category="peer_review",
        summary="s",
        question="q",
        objectives="<p>o</p>",
        start_date=today,
        lead_partner=lead,
        working_group=wg,
    )
)
cluster.full_clean()
report = cluster.add_child(
    instance=ClusterReportPage(title="Report", slug="report", report_type="final", summary="s")
)
activities = ar.add_child(instance=ActivityIndexPage(title="Activities", slug="activities"))
start = timezone.now()
activity = activities.add_child(
    instance=ActivityPage(
        title="Meeting",
        slug="meeting",
        start=start,
        end=start + datetime.timedelta(hours=2),
        time_zone="Europe/Rome",
    )
)
community_map = ar.add_child(instance=CommunityMapPage(title="Map", slug="map"))

client = Client()
for page in (ar, wg, index, cluster, report, activities, activity, community_map):
    response = client.get(page.url)
    html = response.content.decode()
    assert response.status_code == 200, (page, response.status_code)
    # `wagtail start` links its own stylesheet from base.html: proof the page extends it.
    assert "css/mysite.css" in html, (
        f"{type(page).__name__} did not render inside mysite's base.html"
    )
    assert html.count("<h1") == 1, type(page).__name__
    # The layout fills only the content block: the package's stylesheet comes once, in it.
    assert html.count("wagtail_ar/css/wagtail_ar.css") == 1, type(page).__name__
    print(f"{type(page).__name__}: 200")
print("every page type rendered in the project's base.html")
