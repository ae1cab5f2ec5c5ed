"""A cluster's roadmap as a timeline: where each stage sits along the dates, and where today is.

:func:`build_timeline` turns the roadmap's stages into numbers for a picture drawn on the server
(``wagtail_ar/includes/cluster_roadmap.html`` draws it as SVG: no JavaScript). The picture is
for sighted readers; the same stages, with their dates, format and whether they are done, are
an ordered list for everybody else. Nothing here queries the database.
"""

import dataclasses
import datetime

from django.utils import formats, timezone
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext_lazy as _

from .choices import ActivityFormat

# The picture's own units (its viewBox); the browser scales it to the width of the page.
WIDTH = 480
MARGIN = 12
AXIS_HEIGHT = 34  # room above the bars for the ticks and the "today" label
ROW_HEIGHT = 26
BAR_HEIGHT = 16
MIN_BAR_WIDTH = 5
NUMBER_WIDTH = 16  # room for a stage's number beside its bar

STATE_LABELS = {
    "done": _("Done"),
    "current": _("Under way"),
    "upcoming": _("Upcoming"),
}


@dataclasses.dataclass
class TimelineStage:
    number: int
    title: str
    start: datetime.date
    end: datetime.date | None
    format: str
    format_label: str
    state: str
    block: object  # the StreamField child, for {% include_block %}
    x: float = 0
    width: float = 0
    y: float = 0
    label_x: float = 0
    label_anchor: str = "start"

    @property
    def state_label(self):
        return STATE_LABELS[self.state]

    @property
    def text_y(self):
        return self.y + BAR_HEIGHT - 3


@dataclasses.dataclass
class TimelineTick:
    x: float
    label: str


@dataclasses.dataclass
class Timeline:
    stages: list
    first: datetime.date
    last: datetime.date
    today: datetime.date
    today_position: str  # "before", "inside" or "after" the roadmap
    today_x: float
    today_anchor: str  # text-anchor of the "today" label: start, middle or end
    ticks: list
    width: int = WIDTH
    height: int = 0
    rtl: bool = False  # drawn right to left: time runs from the right edge to the left

    @property
    def today_side(self):
        """Where the "today" label points when today is outside the roadmap: ``"left"`` or
        ``"right"`` (``""`` inside), for its arrow."""
        if self.today_position == "inside":
            return ""
        return "left" if (self.today_position == "before") != self.rtl else "right"

    @property
    def axis_y(self):
        return AXIS_HEIGHT - 6

    @property
    def formats(self):
        """The formats the roadmap uses, in the order of :class:`ActivityFormat` (the legend)."""
        used = {stage.format for stage in self.stages}
        return [(value, label) for value, label in ActivityFormat.choices if value in used]


def stage_state(start, end, today):
    end = end or start
    if end < today:
        return "done"
    if start > today:
        return "upcoming"
    return "current"


