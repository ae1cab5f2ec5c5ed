"""Template tags and filters of wagtail_ar: ``{% load wagtail_ar_tags %}``.

Small, generic helpers for the package's templates; a site that overrides a template can use
them too. None of them queries the database (``wagtail_ar_lang_attrs`` reads the locales once
per process; ``wagtail_ar_profile_url`` the site's root paths once per request).
"""

import datetime
import itertools
import json
import re

from django import template
from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .. import choices as choice_classes

register = template.Library()


@register.filter
def visible(value, request=None):
    """What visitors may see (:mod:`wagtail_ar.visibility`): ``{{ pages|visible }}`` narrows a
    page queryset; ``{% if page|visible:request %}`` says whether one page is visible (the
    restricted sections are read once per request); ``{{ post.themes.all|visible:request }}``
    keeps the visible pages of a queryset or list as a list, with no query of its own when the
    queryset is prefetched (a related set rendered in a loop)."""
    from ..visibility import is_visible
    from ..visibility import visible as visible_pages

    is_queryset = hasattr(value, "live") and callable(value.live)
    if is_queryset and request is None:
        return visible_pages(value)
    if is_queryset or isinstance(value, (list, tuple)):
        return [page for page in value if is_visible(page, request)]
    return is_visible(value, request)


@register.tag
def wagtail_ar_fragment(parser, token):
    """``{% wagtail_ar_fragment "name" %}…{% end_wagtail_ar_fragment %}``: HTML that a page with
    :class:`wagtail_ar.cache.CachedFragmentsMixin` keeps for anonymous visitors (one per name
    and page; elsewhere it only renders its content)."""
    from ..cache import FragmentNode

    return FragmentNode.parse(parser, token)


#: The parts ``{% wagtail_ar_assets %}`` renders, and the block of the page template behind each.
ASSET_BLOCKS = {"head": "wagtail_ar_assets_head", "scripts": "wagtail_ar_assets_scripts"}
_ASSETS_RENDERED = "wagtail_ar_assets_rendered"


class AssetsNode(template.Node):
    """``{% wagtail_ar_assets "head" %}`` renders the block ``wagtail_ar_assets_head`` of the page
    template being rendered, ``"scripts"`` the block ``wagtail_ar_assets_scripts``: each part at
    most once per rendering, wherever it comes first."""

    def __init__(self, part):
        self.part = part

    def render(self, context):
        from django.template.loader_tags import BLOCK_CONTEXT_KEY, BlockNode

        # The block context holds the blocks of the templates of this {% extends %} chain; an
        # included template has none (Django renders it on its own): nothing is emitted there,
        # and the layout emits the part in the content block instead.
        render_context = context.render_context
        if render_context.get(BLOCK_CONTEXT_KEY) is None:
            return ""
        rendered = render_context.get(_ASSETS_RENDERED)
        if rendered is None:
            rendered = render_context[_ASSETS_RENDERED] = set()
        if self.part in rendered:
            return ""
        rendered.add(self.part)
        # A {% block %} node of that name renders its most derived version ({{ block.super }}
        # included), or nothing on a page that is not the package's.
        return BlockNode(ASSET_BLOCKS[self.part], template.NodeList()).render(context)


@register.tag
def wagtail_ar_assets(parser, token):
    """``{% wagtail_ar_assets "head" %}``: the package's stylesheets and ``<head>`` additions
    (Open Graph, JSON-LD, feed links) of the page being rendered; ``{% wagtail_ar_assets
    "scripts" %}``: its scripts (deferred, in order) and structured data.

    ``wagtail_ar/layouts/base.html`` puts both in the host's content block. A host may put
    them in the ``<head>`` of its base template itself (not of a template it includes); the
    layout then leaves them out: each part is rendered once per page, where it comes first.
    Outside the package's pages they render nothing.
    """
    bits = token.split_contents()
    name = bits[1] if len(bits) == 2 else ""
    part = name[1:-1] if len(name) > 2 and name[0] in "\"'" and name[0] == name[-1] else None
    if part not in ASSET_BLOCKS:
        raise template.TemplateSyntaxError(
            f"{bits[0]} takes one of {', '.join(map(repr, ASSET_BLOCKS))}, quoted"
        )
    return AssetsNode(part)


