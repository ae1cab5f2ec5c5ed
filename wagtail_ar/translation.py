"""What wagtail-localize sends to translators, and the relations it keeps in step.

wagtail-localize is optional for a site, so nothing here imports it at module level:

* :class:`TranslationFields` is the models' ``override_translatable_fields``. wagtail-localize
  reads that attribute as a list of its ``TranslatableField``/``SynchronizedField`` objects; the
  descriptor builds the list when it is read, which only wagtail-localize does.
* :func:`connect` (called by the app's ``ready()`` when ``wagtail_localize`` is installed)
  extends wagtail-localize's copy of the synchronised fields, which it runs each time it creates
  or updates a translation (``TranslationSource.create_or_update_translation``) and for the
  preview of a translation: the relations to snippets (many-to-many and foreign keys), which
  wagtail-localize leaves pointing to the source's snippets or does not copy at all
  (wagtail-localize issues #534, #820), point to the snippets' translations.

See docs/languages.md, "wagtail-localize".
"""

import functools
import inspect

from django.db import models
from modelcluster.fields import ParentalManyToManyField
from wagtail.models import DraftStateMixin, Page, TranslatableMixin


class TranslationFields:
    """The fields of a model that wagtail-localize translates or keeps in sync.

    ``translated`` are sent to translators; ``synchronized`` are copied from the source, and a
    translator may override them (an address, a website); ``fixed`` are copied and cannot be
    overridden (a point on the map, dates, choices, relations). ``*bases`` are other
    :class:`TranslationFields` whose fields come first (a mixin's). Fields named nowhere keep
    wagtail-localize's default (text translated, everything else synchronised).
    """

    def __init__(self, *bases, translated=(), synchronized=(), fixed=()):
        self.kinds = {}
        for base in bases:
            self.kinds.update(base.kinds)
        self.kinds.update(dict.fromkeys(translated, "translated"))
        self.kinds.update(dict.fromkeys(synchronized, "synchronized"))
        self.kinds.update(dict.fromkeys(fixed, "fixed"))

    def __get__(self, instance, owner):
        from wagtail_localize.fields import SynchronizedField, TranslatableField

        return [
            TranslatableField(name)
            if kind == "translated"
            else SynchronizedField(name, overridable=kind == "synchronized")
            for name, kind in self.kinds.items()
        ]

    def relations(self, model):
        """The synchronised relations of ``model`` to translatable snippets, which a translation
        points to in its own locale: many-to-many fields, foreign keys, and child relations
        (inline objects that are not translatable themselves) with such foreign keys."""
        fields = []
        for name, kind in self.kinds.items():
            field = model._meta.get_field(name)
            if kind == "translated":
                continue
            if isinstance(field, ParentalManyToManyField | models.ForeignKey):
                if _is_snippet(field.related_model):
                    fields.append(field)
            elif isinstance(field, models.ManyToOneRel) and _snippet_keys(field.related_model):
                fields.append(field)
        return fields


def _is_snippet(model):
    return issubclass(model, TranslatableMixin) and not issubclass(model, Page)


def _snippet_keys(child_model):
    """The foreign keys of an inline model to translatable snippets (none if the inline model
    is translatable itself: wagtail-localize translates those)."""
    if issubclass(child_model, TranslatableMixin):
        return []
    return [
        field
        for field in child_model._meta.concrete_fields
        if isinstance(field, models.ForeignKey) and _is_snippet(field.related_model)
    ]


def translation_fields_of(model):
    """The :class:`TranslationFields` of ``model``, or ``None`` (a model of another app)."""
    fields = inspect.getattr_static(model, "override_translatable_fields", None)
    return fields if isinstance(fields, TranslationFields) else None


def in_locale(objects, locale):
    """Each of ``objects`` (translatable snippets of one model) replaced by its translation in
    ``locale`` when there is one (a live one, for a model with drafts), in order. One query."""
    objects = list(objects)
    if not objects:
        return objects
    model = type(objects[0])
    translations = model._default_manager.filter(
        locale=locale, translation_key__in={obj.translation_key for obj in objects}
    )
    if issubclass(model, DraftStateMixin):
        translations = translations.filter(live=True)
    by_key = {obj.translation_key: obj for obj in translations}
    return [by_key.get(obj.translation_key, obj) for obj in objects]


def synchronize_relations(source, target):
    """Point ``target``'s synchronised relations to snippets (see
    :meth:`TranslationFields.relations`) to the translations, in ``target``'s locale, of what
    ``source``'s point to; where a snippet has no (live) translation, to the source's snippet.
    Inline objects are the ones wagtail-localize has just copied from ``source``.

    ``target`` is saved by the caller (wagtail-localize saves it, and its revision, next).
    """
    fields = translation_fields_of(type(target))
    if fields is None:
        return
    for field in fields.relations(type(target)):
        if isinstance(field, ParentalManyToManyField):
            # Always set, an empty list too: wagtail-localize skips an empty source, which
            # would leave the translation's old relations in place.
            values = in_locale(getattr(source, field.name).all(), target.locale)
            getattr(target, field.name).set(values)
        elif isinstance(field, models.ManyToOneRel):
            # wagtail-localize has copied the source's inline objects into the translation.
            children = list(getattr(target, field.name).all())
            for key in _snippet_keys(field.related_model):
                linked = [child for child in children if getattr(child, key.attname)]
                mapped = in_locale([getattr(child, key.name) for child in linked], target.locale)
                for child, related in zip(linked, mapped, strict=True):
                    setattr(child, key.name, related)
        else:
            related = getattr(source, field.name)
            setattr(target, field.name, in_locale([related], target.locale)[0] if related else None)


def connect():
    """Make wagtail-localize's copy of the synchronised fields synchronise the relations too.

    ``TranslationSource.create_or_update_translation`` (and the preview of a translation)
    call ``wagtail_localize.models.copy_synchronised_fields(original, translation)`` before
    the translated strings are put in and the translation is saved; the copy is wrapped here,
    once, and does nothing more for the models of other apps.
    """
    from wagtail_localize import models as localize_models

    copy = localize_models.copy_synchronised_fields
    if getattr(copy, "synchronizes_relations", False):
        return

    @functools.wraps(copy)
    def copy_synchronised_fields(source, target):
        copy(source, target)
        synchronize_relations(source, target)

    copy_synchronised_fields.synchronizes_relations = True
    localize_models.copy_synchronised_fields = copy_synchronised_fields
