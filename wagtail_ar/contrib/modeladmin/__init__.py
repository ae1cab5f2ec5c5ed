"""Ready ``ModelAdmin`` classes for sites whose admin is built on wagtail-modeladmin.

Install with ``pip install "wagtail-amplification-room[modeladmin]"``, add ``"wagtail_modeladmin"``
to ``INSTALLED_APPS`` and place the classes of :mod:`wagtail_ar.contrib.modeladmin.options` in
your own ``ModelAdminGroup`` (nothing is registered for you). wagtail_ar's own admin stays on
Wagtail's native viewsets (:mod:`wagtail_ar.viewsets`); wagtail-modeladmin is in maintenance mode.
"""
