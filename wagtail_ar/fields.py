"""Model fields of wagtail_ar."""

from django import forms
from django.core import exceptions
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .geo import parse_point


def countries_in_use(queryset, field="country"):
    """The ISO codes that ``field`` of ``queryset`` holds: a single-country field, or a
    django-countries ``CountryField(multiple=True)`` (stored as ``"FR,IT"``). One query."""
    codes = set()
    for stored in queryset.order_by().values_list(field, flat=True).distinct():
        if isinstance(stored, str):
            codes.update(code for code in stored.split(",") if code)
        elif stored:
            codes.update(str(getattr(code, "code", code)) for code in stored)
    return codes


def country_choices(codes):
    """``[(code, name), …]`` of ``codes``, by name in the active language; unknown codes left out."""
    from django_countries import countries

    names = {code: str(countries.name(code)) for code in codes}
    return sorted(
        ((code, name) for code, name in names.items() if name), key=lambda pair: pair[1].casefold()
    )


class MultipleChoiceField(models.CharField):
    """Several of a fixed set of choices in one column.

    Stored as ``,a,b,`` so that one choice is found with ``__contains=",a,"`` on every
    supported database (SQLite has no array type); use :func:`has_choice` to build that
    filter. In Python the value is always a list, in the order of ``choices``.
    """

    description = _("Several choices")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 255)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)
        # CharField's MaxLengthValidator would count list items, not characters.
        self.validators[:] = [v for v in self.validators if not isinstance(v, MaxLengthValidator)]

    def _ordered(self, values):
        order = [key for key, _label in self.flatchoices]
        known = [v for v in order if v in values]
        return known + [v for v in values if v not in order]

    def to_python(self, value):
        if value is None or value == "":
            return []
        if isinstance(value, str):
            return [v for v in value.strip(",").split(",") if v]
        return list(value)

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def get_prep_value(self, value):
        if isinstance(value, str):
            # A lookup value such as ",pp," for __contains is passed through unchanged.
            return value
        values = self._ordered(self.to_python(value))
        return f",{','.join(values)}," if values else ""

    def value_to_string(self, obj):
        return ",".join(self.value_from_object(obj))

    def validate(self, value, model_instance):
        if not self.editable:
            return
        values = self.to_python(value)
        allowed = {str(key) for key, _label in self.flatchoices}
        for item in values:
            if item not in allowed:
                raise exceptions.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        if not values and not self.blank:
            raise exceptions.ValidationError(self.error_messages["blank"], code="blank")

    def formfield(self, **kwargs):
        defaults = {
            "form_class": forms.TypedMultipleChoiceField,
            "choices": self.choices,
            "required": not self.blank,
            "widget": forms.CheckboxSelectMultiple,
            "label": self.verbose_name,
            "help_text": self.help_text,
        }
        defaults.update(kwargs)
        form_class = defaults.pop("form_class")
        for key in ("max_length", "empty_value", "choices_form_class", "coerce"):
            defaults.pop(key, None)
        return form_class(**defaults)


def has_choice(field_name, value):
    """A ``Q`` matching rows whose :class:`MultipleChoiceField` ``field_name`` holds ``value``."""
    return Q(**{f"{field_name}__contains": f",{value},"})


def validate_point(value):
    if value:
        parse_point(value)


class PointField(models.CharField):
    """A point as wagtailgeowidget's Leaflet panel writes it, validated on the server.

    Editors place it with :class:`wagtail_ar.panels.LeafletPanel`; a malformed or out-of-range
    point is a form error (see :func:`wagtail_ar.geo.parse_point`).
    """

    description = _("A point on the map (WGS 84)")
    default_validators = [validate_point]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 250)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)
