"""The forum's machinery that is not a model; the models are in :mod:`wagtail_ar.models.forum`.

One module per role: :mod:`~wagtail_ar.forum.forms` (the visitors' forms),
:mod:`~wagtail_ar.forum.filters` (the board's filters), :mod:`~wagtail_ar.forum.limits` (the
checks against robots and floods), :mod:`~wagtail_ar.forum.mail` (the e-mails),
:mod:`~wagtail_ar.forum.tasks` (the tasks that send them after commit, retrying),
:mod:`~wagtail_ar.forum.retention` (the deletion of personal data) and
:mod:`~wagtail_ar.forum.viewsets` (the moderators' admin). Nothing here calls an outside service.

This file imports nothing: the models import ``forms``, ``limits``, ``mail`` and ``tasks``, which
import no model; ``filters``, ``retention`` and ``viewsets`` import the models.
"""
