"""API v2 fields of the package's models. Imports no model: the models import it.

:class:`VisiblePageField` serialises a foreign key to a page (a cluster's working group, an
activity's cluster) as Wagtail serialises a page's parent, or as ``null`` when visitors may not
see that page (:mod:`wagtail_ar.visibility`): the API never names a draft or private page.
:class:`VisibleSnippetField` does the same for a foreign key to a snippet (a solution's thematic
project): ``null`` unless it is live. :class:`VisiblePagesField` lists the visible pages of a
many-to-many relation (a forum post's working-group themes). :class:`TagNamesField` lists
tags as Wagtail does, from a prefetched relation (Wagtail's own queries once per item). The endpoints that serve the
snippets are in :mod:`wagtail_ar.endpoints`.
"""

from rest_framework import relations

from .visibility import is_visible


def page_summary(page, context):
    """``{id, type, detail_url, html_url, title}`` of ``page``, as Wagtail nests a page."""
    from wagtail.api.v2.serializers import PageSerializer, get_serializer_class

    serializer_class = get_serializer_class(
        type(page),
        ["id", "type", "detail_url", "html_url", "title"],
        meta_fields=["type", "detail_url", "html_url"],
        base=PageSerializer,
    )
    return serializer_class(context=context).to_representation(page)


class VisiblePageField(relations.RelatedField):
    """A related page, or ``null`` when it is a draft, expired or in a private section."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        page = super().get_attribute(instance)
        return page if is_visible(page, self.context.get("request")) else None

    def to_representation(self, value):
        return page_summary(value, self.context)


class VisiblePagesField(relations.RelatedField):
    """The pages of a many-to-many relation that visitors may see, each as
    :class:`VisiblePageField` shows one (hidden ones are left out, not named)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        request = self.context.get("request")
        return [page for page in super().get_attribute(instance).all() if is_visible(page, request)]

    def to_representation(self, value):
        return [page_summary(page.specific_deferred, self.context) for page in value]


class VisibleSnippetField(relations.RelatedField):
    """A related snippet as ``{id, type, title}`` (its ``str``), or ``null`` when it is not live
    (a draft, unpublished)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        snippet = super().get_attribute(instance)
        return snippet if snippet is not None and getattr(snippet, "live", True) else None

    def to_representation(self, value):
        return {"id": value.pk, "type": value._meta.label, "title": str(value)}


class TagNamesField(relations.RelatedField):
    """The names of the tags, sorted, as Wagtail's ``TagsField`` gives them, but read from
    ``prefetch_related("tags")`` when the queryset has it (no query per item)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return sorted(tag.name for tag in value.all())
