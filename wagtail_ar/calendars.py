"""iCalendar (RFC 5545) files of the activities: one activity, or a whole calendar.

``ActivityPage`` answers ``ical/`` with its own entry, ``ActivityIndexPage`` answers ``ical/``
with every activity that its listing's filters select (same parameters, same bad-input rules).
Both are built here with the `icalendar <https://icalendar.readthedocs.io>`_ package:

- every entry has a UID that stays the same when the page is edited, moved or renamed:
  ``activity-<translation key>@<site host name>`` (:func:`activity_uid`);
- start and end are written in the activity's own time zone (``DTSTART;TZID=Europe/Madrid:…``)
  and the calendar carries a ``VTIMEZONE`` for each zone it uses, covering the dates of its
  activities, so that clients get the right time across daylight-saving changes;
- every entry links back to its page, in ``URL`` and at the end of ``DESCRIPTION``.

Override :func:`activity_event` (or subclass the page and its ``ical`` route) to add properties.
"""

import datetime

from django.http import HttpResponse
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from icalendar import Calendar, Event, vDuration
from wagtail.models import Page

from .locales import localize_related
from .visibility import visible

PRODID = "-//Interreg Euro-MED Natural Heritage Mission//wagtail-amplification-room//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"
# How often subscribed clients should fetch a whole calendar again.
REFRESH_INTERVAL = datetime.timedelta(hours=12)
DEFAULT_HOST = "wagtail-ar.invalid"


def site_host(page, request=None):
    """The host name of the site ``page`` belongs to: the right-hand side of every UID.

    The first site whose root holds the page, as ``page.get_site()`` finds it, whichever host
    the request came to (a calendar read from www.example.org and from example.org gives the
    same UIDs); read from the site root paths Wagtail keeps on the request rather than with a
    query of its own.
    """
    roots = page._get_relevant_site_root_paths(request)
    if not roots:
        return DEFAULT_HOST
    netloc = roots[0].root_url.split("://", 1)[-1]
    host, _colon, port = netloc.rpartition(":")
    return (host if host and port.isdigit() else netloc) or DEFAULT_HOST


def activity_uid(activity, host):
    """A UID that survives edits, moves and new slugs: the page's translation key.

    Translations of an activity share it: they are the same event in another language.
    """
    return f"activity-{activity.translation_key}@{host}"


def visible_page_ids(pages):
    """The ids of those of ``pages`` that visitors may see (:func:`wagtail_ar.visibility.visible`;
    one query at most).

    An activity links to its working group and cluster only when they are visible.
    """
    ids = {page.pk for page in pages if page is not None and page.live}
    if not ids:
        return set()
    return set(visible(Page.objects.filter(pk__in=ids)).values_list("pk", flat=True))


def related_visible_ids(activities):
    """:func:`visible_page_ids` of the working groups and clusters of ``activities``."""
    return visible_page_ids(
        [page for activity in activities for page in (activity.working_group, activity.cluster)]
    )


def absolute_url(page, request=None):
    url = page.get_full_url(request)
    return iri_to_uri(url) if url else None


def _location(activity):
    parts = [part for part in (activity.venue, activity.address) if part]
    if parts:
        return ", ".join(parts)
    return activity.online_link or ""


def _description(activity, url, visible_ids):
    lines = []
    if activity.summary:
        lines.append(activity.summary)
    working_group = activity.working_group
    if working_group is not None and working_group.pk in visible_ids:
        lines.append(_("Working group: %(name)s") % {"name": working_group.title})
    cluster = activity.cluster
    if cluster is not None and cluster.pk in visible_ids:
        lines.append(_("Cluster: %(name)s") % {"name": cluster.title})
    organisers = [
        str(organisation) for organisation in activity.organisers.all() if organisation.live
    ]
    if organisers:
        lines.append(_("Organisers: %(names)s") % {"names": ", ".join(organisers)})
    if activity.online_link:
        lines.append(_("Join online: %(url)s") % {"url": activity.online_link})
    if activity.registration_link:
        lines.append(_("Register: %(url)s") % {"url": activity.registration_link})
    if url:
        lines.append(_("More about this activity: %(url)s") % {"url": url})
    return "\n\n".join(lines)


def activity_event(activity, host, request=None, visible_ids=frozenset()):
    """The ``VEVENT`` of one activity.

    ``activity.organisers`` is read with ``.all()``, so prefetch it for many activities; the
    working group and cluster are read too (``select_related``), and named only when their
    id is in ``visible_ids`` (:func:`related_visible_ids`).
    """
    url = absolute_url(activity, request)
    event = Event()
    event.add("uid", activity_uid(activity, host))
    # The last change of the information (RFC 5545 3.8.7.2, calendars without METHOD REQUEST).
    changed = activity.last_published_at
    event.add("dtstamp", timezone.localtime(changed or timezone.now(), datetime.timezone.utc))
    if changed:
        event.add("last-modified", timezone.localtime(changed, datetime.timezone.utc))
    event.add("summary", activity.title)
    # In the activity's own zone, with its TZID: 10:00 in Madrid stays 10:00 in Madrid on
    # both sides of a daylight-saving change.
    event.add("dtstart", activity.local_start)
    event.add("dtend", activity.local_end)
    description = _description(activity, url, visible_ids)
    if description:
        event.add("description", description)
    location = _location(activity)
    if location:
        event.add("location", location)
    if activity.has_location:
        event.add("geo", (activity.latitude, activity.longitude))
    if url:
        event.add("url", url)
    categories = [str(activity.get_format_display())]
    if activity.working_group is not None and activity.working_group.pk in visible_ids:
        categories.append(activity.working_group.code)
    event.add("categories", categories)
    event.add("status", "CONFIRMED")
    event.add("class", "PUBLIC")
    return event


def build_calendar(activities, host, name=None, request=None, refresh_interval=None):
    """A ``VCALENDAR`` with one event per activity and the ``VTIMEZONE`` of every zone used."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("name", name)
    if refresh_interval:
        calendar.add("refresh-interval", refresh_interval, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(refresh_interval).to_ical().decode())
    first = last = None
    # With i18n, working groups and clusters are named in the active locale when translated.
    activities = localize_related(localize_related(activities, "working_group"), "cluster")
    visible_ids = related_visible_ids(activities)
    for activity in activities:
        calendar.add_component(activity_event(activity, host, request, visible_ids))
        start, end = activity.local_start.date(), activity.local_end.date()
        first = start if first is None else min(first, start)
        last = end if last is None else max(last, end)
    if first is not None:
        # Time zone definitions that cover every activity, with a year to spare on each side
        # (rather than the library's default, every change since 1970).
        calendar.add_missing_timezones(
            first_date=first - datetime.timedelta(days=366),
            last_date=last + datetime.timedelta(days=366),
        )
    return calendar


def calendar_response(calendar, filename):
    """``calendar`` as a ``.ics`` download named ``filename``."""
    response = HttpResponse(calendar.to_ical(), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    return response
