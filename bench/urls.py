"""The benchmark's URLs: Wagtail's pages, and a bare Django view to compare gunicorn with."""

from django.http import HttpResponse
from django.urls import include, path
from wagtail import urls as wagtail_urls


def bare(request):
    """The cheapest answer Django can give: the floor of the requests-per-second ratios."""
    return HttpResponse(b"<!DOCTYPE html><title>bare</title><p>bare Django view</p>")


urlpatterns = [
    path("bare-django/", bare),
    path("", include(wagtail_urls)),
]
