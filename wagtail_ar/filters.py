"""The filters of the visitors' listings, as django-filter ``FilterSet``s.

A listing (:class:`wagtail_ar.listing.Listing`) validates the query string with one of these
filter sets; a value that cannot be understood becomes a plain-language message and the page
answers 400. Parameter *names* that no filter knows (``utm_source``…) are ignored.

Reusable pieces, for the other listings of the package (activities, organisations…):

:class:`ListingFilterSet`
    The base class: :meth:`~ListingFilterSet.active_filters` names the filters in use, with
    the labels of their values (for a summary above the results).
:class:`ListingChoiceFilter`
    One value out of options computed for each request from the listing's own objects (the
    ``choices`` callable receives the filter set), with an ``invalid_message`` in plain words.
    ``accept`` may accept, and label, a value that is not offered (a real country without any
    cluster yet), so that a shared link never breaks for a valid value.
:class:`RelatedSlugFilter`
    A foreign key to a page (or any model with a ``slug``) chosen by slug: ``working_group=wg1``.
    Only live, public pages are offered or accepted.
:class:`CountryFilter`
    An ISO 3166-1 alpha-2 code (``FR``, ``tn``) on a django-countries ``CountryField``, single
    or ``multiple=True`` (stored ``"FR,IT"``, matched with ``contains``: codes are two letters
    joined by commas, so two letters can only match a whole code).
:class:`TagFilter`
    A tag slug of the objects' django-taggit ``tags`` (only tags of the listing's objects).
:class:`YearFilter`
    A four-digit year: objects running during that year (``start <= Y <= end``, an empty end
    meaning "not ended"), or starting in it when there is no ``end_field``.

Options are computed from the queryset the listing starts from (``filterset.queryset``), which
holds only what visitors may see (live, public pages): a draft's tag never shows up as an option.
"""

import datetime
import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Max, Min, Q
from django.db.models.functions import TruncMonth
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django_countries import countries as all_countries
from wagtail.models import Page

from . import cache
from .fields import countries_in_use, country_choices
from .locales import i18n_enabled, localize
from .models import (
    ActivityFormat,
    ActivityPage,
    ClusterCategory,
    ClusterPage,
    ClusterStatus,
    Organisation,
)
from .visibility import visible
from .widgets import LanguageSelect, labels_in_language

MAX_CHOICES_IN_MESSAGE = 8


def shorten(value, length=40):
    """A submitted value as it may appear in a message: never the whole of a very long one."""
    return Truncator(str(value)).chars(length)


class ListingChoiceField(django_filters.fields.ChoiceField):
    """A choice field whose wrong values get a message naming the value and, when there are
    few, the options (``%(value)s`` and ``%(choices)s`` in the ``invalid_choice`` message).

    ``normalize(value)`` tidies the submitted text before validation (``"fr"`` → ``"FR"``);
    ``accept(value)`` returns the label of a valid value that is not among the options (it is
    then added to them, so that the form shows it selected), ``None`` to refuse it, or raises a
    ``ValidationError`` with a message of its own.
    """

    widget = LanguageSelect  # options in another language than the page say which

    def __init__(self, *args, accept=None, normalize=None, **kwargs):
        self.accept = accept
        self.normalize = normalize
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value).strip()
        if value and self.normalize:
            value = self.normalize(value)
        return value

    def bound_data(self, data, initial):
        # Shown as understood: "?country=fr" selects France in the form.
        return self.to_python(data) if isinstance(data, str) else data

    def _offered(self):
        return [(str(key), label) for key, label in self.choices if key not in ("", None)]

    def validate(self, value):
        forms.Field.validate(self, value)
        if not value or self.valid_value(value):
            return
        label = self.accept(value) if self.accept else None
        if label is not None:
            self.choices = [*self._offered(), (value, label)]
            return
        offered = self._offered()
        raise ValidationError(
            self.error_messages["invalid_choice"],
            code="invalid_choice",
            params={
                "value": shorten(value),
                "choices": ", ".join(str(label) for _key, label in offered)
                if len(offered) <= MAX_CHOICES_IN_MESSAGE
                else "",
            },
        )


