"""Activities of the working groups and clusters, and the index that lists them."""

import datetime
import zoneinfo

from django import forms
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, IntegerField, Value, When
from django.http import HttpResponseBadRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from .. import cache, calendars
from ..api import VisiblePageField
from ..blocks import RICH_TEXT_FEATURES, BodyBlock
from ..choices import ActivityFormat
from ..conf import settings as ar_settings
from ..forms import ActivityPageForm
from ..listing import Listing
from ..locales import children_of
from ..map.config import BASE_MAP_SCRIPTS, base_map_source
from ..metadata import compact, json_ld_script, open_graph, plain_text, safe_url
from ..panels import location_panels
from ..site_settings import site_value
from ..translation import TranslationFields
from ..visibility import visible
from .mixins import (
    IMAGE_TRANSLATION_FIELDS,
    LOCATION_TRANSLATION_FIELDS,
    BasePage,
    ListingPageMixin,
    LocationMixin,
    PageImageMixin,
)
from .snippets import Organisation


def validate_time_zone(value):
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            _("“%(value)s” is not a time zone. Use a name such as Europe/Madrid or Africa/Tunis."),
            params={"value": value[:64]},
        ) from exc


def default_time_zone():
    return django_settings.TIME_ZONE or "UTC"


def time_zone_choices():
    # Read when the form is built, never stored in a migration: tz data differ between machines.
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class AbstractActivityIndexPage(
    cache.CachedFragmentsMixin, ListingPageMixin, RoutablePageMixin, BasePage
):
    """The calendar of the Amplification Room: upcoming and past activities, filtered.

    The listing (``context["listing"]``, a :class:`~wagtail_ar.listing.Listing`) shows the
    upcoming activities first, soonest first, then the past ones, latest first; its filters are
    those of :class:`~wagtail_ar.filters.ActivityFilterSet`. ``ical/`` answers the same
    activities as an iCalendar file, unpaginated: every upcoming one and those ended within
    ``WAGTAIL_AR_CALENDAR_PAST_DAYS`` (or those of the chosen month). Override
    ``filterset_class``, ``listing_class`` or ``activities()`` on a subclass to change them.
    The template and the page tree rules (``max_count_per_parent``, ``parent_page_types``,
    ``subpage_types``) are those of the concrete :class:`ActivityIndexPage`; a subclass of this
    base sets its own.
    """

    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("intro")]

    search_fields = BasePage.search_fields + [index.SearchField("intro")]

    api_fields = [APIField("intro")]

    listing_class = Listing
    # A dotted path, imported when used: wagtail_ar.filters imports the models.
    filterset_class = "wagtail_ar.filters.ActivityFilterSet"

    class Meta:
        abstract = True

    def activities(self):
        """The activities below this index that visitors may see: live, public, not expired;
        with i18n, localized (:func:`wagtail_ar.locales.children_of`)."""
        return children_of(self, visible(ActivityPage.objects.all()))

    def get_listing(self, request, activities=None, per_page=None):
        now = timezone.now()
        activities = PageImageMixin.with_images(
            activities if activities is not None else self.activities()
        ).annotate(
            past_rank=Case(
                When(end__lt=now, then=Value(1)), default=Value(0), output_field=IntegerField()
            ),
        )
        # Upcoming first (soonest first), then past (latest first): one list, one paginator.
        activities = activities.order_by(
            "past_rank",
            Case(When(end__gte=now, then=F("start"))).asc(nulls_last=True),
            F("start").desc(),
            "pk",
        )
        return self.listing_class(
            request, activities, self.get_filterset_class(), per_page=per_page
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        listing = self.get_listing(request)
        context["listing"] = listing
        context["filterset"] = listing.filterset
        page_url = self.get_url(request)
        if page_url:
            # The calendar of what the filters select (every page of it) and of everything.
            ical_url = page_url + self.reverse_subpage("ical")
            context["ical_url"] = ical_url
            context["filtered_ical_url"] = (
                ical_url + listing.querystring(**{listing.page_param: None})
                if listing.is_filtered and not listing.errors
                else None
            )
        return context

    def get_cached_paths(self):
        """The paths a frontend cache is purged of: the listing and its calendar (``ical/``)."""
        return ["/", self.reverse_subpage("ical")]

    @path("ical/", name="ical")
    def ical(self, request):
        return cache.cached_response(
            request,
            "activities_ical",
            lambda: self.ical_response(request),
            page=self,
            params=self.get_cache_params(),
        )

    def ical_response(self, request):
        """Every activity the filters select, as one iCalendar file (not paginated).

        Bad parameters answer 400 with the messages as plain text.
        """
        listing = self.get_listing(
            request,
            self.activities()
            .select_related("working_group", "cluster")
            .prefetch_related("organisers"),
            per_page=10**6,
        )
        if listing.errors:
            return HttpResponseBadRequest(
                "\n".join(str(error) for error in listing.errors),
                content_type="text/plain; charset=utf-8",
            )
        activities = listing.paginator.object_list
        # A bounded window (WAGTAIL_AR_CALENDAR_PAST_DAYS): the cost of the calendar does not
        # grow with the years of past activities; a chosen month is a window of its own.
        past_days = ar_settings.CALENDAR_PAST_DAYS
        if past_days is not None and not listing.filterset.form.cleaned_data.get("month"):
            since = timezone.now() - datetime.timedelta(days=past_days)
            activities = activities.filter(end__gte=since)
        activities = list(activities.order_by("start", "pk"))
        # The calendar's name says what the filters select: "Activities (WG1, Spain)".
        active = [str(label) for _name, _filter, label in listing.filterset.active_filters()]
        if listing.query:
            active.append(f"“{listing.query}”")
        calendar = calendars.build_calendar(
            activities,
            host=calendars.site_host(self, request),
            name=f"{self.title} ({', '.join(active)})" if active else self.title,
            request=request,
            refresh_interval=calendars.REFRESH_INTERVAL,
        )
        return calendars.calendar_response(calendar, f"{self.slug}.ics")


class ActivityIndexPage(AbstractActivityIndexPage):
    template = "wagtail_ar/pages/activity_index_page.html"
    max_count_per_parent = 1
    parent_page_types = ["wagtail_ar.AmplificationRoomPage"]
    subpage_types = ["wagtail_ar.ActivityPage"]

    class Meta:
        verbose_name = _("activity index page")
        verbose_name_plural = _("activity index pages")


# How to attend, in schema.org's words.
_ATTENDANCE_MODES = {
    ActivityFormat.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    ActivityFormat.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    ActivityFormat.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}


class AbstractActivityPage(
    cache.CachedFragmentsMixin, RoutablePageMixin, PageImageMixin, LocationMixin, BasePage
):
    """An activity: a working group meeting, a clustering activity, a webinar, an event.

    Relations use ``related_name="+"`` so that several subclasses can coexist. ``ical/`` below
    the page answers its iCalendar file ("add to calendar").
    """

    start = models.DateTimeField(
        _("start"), help_text=_("Date and time in the activity's time zone.")
    )
    end = models.DateTimeField(_("end"), help_text=_("Date and time in the activity's time zone."))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=default_time_zone,
        validators=[validate_time_zone],
        help_text=_("Where the activity happens; online activities use the organisers' time zone."),
    )
    format = models.CharField(
        _("format"), max_length=20, choices=ActivityFormat.choices, default=ActivityFormat.IN_PERSON
    )
    summary = models.TextField(
        _("summary"), max_length=400, blank=True, help_text=_("For listings and calendars.")
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))
    venue = models.CharField(
        _("venue"), max_length=255, blank=True, help_text=_("The name of the place.")
    )
    online_link = models.URLField(
        _("online link"), blank=True, help_text=_("Where participants join online.")
    )
    registration_link = models.URLField(_("registration link"), blank=True)
    organisers = ParentalManyToManyField(
        Organisation,
        verbose_name=_("organisers"),
        blank=True,
        # "+": several page types may subclass this base; query from the page side.
        related_name="+",
    )
    working_group = models.ForeignKey(
        "wagtail_ar.WorkingGroupPage",
        verbose_name=_("working group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        # "+": as above.
        related_name="+",
        help_text=_("Each working group runs at least 2 activities per year."),
    )
    cluster = models.ForeignKey(
        "wagtail_ar.ClusterPage",
        verbose_name=_("cluster"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        # "+": as above.
        related_name="+",
        help_text=_("The cluster whose roadmap this clustering activity belongs to."),
    )

    content_panels = BasePage.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
                FieldPanel("time_zone", widget=forms.Select(choices=time_zone_choices)),
                FieldPanel("format"),
            ],
            heading=_("When"),
        ),
        FieldPanel("summary"),
        PageImageMixin.image_panel(),
        FieldPanel("body"),
        location_panels(heading=_("Where"), extra=[FieldPanel("venue")]),
        MultiFieldPanel(
            [FieldPanel("online_link"), FieldPanel("registration_link")], heading=_("Links")
        ),
        MultiFieldPanel(
            [FieldPanel("organisers"), FieldPanel("working_group"), FieldPanel("cluster")],
            heading=_("Who is behind it"),
        ),
    ]

    search_fields = BasePage.search_fields + [
        index.SearchField("summary", boost=2),
        index.SearchField("venue"),
        index.SearchField("body"),
        index.FilterField("start"),
        index.FilterField("end"),
        index.FilterField("format"),
        index.FilterField("working_group"),
        index.FilterField("cluster"),
    ]

    api_fields = [
        APIField("start"),
        APIField("end"),
        APIField("time_zone"),
        APIField("format"),
        APIField("summary"),
        APIField("body"),
        APIField("venue"),
        APIField("address"),
        APIField("latitude"),
        APIField("longitude"),
        APIField("online_link"),
        APIField("registration_link"),
        APIField("organisers"),
        APIField("working_group", serializer=VisiblePageField()),
        APIField("cluster", serializer=VisiblePageField()),
    ]

    # wagtail-localize: the texts are translated; the time, the place and the relations are the
    # source's (the organisers replaced by their translations, wagtail_ar.translation). A
    # translator may point the links to pages in their language.
    override_translatable_fields = TranslationFields(
        LOCATION_TRANSLATION_FIELDS,
        IMAGE_TRANSLATION_FIELDS,
        translated=["summary", "body", "venue"],
        synchronized=["online_link", "registration_link"],
        fixed=["start", "end", "time_zone", "format", "working_group", "cluster", "organisers"],
    )

    class Meta:
        abstract = True

    @property
    def is_past(self):
        """Whether the activity is over: it is upcoming until it ends."""
        return self.end is not None and self.end < timezone.now()

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def local_start(self):
        return timezone.localtime(self.start, self.zone)

    @property
    def local_end(self):
        return timezone.localtime(self.end, self.zone)

    def clean(self):
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError(
                {"end": _("The activity cannot end before it starts: check the end.")}
            )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        page_url = self.get_url(request)
        context["ical_url"] = page_url + self.reverse_subpage("ical") if page_url else None
        context["map_config"] = self.map_config(request)
        # With i18n, the working group and cluster in their translation of the active locale.
        working_group = self.working_group.localized if self.working_group_id else None
        cluster = self.cluster.localized if self.cluster_id else None
        visible = calendars.visible_page_ids([working_group, cluster])
        context["working_group_link"] = (
            working_group if working_group is not None and working_group.pk in visible else None
        )
        context["cluster_link"] = cluster if cluster is not None and cluster.pk in visible else None
        if request is not None:
            context["open_graph"] = self.get_open_graph(request)
            context["json_ld"] = json_ld_script(self.get_json_ld(request))
        return context

    def get_open_graph(self, request):
        """``[(property, content), …]``: the Open Graph tags of the activity."""
        return open_graph(
            self, request, "website", self.summary, *self.get_open_graph_image(request)
        )

    def get_json_ld(self, request):
        """schema.org data of the activity: an ``Event`` with its dates in its own time zone
        (with their UTC offset), how to attend (``eventAttendanceMode``), the venue and the
        online address, and its published organisers. Override to say more."""
        place = None
        if self.format != ActivityFormat.ONLINE and (self.venue or self.has_location):
            place = {"@type": "Place", "name": self.venue, "address": self.venue}
            if self.has_location:
                place["geo"] = {
                    "@type": "GeoCoordinates",
                    "latitude": self.latitude,
                    "longitude": self.longitude,
                }
        online = safe_url(self.online_link) if self.format != ActivityFormat.IN_PERSON else ""
        virtual = {"@type": "VirtualLocation", "url": online} if online else None
        organisers = [
            {"@type": "Organization", "name": org.name, "url": safe_url(org.website)}
            for org in (o.localized for o in self.organisers.all())
            if org.live
        ]
        return compact(
            {
                "@context": "https://schema.org",
                "@type": "Event",
                "name": self.title,
                "description": plain_text(self.summary or self.search_description),
                "url": self.get_full_url(request),
                "startDate": self.local_start.isoformat() if self.start else None,
                "endDate": self.local_end.isoformat() if self.end else None,
                "eventStatus": "https://schema.org/EventScheduled",
                "eventAttendanceMode": _ATTENDANCE_MODES.get(self.format),
                "location": [where for where in (place, virtual) if where],
                "organizer": organisers,
            }
        )

    def map_config(self, request=None):
        """What static/wagtail_ar/js/activity_map.js needs to draw the venue; ``None`` if no point.
        The tiles are the request's site's (``site_value``)."""
        if not self.has_location:
            return None
        return {
            "lat": self.latitude,
            "lng": self.longitude,
            "zoom": 15,
            "tileUrl": site_value("TILE_URL", request),
            "attribution": site_value("TILE_ATTRIBUTION", request),
            "baseMap": base_map_source(),
            "baseMapScripts": BASE_MAP_SCRIPTS,
        }

    def get_cached_paths(self):
        """The paths a frontend cache is purged of: the page and its calendar (``ical/``)."""
        return ["/", self.reverse_subpage("ical")]

    @path("ical/", name="ical")
    def ical(self, request):
        return cache.cached_response(
            request, "activity_ical", lambda: self.ical_response(request), page=self
        )

    def ical_response(self, request):
        """This activity as an iCalendar file, for "add to calendar"."""
        calendar = calendars.build_calendar(
            [self], host=calendars.site_host(self, request), name=self.title, request=request
        )
        return calendars.calendar_response(calendar, f"{self.slug}.ics")


class ActivityPage(AbstractActivityPage):
    template = "wagtail_ar/pages/activity_page.html"
    base_form_class = ActivityPageForm
    parent_page_types = ["wagtail_ar.ActivityIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("activity page")
        verbose_name_plural = _("activity pages")
