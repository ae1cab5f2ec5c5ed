"""Organisation profiles: one page per published organisation, a route of the community map.

A :class:`~wagtail_ar.models.CommunityMapPage` serves, below its own URL,
``organisations/<id>/<slug>/``: the organisation's name and logo, description, community roles,
type, country and city, website, the clusters it leads and takes part in, the working groups
it coordinates or belongs to, the activities it organises, its thematic projects, a small map
of its place, and schema.org ``Organization`` JSON-LD. ``<slug>`` is the organisation's name
made into a URL (Unicode letters kept); an old or wrong slug, or the id of another translation
of the same organisation, redirects (301) to the profile's own address in the page's locale.
Every published organisation has a profile, with or without a place on the map
(:meth:`~wagtail_ar.models.AbstractCommunityMapPage.profile_organisations`); a draft, an
unpublished one or an unknown id is a 404.

Only what visitors may see is named: live, public clusters, working groups and activities
(:mod:`wagtail_ar.visibility`) and published thematic projects. The map's list, the marker
details and the factsheets' participants link here; the profiles are in the sitemap.

The functions take the request and the page, so that a subclass of the page may route them
differently or wrap them.
"""

import copy

from django.http import Http404, HttpResponsePermanentRedirect
from django.template.response import TemplateResponse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from ..conf import settings as ar_settings
from ..locales import localize
from ..metadata import compact, json_ld_script, plain_text, rendition_url, safe_url
from ..models import ActivityPage, Organisation
from ..visibility import visible
from .config import base_map_config, map_assets

#: Activities a profile lists at most (the newest first).
PROFILE_ACTIVITIES = 20


def profile_slug(organisation):
    """The last part of a profile's address: the name in lower case with hyphens (Unicode
    letters kept, so that "Région Sud" is ``région-sud``); ``organisation`` when nothing is left."""
    return slugify(organisation.name, allow_unicode=True)[:80].strip("-") or "organisation"


def profile_path(page, organisation):
    """The path of ``organisation``'s profile below ``page`` (no query: for links in lists)."""
    return page.reverse_subpage(
        "organisation_profile", kwargs={"pk": organisation.pk, "slug": profile_slug(organisation)}
    )


def find_profile_organisation(page, pk):
    """The organisation whose profile ``organisations/<pk>/`` is on ``page``: the one with that
    id, or the translation of it that ``page`` shows; ``None`` when there is none."""
    organisations = page.profile_organisations()
    organisation = organisations.filter(pk=pk).first()
    if organisation is not None:
        return organisation
    # Another translation of an organisation the page shows (a link from a page in another
    # locale, or one made before the organisation was translated).
    key = Organisation.objects.filter(pk=pk).values("translation_key")[:1]
    return organisations.filter(translation_key__in=key).first()


def organisation_activities(organisation):
    """The live, public activities ``organisation`` organises, newest first, localized."""
    activities = visible(ActivityPage.objects.filter(organisers__in=organisation.translation_ids()))
    return localize(activities).distinct().order_by("-start", "title")[:PROFILE_ACTIVITIES]


def organisation_json_ld(organisation, url, logo_url=None, member_of=None):
    """schema.org ``Organization`` data of a profile."""
    address = {
        "@type": "PostalAddress",
        "addressLocality": organisation.city,
        "addressCountry": organisation.country.code if organisation.country else None,
    }
    geo = None
    if organisation.has_location:
        geo = {
            "@type": "GeoCoordinates",
            "latitude": organisation.latitude,
            "longitude": organisation.longitude,
        }
    return compact(
        {
            "@context": "https://schema.org",
            "@type": "Organization",
            "name": organisation.name,
            "alternateName": organisation.acronym
            if organisation.acronym != organisation.name
            else None,
            "description": plain_text(organisation.description),
            "url": url,
            "sameAs": [safe_url(organisation.website)] if safe_url(organisation.website) else [],
            "logo": logo_url,
            "address": address if address["addressLocality"] or address["addressCountry"] else None,
            "location": {"@type": "Place", "geo": geo} if geo else None,
            "memberOf": member_of or [],
        }
    )


def profile_map_config(request, organisation):
    """The small map of a profile: one marker at the organisation's place."""
    centre = {"lat": organisation.latitude, "lng": organisation.longitude}
    config = base_map_config(center=centre, zoom=9, request=request)
    config["place"] = {**centre, "name": organisation.name}
    return config


def organisation_profile_context(request, page, organisation):
    """What ``wagtail_ar/pages/organisation_profile.html`` needs."""
    from .views import organisation_details_context

    context = organisation_details_context(organisation)
    page_url = page.get_url(request)
    full_url = page.get_full_url(request)
    url = full_url + profile_path(page, organisation) if full_url else None
    logo_url = (
        rendition_url(organisation.logo, "max-400x400", request) if organisation.logo_id else None
    )
    context.update(
        {
            "map_page": page,
            "map_page_url": page_url,
            "activities": list(organisation_activities(organisation)),
            "thematic_projects": [
                project.localized
                for project in organisation.thematic_projects.all()
                if project.live
            ],
            "profile_map_config": profile_map_config(request, organisation)
            if organisation.has_location
            else None,
            "map_assets": map_assets(),
            "json_ld": json_ld_script(
                organisation_json_ld(
                    organisation,
                    url,
                    logo_url,
                    member_of=[
                        {
                            "@type": "Organization",
                            "name": cluster.title,
                            "url": cluster.get_full_url(request),
                        }
                        for cluster, _role in context["clusters"]
                    ],
                )
            ),
            "open_graph": [
                ("og:type", "profile"),
                ("og:title", organisation.name),
                ("og:description", plain_text(organisation.description)),
                ("og:url", url),
                ("og:image", logo_url),
            ],
        }
    )
    return context


def organisation_profile(request, page, pk, slug):
    """``organisations/<id>/<slug>/`` of a community map page: see the module's docstring."""
    organisation = find_profile_organisation(page, pk)
    if organisation is None:
        raise Http404("No such organisation on this map.")
    if organisation.pk != pk or slug != profile_slug(organisation):
        return HttpResponsePermanentRedirect(
            page.get_url(request) + profile_path(page, organisation)
        )
    # The host's <title> names the organisation: base templates print page.seo_title or
    # page.title, so the profile is rendered with a copy of the map page whose titles are the
    # organisation's (the page itself is not changed, nor saved; the template names the map
    # from ``map_page``).
    shown = copy.copy(page)
    shown.title = organisation.name
    shown.seo_title = _("%(organisation)s – %(map)s") % {
        "organisation": organisation.name,
        "map": page.title,
    }
    # Not page.render(): the map page's own context (its listing) is not needed here.
    context = {
        "page": shown,
        "self": shown,
        "request": request,
        "wagtail_ar_base_template": ar_settings.BASE_TEMPLATE,
        "organisation": organisation,
        **organisation_profile_context(request, page, organisation),
    }
    return TemplateResponse(request, page.profile_template, context)


def profile_sitemap_urls(page, request=None):
    """The sitemap entries of ``page``'s profiles (``get_sitemap_urls``): one query."""
    base = page.get_full_url(request)
    if not base:
        return []
    return [
        {
            "location": base + profile_path(page, organisation),
            "lastmod": organisation.last_published_at,
        }
        for organisation in page.profile_organisations().only("pk", "name", "last_published_at")
    ]
