"""API v2 fields of the package's models. Imports no model: the models import it.

:class:`VisiblePageField` serialises a foreign key to a page (a cluster's working group, an
activity's cluster) as Wagtail serialises a page's parent, or as ``null`` when visitors may not
see that page (:mod:`wagtail_ar.visibility`): the API never names a draft or private page.
"""

from rest_framework import relations

from .visibility import is_visible


class VisiblePageField(relations.RelatedField):
    """A related page, or ``null`` when it is a draft, expired or in a private section."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        page = super().get_attribute(instance)
        return page if is_visible(page, self.context.get("request")) else None

    def to_representation(self, value):
        from wagtail.api.v2.serializers import PageSerializer, get_serializer_class

        serializer_class = get_serializer_class(
            type(value),
            ["id", "type", "detail_url", "html_url", "title"],
            meta_fields=["type", "detail_url", "html_url"],
            base=PageSerializer,
        )
        return serializer_class(context=self.context).to_representation(value)
