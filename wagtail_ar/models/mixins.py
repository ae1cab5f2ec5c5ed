"""Abstract bases shared by the page types and snippets of wagtail_ar."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.documents import get_document_model_string
from wagtail.images import get_image_model_string
from wagtail.models import Orderable, Page

from ..conf import settings as ar_settings
from ..fields import PointField
from ..geo import parse_point
from ..listing import Listing
from ..metadata import rendition_url
from ..translation import TranslationFields

# wagtail-localize (wagtail_ar.translation): the point is the same in every language; the address
# is copied, and a translator may write it the local way. latitude and longitude are not editable:
# each translation derives them from its location when saved.
LOCATION_TRANSLATION_FIELDS = TranslationFields(synchronized=["address"], fixed=["location"])


class LocationMixin(models.Model):
    """An address and a point on the map, with the point's latitude and longitude as numbers.

    ``location`` is what the editor places with the map widget; ``latitude`` and ``longitude``
    are derived from it on every save so that queries (bounding boxes, "has a location") can
    use plain numeric columns on every database.
    """

    address = models.CharField(
        _("address"),
        max_length=255,
        blank=True,
        help_text=_("Street, town and country. Typing it places the marker on the map below."),
    )
    location = PointField(
        _("location"),
        help_text=_(
            "Drag the marker or type latitude,longitude (for example 36.72,-4.42 for Málaga)."
        ),
    )
    latitude = models.FloatField(
        _("latitude"), null=True, blank=True, editable=False, db_index=True
    )
    longitude = models.FloatField(
        _("longitude"), null=True, blank=True, editable=False, db_index=True
    )

    override_translatable_fields = LOCATION_TRANSLATION_FIELDS

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.sync_coordinates()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "location" in update_fields:
            kwargs["update_fields"] = {*update_fields, "latitude", "longitude"}
        super().save(*args, **kwargs)

    @property
    def has_location(self):
        return self.latitude is not None and self.longitude is not None

    def sync_coordinates(self):
        """Set ``latitude`` and ``longitude`` from ``location`` (``None`` when there is none).

        ``location`` is validated by the form; should code save an invalid point anyway, it is
        dropped here rather than stored half-understood.
        """
        if self.location:
            try:
                self.latitude, self.longitude = parse_point(self.location)
                return
            except Exception:  # noqa: BLE001 - ValidationError; stored value is cleared below
                self.location = ""
        self.latitude = self.longitude = None


# wagtail-localize: the alt text is translated; the image and the "decorative" choice are the
# source's.
IMAGE_TRANSLATION_FIELDS = TranslationFields(
    translated=["image_alt"], fixed=["image", "image_decorative"]
)


class PageImageMixin(models.Model):
    """An optional picture of a page (clusters, reports, activities), with its alt text or an
    explicit "decorative" choice: shown on the page and its cards, and its Open Graph image.

    A page with an image must say what it shows (``image_alt``) or that it is decorative
    (``image_decorative``, then ``alt=""``): the editor is told so by the form (WCAG 2.1,
    1.1.1 Non-text content). Templates use ``{% include "wagtail_ar/includes/page_image.html" %}``.
    """

    image = models.ForeignKey(
        get_image_model_string(),
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Optional. Shown at the top of the page, on its card in lists and when it is shared."
        ),
    )
    image_alt = models.CharField(
        _("alt text"),
        max_length=250,
        blank=True,
        help_text=_(
            "What the image shows, for people who cannot see it, in a sentence: for example "
            "“Divers counting seagrass shoots off Mljet”."
        ),
    )
    image_decorative = models.BooleanField(
        _("the image is decorative"),
        default=False,
        help_text=_("Tick when the image adds nothing the text does not say: it gets no alt text."),
    )

    class Meta:
        abstract = True

    @classmethod
    def image_panel(cls):
        return MultiFieldPanel(
            [FieldPanel("image"), FieldPanel("image_alt"), FieldPanel("image_decorative")],
            heading=_("Image"),
        )

    @staticmethod
    def with_images(queryset):
        """``queryset`` with each page's image and its renditions read in two queries in all
        (none when no page has an image), for lists of cards."""
        return queryset.select_related("image").prefetch_related("image__renditions")

    @property
    def image_alt_text(self):
        """The ``alt`` of the image: empty when it is decorative."""
        return "" if self.image_decorative else self.image_alt

    def clean(self):
        super().clean()
        if self.image_id and not self.image_decorative and not self.image_alt.strip():
            raise ValidationError(
                {
                    "image_alt": _(
                        "Say what the image shows for people who cannot see it, or tick "
                        "“the image is decorative”."
                    )
                }
            )

    def get_open_graph_image(self, request=None):
        """``[("og:image", url), ("og:image:alt", alt)]`` of the page's image, or ``[]``."""
        url = rendition_url(self.image, "fill-1200x630-c50", request) if self.image_id else None
        return [("og:image", url), ("og:image:alt", self.image_alt_text)] if url else []


class BasePage(Page):
    """What every Amplification Room page type shares.

    The package's templates (``wagtail_ar/pages/*.html``) extend the template named by
    ``WAGTAIL_AR_BASE_TEMPLATE``, passed to them as ``wagtail_ar_base_template``; a subclass
    that sets its own ``template`` can extend it the same way.
    """

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["wagtail_ar_base_template"] = ar_settings.BASE_TEMPLATE
        return context

    def get_cache_params(self):
        """The query parameters that change what this page shows: none, unless it lists
        (:class:`ListingPageMixin`). The cache keys on these alone (:mod:`wagtail_ar.cache`)."""
        return frozenset()


def resolve_class(dotted_or_class):
    """A class given as itself or by its dotted path (so that an attribute such as
    ``filterset_class`` can name a module that imports the models)."""
    return import_string(dotted_or_class) if isinstance(dotted_or_class, str) else dotted_or_class


class ListingPageMixin:
    """For pages whose context holds a :class:`wagtail_ar.listing.Listing` as ``listing``:
    bad query parameters answer 400, with the page and its messages, never a 500.

    ``filterset_class`` (a class or a dotted path) filters the listing; override
    :meth:`get_filterset_class` to choose it per request or per page.
    """

    filterset_class = None

    def get_filterset_class(self):
        return resolve_class(self.filterset_class)

    def get_cache_params(self):
        """The query parameters this page's listing understands (see
        :meth:`wagtail_ar.listing.Listing.parameter_names`)."""
        listing_class = getattr(self, "listing_class", None) or Listing
        return listing_class.parameter_names(self.get_filterset_class())

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        listing = getattr(response, "context_data", None) and response.context_data.get("listing")
        if listing is not None and listing.errors:
            response.status_code = listing.status_code
        return response


class DocumentItem(Orderable):
    """A document in an ordered list of a page (policy papers, report attachments).

    A concrete subclass adds the ``ParentalKey`` to its page.
    """

    document = models.ForeignKey(
        get_document_model_string(),
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        # "+": a document is found from its page, not the other way round.
        related_name="+",
    )
    title = models.CharField(
        _("title"),
        max_length=255,
        blank=True,
        help_text=_("Leave empty to use the document's own title."),
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    api_fields = [APIField("document"), APIField("title")]

    class Meta(Orderable.Meta):
        abstract = True

    def __str__(self):
        return self.display_title

    @property
    def display_title(self):
        return self.title or self.document.title
