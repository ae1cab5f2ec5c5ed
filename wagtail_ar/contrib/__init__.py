"""Optional integrations of wagtail_ar with other packages, each installed through an extra."""
