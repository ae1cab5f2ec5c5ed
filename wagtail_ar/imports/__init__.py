"""Importing organisations, thematic projects and solutions in the admin, with a preview.

The snippet listings of :class:`~wagtail_ar.viewsets.ImportableSnippetViewSet` get an "Import"
button. The editor uploads a CSV or XLSX file (:mod:`~wagtail_ar.imports.forms`); it is stored
in an :class:`~wagtail_ar.models.ImportJob` and checked by a dry run, a task
(:mod:`~wagtail_ar.imports.jobs`); the views (:mod:`~wagtail_ar.imports.views`) show its
progress, then a preview of every row with every problem by row and column; once confirmed, the
same bytes are imported for real by a second task, all or nothing, as ``manage.py ar_import``
does.
"""