class ListingChoiceFilter(django_filters.ChoiceFilter):
    """A choice among options that may depend on the listing's objects.

    ``choices`` is a list of ``(value, label)`` or a callable taking the filter set and
    returning one (computed once per request, when the form is built). ``accept`` is a
    callable ``(filterset, value) -> label or None`` (see :class:`ListingChoiceField`).
    ``invalid_message`` may use ``%(value)s`` and ``%(choices)s``.
    """

    field_class = ListingChoiceField
    default_invalid_message = _("“%(value)s” is not one of the choices.")

    def __init__(self, *args, choices=None, accept=None, invalid_message=None, **kwargs):
        self.choices_source = choices if choices is not None else []
        self.accept_source = accept
        self.invalid_message = invalid_message or self.default_invalid_message
        kwargs.setdefault("empty_label", _("All"))
        super().__init__(*args, **kwargs)

    def get_choices(self, filterset):
        source = self.choices_source
        return list(source(filterset) if callable(source) else source)

    def cached_choices(self, filterset):
        """:meth:`get_choices`; when they come from the database (a callable ``choices`` or an
        overridden ``get_choices``), kept in wagtail_ar's cache for every query string of the
        page: they depend on the listing's objects, not on the filters chosen."""
        request = getattr(filterset, "request", None)
        dynamic = callable(self.choices_source) or (
            type(self).get_choices is not ListingChoiceFilter.get_choices
        )
        if not dynamic or request is None:
            return self.get_choices(filterset)
        name = next((n for n, f in filterset.filters.items() if f is self), self.field_name)
        return cache.get_or_build(
            request,
            "choices",
            lambda: self.get_choices(filterset),
            parts=(type(filterset).__module__, type(filterset).__qualname__, name),
            vary_on_query=False,
        )

    def accept(self, filterset, value):
        return self.accept_source(filterset, value) if self.accept_source else None

    @property
    def field(self):
        if not hasattr(self, "_field"):
            filterset = getattr(self, "parent", None)
            self.extra["choices"] = self.cached_choices(filterset)
            self.extra["accept"] = lambda value: self.accept(filterset, value)
            self.extra["error_messages"] = {"invalid_choice": self.invalid_message}
        return super().field


def live_public(queryset):
    """Only what visitors may see of ``queryset``: live, public pages; live snippets."""
    if issubclass(queryset.model, Page):
        return visible(queryset)
    if hasattr(queryset.model, "live"):
        return queryset.filter(live=True)
    return queryset


class RelatedSlugFilter(ListingChoiceFilter):
    """A foreign key chosen by the slug of its target (``working_group=wg1``).

    Offered: the live, public targets of the listing's objects. Accepted too: any other live,
    public target with that slug (a working group without clusters yet gives an empty result,
    not an error). Slugs are unique among siblings only: every target with the slug matches.
    """

    default_invalid_message = _("There is nothing called “%(value)s” here.")

    def related_model(self):
        return self.model._meta.get_field(self.field_name).related_model

    def targets(self):
        return live_public(self.related_model()._default_manager.all())

    def get_choices(self, filterset):
        used = filterset.queryset.order_by().values(self.field_name)
        targets = self.targets().filter(pk__in=used)
        if i18n_enabled() and hasattr(self.related_model(), "translation_key"):
            # Named in the active locale when translated (wagtail_ar.locales).
            keys = targets.values("translation_key")
            targets = localize(self.targets().filter(translation_key__in=keys))
        choices = {}
        # Pages: only the columns, not a thousand full specific pages; labels in their language.
        for slug, label in labels_in_language(targets.order_by("pk"), titled=self.titled()):
            choices.setdefault(slug, label)
        return sorted(choices.items(), key=lambda pair: pair[1].casefold())

    def titled(self):
        """Whether targets are named by a ``title`` column (pages), else by ``str()``."""
        return any(field.name == "title" for field in self.related_model()._meta.concrete_fields)

    def accept(self, filterset, value):
        target = self.targets().filter(slug=value).first()
        if target is None:
            return None
        return str(target.title if self.titled() else target)

    def filter(self, qs, value):
        if not value:
            return qs
        if i18n_enabled() and hasattr(self.related_model(), "translation_key"):
            # A translation may keep pointing to its source's target, or have its own slug:
            # match every translation of the targets with this slug.
            keys = self.targets().filter(slug=value).values("translation_key")
            return qs.filter(**{f"{self.field_name}__translation_key__in": keys})
        return qs.filter(**{f"{self.field_name}__slug": value})


