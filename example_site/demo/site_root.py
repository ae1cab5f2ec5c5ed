"""The default site of the example project, with the Amplification Room as its root page."""

from wagtail.models import Page, Site

from .upsert import apply_fields


def is_welcome_page(page):
    """Wagtail's "Welcome to your new Wagtail site!" page, as ``migrate`` created it."""
    return (
        page.specific_class is Page
        and page.depth == 2
        and page.slug == "home"
        and not page.get_children().exists()
        and not Site.objects.filter(root_page=page).exists()
    )


def make_site_root(page, site_name):
    """Make ``page`` the default site's root, and delete Wagtail's untouched welcome page.

    The hostname becomes 127.0.0.1:8000 while it is still Wagtail's default (localhost:80),
    so that full URLs (API, previews, sitemaps) point at the development server.
    """
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(hostname="127.0.0.1", port=8000, is_default_site=True)
    previous_root = site.root_page if site.root_page_id else None
    values = {"root_page": page, "site_name": site_name}
    if site.hostname == "localhost" and site.port == 80:
        values |= {"hostname": "127.0.0.1", "port": 8000}
    if apply_fields(site, values) or site.pk is None:
        site.full_clean()
        site.save()
    if previous_root is not None and previous_root.pk != page.pk and is_welcome_page(previous_root):
        previous_root.delete()
    return site
