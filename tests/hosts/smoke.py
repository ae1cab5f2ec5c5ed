"""Run inside a host project with the wheel installed (each host of the matrix): create every page
type of the package, then through the host's own URL conf, with Django's test client:

- each page, and an organisation's profile, renders (200) inside the host's base template (``--marker``: a string only that
  template has), with one ``<h1>``, and with each of the package's stylesheets and scripts
  exactly once, every one of them found by the host's static files finders;
- ``--languages fr,ar``: each page translated with wagtail-localize into each language, rendered
  under ``/<language>/`` with ``lang`` and ``dir`` (``rtl`` in Arabic) on its ``<article>`` and on
  the host's ``<html>``;
- ``--host-page``: a page of the host's own app ``hostapp`` (before wagtail_ar in INSTALLED_APPS)
  whose StreamField has the package's MapBlock renders with the map's assets once;
- the forum round trip: a visitor posts a need through the real form (CSRF checked, the token
  read from the form), the moderators are mailed, a moderator publishes it in the admin, it is
  on the forum page;
- the feeds: RSS 2.0 and Atom parse (``xml.etree``) and list the cluster and its report; the
  activity index's and the activity's iCalendar files are well-formed RFC 5545;
- ``--urls FILE``: the pages' paths are written there as JSON (the browser test opens them).

It ends with the line ``host ok: every page type, the forum and the feeds``, which the tests
look for; any failure is an assertion with what was received. Used by tests/test_packaging.py
(host (a), ``wagtail start``) and tests/test_host_matrix.py; runnable by hand from a project's
folder with DJANGO_SETTINGS_MODULE set: ``python smoke.py --marker 'css/mysite.css'``.
"""

import argparse
import datetime
import json
import re
import time
import xml.etree.ElementTree as ET

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.staticfiles import finders  # noqa: E402
from django.core import mail  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from icalendar import Calendar  # noqa: E402
from wagtail.models import Locale, Site  # noqa: E402

from wagtail_ar.conf import settings as ar_settings  # noqa: E402
from wagtail_ar.geo import format_point  # noqa: E402
from wagtail_ar.map.profiles import profile_path  # noqa: E402
from wagtail_ar.models import (  # noqa: E402
    AccessibilityStatementPage,
    ActivityIndexPage,
    ActivityPage,
    AmplificationRoomPage,
    ClusterIndexPage,
    ClusterPage,
    ClusterReportPage,
    CommunityMapPage,
    ForumPage,
    ForumPost,
    Organisation,
    WorkingGroupPage,
)

ATOM = "{http://www.w3.org/2005/Atom}"
ASSET = re.compile(r'(?:src|href)="([^"]*?/wagtail_ar/[^"?#]+\.(?:css|js))[^"]*"')
MAP_SCRIPTS = ("leaflet.js", "community_map.js")

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--marker", required=True, help="a string only the host's base.html has")
parser.add_argument("--languages", default="", help="comma-separated, besides the default one")
parser.add_argument("--host-page", action="store_true", help="render a hostapp page with a map")
parser.add_argument("--urls", help="write the pages' paths to this JSON file")
options = parser.parse_args()
languages = [code for code in options.languages.split(",") if code]

settings.ALLOWED_HOSTS = ["*"]
# The forum refuses a form sent sooner than this after it was shown; the script waits it out.
settings.WAGTAIL_AR_FORUM_MIN_FILL_SECONDS = 1
site = Site.objects.get(is_default_site=True)
home = site.root_page
today = datetime.date.today()


def check(condition, message, html=""):
    """An assertion that shows what the host answered."""
    if not condition:
        excerpt = re.sub(r"\s+", " ", html)[:1500]
        raise AssertionError(f"{message}\n--- what came back ---\n{excerpt}" if html else message)


def get(client, url, status=200):
    response = client.get(url)
    check(
        response.status_code == status,
        f"GET {url}: {response.status_code}, not {status}",
        response.content.decode(errors="replace"),
    )
    return response


