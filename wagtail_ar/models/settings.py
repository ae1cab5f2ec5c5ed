"""The site settings of the Amplification Room: what a site's editors own.

One row per Wagtail site, edited in the admin under Settings when ``wagtail.contrib.settings`` is
installed. Every field may be left blank: a blank field means "use the Django setting"
(``WAGTAIL_AR_FORUM_MODERATORS``, ``WAGTAIL_AR_MIN_ACTIVITIES_PER_YEAR``, ``WAGTAIL_AR_TILE_URL``…).
Read the values through :func:`wagtail_ar.site_settings.site_value`, never from this model.
"""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, validate_email
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from ..site_settings import parse_addresses, validate_tile_url


def validate_addresses(value):
    """Every line (or comma-separated item) of ``value`` is an e-mail address."""
    for address in parse_addresses(value):
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError(
                _("“%(address)s” is not an e-mail address."),
                code="invalid",
                params={"address": address},
            ) from None


class AmplificationRoomSettings(BaseSiteSetting):
    """The Amplification Room's settings for one site. A blank field uses the Django setting."""

    forum_moderators = models.TextField(
        _("forum moderators"),
        blank=True,
        validators=[validate_addresses],
        help_text=_(
            "The e-mail addresses told of every new forum post awaiting moderation, one per "
            "line. Blank: the addresses of the site's configuration."
        ),
    )
    min_activities_per_year = models.PositiveSmallIntegerField(
        _("minimum activities per year"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(365)],
        help_text=_(
            "Each working group (WG) runs at least this many activities a year; the dashboard "
            "lists the groups below it. Blank: the site's configuration."
        ),
    )
    tile_url = models.CharField(
        _("map tile URL"),
        max_length=500,
        blank=True,
        validators=[validate_tile_url],
        help_text=_(
            "The address of the community map's tiles, with {z}, {x} and {y} in it, for example "
            "https://tile.openstreetmap.org/{z}/{x}/{y}.png. Blank: the site's configuration."
        ),
    )
    tile_attribution = models.CharField(
        _("map tile attribution"),
        max_length=500,
        blank=True,
        help_text=_(
            "Plain text shown in the corner of the maps, as the tile server asks, for example "
            "“© OpenStreetMap contributors”. Blank: the site's configuration."
        ),
    )
    map_latitude = models.FloatField(
        _("latitude of the map's centre"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("From -90 (south) to 90 (north). Blank: the site's configuration."),
    )
    map_longitude = models.FloatField(
        _("longitude of the map's centre"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("From -180 (west) to 180 (east). Blank: the site's configuration."),
    )
    map_zoom = models.PositiveSmallIntegerField(
        _("zoom of the map"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(19)],
        help_text=_(
            "From 0 (the whole world) to 19 (a building); 5 shows both shores of the "
            "Mediterranean. Blank: the site's configuration."
        ),
    )

    panels = [
        FieldPanel("forum_moderators"),
        FieldPanel("min_activities_per_year"),
        MultiFieldPanel(
            [
                FieldPanel("tile_url"),
                FieldPanel("tile_attribution"),
                FieldRowPanel([FieldPanel("map_latitude"), FieldPanel("map_longitude")]),
                FieldPanel("map_zoom"),
            ],
            heading=_("Community map"),
        ),
    ]

    class Meta:
        verbose_name = _("Amplification Room settings")
        verbose_name_plural = _("Amplification Room settings")

    def clean(self):
        super().clean()
        if (self.map_latitude is None) != (self.map_longitude is None):
            field = "map_longitude" if self.map_longitude is None else "map_latitude"
            raise ValidationError(
                {field: _("Give both the latitude and the longitude of the centre, or neither.")}
            )


# The admin's Settings menu, edit view and group permissions come with wagtail.contrib.settings;
# without it nobody edits these settings and site_value() reads the Django settings alone.
if apps.is_installed("wagtail.contrib.settings"):
    register_setting(AmplificationRoomSettings, icon="site")