class WorkingGroupFilter(RelatedSlugFilter):
    """A working group by its slug (``working_group=wg1``), as every listing names it."""

    default_invalid_message = _("There is no working group “%(value)s”.")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Working group"))
        kwargs.setdefault("empty_label", _("All working groups"))
        super().__init__(*args, **kwargs)


def _normalize_country(value):
    return value.upper()


class CountryFilter(ListingChoiceFilter):
    """An ISO 3166-1 alpha-2 country code on a django-countries ``CountryField``.

    Offered: the countries of the listing's objects, by name in the active language. Accepted:
    any two-letter code django-countries knows (upper or lower case).
    """

    default_invalid_message = _(
        "“%(value)s” is not a country code: use the two-letter ISO code of the country, for "
        "example FR for France or TN for Tunisia."
    )

    def __init__(self, *args, multiple=False, **kwargs):
        self.multiple = multiple
        kwargs.setdefault("empty_label", _("All countries"))
        super().__init__(*args, **kwargs)
        self.extra["normalize"] = _normalize_country

    def get_choices(self, filterset):
        return country_choices(countries_in_use(filterset.queryset, self.field_name))

    def accept(self, filterset, value):
        if re.fullmatch(r"[A-Z]{2}", value) and all_countries.alpha2(value) == value:
            return str(all_countries.name(value))
        return None

    def filter(self, qs, value):
        if not value:
            return qs
        lookup = "contains" if self.multiple else "exact"
        return qs.filter(**{f"{self.field_name}__{lookup}": value})


class TagFilter(ListingChoiceFilter):
    """A tag, by its slug, among the tags of the listing's objects (``tags``, django-taggit)."""

    default_invalid_message = _("No item here has the tag “%(value)s”.")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", _("All tags"))
        super().__init__(*args, **kwargs)

    def through_model(self):
        return self.model._meta.get_field(self.field_name).remote_field.through

    def get_choices(self, filterset):
        through = self.through_model()
        tag_model = through._meta.get_field("tag").related_model
        tagged = through.objects.filter(
            content_object__in=filterset.queryset.order_by().values("pk")
        ).values("tag_id")
        return list(
            tag_model.objects.filter(pk__in=tagged).order_by("name").values_list("slug", "name")
        )

    def filter(self, qs, value):
        if not value:
            return qs
        through = self.through_model()
        tagged = through.objects.filter(tag__slug=value).values("content_object_id")
        return qs.filter(pk__in=tagged)


class YearFilter(ListingChoiceFilter):
    """A year, written with four digits, between ``min_year`` and ``max_year``.

    With ``end_field``, objects running during the year: ``start_field`` in or before it, and
    ``end_field`` empty (not ended) or in or after it. Without, objects starting in it. Works on
    date and datetime fields. Offered: the years the listing's objects span; accepted: any year
    of the range (a year without anything gives an empty result).
    """

    min_year = 2000
    max_year = 2100

    def __init__(self, *args, start_field="start_date", end_field=None, **kwargs):
        self.start_field = start_field
        self.end_field = end_field
        kwargs.setdefault("empty_label", _("All years"))
        kwargs.setdefault("field_name", start_field)
        super().__init__(*args, **kwargs)

    def get_choices(self, filterset):
        aggregates = {"first": Min(self.start_field), "last_start": Max(self.start_field)}
        if self.end_field:
            aggregates["last_end"] = Max(self.end_field)
            aggregates["open"] = Max(
                self.start_field, filter=Q(**{f"{self.end_field}__isnull": True})
            )
        bounds = filterset.queryset.order_by().aggregate(**aggregates)
        if bounds["first"] is None:
            return []
        last = max(
            value for value in (bounds["last_start"], bounds.get("last_end")) if value is not None
        )
        years = [self._year(bounds["first"]), self._year(last)]
        if bounds.get("open") is not None:
            years.append(timezone.localdate().year)
        first, last = max(min(years), self.min_year), min(max(years), self.max_year)
        return [(str(year), str(year)) for year in range(last, first - 1, -1)]

    @staticmethod
    def _year(value):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.year

    def accept(self, filterset, value):
        if not re.fullmatch(r"[0-9]{4}", value):
            raise ValidationError(
                _("“%(value)s” is not a year: write it with four digits, for example %(example)s."),
                code="invalid_year",
                params={"value": shorten(value), "example": timezone.localdate().year},
            )
        if not self.min_year <= int(value) <= self.max_year:
            raise ValidationError(
                _("Choose a year between %(min)s and %(max)s."),
                code="year_out_of_range",
                params={"min": self.min_year, "max": self.max_year},
            )
        return value

    def filter(self, qs, value):
        if not value:
            return qs
        year = int(value)
        if not self.end_field:
            return qs.filter(**{f"{self.start_field}__year": year})
        return qs.filter(
            Q(**{f"{self.end_field}__isnull": True}) | Q(**{f"{self.end_field}__year__gte": year}),
            **{f"{self.start_field}__year__lte": year},
        )


