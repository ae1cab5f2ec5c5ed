"""The community map's parameters: bounding box, organisation filters and listing, GeoJSON.

What the query strings of a :class:`~wagtail_ar.models.CommunityMapPage` and of its
``geojson/`` may say (:mod:`wagtail_ar.map.views` serves them): :func:`parse_bbox` reads a
``west,south,east,north`` :class:`BoundingBox`, :class:`CommunityMapFilterSet` filters the
organisations by role, type, country or id, :class:`GeoJSONParametersForm` takes the box and
the layer, and :class:`OrganisationListing` is the paginated list beside the map. A value that
cannot be understood is a ``ValidationError`` in plain language that names the right values.
"""

import re
from typing import NamedTuple

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries as all_countries

from ..choices import CommunityRole, OrganisationType
from ..conf import settings as ar_settings
from ..fields import countries_in_use, country_choices, has_choice
from ..listing import Listing
from ..models import Organisation
from .config import LAYER_ORGANISATIONS, LAYERS

# Decimal numbers only: no exponent, no "nan", no "inf" (as in wagtail_ar.geo).
_NUMBER_RE = re.compile(r"^\s*[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*$")


class BoundingBox(NamedTuple):
    west: float
    south: float
    east: float
    north: float

    @property
    def crosses_antimeridian(self):
        return self.west > self.east

    def q(self, latitude="latitude", longitude="longitude"):
        """A ``Q`` matching rows whose point lies in the box (edges included)."""
        inside = Q(**{f"{latitude}__gte": self.south, f"{latitude}__lte": self.north})
        if self.crosses_antimeridian:
            return inside & (
                Q(**{f"{longitude}__gte": self.west}) | Q(**{f"{longitude}__lte": self.east})
            )
        return inside & Q(**{f"{longitude}__gte": self.west, f"{longitude}__lte": self.east})


def parse_bbox(value):
    """``west,south,east,north`` as a :class:`BoundingBox`, or a ``ValidationError`` that says why."""
    parts = value.split(",")
    if len(parts) != 4 or not all(_NUMBER_RE.match(part) for part in parts):
        raise ValidationError(
            _(
                "“%(value)s” is not a bounding box. Give four numbers in degrees separated by "
                "commas, west,south,east,north, for example 10.5,35.2,15.8,42.0."
            ),
            code="invalid",
            params={"value": value[:80]},
        )
    west, south, east, north = (float(part) for part in parts)
    for longitude in (west, east):
        if not -180 <= longitude <= 180:
            raise ValidationError(
                _(
                    "The longitude %(value)s is out of range: west and east lie between -180 and 180."
                ),
                code="longitude",
                params={"value": longitude},
            )
    for latitude in (south, north):
        if not -90 <= latitude <= 90:
            raise ValidationError(
                _(
                    "The latitude %(value)s is out of range: south and north lie between -90 and 90."
                ),
                code="latitude",
                params={"value": latitude},
            )
    if south > north:
        raise ValidationError(
            _(
                "The south edge (%(south)s) is north of the north edge (%(north)s). Give the "
                "corners in the order west,south,east,north."
            ),
            code="inverted",
            params={"south": south, "north": north},
        )
    return BoundingBox(west, south, east, north)


class PlainChoiceErrorMixin:
    """A wrong choice is an error that names the right stored values."""

    def __init__(self, *args, invalid_message, **kwargs):
        self.invalid_message = invalid_message
        super().__init__(*args, **kwargs)

    def validate(self, value):
        try:
            super().validate(value)
        except ValidationError as error:
            if error.code != "invalid_choice":
                raise
            raise ValidationError(
                self.invalid_message,
                code="invalid_choice",
                params={
                    "value": str(value)[:40],
                    "choices": ", ".join(str(key) for key, _label in self.choices if key),
                },
            ) from error


class StoredChoiceField(PlainChoiceErrorMixin, django_filters.fields.ChoiceField):
    pass


class StoredChoiceFilter(django_filters.ChoiceFilter):
    field_class = StoredChoiceField


