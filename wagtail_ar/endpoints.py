"""API v2 endpoints for the package's snippets and the forum's published posts.

Wagtail's API serves pages, images and documents; these endpoints serve organisations,
thematic projects, solutions and forum posts with each model's ``api_fields``, read-only, with
Wagtail's filters: a field's value (``?country=IT``), ``order``, ``search``, ``limit`` and
``offset``, ``fields``, and ``locale`` (a language code; the active language by default). A site
registers them on its router::

    from wagtail_ar.endpoints import register_endpoints

    api_router = WagtailAPIRouter("wagtailapi")
    api_router.register_endpoint("pages", PagesAPIViewSet)
    register_endpoints(api_router)  # organisations/, thematic-projects/, solutions/, forum-posts/

They list what visitors may see and nothing else, the rule of every page of the package: live
snippets, published posts of a visible forum, one item per translation (the locale's, else the
default locale's), and relations to hidden pages or snippets as ``null`` or left out
(:mod:`wagtail_ar.api`). Bad parameters answer 400, as Wagtail's own endpoints do.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.api.v2.filters import FieldsFilter, OrderingFilter, SearchFilter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import BaseAPIViewSet
from wagtail.models import Locale, Page

from .listing import clean_text, search_text
from .locales import localize
from .models import ForumPage, ForumPost, Organisation, Solution, ThematicProject
from .visibility import visible


class VisibleSearchFilter(SearchFilter):
    """Wagtail's ``search`` parameter, with only the words of the visitor's text reaching the
    backend (:func:`wagtail_ar.listing.search_text`): its query syntax gives no 500."""

    def filter_queryset(self, request, queryset, view):
        if "search" in request.GET:
            request.GET = request.GET.copy()
            request.GET["search"] = search_text(clean_text(request.GET["search"]))
            if not request.GET["search"]:
                del request.GET["search"]
        return super().filter_queryset(request, queryset, view)


class VisibleItemsAPIViewSet(BaseAPIViewSet):
    """A read-only endpoint listing the objects of ``model`` that visitors may see.

    Subclasses set ``model``, ``name`` and ``listing_default_fields`` and may override
    :meth:`visible_items` (what visitors may see) or :meth:`get_queryset`.
    """

    filter_backends = [FieldsFilter, OrderingFilter, VisibleSearchFilter]
    known_query_parameters = BaseAPIViewSet.known_query_parameters | {"locale"}
    listing_default_fields = ["id", "type", "detail_url"]

    def visible_items(self, queryset):
        """The objects of ``queryset`` visitors may see; by default the live ones."""
        return queryset.filter(live=True)

    def get_locale(self):
        """The locale of ``?locale=<language code>``, else ``None`` (the active one)."""
        code = self.request.GET.get("locale")
        if code is None:
            return None
        locales = {locale.language_code: locale for locale in Locale.objects.all()}
        if code not in locales:
            # The visitor's text is not echoed: the known codes are.
            raise BadRequestError(
                _("Unknown locale: give one of these language codes: %(codes)s.")
                % {"codes": ", ".join(sorted(locales))}
            )
        return locales[code]

    def get_queryset(self):
        queryset = self.visible_items(self.model._default_manager.all())
        if hasattr(self.model, "translation_key"):
            queryset = localize(queryset, self.get_locale())
        return queryset.order_by("id")


class OrganisationsAPIViewSet(VisibleItemsAPIViewSet):
    """The organisations of the community (``organisations/``)."""

    model = Organisation
    name = "wagtail_ar_organisations"
    listing_default_fields = VisibleItemsAPIViewSet.listing_default_fields + [
        "name",
        "country",
        "latitude",
        "longitude",
    ]


class ThematicProjectsAPIViewSet(VisibleItemsAPIViewSet):
    """The thematic projects of the Euro-MED programme (``thematic-projects/``)."""

    model = ThematicProject
    name = "wagtail_ar_thematic_projects"
    listing_default_fields = VisibleItemsAPIViewSet.listing_default_fields + ["acronym", "name"]


class SolutionsAPIViewSet(VisibleItemsAPIViewSet):
    """The solutions of the thematic projects (``solutions/``)."""

    model = Solution
    name = "wagtail_ar_solutions"
    listing_default_fields = VisibleItemsAPIViewSet.listing_default_fields + [
        "title",
        "thematic_project",
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("thematic_project").prefetch_related("tags")


class ForumPostsAPIViewSet(VisibleItemsAPIViewSet):
    """The published posts of the forums visitors may see (``forum-posts/``); never an
    e-mail address (see ``ForumPost.api_fields``)."""

    model = ForumPost
    name = "wagtail_ar_forum_posts"
    listing_default_fields = VisibleItemsAPIViewSet.listing_default_fields + [
        "kind",
        "title",
        "published_at",
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("answered_by").prefetch_related("themes")

    def visible_items(self, queryset):
        forums = visible(Page.objects.type(ForumPage)).values("pk")
        return queryset.published().filter(forum__in=forums)


ENDPOINTS = {
    "organisations": OrganisationsAPIViewSet,
    "thematic-projects": ThematicProjectsAPIViewSet,
    "solutions": SolutionsAPIViewSet,
    "forum-posts": ForumPostsAPIViewSet,
}


def register_endpoints(router, prefix=""):
    """Register the package's endpoints (:data:`ENDPOINTS`) on a ``WagtailAPIRouter``, their
    URL names after ``prefix``."""
    for name, viewset in ENDPOINTS.items():
        router.register_endpoint(prefix + name, viewset)