class ListingFilterSet(django_filters.FilterSet):
    """The base of the listings' filter sets."""

    def active_filters(self):
        """``[(name, label of the filter, label of the value), …]`` of the filters in use."""
        if not self.is_valid():
            return []
        active = []
        for name, value in self.form.cleaned_data.items():
            if value in ("", None):
                continue
            field = self.form.fields[name]
            labels = dict(getattr(field, "choices", ()))
            active.append((name, field.label, labels.get(value, value)))
        return active


class ClusterFilterSet(ListingFilterSet):
    """The filters of the cluster listing (:class:`~wagtail_ar.models.ClusterIndexPage`) and
    its feeds: ``category``, ``status``, ``working_group`` (slug), ``country`` (ISO code),
    ``tag`` (slug) and ``year``. ``q`` and ``page`` are the listing's own."""

    category = ListingChoiceFilter(
        choices=ClusterCategory.choices,
        label=_("Category"),
        empty_label=_("All categories"),
        invalid_message=_(
            "“%(value)s” is not a category of clusters. The categories are: %(choices)s."
        ),
    )
    status = ListingChoiceFilter(
        choices=ClusterStatus.choices,
        method="filter_status",
        label=_("Status"),
        empty_label=_("Any status"),
        invalid_message=_("“%(value)s” is not a status. The statuses are: %(choices)s."),
    )
    working_group = WorkingGroupFilter()
    country = CountryFilter(field_name="countries", multiple=True, label=_("Country"))
    tag = TagFilter(
        field_name="tags",
        label=_("Tag"),
        invalid_message=_("No cluster here has the tag “%(value)s”."),
    )
    year = YearFilter(
        start_field="start_date",
        end_field="end_date",
        label=_("Year"),
        invalid_message=_("“%(value)s” is not a year."),
    )

    class Meta:
        model = ClusterPage
        fields = []

    def filter_status(self, queryset, name, value):
        return queryset.with_status(value) if value else queryset


# Activities -------------------------------------------------------------------------------------


class MonthFilter(ListingChoiceFilter):
    """A month written ``YYYY-MM`` (``2025-03``): objects running during it, that is starting
    before it ends and ending after it starts, in the site's time zone.

    Offered: the months in which the listing's objects start, latest first, named in the active
    language; accepted: any month from ``min_year`` to ``max_year`` (an activity spanning several
    months is found in each of them).
    """

    min_year = 2000
    max_year = 2100
    pattern = re.compile(r"([0-9]{4})-([0-9]{2})")

    def __init__(self, *args, start_field="start", end_field="end", **kwargs):
        self.start_field = start_field
        self.end_field = end_field
        kwargs.setdefault("empty_label", _("Any month"))
        kwargs.setdefault("field_name", start_field)
        super().__init__(*args, **kwargs)

    def get_choices(self, filterset):
        months = (
            filterset.queryset.order_by()
            .annotate(ar_month=TruncMonth(self.start_field))
            .values_list("ar_month", flat=True)
            .distinct()
        )
        days = sorted({self._day(month) for month in months if month is not None}, reverse=True)
        return [(day.strftime("%Y-%m"), self.label_of(day)) for day in days]

    @staticmethod
    def _day(value):
        if isinstance(value, datetime.datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value)
            value = value.date()
        return value.replace(day=1)

    @staticmethod
    def label_of(day):
        return formats.date_format(day, "YEAR_MONTH_FORMAT")

    def parse(self, value):
        """The first day of the month ``value`` (``YYYY-MM``), or a ``ValidationError``."""
        match = self.pattern.fullmatch(value or "")
        if not match or not 1 <= int(match[2]) <= 12:
            raise ValidationError(
                _("“%(value)s” is not a month: write it as YYYY-MM, for example %(example)s."),
                code="invalid_month",
                params={"value": shorten(value), "example": timezone.localdate().strftime("%Y-%m")},
            )
        if not self.min_year <= int(match[1]) <= self.max_year:
            raise ValidationError(
                _("Choose a month between %(min)s and %(max)s."),
                code="month_out_of_range",
                params={"min": self.min_year, "max": self.max_year},
            )
        return datetime.date(int(match[1]), int(match[2]), 1)

    def accept(self, filterset, value):
        return self.label_of(self.parse(value))

    def filter(self, qs, value):
        if not value:
            return qs
        first_day = self.parse(value)
        next_month = (first_day + datetime.timedelta(days=32)).replace(day=1)
        tz = timezone.get_current_timezone()
        month_start = datetime.datetime.combine(first_day, datetime.time.min, tzinfo=tz)
        month_end = datetime.datetime.combine(next_month, datetime.time.min, tzinfo=tz)
        return qs.filter(
            **{f"{self.start_field}__lt": month_end, f"{self.end_field}__gte": month_start}
        )


