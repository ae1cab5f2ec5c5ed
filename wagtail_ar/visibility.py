"""What visitors may see: one rule, used by every listing, filter choice, related item, feed,
calendar, GeoJSON layer, API field and sitemap of the package.

A page is visible when it is **live**, **not past its expiry date** (even before Wagtail's
``publish_scheduled`` has unpublished it) and **outside every view-restricted section**
(password, login or group restriction on the page or on any ancestor).

:func:`visible` narrows a page queryset; :func:`is_visible` answers for one page already in
hand (a foreign key's target, a block's chosen page), with the restricted sections read once per
request. In templates, ``{{ page|visible:request }}`` (tag library ``wagtail_ar_tags``).

Imports no model of the package: it is handed querysets and pages.
"""

from django.utils import timezone

_PATHS_ATTRIBUTE = "_wagtail_ar_restricted_paths"


def visible(queryset):
    """The pages of ``queryset`` that visitors may see (see the module's docstring)."""
    return queryset.live().public().exclude(expire_at__lte=timezone.now())


def restricted_paths(request=None):
    """The tree paths of the view-restricted sections (one query, kept on ``request``)."""
    if request is not None and hasattr(request, _PATHS_ATTRIBUTE):
        return getattr(request, _PATHS_ATTRIBUTE)
    from wagtail.models import PageViewRestriction

    paths = tuple(PageViewRestriction.objects.values_list("page__path", flat=True))
    if request is not None:
        setattr(request, _PATHS_ATTRIBUTE, paths)
    return paths


def is_private(page, paths):
    """Whether ``page`` lies in one of the restricted sections ``paths``."""
    return any(page.path.startswith(path) for path in paths)


def is_visible(page, request=None):
    """Whether visitors may see ``page``: ``False`` for ``None``, a draft, an expired page or
    a page in a restricted section (at most one query per request)."""
    if page is None or not getattr(page, "live", False):
        return False
    expire_at = getattr(page, "expire_at", None)
    if expire_at is not None and expire_at <= timezone.now():
        return False
    return not is_private(page, restricted_paths(request))
