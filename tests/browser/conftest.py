"""The example site in a real browser: its demo content and base template, served once.

``load_demo`` takes seconds, too long to run before every test, and pytest-django's
``live_server`` flushes the database after each test. So the tests of this folder get the
demo once (:func:`demo_server`): it is loaded and committed, a live server thread (Django's
own, as pytest-django uses) serves it with the example site's ``base.html`` and stylesheet,
and after the folder's last test the database is flushed and given back the rows the
migrations made, as ``serialized_rollback`` would. Each test runs in a transaction
(``django_db``, through the ``browser`` fixture) and does no database work of its own while
the browser runs (see ``tests/browser_support.py``): it reads what it needs from
:class:`DemoSite`, filled in before.
"""

import base64
import contextlib
import threading
from dataclasses import dataclass, field
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management import call_command
from django.db import connections
from django.test import override_settings
from django.test.testcases import LiveServerThread

from ..browser_support import DESKTOP, ROOT, chromium

EXAMPLE = ROOT / "example_site" / "example"
TILE_HOST = "tiles.example.test"
EMPTY_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def with_locale_middleware(middleware):
    """The middleware with Django's LocaleMiddleware after the sessions', as the example site's."""
    middleware = [name for name in middleware if not name.endswith(".LocaleMiddleware")]
    sessions = middleware.index("django.contrib.sessions.middleware.SessionMiddleware")
    return [
        *middleware[: sessions + 1],
        "django.middleware.locale.LocaleMiddleware",
        *middleware[sessions + 1 :],
    ]


def example_site_settings():
    """The example site's look: its base.html (as WAGTAIL_AR_BASE_TEMPLATE) and its CSS."""
    (engine,) = settings.TEMPLATES
    options = dict(engine["OPTIONS"])
    options["context_processors"] = [
        *options["context_processors"],
        "django.template.context_processors.i18n",
    ]
    return override_settings(
        TEMPLATES=[
            {**engine, "DIRS": [EXAMPLE / "templates", *engine["DIRS"]], "OPTIONS": options}
        ],
        WAGTAIL_AR_BASE_TEMPLATE="base.html",
        # The example site's languages (its language switcher lists them), chosen as the
        # example site does, by LocaleMiddleware: here from the browser's Accept-Language
        # (a context's ``locale``; the tests' URLs have no language prefix).
        LANGUAGES=[("en", "English"), ("fr", "Français"), ("ar", "العربية")],
        MIDDLEWARE=with_locale_middleware(settings.MIDDLEWARE),
        STATICFILES_DIRS=[EXAMPLE / "static"],
        WAGTAIL_AR_TILE_URL=f"https://{TILE_HOST}/{{z}}/{{x}}/{{y}}.png",
    )


@dataclass
class DemoSite:
    """The served demo: its base URL and the paths of its pages, read before the browser runs."""

    url: str
    paths: dict = field(default_factory=dict)  # name -> path, one per page type and a few more

    def __call__(self, name_or_path):
        path = self.paths.get(name_or_path, name_or_path)
        return self.url + path


def demo_paths():
    """One page of each type of the demo (the first in the tree), by a readable name."""
    from wagtail_ar import models

    paths = {}
    names = {
        "amplification_room": "AmplificationRoomPage",
        "working_group": "WorkingGroupPage",
        "cluster_index": "ClusterIndexPage",
        "cluster": "ClusterPage",
        "cluster_report": "ClusterReportPage",
        "activity_index": "ActivityIndexPage",
        "activity": "ActivityPage",
        "community_map": "CommunityMapPage",
        "forum": "ForumPage",
        "accessibility_statement": "AccessibilityStatementPage",
    }
    for name, model_name in names.items():
        model = getattr(models, model_name, None)
        page = model and model.objects.live().order_by("path").first()
        if page is not None:
            paths[name] = page.url
    # A factsheet that has a report, and that report.
    report = models.ClusterReportPage.objects.live().order_by("path").first()
    paths["cluster"] = report.get_parent().url
    paths["cluster_report"] = report.url
    paths["cluster_title"] = report.get_parent().title
    paths["cluster_report_title"] = report.title
    clusters = models.ClusterPage.objects.live()
    paths["thematic_cluster_count"] = clusters.filter(category="thematic").count()
    paths["thematic_clusters"] = sorted(
        clusters.filter(category="thematic").values_list("title", flat=True)
    )
    community_map = models.CommunityMapPage.objects.live().first()
    paths["mapped_organisations"] = community_map.organisations().count()
    paths["organisation_names"] = {str(org) for org in community_map.organisations()}
    paths["activity_title"] = models.ActivityPage.objects.live().order_by("path").first().title
    return paths


class OneAtATimeHandler(StaticFilesHandler):
    """Requests run one at a time: on SQLite they share one connection (and the test's
    transaction), which two threads must not use at once, and the admin sends requests in
    parallel (a page saved while another request ran failed its own checks)."""

    lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            return super().__call__(environ, start_response)