class ActivityCountryFilter(CountryFilter):
    """A country for activities, which have none of their own: an activity is "in" a country
    when one of its published organisers is from there, or when its (live) cluster lists it.

    Offered: the countries of the listing's activities found that way; accepted: any ISO code.
    """

    def organisations_of(self, activities):
        through = ActivityPage.organisers.through
        organised = through.objects.filter(activitypage__in=activities.order_by().values("pk"))
        return Organisation.objects.filter(live=True, pk__in=organised.values("organisation_id"))

    def get_choices(self, filterset):
        activities = filterset.queryset
        codes = countries_in_use(self.organisations_of(activities))
        clusters = visible(
            ClusterPage.objects.filter(pk__in=activities.order_by().values("cluster"))
        )
        return country_choices(codes | countries_in_use(clusters, "countries"))

    def filter(self, qs, value):
        if not value:
            return qs
        through = ActivityPage.organisers.through
        organised_from = through.objects.filter(
            organisation__in=Organisation.objects.filter(live=True, country=value)
        ).values("activitypage_id")
        # Only a cluster visitors may see makes an activity "in" its countries (a private
        # cluster must not be found through its countries).
        clusters = visible(ClusterPage.objects.filter(countries__contains=value))
        return qs.filter(Q(pk__in=organised_from) | Q(cluster__in=clusters.values("pk")))


class ActivityFilterSet(ListingFilterSet):
    """The filters of the activity index (:class:`~wagtail_ar.models.ActivityIndexPage`) and of
    its calendar (``ical/``): ``working_group`` and ``cluster`` (slugs), ``format`` (an
    :class:`~wagtail_ar.models.ActivityFormat` value), ``country`` (ISO code: of an organiser or
    of the cluster), ``month`` (``YYYY-MM``: activities running that month) and ``when``
    (``upcoming``: not ended yet; ``past``: ended). ``q`` and ``page`` are the listing's own."""

    when = ListingChoiceFilter(
        choices=[("upcoming", _("Upcoming")), ("past", _("Past"))],
        method="filter_when",
        label=_("When"),
        empty_label=_("Upcoming and past"),
        invalid_message=_("“%(value)s” is not a choice here: use upcoming or past."),
    )
    working_group = WorkingGroupFilter()
    cluster = RelatedSlugFilter(
        label=_("Cluster"),
        empty_label=_("All clusters"),
        invalid_message=_("There is no cluster “%(value)s”."),
    )
    format = ListingChoiceFilter(
        choices=ActivityFormat.choices,
        label=_("Format"),
        empty_label=_("All formats"),
        invalid_message=_(
            "“%(value)s” is not a format of activities. The formats are: %(choices)s."
        ),
    )
    country = ActivityCountryFilter(field_name="organisers", label=_("Country"))
    month = MonthFilter(label=_("Month"), invalid_message=_("“%(value)s” is not a month."))

    class Meta:
        model = ActivityPage
        fields = []

    def filter_when(self, queryset, name, value):
        if value == "upcoming":
            return queryset.filter(end__gte=timezone.now())
        if value == "past":
            return queryset.filter(end__lt=timezone.now())
        return queryset