def assets(html):
    """The package's stylesheets and scripts linked from a page: {path: how many times}."""
    found = {}
    for url in ASSET.findall(html):
        found[url] = found.get(url, 0) + 1
    return found


def check_assets(name, html, expected=("wagtail_ar.css",)):
    found = assets(html)
    for url, count in found.items():
        check(count == 1, f"{name}: {url} is linked {count} times", html)
        path = url.split(settings.STATIC_URL, 1)[-1]
        check(finders.find(path), f"{name}: {path} is not among the host's static files")
    for end in expected:
        check(
            any(url.endswith("/" + end) for url in found),
            f"{name}: no {end} among {sorted(found)}",
            html,
        )


def check_page(client, page, url=None, language=None, name=None):
    name = f"{name or type(page).__name__} ({language or settings.LANGUAGE_CODE})"
    html = get(client, url or page.url).content.decode()
    check(options.marker in html, f"{name}: not inside the host's base.html", html)
    check(len(re.findall(r"<h1[\s>]", html)) == 1, f"{name}: not one <h1>", html)
    map_page = isinstance(page, CommunityMapPage) and url is None
    check_assets(name, html, MAP_SCRIPTS if map_page else ("wagtail_ar.css",))
    if language:
        article = re.search(r'<article class="ar-page[^>]*>', html)
        check(article, f"{name}: no <article> of the package", html)
        direction = "rtl" if language == "ar" else "ltr"
        for attribute in (f'lang="{language}"', f'dir="{direction}"'):
            check(attribute in article.group(0), f"{name}: no {attribute} on {article.group(0)}")
        check(
            re.search(rf'<html lang="{language}" dir="{direction}"', html),
            f"{name}: the host's <html> is not lang={language} dir={direction}",
            html,
        )
    print(f"{name}: 200 in the host's base.html")
    return html


# Every page type ------------------------------------------------------------------------------

