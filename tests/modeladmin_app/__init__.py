"""A site built on wagtail-modeladmin, placing wagtail_ar's ModelAdmins in its own group."""