@register.simple_tag
def wagtail_ar_lang_attrs(item):
    """`` lang="en" dir="ltr"`` (with its leading space) on an element showing ``item``'s own
    text (its title, its summary) when ``item`` is in another language than the page: with
    i18n, an item of the default locale listed in a page of a locale it is not translated into
    yet. Nothing otherwise. ``<h3{% wagtail_ar_lang_attrs cluster %}>{{ cluster.title }}</h3>``.

    Put it on the elements of the item's text, not on a whole card: a card's labels, dates and
    choices are in the page's language (WCAG 2.1, 3.1.2 Language of parts). ``item`` is a page
    or a translatable snippet; its language is its locale's (:func:`wagtail_ar.locales.
    foreign_language`).
    """
    from ..locales import foreign_language

    language = foreign_language(item)
    if language is None:
        return ""
    return format_html(' lang="{}" dir="{}"', *language)


@register.simple_tag(takes_context=True)
def wagtail_ar_profile_url(context, map_page, organisation):
    """The address of ``organisation``'s profile on the community map page ``map_page``
    (:mod:`wagtail_ar.map.profiles`): ``{% wagtail_ar_profile_url page organisation as url %}``.
    Empty when ``map_page`` is not a community map page or has no URL."""
    method = getattr(map_page, "organisation_profile_url", None)
    return (method(organisation, context.get("request")) or "") if method else ""


@register.simple_tag
def wagtail_ar_lang_span(item, text):
    """``text`` (escaped) in a ``<span lang="…" dir="…">`` when ``item`` is in another language
    than the page, else ``text`` alone: for an item's name inside a translated sentence,
    ``{% wagtail_ar_lang_span organisation organisation.name as name %}{% blocktranslate %}Show
    {{ name }} on the map{% endblocktranslate %}``."""
    from ..locales import foreign_language

    language = foreign_language(item)
    if language is None:
        return format_html("{}", text)
    return format_html('<span lang="{}" dir="{}">{}</span>', *language, text)


# Choices ----------------------------------------------------------------------------------------


def _choice_pairs(choices):
    """``[(value, label), …]`` from a choices class, its name in ``wagtail_ar.choices``, or pairs."""
    if isinstance(choices, str):
        choices = getattr(choice_classes, choices, None)
        if choices is None:
            return []
    return getattr(choices, "choices", choices) or []


@register.filter
def choice_labels(values, choices):
    """The labels of stored ``values`` (a list, as a ``MultipleChoiceField`` holds them).

    ``choices`` names a class of :mod:`wagtail_ar.choices`, for example
    ``{{ page.expected_outcomes|choice_labels:"ClusterOutcome" }}``. A value that is not a
    choice (any more) is shown as it is stored.
    """
    if not values:
        return []
    if isinstance(values, str):
        values = [values]
    labels = dict(_choice_pairs(choices))
    return [labels.get(value, value) for value in values]


@register.filter
def choice_label(value, choices):
    """The label of one stored ``value``, for example the ``format`` of a block:
    ``{{ value.format|choice_label:"ActivityFormat" }}``."""
    if value in (None, ""):
        return ""
    return dict(_choice_pairs(choices)).get(value, value)


# Querysets and lists ----------------------------------------------------------------------------


@register.filter
def published(items, attribute=None):
    """Only the published (live) items of ``items``: snippets with drafts, and pages.

    With ``attribute``, what is checked is that attribute of each item:
    ``{{ participants|published:"organisation" }}``. Works on querysets, the fake querysets of
    page previews and plain lists; an object without a ``live`` attribute counts as published.
    """
    if not items:
        return []
    if hasattr(items, "all"):
        items = items.all()

    def is_live(item):
        target = getattr(item, attribute, None) if attribute else item
        return target is not None and getattr(target, "live", True)

    return [item for item in items if is_live(item)]


@register.filter
def exclude_type(pages, model_labels):
    """``pages`` without those of the page types named in ``model_labels``.

    ``model_labels`` is a space- or comma-separated list of ``app_label.ModelName``; subclasses
    of these types are left out too. ``pages`` should be specific pages (``.specific``).
    """
    models = tuple(
        apps.get_model(label) for label in re.split(r"[\s,]+", model_labels.strip()) if label
    )
    return [page for page in pages if not isinstance(page, models)]