class CountryCodeField(forms.CharField):
    """An ISO 3166-1 alpha-2 code, in upper or lower case; cleaned to upper case."""

    def to_python(self, value):
        return super().to_python(value).strip().upper()

    def validate(self, value):
        super().validate(value)
        if value and value not in all_countries:
            raise ValidationError(
                _(
                    "“%(value)s” is not a country code. Use the two letters of ISO 3166-1, "
                    "for example IT or TN."
                ),
                code="invalid",
                params={"value": value[:40]},
            )


class CountryCodeFilter(django_filters.CharFilter):
    field_class = CountryCodeField


class IdField(forms.IntegerField):
    """An id: ASCII digits only, at most 18 of them (Python reads "٣" or "１" as numbers, and
    a 400-digit one is a number too; both are refused here, with Django's own message)."""

    def to_python(self, value):
        if value not in self.empty_values and not re.fullmatch(r"[0-9]{1,18}", str(value).strip()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class IdFilter(django_filters.NumberFilter):
    field_class = IdField


class CommunityMapFilterSet(django_filters.FilterSet):
    """The filters of the community map, its GeoJSON and its list: role, type, country, and
    ``organisation`` (one organisation, by id, whose details the map opens).

    Any ISO 3166-1 alpha-2 country code is accepted; the country menu offers those of the
    organisations being filtered (read when the menu is drawn, never for the GeoJSON).
    """

    role = StoredChoiceFilter(
        label=_("Community role"),
        choices=CommunityRole.choices,
        empty_label=_("Any role"),
        method="filter_role",
        invalid_message=_("“%(value)s” is not a community role. Use one of: %(choices)s."),
    )
    type = StoredChoiceFilter(
        label=_("Type of organisation"),
        field_name="organisation_type",
        choices=OrganisationType.choices,
        empty_label=_("Any type"),
        invalid_message=_("“%(value)s” is not a type of organisation. Use one of: %(choices)s."),
    )
    country = CountryCodeFilter(label=_("Country"), field_name="country")
    # One organisation: where a cluster factsheet's "Show … on the map" leads. Not in the
    # form (a hidden field), so that choosing other filters shows the others again.
    organisation = IdFilter(label=_("Organisation"), field_name="pk", widget=forms.HiddenInput)

    class Meta:
        model = Organisation
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and data.get("country"):
            # "tn" is Tunisia too, and the menu shows it chosen.
            data = data.copy()
            data["country"] = str(data["country"]).strip().upper()
        super().__init__(data, *args, **kwargs)
        self.filters["country"].extra["widget"] = forms.Select(choices=self.country_choices)

    def country_choices(self):
        codes = countries_in_use(self.queryset)
        selected = str((self.data or {}).get("country") or "").strip().upper()
        if selected in all_countries:
            codes.add(selected)
        return [("", _("Any country")), *country_choices(codes)]

    def filter_role(self, queryset, name, value):
        return queryset.filter(has_choice("community_roles", value))

    @property
    def active_filters(self):
        """``{name: value}`` of the valid filters in use, in the order of the form."""
        if not self.is_valid():
            return {}
        data = self.form.cleaned_data
        return {name: data[name] for name in self.filters if data.get(name)}


class GeoJSONParametersForm(forms.Form):
    """What ``geojson/`` takes besides the filters: a bounding box and a layer."""

    bbox = forms.CharField(required=False)
    layer = forms.CharField(required=False)

    def clean_bbox(self):
        value = self.cleaned_data["bbox"].strip()
        return parse_bbox(value) if value else None

    def clean_layer(self):
        value = self.cleaned_data["layer"].strip() or LAYER_ORGANISATIONS
        if value not in LAYERS:
            raise ValidationError(
                _("“%(value)s” is not a layer of the map. Use one of: %(choices)s."),
                code="invalid_choice",
                params={"value": value[:40], "choices": ", ".join(LAYERS)},
            )
        return value


class OrganisationListing(Listing):
    """The list beside the map. No full-text search: the map and its list show the same
    organisations, and the GeoJSON has no search."""

    search_param = None

    def __init__(self, request, page):
        super().__init__(
            request,
            page.organisations().order_by("name", "pk"),
            CommunityMapFilterSet,
            per_page=ar_settings.MAP_LIST_PER_PAGE,
        )