def build_timeline(roadmap, start=None, end=None, today=None, rtl=None):
    """A :class:`Timeline` of the stages of ``roadmap`` (a StreamField value of
    ``RoadmapStageBlock``), or ``None`` when no stage has a date.

    ``start`` and ``end`` are the cluster's dates: the axis covers them and every stage. An
    open end (``None``) stretches the axis to today while the cluster goes on. ``rtl`` (by
    default: whether the active language is written right to left) mirrors the picture, so
    that time runs from right to left as the Arabic reader reads.
    """
    today = today or timezone.localdate()
    labels = dict(ActivityFormat.choices)
    stages = []
    for child in roadmap or []:
        value = child.value
        stage_start = value.get("start_date")
        if not stage_start:
            continue
        stage_end = value.get("end_date")
        if stage_end and stage_end < stage_start:
            stage_end = None
        stage_format = value.get("format") or ""
        stages.append(
            TimelineStage(
                number=len(stages) + 1,
                title=value.get("title") or "",
                start=stage_start,
                end=stage_end,
                format=stage_format,
                format_label=str(labels.get(stage_format, stage_format)),
                state=stage_state(stage_start, stage_end, today),
                block=child,
            )
        )
    if not stages:
        return None

    dates = [s.start for s in stages] + [s.end for s in stages if s.end]
    if start:
        dates.append(start)
    if end:
        dates.append(end)
    first, last = min(dates), max(dates)
    if start and not end and today > last:
        last = today  # the cluster goes on: the axis reaches today
    span = (last - first).days + 1
    inner = WIDTH - 2 * MARGIN

    def x_of(day):
        return MARGIN + inner * (day - first).days / span

    for index, stage in enumerate(stages):
        stage.x = round(x_of(stage.start), 2)
        stage.width = round(
            max(
                x_of((stage.end or stage.start) + datetime.timedelta(days=1)) - stage.x,
                MIN_BAR_WIDTH,
            ),
            2,
        )
        stage.y = AXIS_HEIGHT + index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2
        if stage.x + stage.width + 4 + NUMBER_WIDTH <= WIDTH:
            stage.label_x, stage.label_anchor = round(stage.x + stage.width + 4, 2), "start"
        else:
            stage.label_x, stage.label_anchor = round(stage.x - 4, 2), "end"

    if today < first:
        today_position, today_x, today_anchor = "before", MARGIN / 2, "start"
    elif today > last:
        today_position, today_x, today_anchor = "after", WIDTH - MARGIN / 2, "end"
    else:
        today_position, today_x = "inside", round(x_of(today) + inner / span / 2, 2)
        today_anchor = (
            "start" if today_x < WIDTH * 0.1 else "end" if today_x > WIDTH * 0.9 else "middle"
        )

    timeline = Timeline(
        stages=stages,
        first=first,
        last=last,
        today=today,
        today_position=today_position,
        today_x=today_x,
        today_anchor=today_anchor,
        ticks=_ticks(first, last, x_of),
        height=AXIS_HEIGHT + len(stages) * ROW_HEIGHT + 4,
    )
    if get_language_bidi() if rtl is None else rtl:
        _mirror(timeline)
    return timeline


_OPPOSITE_ANCHOR = {"start": "end", "end": "start", "middle": "middle"}


def _mirror(timeline):
    """Flip ``timeline`` left to right: every x becomes ``WIDTH - x`` and text anchored at its
    start is anchored at its end (SVG coordinates do not follow the page's direction)."""
    timeline.rtl = True
    for stage in timeline.stages:
        stage.x = round(WIDTH - stage.x - stage.width, 2)
        stage.label_x = round(WIDTH - stage.label_x, 2)
        stage.label_anchor = _OPPOSITE_ANCHOR[stage.label_anchor]
    for tick in timeline.ticks:
        tick.x = round(WIDTH - tick.x, 2)
    timeline.today_x = round(WIDTH - timeline.today_x, 2)
    timeline.today_anchor = _OPPOSITE_ANCHOR[timeline.today_anchor]


def _ticks(first, last, x_of):
    """Year ticks for a long roadmap, month ticks for a shorter one, none within a month.

    Month ticks are labelled with the month's short name (the year on January), at most about
    eight labels along the axis so that they never overlap.
    """
    ticks = []
    if (last - first).days > 730:
        for year in range(first.year + 1, last.year + 1):
            ticks.append(TimelineTick(round(x_of(datetime.date(year, 1, 1)), 2), str(year)))
        return ticks
    if (last - first).days <= 45:
        return ticks
    months = []
    day = datetime.date(first.year, first.month, 1)
    while True:
        day = datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)
        if day > last:
            break
        months.append(day)
    step = max(1, -(-len(months) // 8))
    for index, day in enumerate(months):
        label = ""
        if index % step == 0:
            label = str(day.year) if day.month == 1 else formats.date_format(day, "M")
        ticks.append(TimelineTick(round(x_of(day), 2), label))
    return ticks
