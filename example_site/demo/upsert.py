"""Create-or-update helpers that make ``load_demo`` idempotent.

An object is found by its natural key (a snippet by name, acronym or title; a page by its slug
under its parent), the demo's values are compared with what is stored, and only what differs
is written. A page or snippet is validated with ``full_clean()`` and published as a new
revision when it is new or changed, so a second run writes nothing at all.
"""

import json
import uuid
from collections import Counter, defaultdict

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.core.serializers.json import DjangoJSONEncoder
from taggit.managers import TaggableManager
from wagtail.fields import StreamField
from wagtail.models import Page

# Block ids derived from the page and position, so that re-running yields the same stream.
BLOCK_ID_NAMESPACE = uuid.UUID("6f1c1b2e-3d0b-4f7e-9a51-a5d0c0a3e1b7")


class Tally:
    """Counts what a run created, updated and left unchanged, per model."""

    def __init__(self):
        self.counts = defaultdict(Counter)

    def add(self, model, outcome):
        self.counts[model][outcome] += 1

    def lines(self):
        """``(kind, total in the database, created, updated, unchanged)`` per model."""
        for model, counter in self.counts.items():
            total = model.objects.count()
            kind = str(model._meta.verbose_name_plural)
            yield kind, total, counter["created"], counter["updated"], counter["unchanged"]


def stream(key, blocks):
    """The stored form of a StreamField from ``[(block type, value), …]``, with stable ids."""
    return [
        {
            "type": block_type,
            "value": value,
            "id": str(uuid.uuid5(BLOCK_ID_NAMESPACE, f"{key}:{i}")),
        }
        for i, (block_type, value) in enumerate(blocks)
    ]


def _stream_json(field, value):
    value = field.to_python(value)
    for _child in value:  # expand every block, so that both sides are normalised alike
        pass
    return json.dumps(
        field.stream_block.get_prep_value(value), cls=DjangoJSONEncoder, sort_keys=True
    )


def apply_fields(obj, values):
    """Set ``values`` on ``obj`` where they differ from what it holds; return whether any did.

    Handles plain fields, foreign keys (given objects), many-to-many and parental
    many-to-many fields (given iterables of objects), tags (given names) and StreamFields
    (given their stored form, see :func:`stream`).
    """
    changed = False
    for name, new in values.items():
        field = obj._meta.get_field(name)
        if isinstance(field, TaggableManager):
            old = set(getattr(obj, name).names()) if obj.pk else set()
            if old != set(new):
                getattr(obj, name).set(list(new))
                changed = True
        elif field.many_to_many:
            old = {related.pk for related in getattr(obj, name).all()} if obj.pk else set()
            if old != {related.pk for related in new}:
                setattr(obj, name, list(new))
                changed = True
        elif field.is_relation:
            if getattr(obj, field.attname) != (new.pk if new is not None else None):
                setattr(obj, name, new)
                changed = True
        elif isinstance(field, StreamField):
            if _stream_json(field, getattr(obj, name)) != _stream_json(field, new):
                setattr(obj, name, new)
                changed = True
        elif field.get_prep_value(getattr(obj, name)) != field.get_prep_value(new):
            setattr(obj, name, new)
            changed = True
    return changed


def full_clean(obj):
    """``obj.full_clean()``, plus the block validation that Wagtail runs only in forms.

    Model validation leaves StreamFields alone; the demo content must obey the block rules
    (choices, required values, a roadmap stage that ends after it starts) as an editor would.
    """
    try:
        obj.full_clean()
        for field in obj._meta.get_fields():
            if isinstance(field, StreamField):
                field.stream_block.clean(getattr(obj, field.name))
    except ValidationError as error:
        details = error.as_json_data() if hasattr(error, "as_json_data") else error.messages
        raise CommandError(
            f"The demo content of {type(obj).__name__} “{obj}” is invalid: {details}"
        ) from error


def upsert_snippet(model, lookup, values, tally):
    """Find the snippet by ``lookup``, create or update it, and publish it when it changed."""
    obj = model.objects.filter(**lookup).first()
    created = obj is None
    if created:
        obj = model(**lookup)
    changed = apply_fields(obj, values)
    if created or changed:
        full_clean(obj)
        obj.save()
        obj.save_revision().publish()
    tally.add(model, "created" if created else "updated" if changed else "unchanged")
    return obj


def upsert_page(parent, model, slug, values, tally, *, publish=True, extra_changes=None):
    """Find the page ``slug`` under ``parent``, create or update it, and publish it when needed.

    ``extra_changes(page) -> bool`` may change what :func:`apply_fields` cannot (such as inline
    child objects) and says whether it did. With ``publish=False`` a new page is only added to
    the tree; a later call publishes it.
    """
    existing = Page.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None and not isinstance(existing.specific, model):
        raise CommandError(
            f"The slug “{slug}” under “{parent.title}” is taken by a {existing.specific_class.__name__}, "
            f"not a {model.__name__}: move or rename that page and run load_demo again."
        )
    page = existing.specific if existing else model(slug=slug)
    created = existing is None
    changed = apply_fields(page, values)
    if extra_changes is not None:
        changed = extra_changes(page) or changed
    if created:
        # add_child saves the page, and Page.save() runs full_clean() first.
        parent.add_child(instance=page)
    if not publish:
        return page
    # A page added with publish=False counts as created when it is first published.
    first_publication = page.live_revision_id is None
    needs_publishing = first_publication or changed or page.has_unpublished_changes
    if needs_publishing:
        full_clean(page)
        page.save_revision().publish()
        page.refresh_from_db()
    outcome = (
        "created"
        if created or first_publication
        else "updated"
        if needs_publishing
        else "unchanged"
    )
    tally.add(model, outcome)
    return page
