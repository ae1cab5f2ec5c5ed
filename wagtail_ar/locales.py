"""Which translation visitors see: the active locale's, or else the default locale's.

With Wagtail's i18n (``WAGTAIL_I18N_ENABLED = True``) every page and snippet exists once per
locale it is translated into, and all the translations of one item share a ``translation_key``.
Visitors reading in one language see, for each item, its translation in the *active* locale (the
locale of the active language, :func:`active_locale`) or, when it has none that visitors may see,
its version in the *default* locale (``LANGUAGE_CODE``): never both, never none. Items that exist
only in a third locale are not shown.

Every listing, feed, calendar and map of the package goes through this module:

:func:`localize`
    Narrows a queryset of pages or snippets to one item per translation key, as above. Filter the
    queryset for visibility (``live``, ``public``…) *before* calling it, so that a draft
    translation falls back to the published default version; filter it by the visitors' own
    filters *after*, so that a translation that does not match a filter does not bring back its
    source.
:func:`localize_for_search`
    The same rule in the terms a search backend can apply (its ``FilterField`` fields).
:func:`children_of`, :func:`descendants_of`
    The pages of a queryset below a page *or any of its translations* in the active or default
    locale, localized: the French cluster index lists its French clusters and the English
    clusters that have no French translation yet.
:func:`localized`, :func:`localize_related`
    Follow a relation to its translation (a French cluster copied from an English one still points
    to the English working group until an editor changes it).
:func:`foreign_language`
    The language of an item shown in a page of another language (a fallback), for its ``lang``
    and ``dir`` attributes (``{% wagtail_ar_lang_attrs item %}``).

Without i18n every function returns what it was given: one locale, nothing to choose.
"""

from django.conf import settings
from django.db.models import Q
from django.utils.translation import get_language, get_language_info
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page


def i18n_enabled():
    """Whether the site translates its content with Wagtail's i18n (``WAGTAIL_I18N_ENABLED``)."""
    return getattr(settings, "WAGTAIL_I18N_ENABLED", False)


def default_language():
    """The content language of ``LANGUAGE_CODE``: the fallback of every other."""
    return get_supported_content_language_variant(settings.LANGUAGE_CODE)


def active_language():
    """The content language of the active language (``de-at`` → ``de``), or the default one
    when the site has no content in that language."""
    try:
        return get_supported_content_language_variant(get_language() or settings.LANGUAGE_CODE)
    except LookupError:
        return default_language()


def active_locale():
    """The :class:`~wagtail.models.Locale` of the active language; the default locale when the
    active language has none; ``None`` without i18n."""
    if not i18n_enabled():
        return None
    return Locale.get_active()


def _languages(locale=None):
    """``(active language code, default language code)``; ``(None, None)`` without i18n."""
    if not i18n_enabled():
        return None, None
    return (locale.language_code if locale else active_language()), default_language()


def localize(queryset, locale=None):
    """One item per translation key of ``queryset``: the one in ``locale`` (the active locale by
    default), else the one in the default locale. Unchanged without i18n.

    The fallback is decided on ``queryset`` itself: an item whose translation is not in it (a
    draft, a private page) shows in the default locale's version. The locales are matched by
    language code in the same SQL query: no query of its own.
    """
    active, default = _languages(locale)
    if active is None:
        return queryset
    if active == default:
        return queryset.filter(locale__language_code=default)
    translated = queryset.filter(locale__language_code=active).order_by().values("translation_key")
    return queryset.filter(
        Q(locale__language_code=active)
        | (Q(locale__language_code=default) & ~Q(translation_key__in=translated))
    )


def localize_for_search(queryset, locale=None, evaluate=False):
    """As :func:`localize`, written on search ``FilterField`` fields only (``locale`` and
    ``translation_key``, which Wagtail's pages index), so that a search backend applies it
    before it ranks: the other locales, and the default locale's versions of what the active
    locale has, cannot take the places of the best matches. The locales are read first (one
    small query); the translated keys stay a sub-query, or are read as a list with
    ``evaluate=True`` for a backend that cannot run one (Elasticsearch, OpenSearch)."""
    active, default = _languages(locale)
    if active is None:
        return queryset
    ids = {active: [], default: []}
    for pk, code in Locale.objects.filter(language_code__in=ids).values_list("pk", "language_code"):
        ids[code].append(pk)
    if active == default:
        return queryset.filter(locale_id__in=ids[active])
    translated = (
        queryset.filter(locale_id__in=ids[active])
        .order_by()
        .values_list("translation_key", flat=True)
    )
    if evaluate:
        translated = list(translated)
    return queryset.filter(
        Q(locale_id__in=ids[active])
        | (Q(locale_id__in=ids[default]) & ~Q(translation_key__in=translated))
    )


def _translation_paths(page, locale=None):
    """``[(path, depth), …]`` of ``page`` and its translations in the active and default locales."""
    active, default = _languages(locale)
    if active is None or not page.pk:
        return [(page.path, page.depth)]
    rows = Page.objects.filter(
        translation_key=page.translation_key, locale__language_code__in={active, default}
    ).values_list("path", "depth")
    return list(rows) or [(page.path, page.depth)]


