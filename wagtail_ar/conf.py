"""Settings of wagtail_ar, read lazily so that ``override_settings`` works.

Every setting is named ``WAGTAIL_AR_<NAME>`` in the host project's settings; read it as
``from wagtail_ar.conf import settings; settings.BASE_TEMPLATE``. The pattern is django-filter's:
defaults live in one dict and nothing is frozen at import time.
"""

from django.conf import settings as django_settings

PREFIX = "WAGTAIL_AR_"

DEFAULTS = {
    # The template every page type extends: the host site's own base template.
    "BASE_TEMPLATE": "base.html",
    # Map tiles: any XYZ tile server the site chooses; nothing else is fetched from outside.
    # None: no tiles, the base map alone (BASE_MAP).
    "TILE_URL": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "TILE_ATTRIBUTION": '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
    # The base map drawn under the tiles, and alone when TILE_URL is None or the tiles fail:
    # True for the package's Natural Earth map of the Euro-MED area, the static path of a
    # TopoJSON file of the same shape (an object "countries"), or None for none.
    "BASE_MAP": True,
    # The centre of the Mediterranean and a zoom that shows both shores.
    "MAP_CENTER": {"lat": 38.0, "lng": 15.0},
    "MAP_ZOOM": 5,
    # The closest zoom of the visitors' maps (streets and buildings): there a group of
    # organisations spreads its markers. Each level costs clustering time in the browser.
    "MAP_MAX_ZOOM": 16,
    # Seconds browsers and shared caches may keep the community map's GeoJSON and marker details.
    "GEOJSON_MAX_AGE": 300,
    # Organisations per page in the list beside the community map.
    "MAP_LIST_PER_PAGE": 50,
    # Geocoder behind the address field of the admin map widget: "nominatim", "google_maps",
    # "mapbox", or None to switch geocoding off (the point is then placed on the map by hand).
    "GEOCODER": "nominatim",
    # Each working group runs at least this many activities a year; editors are told when one
    # is below it in the current year.
    "MIN_ACTIVITIES_PER_YEAR": 2,
    # The cache (an alias of Django's CACHES) of the GeoJSON, listings, factsheet fragments,
    # feeds and calendars, and how long an entry lives in seconds (0: no caching). Entries are
    # made stale at once by publishing and snippet edits (wagtail_ar.cache).
    "CACHE_ALIAS": "default",
    "CACHE_TIMEOUT": 300,
    # Entries one page may keep of each cached thing (its listing, feed, GeoJSON…) for
    # filtered or searched query strings, until the next publish; 0 or None: no bound.
    "CACHE_MAX_VARIANTS": 200,
    # The forum. Addresses told of every new post awaiting moderation; empty: Django's MANAGERS.
    "FORUM_MODERATORS": [],
    # Days an archived post (and the personal data in it) is kept before
    # ``manage.py ar_forum_purge`` deletes it; None keeps archived posts.
    "FORUM_RETENTION_DAYS": 365,
    # A form sent sooner than this many seconds after it was shown is refused (a robot).
    "FORUM_MIN_FILL_SECONDS": 5,
    # A form shown longer ago than this is refused as expired (its fill-time token is old).
    "FORUM_MAX_FILL_SECONDS": 24 * 60 * 60,
    # Posts and replies one client (REMOTE_ADDR, IPv6 by /64: behind a proxy, the site must set
    # it to the visitor's address) may send per FORUM_RATE_WINDOW seconds, counted in the
    # database.
    "FORUM_RATE_LIMIT": 5,
    "FORUM_RATE_WINDOW": 60 * 60,
    # Replies one post's author may receive per day, from all visitors together, and links to
    # confirm a reply one address may be sent per day (the reply form must not be a mail
    # relay); 0 or None: no limit.
    "FORUM_REPLY_LIMIT": 5,
    # A request to a page of the package whose query string is longer than this many characters,
    # or repeats one parameter more than MAX_PARAMETER_VALUES times, is refused with a 400
    # before the page does any work (wagtail_ar.listing.query_string_error).
    "MAX_QUERY_STRING_LENGTH": 2048,
    "MAX_PARAMETER_VALUES": 50,
    # The activity index's whole calendar (``ical/``) holds every upcoming activity and those
    # that ended in the past this many days (None: every past activity); a calendar of one
    # month (``?month=``) holds that month whatever its age.
    "CALENDAR_PAST_DAYS": 365,
    # The forum's mail is sent by tasks (wagtail_ar.forum.tasks): the alias in Django's TASKS
    # and the queue they are enqueued on, the attempts a task makes when the mail server fails,
    # and the seconds it waits before the second attempt (twice as long before each next one).
    "TASK_BACKEND": "default",
    "TASK_QUEUE_NAME": "default",
    "FORUM_MAIL_ATTEMPTS": 3,
    "FORUM_MAIL_RETRY_DELAY": 1.0,
    # The largest file, in bytes, an editor may upload to import in the admin (the import's
    # tasks run on TASK_BACKEND too).
    "IMPORT_MAX_BYTES": 5 * 1024 * 1024,
}


class Settings:
    def __getattr__(self, name):
        if name not in DEFAULTS:
            raise AttributeError(f"Unknown wagtail_ar setting: {name}")
        return getattr(django_settings, PREFIX + name, DEFAULTS[name])


settings = Settings()