lead = Organisation.objects.create(
    name="Junta de Andalucía",
    community_roles=["pp"],
    country="ES",
    location=format_point(37.39, -5.98),
)
Organisation.objects.create(
    name="Ville de Marseille",
    community_roles=["external"],
    country="FR",
    location=format_point(43.30, 5.37),
)
ar = home.add_child(instance=AmplificationRoomPage(title="The Amplification Room", slug="ar"))
wg = ar.add_child(
    instance=WorkingGroupPage(title="WG1", slug="wg1", number=1, theme="Connectivity of ecosystems")
)
index = ar.add_child(instance=ClusterIndexPage(title="Clusters", slug="clusters"))
cluster = index.add_child(
    instance=ClusterPage(
        title="Seagrass meadows of Andalucía",
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
    instance=ClusterReportPage(
        title="Final report of the seagrass cluster",
        slug="report",
        report_type="final",
        summary="s",
    )
)
activities = ar.add_child(instance=ActivityIndexPage(title="Activities", slug="activities"))
start = timezone.now() + datetime.timedelta(days=7)
activity = activities.add_child(
    instance=ActivityPage(
        title="Málaga institutional dialogue",
        slug="meeting",
        start=start,
        end=start + datetime.timedelta(hours=2),
        time_zone="Europe/Madrid",
        venue="Palacio de Ferias",
        location=format_point(36.72, -4.42),
    )
)
community_map = ar.add_child(instance=CommunityMapPage(title="Map", slug="map"))
forum = ar.add_child(instance=ForumPage(title="Forum", slug="forum"))
statement = ar.add_child(
    instance=AccessibilityStatementPage(
        title="Accessibility statement",
        slug="accessibility",
        public_body="Community4Nature",
        scope="the Amplification Room website",
        compliance_status="partially",
        non_compliance="<p>The map cannot be used with a screen reader alone.</p>",
        preparation_date=today,
        last_review_date=today,
        feedback="<p>Write to us.</p>",
        contact_email="a11y@example.org",
        enforcement_procedure="<p>Turn to the national monitoring body.</p>",
    )
)
pages = [ar, wg, index, cluster, report, activities, activity, community_map, forum, statement]

visitor = Client(enforce_csrf_checks=True, HTTP_HOST=site.hostname)
for page in pages:
    check_page(visitor, page)
# An organisation's profile, a route of the community map page.
profile_url = community_map.url + profile_path(community_map, lead)
html = check_page(visitor, community_map, url=profile_url, name="organisation profile")
check(lead.name in html, "the profile does not name its organisation", html)

# The languages, translated with wagtail-localize ------------------------------------------------

if languages:
    from wagtail_localize.models import TranslationSource

    for code in languages:
        locale = Locale.objects.get_or_create(language_code=code)[0]
        for page in pages:  # parents first
            source, created = TranslationSource.get_or_create_from_instance(page)
            if not created:
                source.update_from_db()
            source.create_or_update_translation(locale, copy_parent_pages=True, fallback=True)
        for page in pages:
            translation = page.get_translation(locale).specific
            check(translation.live, f"{translation}: the {code} translation is not live")
            check_page(visitor, translation, language=code)
        print(f"{code}: every page type translated with wagtail-localize")

# A page of the host's own app, with the package's map block -------------------------------------

host_page = None
if options.host_page:
    from hostapp.models import HostPage

    host_page = home.add_child(
        instance=HostPage(
            title="Our partners",
            slug="partners",
            body=[
                ("text", "<p>Who takes part</p>"),
                ("map", {"heading": "Partners", "show": "organisations"}),
                ("faq", {"question": "Who?", "answer": "<p>All of us.</p>"}),
            ],
        )
    )
    html = get(visitor, host_page.url).content.decode()
    check(options.marker in html, "HostPage: not inside the host's base.html", html)
    check('data-ar-map="' in html, "HostPage: no map block", html)
    check('id="ar-map-block-1-config"' in html, "HostPage: no configuration of the map", html)
    check_assets("HostPage", html, ("leaflet.css", *MAP_SCRIPTS))
    print("HostPage (hostapp, before wagtail_ar): its map block with the map's assets once")

# The forum round trip --------------------------------------------------------------------------

form_url = forum.url + "new/"
html = get(visitor, form_url).content.decode()
fields = dict(
    re.findall(r'<input type="hidden" name="(csrfmiddlewaretoken|started)" value="([^"]*)"', html)
)
check(
    set(fields) == {"csrfmiddlewaretoken", "started"},
    "the form has no CSRF or fill-time token",
    html,
)
check(f'value="{wg.pk}"' in html, "the form offers no working group as a theme", html)
time.sleep(ar_settings.FORUM_MIN_FILL_SECONDS + 0.2)
title = "Seagrass monitoring in a small MPA"
response = visitor.post(
    form_url,
    {
        **fields,
        "name": "Maria Rossi",
        "organisation": "Parco Nazionale del Cilento",
        "country": "IT",
        "community_role": "external",
        "email": "maria@example.org",
        "themes": [wg.pk],
        "kind": "need",
        "title": title,
        "description": "We need a cheap protocol.",
        "consent": "on",
        "website": "",
    },
)
check(
    response.status_code == 302 and response["Location"].endswith("/thanks/"),
    f"posting a need: {response.status_code}, not a redirect to thanks/",
    response.content.decode(),
)
post = ForumPost.objects.get(title=title)
check(post.status == "pending", f"the new post is {post.status}, not pending")
check(title not in get(visitor, forum.url).content.decode(), "a pending post is on the board")
outbox = getattr(mail, "outbox", None)  # the locmem backend's; a console backend prints it
if outbox is not None:
    check(
        [message.to for message in outbox] == [["moderator@host.test"]],
        f"the moderators' mail: {[message.to for message in outbox]}",
    )
moderator = get_user_model().objects.create_superuser("moderator", "moderator@host.test", "x")
admin = Client(HTTP_HOST=site.hostname)
admin.force_login(moderator)
moderate = reverse("wagtailsnippets_wagtail_ar_forumpost:moderate", args=[post.pk, "publish"])
get(admin, moderate)
response = admin.post(moderate)
check(response.status_code == 302, f"publishing in the admin: {response.status_code}")
post.refresh_from_db()
check(post.status == "published", f"the post is {post.status} after publishing")
check(title in get(visitor, forum.url).content.decode(), "the published post is not on the board")
get(visitor, f"{forum.url}{post.pk}/")
print("forum: posted through the form, published by a moderator, on the board")

# The feeds --------------------------------------------------------------------------------------


def parse_xml(url, content_type):
    response = get(visitor, url)
    check(response["Content-Type"].startswith(content_type), f"{url}: {response['Content-Type']}")
    try:
        return ET.fromstring(response.content)
    except ET.ParseError as error:
        raise AssertionError(f"{url} is not XML ({error}):\n{response.content[:1500]!r}") from None


def parse_calendar(url, summaries):
    """An RFC 5545 file: CRLF lines of at most 75 octets, one VCALENDAR with VERSION and PRODID,
    and the events ``summaries``, each with a UID, DTSTAMP, DTSTART and DTEND."""
    response = get(visitor, url)
    check(
        response["Content-Type"].startswith("text/calendar"), f"{url}: {response['Content-Type']}"
    )
    body = response.content.decode()
    check(body.startswith("BEGIN:VCALENDAR\r\n"), f"{url}: no BEGIN:VCALENDAR first", body)
    check(body.endswith("END:VCALENDAR\r\n"), f"{url}: no END:VCALENDAR last", body)
    for line in body.split("\r\n")[:-1]:
        check("\n" not in line and "\r" not in line, f"{url}: a line not ended by CRLF", body)
        check(len(line.encode()) <= 75, f"{url}: a line longer than 75 octets: {line!r}")
        check(
            line.startswith((" ", "\t")) or re.match(r"[A-Z][A-Z0-9-]*[;:]", line),
            f"{url}: not a content line: {line!r}",
        )
    calendar = Calendar.from_ical(body)
    check(calendar.name == "VCALENDAR", f"{url}: {calendar.name}, not a VCALENDAR")
    check(
        str(calendar.get("VERSION")) == "2.0" and calendar.get("PRODID"),
        f"{url}: no VERSION or PRODID",
    )
    events = calendar.walk("VEVENT")
    for event in events:
        for name in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
            check(event.get(name) is not None, f"{url}: an event has no {name}", body)
        check(
            event.decoded("DTEND") > event.decoded("DTSTART"),
            f"{url}: an event ends before it starts",
        )
    found = sorted(str(event["SUMMARY"]) for event in events)
    check(found == sorted(summaries), f"{url}: events {found}, not {sorted(summaries)}", body)


rss = parse_xml(index.url + "feed/", "application/rss+xml")
check(rss.tag == "rss" and rss.get("version") == "2.0", f"RSS: a <{rss.tag}> root")
items = [item.findtext("title") for item in rss.iter("item")]
check({cluster.title, report.title} <= set(items), f"RSS items: {items}")
atom = parse_xml(index.url + "feed/atom/", "application/atom+xml")
check(atom.tag == ATOM + "feed", f"Atom: a <{atom.tag}> root")
entries = [entry.findtext(ATOM + "title") for entry in atom.iter(ATOM + "entry")]
check({cluster.title, report.title} <= set(entries), f"Atom entries: {entries}")
parse_calendar(activities.url + "ical/", [activity.title])
parse_calendar(activity.url + "ical/", [activity.title])
print("feeds: RSS and Atom parse, the calendars are RFC 5545")

if options.urls:
    with open(options.urls, "w") as out:
        paths = {type(page).__name__: page.url for page in pages}
        if host_page is not None:
            paths["HostPage"] = host_page.url
        json.dump(paths, out)
print("host ok: every page type, the forum and the feeds")
