"""Activities of the working groups and clusters, and the index that lists them."""

import zoneinfo

from django import forms
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from ..blocks import RICH_TEXT_FEATURES, BodyBlock
from ..forms import ActivityPageForm
from ..panels import location_panels
from .choices import ActivityFormat
from .mixins import BasePage, LocationMixin
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


class ActivityIndexPage(BasePage):
    """The calendar of the Amplification Room: upcoming and past activities."""

    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("intro")]

    search_fields = BasePage.search_fields + [index.SearchField("intro")]

    api_fields = [APIField("intro")]

    template = "wagtail_ar/pages/activity_index_page.html"
    max_count_per_parent = 1
    parent_page_types = ["wagtail_ar.AmplificationRoomPage"]
    subpage_types = ["wagtail_ar.ActivityPage"]

    class Meta:
        verbose_name = _("activity index page")
        verbose_name_plural = _("activity index pages")

    def activities(self):
        return ActivityPage.objects.child_of(self).live().public()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        activities = self.activities()
        context["upcoming_activities"] = activities.filter(end__gte=now).order_by("start")
        context["past_activities"] = activities.filter(end__lt=now).order_by("-start")
        return context


class AbstractActivityPage(LocationMixin, BasePage):
    """An activity: a working group meeting, a clustering activity, a webinar, an event.

    Relations use ``related_name="+"`` so that several subclasses can coexist.
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
        APIField("working_group"),
        APIField("cluster"),
    ]

    class Meta:
        abstract = True

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


class ActivityPage(AbstractActivityPage):
    template = "wagtail_ar/pages/activity_page.html"
    base_form_class = ActivityPageForm
    parent_page_types = ["wagtail_ar.ActivityIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("activity page")
        verbose_name_plural = _("activity pages")