@register.filter
def block_runs(stream):
    """The blocks of a StreamField value grouped in runs of the same type, in order.

    ``[(block_type, [block, …]), …]``: a template can wrap consecutive FAQs or services in one
    section with a heading of its own.
    """
    if not stream:
        return []
    return [
        (block_type, list(blocks))
        for block_type, blocks in itertools.groupby(stream, lambda b: b.block_type)
    ]


# Dates ------------------------------------------------------------------------------------------


@register.simple_tag
def time_tag(value, format_name="DATE_FORMAT"):
    """``<time datetime="…">…</time>`` for a date or a datetime, in the active language.

    An aware datetime is shown in *its own* time zone, not the site's: pass
    ``page.local_start`` to show an activity at the time of the place where it happens (Django's
    ``|date`` filter would convert it to the current time zone first). ``format_name`` is one of
    Django's format names (``DATE_FORMAT``, ``DATETIME_FORMAT``, ``TIME_FORMAT``,
    ``SHORT_DATE_FORMAT``…) or a format string. Use ``{% time_tag value as html %}`` to pass
    the result to ``{% blocktranslate %}``.
    """
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        machine = value.isoformat(timespec="minutes")
    elif isinstance(value, datetime.date):
        machine = value.isoformat()
    else:
        return str(value)
    return format_html(
        '<time datetime="{}">{}</time>', machine, formats.date_format(value, format_name)
    )


@register.filter
def same_day(start, end):
    """Whether two dates or datetimes fall on the same calendar day (each in its own time zone)."""
    if not start or not end:
        return False

    def as_date(value):
        return value.date() if isinstance(value, datetime.datetime) else value

    return as_date(start) == as_date(end)


@register.filter
def in_past(value):
    """Whether a datetime (or a whole date) is over."""
    if not value:
        return False
    if isinstance(value, datetime.datetime):
        return value < timezone.now()
    return value < timezone.localdate()


# HTML -------------------------------------------------------------------------------------------

_HEADING_RE = re.compile(r"<(/?)h([1-6])\b", re.IGNORECASE)


@register.filter
def headings_start(html, level):
    """Shift the headings of rich text so that the highest one becomes ``<h{level}>``.

    Editors write rich text with ``h2`` to ``h4``; inside a section whose heading is an ``h2``,
    ``{{ page.objectives|richtext|headings_start:3 }}`` keeps the outline of the page in order.
    Levels never go above ``h2`` nor below ``h6``.
    """
    if html is None:
        return ""
    html = html.__html__() if hasattr(html, "__html__") else str(html)
    levels = [int(match.group(2)) for match in _HEADING_RE.finditer(html) if not match.group(1)]
    try:
        level = int(level)
    except (TypeError, ValueError):
        return mark_safe(html)  # noqa: S308 - the input was already safe HTML
    if not levels or min(levels) == level:
        return mark_safe(html)  # noqa: S308 - as above
    shift = level - min(levels)

    def replace(match):
        new_level = min(max(int(match.group(2)) + shift, 2), 6)
        return f"<{match.group(1)}h{new_level}"

    # Only the tag names change: the markup stays as safe as the rich text it came from.
    return mark_safe(_HEADING_RE.sub(replace, html))  # noqa: S308


_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def faq_json_ld(faqs):
    """schema.org ``FAQPage`` data for a list of FAQ block values, as JSON-LD.

    ``{% faq_json_ld page.faqs %}``; nothing when there are no FAQs. The ``<script>`` holds data
    only (``application/ld+json``), no JavaScript.
    """
    entities = [
        {
            "@type": "Question",
            "name": str(faq["question"]),
            "acceptedAnswer": {"@type": "Answer", "text": str(faq["answer"])},
        }
        for faq in faqs or []
    ]
    if not entities:
        return ""
    data = {"@context": "https://schema.org", "@type": "FAQPage", "mainEntity": entities}
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(
        _JSON_SCRIPT_ESCAPES
    )
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


@register.filter
def safe_url(value):
    """``value`` when it is a web, e-mail or relative address, else ``""``: never a
    ``javascript:`` or ``data:`` link. ``<a href="{{ organisation.website|safe_url }}">``
    (:func:`wagtail_ar.metadata.safe_url`)."""
    from ..metadata import safe_url as safe

    return safe(value)