@contextlib.contextmanager
def live_server_thread():
    """Django's live server thread on a free port, serving static files too (as
    pytest-django's does); an in-memory SQLite database is shared with it, as Django does."""
    overrides = {}
    for connection in connections.all():
        if connection.vendor == "sqlite" and connection.is_in_memory_db():
            overrides[connection.alias] = connection
            connection.inc_thread_sharing()
    before = set(threading.enumerate())
    thread = LiveServerThread("127.0.0.1", OneAtATimeHandler, connections_override=overrides)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    try:
        if thread.error:
            raise thread.error
        yield f"http://127.0.0.1:{thread.port}"
    finally:
        thread.terminate()
        # The server answers each request in a daemon thread, which shutting it down does not
        # wait for: a request the browser sent last may still be writing to the shared
        # database. Wait for them (bounded), so the flush that follows sees the last write.
        for leftover in set(threading.enumerate()) - before:
            leftover.join(timeout=10)
        for connection in overrides.values():
            connection.dec_thread_sharing()


def restore_migrated_rows(connection, migrated):
    """Flush the database and put back the rows the migrations made, as ``serialized_rollback``
    does.

    Wagtail's ``Task.__init__`` asks for its content type (``get_for_model``) when a task is
    built from the serialized rows, which may come before the content types themselves: with
    a cold cache that creates the row, and the restore of the same content type then fails on
    its unique constraint. So every content type is put in the cache first; the rows put back
    keep their ids, so the cached ones stay true."""
    for content_type in ContentType.objects.all():
        ContentType.objects._add_to_cache(connection.alias, content_type)
    # As TransactionTestCase does: sequences not reset, since the rows put back keep
    # their ids; no post_migrate, since they include the content types and permissions.
    call_command(
        "flush",
        verbosity=0,
        interactive=False,
        reset_sequences=False,
        inhibit_post_migrate=True,
    )
    connection.creation.deserialize_db_from_string(migrated)
    ContentType.objects.clear_cache()


@pytest.fixture(scope="package")
def demo_server(django_db_setup, django_db_blocker):
    """The example site with its demo content, served for this folder's tests: its URL."""
    connection = connections["default"]
    with django_db_blocker.unblock():
        from wagtail.models import Page

        serialized = getattr(connection, "_test_serialized_contents", None)
        if serialized and not Page.objects.exists():
            # A transactional test (serialized_rollback) ran before on this worker and left
            # the database flushed, as pytest-xdist's --dist loadfile allows: put back what
            # the migrations made, as the next such test would.
            connection.creation.deserialize_db_from_string(serialized)
        # What the migrations made (locale, root page, default site...), to be put back.
        migrated = connection.creation.serialize_db_to_string()
        call_command("load_demo", stdout=StringIO())
    try:
        with example_site_settings(), live_server_thread() as url:
            yield url
    finally:
        with django_db_blocker.unblock():
            restore_migrated_rows(connection, migrated)


@pytest.fixture(scope="module")
def demo_site(demo_server, django_db_blocker):
    """The served demo and its facts, read again for each module: an earlier module's writes
    may be there (on PostgreSQL, see ``browser``)."""
    with django_db_blocker.unblock():
        return DemoSite(url=demo_server, paths=demo_paths())


@pytest.fixture
def browser(db, demo_site):
    """Chromium, started inside the test's transaction and stopped before its rollback.

    The demo was committed before; what a test does through the browser is rolled back on
    SQLite (the server shares the test's connection there, as in Django's live server tests)
    but stays on PostgreSQL until the end of this folder's tests: no test depends on
    another's writes, and the facts of :class:`DemoSite` are read again for each module.
    """
    with chromium() as browser:
        yield browser


class Visit:
    """A browser context on the demo site: requests elsewhere are refused (map tiles are
    answered with an empty image), and script errors on its pages are collected."""

    def __init__(self, browser, site, viewport=DESKTOP, scripts=True, **options):
        self.site = site
        self.scripts = scripts  # False: the pages' script files are not loaded
        self.errors = []
        self.context = browser.new_context(viewport=viewport, **options)
        self.context.set_default_timeout(15_000)
        self.context.route("**/*", self.route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def route(self, route):
        host = urlsplit(route.request.url).netloc
        if host == urlsplit(self.site.url).netloc:
            if not self.scripts and route.request.resource_type == "script":
                return route.abort()
            return route.continue_()
        if host == TILE_HOST:
            return route.fulfill(body=EMPTY_PNG, content_type="image/png")
        return route.abort()

    def goto(self, name_or_path, **kwargs):
        response = self.page.goto(self.site(name_or_path), **kwargs)
        return response

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser, demo_site):
    """``visit(viewport=..., java_script_enabled=...)`` opens a new browser context."""
    visits = []

    def open_visit(**options):
        visits.append(Visit(browser, demo_site, **options))
        return visits[-1]

    yield open_visit
    for opened in visits:
        opened.close()


@pytest.fixture
def page(visit):
    """A desktop-sized page on the demo site (its context's errors: ``page.visit.errors``)."""
    opened = visit()
    opened.page.visit = opened
    return opened.page
