"""StreamField blocks of the Amplification Room pages."""

from django.core.exceptions import ValidationError
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError, StructValue
from wagtail.documents.blocks import DocumentChooserBlock

from .choices import ActivityFormat, CommunityRole, OrganisationType
from .map.config import base_map_config, map_assets, organisation_sources
from .place_picker import Place, PlaceField
from .visibility import is_visible, visible

RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


class LinkBlock(blocks.StructBlock):
    """A link to a page of the site or to an outside address; the page wins when both are given."""

    page = blocks.PageChooserBlock(required=False, label=_("page"))
    url = blocks.URLBlock(required=False, label=_("address"))
    text = blocks.CharBlock(required=False, max_length=100, label=_("link text"))

    class Meta:
        icon = "link"
        label = _("link")
        # Rendered alone (in a host's StreamField): never Wagtail's default rendering, which
        # would name a chosen page that is not published.
        template = "wagtail_ar/blocks/link_block.html"

    def clean(self, value):
        value = super().clean(value)
        if value.get("text") and not (value.get("page") or value.get("url")):
            raise StructBlockValidationError(
                block_errors={
                    "url": ValidationError(_("Choose a page or give an address for this link."))
                }
            )
        return value


class ServiceBlock(blocks.StructBlock):
    """One entry of the AR's portfolio of services: a setting where transference happens."""

    name = blocks.CharBlock(max_length=120, label=_("name"))
    format = blocks.ChoiceBlock(
        choices=ActivityFormat.choices, default=ActivityFormat.IN_PERSON, label=_("format")
    )
    description = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("description"))
    link = LinkBlock(required=False, label=_("link"))

    class Meta:
        icon = "pick"
        label = _("Service")
        template = "wagtail_ar/blocks/service_block.html"
        description = _("An in-person or online setting of the portfolio of services.")
        preview_value = {
            "name": "Peer-to-peer exchange visit",
            "format": ActivityFormat.IN_PERSON,
            "description": "<p>Visit a territory where a TP solution is in use.</p>",
        }


class FAQBlock(blocks.StructBlock):
    """A question and its answer; the landing page turns them into schema.org FAQPage data."""

    question = blocks.CharBlock(max_length=255, label=_("question"))
    answer = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("answer"))

    class Meta:
        icon = "help"
        label = _("FAQ")
        template = "wagtail_ar/blocks/faq_block.html"
        description = _("A frequently asked question, for example how to create a cluster.")
        preview_value = {
            "question": "Who can create a cluster?",
            "answer": "<p>The whole CoP is welcome.</p>",
        }


class CallToActionBlock(blocks.StructBlock):
    """A short invitation with one prominent link."""

    heading = blocks.CharBlock(max_length=120, label=_("heading"))
    text = blocks.TextBlock(required=False, max_length=400, label=_("text"))
    link = LinkBlock(label=_("link"))

    class Meta:
        icon = "pick"
        label = _("Call to action")
        template = "wagtail_ar/blocks/call_to_action_block.html"
        description = _("An invitation to act, such as joining the forum or proposing a cluster.")
        preview_value = {"heading": "Join the forum", "text": "Say what you need or can offer."}


class RoadmapStageBlock(blocks.StructBlock):
    """One stage of a cluster's roadmap of activities."""

    title = blocks.CharBlock(max_length=200, label=_("title"))
    start_date = blocks.DateBlock(label=_("start date"))
    end_date = blocks.DateBlock(
        required=False, label=_("end date"), help_text=_("Leave empty for a one-day stage.")
    )
    format = blocks.ChoiceBlock(
        choices=ActivityFormat.choices, default=ActivityFormat.ONLINE, label=_("format")
    )
    description = blocks.TextBlock(required=False, label=_("description"))

    class Meta:
        icon = "date"
        label = _("Stage")
        template = "wagtail_ar/blocks/roadmap_stage_block.html"
        description = _("A stage of the cluster's roadmap, with its dates and format.")
        preview_value = {"title": "Kick-off meeting", "format": ActivityFormat.ONLINE}

    def clean(self, value):
        value = super().clean(value)
        start, end = value.get("start_date"), value.get("end_date")
        if start and end and end < start:
            raise StructBlockValidationError(
                block_errors={
                    "end_date": ValidationError(_("A stage cannot end before it starts."))
                }
            )
        return value


def country_choices():
    """Every country, by name; a callable, so that migrations do not copy the list."""
    from django_countries import countries

    return list(countries)


