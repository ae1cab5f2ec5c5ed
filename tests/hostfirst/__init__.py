"""A host project's app installed before ``wagtail_ar`` (tests/settings_hostfirst.py).

Its ``models.py`` imports the module named by ``AR_HOST_IMPORTS``, as a host's models do when they
subclass wagtail_ar's abstract pages; its ``ready()`` imports the module named by
``AR_HOST_READY_IMPORTS``, for the modules that need a ready app registry
(tests/test_host_first.py).
"""
