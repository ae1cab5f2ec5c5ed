"""Admin page forms with the rules that need more than one field or more than one object.

Nothing here imports the models, so the models can name these classes as ``base_form_class``.
The forum's visitor forms are in :mod:`wagtail_ar.forum.forms`.
"""

import zoneinfo

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm


class WorkingGroupPageForm(WagtailAdminPageForm):
    """Refuses a working group number already used by a sibling working group."""

    def clean(self):
        cleaned_data = super().clean()
        number = cleaned_data.get("number")
        parent = self.parent_page
        if number is None or parent is None:
            return cleaned_data
        siblings = type(self.instance).objects.child_of(parent).filter(number=number)
        if self.instance.pk:
            siblings = siblings.exclude(pk=self.instance.pk)
        clash = siblings.first()
        if clash:
            self.add_error(
                "number",
                _("WG%(number)s is already “%(title)s”. Choose another number.")
                % {"number": number, "title": clash.title},
            )
        return cleaned_data


class ClusterPageForm(WagtailAdminPageForm):
    """Refuses an organisation listed twice among the participants, or as lead and participant."""

    def clean(self):
        cleaned_data = super().clean()
        formset = self.formsets.get("participants")
        if formset is None or not formset.is_bound:
            return cleaned_data
        # The page form is cleaned before its formsets; clean them now to compare their rows.
        formset.is_valid()
        seen = {}
        lead = cleaned_data.get("lead_partner")
        for form in formset.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            # Django's own unique check may have removed "organisation" from cleaned_data;
            # the instance still holds it.
            organisation = form.cleaned_data.get("organisation") or getattr(
                form.instance, "organisation", None
            )
            if organisation is None:
                continue
            if organisation.pk in seen:
                form.add_error(
                    "organisation",
                    _(
                        "%(organisation)s is already a participant of this cluster: list each organisation once."
                    )
                    % {"organisation": organisation},
                )
            elif lead is not None and organisation.pk == lead.pk:
                form.add_error(
                    "organisation",
                    _(
                        "%(organisation)s is the lead partner already: it need not be listed as a participant too."
                    )
                    % {"organisation": organisation},
                )
            seen[organisation.pk] = form
        return cleaned_data


class ActivityPageForm(WagtailAdminPageForm):
    """Start and end are typed and shown in the activity's own time zone.

    An editor in Brussels entering a Málaga event at 10:00 means 10:00 in Málaga; the stored
    value is the matching moment in UTC.
    """

    datetime_fields = ("start", "end")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        tz = self._zone(getattr(self.instance, "time_zone", None))
        if tz is None or self.is_bound:
            return
        for name in self.datetime_fields:
            value = getattr(self.instance, name, None)
            if name in self.fields and value is not None and timezone.is_aware(value):
                # A naive initial value is shown as it is, in the activity's zone.
                self.initial[name] = timezone.localtime(value, tz).replace(tzinfo=None)

    @staticmethod
    def _zone(name):
        try:
            return zoneinfo.ZoneInfo(name) if name else None
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return None

    def clean(self):
        cleaned_data = super().clean()
        tz = self._zone(cleaned_data.get("time_zone"))
        if tz is not None:
            current = timezone.get_current_timezone()
            for name in self.datetime_fields:
                value = cleaned_data.get(name)
                if value is not None:
                    naive = (
                        timezone.make_naive(value, current) if timezone.is_aware(value) else value
                    )
                    cleaned_data[name] = naive.replace(tzinfo=tz)
        return cleaned_data
