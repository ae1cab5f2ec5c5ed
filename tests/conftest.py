import pytest


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    """Uploaded files of a test go to a temporary folder, never into the repository."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def clear_cache():
    """Wagtail caches site root paths; a rolled-back test must not leave its sites behind."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# Transactional tests (the map in chromium, the migrations) end with a flushed database. Run
# in one process, pytest-django orders them last; pytest-xdist's workers may run another file
# after them, which would find no root page, locale or site. So what the migrations made is put
# back as soon as such a test ends (it was serialized for their serialized_rollback).
_db_blocker = None


@pytest.fixture(scope="session", autouse=True)
def _remember_db_blocker(django_db_blocker):
    global _db_blocker
    _db_blocker = django_db_blocker


def _is_transactional(item):
    marker = item.get_closest_marker("django_db")
    return bool(
        (marker and marker.kwargs.get("transaction"))
        or {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    # After the last test the session's teardown has destroyed the test database already.
    if _db_blocker is None or nextitem is None or not _is_transactional(item):
        return
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connections
    from wagtail.models import Page

    with _db_blocker.unblock():
        for connection in connections.all(initialized_only=True):
            serialized = getattr(connection, "_test_serialized_contents", None)
            if serialized and not Page.objects.using(connection.alias).exists():
                # A flush without serialized_rollback re-creates content types and
                # permissions (post_migrate) under new ids; clear them so the saved rows fit.
                # The sequences keep counting (as Django's own teardown flush does): the saved
                # rows come back with their ids, and PostgreSQL's next id must not be one.
                call_command(
                    "flush",
                    database=connection.alias,
                    interactive=False,
                    inhibit_post_migrate=True,
                    reset_sequences=False,
                    verbosity=0,
                )
                connection.creation.deserialize_db_from_string(serialized)
        ContentType.objects.clear_cache()


@pytest.fixture
def commit_each_request(monkeypatch, django_capture_on_commit_callbacks):
    """Run the ``transaction.on_commit`` callbacks of each test-client request before the client
    gets the answer, as a site's database commits them (the test's own transaction never
    commits): the forum's mail is enqueued on commit (wagtail_ar.forum.tasks)."""
    from django.test import Client

    request = Client.request

    def committed_request(self, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return request(self, **kwargs)

    monkeypatch.setattr(Client, "request", committed_request)


# The wheel and the virtualenv the host projects run in (tests/host_support.py): built once per
# test run, shared by the pytest-xdist workers (tests/test_packaging.py, tests/test_host_matrix.py).


@pytest.fixture(scope="session")
def dist(tmp_path_factory):
    """The folder of the built wheel and sdist."""
    from tests.host_support import build_dist, shared

    return shared(tmp_path_factory, "dist", build_dist)


@pytest.fixture(scope="session")
def host_venv(tmp_path_factory, dist):
    """A virtualenv with the wheel (and wagtail-localize) installed: every host project's."""
    from tests.host_support import make_venv, shared

    return shared(tmp_path_factory, "host-venv", lambda venv: make_venv(venv, dist))
