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
    "TILE_URL": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "TILE_ATTRIBUTION": '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
    # The centre of the Mediterranean and a zoom that shows both shores.
    "MAP_CENTER": {"lat": 38.0, "lng": 15.0},
    "MAP_ZOOM": 5,
    # Geocoder behind the address field of the admin map widget: "nominatim", "google_maps",
    # "mapbox", or None to switch geocoding off (the point is then placed on the map by hand).
    "GEOCODER": "nominatim",
}


class Settings:
    def __getattr__(self, name):
        if name not in DEFAULTS:
            raise AttributeError(f"Unknown wagtail_ar setting: {name}")
        return getattr(django_settings, PREFIX + name, DEFAULTS[name])


settings = Settings()