def children_of(page, queryset, locale=None):
    """The pages of ``queryset`` (of a page model, already narrowed to what visitors may see)
    that are children of ``page`` or of its translations, localized. Without i18n:
    ``queryset.child_of(page)``."""
    if not i18n_enabled():
        return queryset.child_of(page)
    where = Q()
    for path, depth in _translation_paths(page, locale):
        where |= Q(path__startswith=path, depth=depth + 1)
    return localize(queryset.filter(where), locale)


def descendants_of(page, queryset, locale=None):
    """As :func:`children_of`, for pages anywhere below ``page`` or its translations."""
    if not i18n_enabled():
        return queryset.descendant_of(page)
    where = Q()
    for path, depth in _translation_paths(page, locale):
        where |= Q(path__startswith=path, depth__gt=depth)
    return localize(queryset.filter(where), locale)


def localized(obj):
    """``obj``'s live translation in the active locale, or ``obj`` itself (``None`` stays
    ``None``). One query, none without i18n or when ``obj`` is in the active locale already."""
    if obj is None:
        return None
    return obj.localized


def localize_related(objects, field_name, locale=None):
    """Point the foreign key ``field_name`` of each of ``objects`` to the live translation of its
    target in the active locale, when there is one: one query for all of them.

    For listings whose cards name a related page (a cluster's working group): the French card of
    a cluster still pointing to the English working group names the French working group.
    Returns ``objects`` (a list).
    """
    objects = list(objects)
    active, default = _languages(locale)
    if active is None or active == default or not objects:
        return objects
    field = objects[0]._meta.get_field(field_name)
    keys = {
        getattr(obj, field_name).translation_key for obj in objects if getattr(obj, field.attname)
    }
    if not keys:
        return objects
    translations = field.related_model._default_manager.filter(
        translation_key__in=keys, locale__language_code=active
    )
    if hasattr(field.related_model, "live"):
        translations = translations.filter(live=True)
    by_key = {translation.translation_key: translation for translation in translations}
    for obj in objects:
        target = getattr(obj, field_name) if getattr(obj, field.attname) else None
        if target is not None and target.translation_key in by_key:
            setattr(obj, field_name, by_key[target.translation_key])
    return objects


def related_to(queryset, field_name, obj):
    """``queryset`` narrowed to the items whose relation ``field_name`` points to ``obj`` or,
    with i18n, to any translation of it (a French activity copied from an English one may still
    point to the English working group). Localize the result with :func:`localize`."""
    if not i18n_enabled():
        return queryset.filter(**{field_name: obj})
    return queryset.filter(**{f"{field_name}__translation_key": obj.translation_key})


# The language of an item ------------------------------------------------------------------------

#: ``{locale pk: language code}``, read in one query when a pk is missing; emptied when a locale
#: is saved or deleted (``signals.connect``).
_language_codes = {}


def clear_language_codes(**kwargs):
    """Forget the language codes of the locales (a ``post_save``/``post_delete`` receiver)."""
    _language_codes.clear()


def language_code_of(obj):
    """The language code of ``obj``'s locale (``obj.locale_id``), or ``None`` when it has none.

    No query when ``obj.locale`` is loaded; otherwise the codes of all locales are read once
    per process (a handful of rows) and kept until a locale is saved or deleted.
    """
    if obj is None:
        return None
    state = getattr(obj, "_state", None)
    locale = state.fields_cache.get("locale") if state is not None else None
    if locale is not None:
        return locale.language_code
    locale_id = getattr(obj, "locale_id", None)
    if locale_id is None:
        return None
    if locale_id not in _language_codes:
        _read_language_codes()
    return _language_codes.get(locale_id)


def _read_language_codes():
    _language_codes.clear()
    _language_codes.update(Locale.objects.values_list("pk", "language_code"))


def _same_language(code, other):
    """``fr`` and ``fr-ca`` are one language; ``zh-hans`` and ``zh-hant`` are two."""
    code, other = code.lower(), other.lower()
    return code == other or code == other.split("-")[0] or other == code.split("-")[0]


def is_right_to_left(code):
    """Whether ``code`` is written from right to left (Django's ``LANG_INFO``, else
    ``LANGUAGES_BIDI``)."""
    try:
        return get_language_info(code)["bidi"]
    except KeyError:
        return code.lower().split("-")[0] in settings.LANGUAGES_BIDI


def foreign_language(obj):
    """``(language code, "ltr" or "rtl")`` of ``obj`` when it is in another language than the
    active one (with i18n, an item shown from the default locale, not translated yet), else
    ``None``: what its ``lang`` and ``dir`` attributes say (WCAG 2.1, 3.1.2 Language of parts).
    Without i18n, ``None``: all content is in one language, the page's."""
    if not i18n_enabled():
        return None
    return _foreign(language_code_of(obj))


def foreign_language_of_locale(locale_id):
    """:func:`foreign_language` of an item of the locale whose pk is ``locale_id``."""
    if not i18n_enabled() or locale_id is None:
        return None
    if locale_id not in _language_codes:
        _read_language_codes()
    return _foreign(_language_codes.get(locale_id))


def _foreign(code):
    if not code or _same_language(code, get_language() or settings.LANGUAGE_CODE):
        return None
    return code, "rtl" if is_right_to_left(code) else "ltr"
