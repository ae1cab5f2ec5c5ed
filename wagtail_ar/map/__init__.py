"""The community map: a feature of its own.

- :mod:`.config`: the map's static files, words, tiles and view (shared by the map page and
  the map block); imports no model.
- :mod:`.parameters`: what the query strings say: bounding box, :class:`CommunityMapFilterSet`,
  the GeoJSON's parameters, the list beside the map.
- :mod:`.geojson`: GeoJSON built from the querysets it is handed; imports no model.
- :mod:`.views`: the routes of a :class:`~wagtail_ar.models.CommunityMapPage` (``geojson/``,
  ``organisations/<id>/``) and the page's context.

The page model is :mod:`wagtail_ar.models.map`; the map block is
:class:`wagtail_ar.blocks.MapBlock`.
"""