class PlaceBlock(blocks.FieldBlock):
    """A point chosen on the package's Leaflet map in the admin: a :class:`~wagtail_ar.place_picker.Place`
    (``latitude``, ``longitude``; ``str()`` gives "36.7200, -4.4200") or ``None``.

    Stored as ``{"latitude": …, "longitude": …}``. The editor clicks the map, drags the marker
    or, from the keyboard, moves the map and places the marker at its centre; no coordinates
    are typed (see :mod:`wagtail_ar.place_picker`). ``zoom_field`` names a sibling block of
    the same StructBlock (an ``IntegerBlock``) that "Use the map's zoom" fills.
    """

    def __init__(self, required=True, help_text=None, zoom_field=None, **kwargs):
        self.field = PlaceField(required=required, help_text=help_text, zoom_field=zoom_field)
        super().__init__(**kwargs)

    def to_python(self, value):
        return Place.from_stored(value)

    def get_prep_value(self, value):
        place = Place.from_stored(value)
        return place.as_dict() if place is not None else None

    def normalize(self, value):
        return Place.from_stored(value)

    def value_for_form(self, value):
        # What the editor posted stays as it is until clean() says what is wrong with it.
        return (
            value if isinstance(value, str) else self.field.prepare_value(Place.from_stored(value))
        )

    def get_searchable_content(self, value):
        return []

    class Meta:
        icon = "site"


class MapValue(StructValue):
    """A :class:`MapBlock`'s value; ``latitude`` and ``longitude`` are those of its place."""

    @property
    def latitude(self):
        place = self.get("place")
        return place.latitude if place is not None else None

    @property
    def longitude(self):
        place = self.get("place")
        return place.longitude if place is not None else None


