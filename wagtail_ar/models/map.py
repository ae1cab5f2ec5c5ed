"""The community map page: every published organisation with a location, on a map and in a list.

The page is a ``RoutablePageMixin`` page (``wagtail.contrib.routable_page`` need not be in
``INSTALLED_APPS``): below its own URL it serves ``geojson/`` (the organisations, and the
optional layers of geographical clusters and activities), ``organisations/<id>/`` (what a
marker shows when it is opened) and ``organisations/<id>/<slug>/`` (an organisation's
profile). The views are in :mod:`wagtail_ar.map.views` and :mod:`wagtail_ar.map.profiles`.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.search import index

from ..blocks import RICH_TEXT_FEATURES
from ..cache import CachedFragmentsMixin
from ..locales import i18n_enabled, localize
from ..map.config import LAYER_ACTIVITIES, LAYER_CLUSTERS
from .mixins import BasePage, ListingPageMixin
from .snippets import Organisation


class AbstractCommunityMapPage(CachedFragmentsMixin, ListingPageMixin, RoutablePageMixin, BasePage):
    """The mission's map of the organisations engaged in the Community of Practice.

    A subclass may override :meth:`organisations` to choose who is on the map; the GeoJSON,
    the marker details and the list beside the map all follow it. A bad filter in the address
    answers 400 with the page and its messages (:class:`ListingPageMixin`).
    """

    intro = RichTextField(
        _("introduction"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_(
            "Invite visitors to discover the community by finding the engaged organisations on the map."
        ),
    )

    content_panels = BasePage.content_panels + [FieldPanel("intro")]

    search_fields = BasePage.search_fields + [index.SearchField("intro")]

    api_fields = [APIField("intro")]

    class Meta:
        abstract = True

    def organisations(self):
        """Published organisations that have a location: in the page's locale, or with i18n
        in the active locale, an untranslated one in the default locale
        (:func:`wagtail_ar.locales.localize`)."""
        organisations = Organisation.objects.filter(
            live=True, latitude__isnull=False, longitude__isnull=False
        )
        if i18n_enabled():
            return localize(organisations)
        return organisations.filter(locale_id=self.locale_id)

    def profile_organisations(self):
        """The organisations with a profile on this page (``organisations/<id>/<slug>/``):
        every published one, with or without a place, localized as :meth:`organisations`."""
        organisations = Organisation.objects.filter(live=True)
        if i18n_enabled():
            return localize(organisations)
        return organisations.filter(locale_id=self.locale_id)

    def organisation_profile_url(self, organisation, request=None):
        """The address of ``organisation``'s profile on this page (no query)."""
        from ..map.profiles import profile_path

        base = self.get_url(request)
        return base + profile_path(self, organisation) if base else None

    def get_sitemap_urls(self, request=None):
        """The page, then every organisation's profile (one query)."""
        from ..map.profiles import profile_sitemap_urls

        return super().get_sitemap_urls(request) + profile_sitemap_urls(self, request)

    def get_cache_params(self):
        from ..map.parameters import CommunityMapFilterSet, OrganisationListing

        return OrganisationListing.parameter_names(CommunityMapFilterSet)

    def get_context(self, request, *args, **kwargs):
        from ..map.views import community_map_context

        context = super().get_context(request, *args, **kwargs)
        context.update(community_map_context(request, self))
        return context

    #: How many marker details (``organisations/<id>/``) :meth:`get_cached_paths` names at
    #: most: a frontend cache is purged of those of the first organisations (by id) only.
    cached_organisation_details_limit = 500

    def get_cached_paths(self):
        """The paths a frontend cache (a CDN) is purged of when the page or what it shows
        changes: the page, its GeoJSON (each layer: ``?layer=`` is part of the URL the map
        asks for) and the marker details of its organisations (one query, at most
        :attr:`cached_organisation_details_limit`)."""
        geojson = self.reverse_subpage("geojson")
        paths = ["/", geojson] + [
            f"{geojson}?layer={layer}" for layer in (LAYER_CLUSTERS, LAYER_ACTIVITIES)
        ]
        ids = (
            self.organisations()
            .order_by("pk")
            .values_list("pk", flat=True)[: self.cached_organisation_details_limit]
        )
        paths += [self.reverse_subpage("organisation_details", args=[pk]) for pk in ids]
        return paths + self.profile_cached_paths()

    def profile_cached_paths(self):
        """The profiles' paths (one query, at most :attr:`cached_organisation_details_limit`)."""
        from ..map.profiles import profile_path

        organisations = self.profile_organisations().order_by("pk").only("pk", "name")
        return [
            profile_path(self, organisation)
            for organisation in organisations[: self.cached_organisation_details_limit]
        ]

    @path("geojson/", name="geojson")
    def geojson_view(self, request):
        from ..map.views import community_map_geojson

        return community_map_geojson(request, self)

    @path("organisations/<int:pk>/", name="organisation_details")
    def organisation_details_view(self, request, pk):
        from ..map.views import organisation_details

        return organisation_details(request, self, pk)

    #: The template of the organisation profiles (:mod:`wagtail_ar.map.profiles`).
    profile_template = "wagtail_ar/pages/organisation_profile.html"

    @path("organisations/<int:pk>/<str:slug>/", name="organisation_profile")
    def organisation_profile_view(self, request, pk, slug):
        from ..map.profiles import organisation_profile

        return organisation_profile(request, self, pk, slug)


class CommunityMapPage(AbstractCommunityMapPage):
    template = "wagtail_ar/pages/community_map_page.html"
    max_count_per_parent = 1
    parent_page_types = ["wagtail_ar.AmplificationRoomPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("community map page")
        verbose_name_plural = _("community map pages")
