"""Translations of the demo content with Wagtail's i18n, created or updated idempotently.

For each language of :mod:`demo.content.translations` that the site translates content into
(``WAGTAIL_I18N_ENABLED`` and ``WAGTAIL_CONTENT_LANGUAGES``): the locale, then a translation of
each listed page (``copy_for_translation`` with its parents, as ``wagtail.contrib.simple_translation``
does) and organisation, with its translated fields. A second run changes nothing.
"""

from django.conf import settings
from wagtail.coreutils import get_content_languages
from wagtail.models import Locale

from .content.translations import ORGANISATIONS, PAGES
from .upsert import apply_fields


def languages():
    """The demo's translation languages the site has content in (none without i18n)."""
    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return []
    return [code for code in PAGES if code in get_content_languages()]


def publish_if_needed(page, changed):
    if changed or not page.live or page.has_unpublished_changes:
        page.save_revision().publish()
        page.refresh_from_db()


def translate_page(page, locale, values):
    """The translation of ``page`` into ``locale`` with ``values``, published; its missing
    parents are copied (and published) first."""
    translation = page.get_translation_or_none(locale)
    created = translation is None
    if created:
        translation = page.copy_for_translation(locale, copy_parents=True)
        for parent in translation.get_ancestors().filter(depth__gt=1).specific():
            publish_if_needed(parent, False)
    translation = translation.specific
    changed = apply_fields(translation, values) or created
    if changed:
        translation.save()
    publish_if_needed(translation, changed)
    return translation


def translate_snippet(obj, locale, values):
    translation = obj.get_translation_or_none(locale)
    if translation is None:
        translation = obj.copy_for_translation(locale)
    if apply_fields(translation, values) or translation.pk is None:
        translation.save()
    return translation


def load_translations(pages, organisations):
    """Translate the demo content. ``pages``: ``{english slug: page}``; ``organisations``:
    ``{acronym: organisation}``. Returns ``{language: number of translated items}``."""
    done = {}
    for code in languages():
        locale, _created = Locale.objects.get_or_create(language_code=code)
        count = 0
        for slug, values in PAGES[code].items():
            if slug in pages:
                translate_page(pages[slug], locale, values)
                count += 1
        for acronym, values in ORGANISATIONS[code].items():
            if acronym in organisations:
                translate_snippet(organisations[acronym], locale, values)
                count += 1
        done[code] = count
    return done