class MapBlock(blocks.StructBlock):
    """A map in a page's body: the community's organisations, or one place.

    With “Community organisations” the map shows the organisations of a community map page
    (the one chosen, or the one of the page's Amplification Room), narrowed by the filters,
    with the same clustering, keyboard access and marker details as that page, and a link to
    its list of the same organisations. With “One place” it shows one marker. The place (a
    :class:`PlaceBlock`, chosen on a map in the admin) centres the map (the Mediterranean when
    empty); the value's ``latitude`` and ``longitude`` are its coordinates. The template is
    ``wagtail_ar/blocks/map_block.html``.
    """

    ORGANISATIONS = "organisations"
    PLACE = "place"

    heading = blocks.CharBlock(required=False, max_length=120, label=_("heading"))
    show = blocks.ChoiceBlock(
        choices=[(ORGANISATIONS, _("Community organisations")), (PLACE, _("One place"))],
        default=ORGANISATIONS,
        label=_("show"),
    )
    map_page = blocks.PageChooserBlock(
        page_type="wagtail_ar.CommunityMapPage",
        required=False,
        label=_("community map page"),
        help_text=_(
            "Where the organisations come from. Leave empty to use the community map of this "
            "Amplification Room."
        ),
    )
    role = blocks.ChoiceBlock(
        choices=CommunityRole.choices,
        required=False,
        label=_("community role"),
        help_text=_("Only organisations with this role in the CoP."),
    )
    organisation_type = blocks.ChoiceBlock(
        choices=OrganisationType.choices,
        required=False,
        label=_("type of organisation"),
    )
    country = blocks.ChoiceBlock(choices=country_choices, required=False, label=_("country"))
    place_name = blocks.CharBlock(
        required=False,
        max_length=200,
        label=_("name of the place"),
        help_text=_("For one place: what the marker is called, for example a venue."),
    )
    place = PlaceBlock(
        required=False,
        zoom_field="zoom",
        label=_("place on the map"),
        help_text=_(
            "Required for one place: where its marker stands. For the organisations: the centre "
            "of the map (leave empty for the default)."
        ),
    )
    zoom = blocks.IntegerBlock(
        required=False,
        min_value=1,
        max_value=18,
        label=_("zoom"),
        help_text=_("From 1 (the whole world) to 18 (a street). Leave empty for the default."),
    )

    class Meta:
        icon = "site"
        label = _("Map")
        template = "wagtail_ar/blocks/map_block.html"
        description = _("A map of the community's organisations, or of one place.")
        preview_value = {"heading": "Who takes part", "show": "organisations"}
        value_class = MapValue

    def clean(self, value):
        value = super().clean(value)
        if value.get("show") == self.PLACE and value.get("place") is None:
            raise StructBlockValidationError(
                block_errors={"place": ValidationError(_("Choose the place to show on the map."))}
            )
        return value

    # Stored as before the picker: ``latitude`` and ``longitude`` keys, not a ``place`` one.
    # Content saved either way is read (to_python, bulk_to_python, normalize), saved and given
    # to the API with the two keys, so no data migration is needed.

    @staticmethod
    def _place_from_keys(value):
        if not isinstance(value, dict) or isinstance(value, StructValue) or "place" in value:
            return value
        value = dict(value)
        latitude, longitude = value.pop("latitude", None), value.pop("longitude", None)
        if latitude is not None or longitude is not None:
            value["place"] = {"latitude": latitude, "longitude": longitude}
        return value

    def to_python(self, value):
        return super().to_python(self._place_from_keys(value))

    def bulk_to_python(self, values):
        return super().bulk_to_python([self._place_from_keys(value) for value in values])

    def normalize(self, value):
        return super().normalize(self._place_from_keys(value))

    @staticmethod
    def _keys_from_place(data):
        place = data.pop("place", None) or {}
        data["latitude"], data["longitude"] = place.get("latitude"), place.get("longitude")
        return data

    def get_prep_value(self, value):
        return self._keys_from_place(super().get_prep_value(value))

    def get_api_representation(self, value, context=None):
        return self._keys_from_place(super().get_api_representation(value, context=context))

    def find_map_page(self, value, page):
        """The community map page the organisations come from, or ``None``.

        The chosen page when it is live; otherwise the live, public map nearest to ``page`` in
        the page tree (the one of its Amplification Room), in ``page``'s locale.
        """
        from .models import CommunityMapPage

        chosen = value.get("map_page")
        if chosen is not None:
            chosen = chosen.specific
            return chosen if is_visible(chosen) else None
        candidates = visible(CommunityMapPage.objects.all()).order_by("path")
        if page is None or not getattr(page, "path", None):
            return candidates.first()
        step = page.steplen

        def shared_depth(candidate):
            depth = 0
            while (
                depth * step < min(len(page.path), len(candidate.path))
                and page.path[depth * step : (depth + 1) * step]
                == candidate.path[depth * step : (depth + 1) * step]
            ):
                depth += 1
            return depth

        return max(candidates.filter(locale_id=page.locale_id), key=shared_depth, default=None)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        request = context.get("request")
        page = context.get("page")
        # Several maps on one page: unique ids, and the scripts and styles only once.
        counter = getattr(request, "_wagtail_ar_maps", 0) + 1 if request is not None else 1
        if request is not None:
            request._wagtail_ar_maps = counter
        latitude, longitude = value.latitude, value.longitude
        centre = None
        if latitude is not None and longitude is not None:
            centre = {"lat": latitude, "lng": longitude}
        config = base_map_config(center=centre, zoom=value.get("zoom"), request=request)
        map_page = None
        if value.get("show") == self.PLACE:
            if centre is not None:
                config["place"] = {
                    "lat": latitude,
                    "lng": longitude,
                    "name": value.get("place_name") or "",
                }
        else:
            map_page = self.find_map_page(value, page)
            filters = {
                key: value.get(name)
                for key, name in (
                    ("role", "role"),
                    ("type", "organisation_type"),
                    ("country", "country"),
                )
                if value.get(name)
            }
            if map_page is not None:
                config.update(organisation_sources(request, map_page, filters, layers=False))
                config["fitToData"] = bool(filters) and centre is None
            context["map_list_url"] = (
                map_page.get_url(request) + ("?" + urlencode(filters) if filters else "")
                if map_page is not None
                else ""
            )
        context.update(
            {
                "map_id": f"ar-map-block-{counter}",
                "map_config": config,
                "map_page": map_page,
                "map_assets": map_assets() if counter == 1 else None,
            }
        )
        return context


class BodyBlock(blocks.StreamBlock):
    """The body of most Amplification Room pages."""

    rich_text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("Text"), icon="pilcrow")
    call_to_action = CallToActionBlock()
    document = DocumentChooserBlock(
        label=_("Document"), icon="doc-full", template="wagtail_ar/blocks/document_block.html"
    )


class LandingBodyBlock(BodyBlock):
    """The body of the Amplification Room landing page: text, services, FAQs, calls to action, maps."""

    service = ServiceBlock()
    faq = FAQBlock()
    map = MapBlock()


class RoadmapBlock(blocks.StreamBlock):
    stage = RoadmapStageBlock()
