"""The filters of the forum's public board, built from the listings' filters
(:mod:`wagtail_ar.filters`), so URL parameters and bad input behave alike.

:class:`~wagtail_ar.models.ForumPage` names :class:`ForumBoardFilterSet` by its dotted path
(``filterset_class``): this module imports the models.
"""

from django.utils.translation import gettext_lazy as _

from ..choices import ForumPostKind
from ..filters import CountryFilter, ListingChoiceFilter, ListingFilterSet, WorkingGroupFilter
from ..models import ForumPost


class ThemeFilter(WorkingGroupFilter):
    """A working group among the post's themes, by its slug (``theme=wg1``)."""

    def filter(self, qs, value):
        return super().filter(qs, value).distinct() if value else qs


class ForumBoardFilterSet(ListingFilterSet):
    """The filters of the forum board: ``kind`` (need or offer), ``theme`` (the slug of a
    working group) and ``country`` (ISO code). ``q`` and ``page`` are the listing's own."""

    kind = ListingChoiceFilter(
        choices=ForumPostKind.choices,
        label=_("Need or offer"),
        empty_label=_("Needs and offers"),
        invalid_message=_("“%(value)s” is not a kind of post. The kinds are: %(choices)s."),
    )
    theme = ThemeFilter(
        field_name="themes",
        label=_("Theme"),
        empty_label=_("All themes"),
    )
    country = CountryFilter(field_name="country", label=_("Country"))

    class Meta:
        model = ForumPost
        fields = []
