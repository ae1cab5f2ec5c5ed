"""The system checks of wagtail_ar (wagtail_ar/checks.py): each id fires on its bad configuration
and stays quiet on the test settings, which are a good one."""

from unittest import mock

import django
import pytest
from django.apps import apps
from django.core import checks as django_checks
from django.core.management import call_command
from django.test import override_settings

from wagtail_ar import checks

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/0",
    }
}
CHECKS = [
    checks.check_required_apps,
    checks.check_base_template,
    checks.check_cache,
    checks.check_mail,
    checks.check_admin_base_url,
    checks.check_tile_url,
]


def ids(messages):
    return [message.id for message in messages]


def all_ids():
    return [message_id for check in CHECKS for message_id in ids(check())]


def test_the_test_settings_give_no_message_but_the_silenced_one(settings):
    # One test process has its cache to itself: W003 is silenced in tests/settings.py. With
    # REDIS_URL (CI's PostgreSQL leg) the cache is shared and there is no W003 to silence.
    backend = settings.CACHES["default"]["BACKEND"]
    expected = ["wagtail_ar.W003"] if backend.endswith("locmem.LocMemCache") else []
    assert all_ids() == expected


def test_the_checks_are_registered():
    registered = django_checks.registry.registry.get_checks()
    assert set(CHECKS) <= set(registered)


def test_every_message_has_a_hint_and_a_wagtail_ar_id():
    with (
        override_settings(
            WAGTAIL_AR_BASE_TEMPLATE="testapp/checks/no_content_block.html",
            WAGTAIL_AR_CACHE_ALIAS="missing",
            WAGTAIL_AR_TILE_URL="ftp://tiles.example.org/tile.png",
            DEFAULT_FROM_EMAIL="webmaster@localhost",
            WAGTAILADMIN_BASE_URL="",
        ),
        mock.patch.object(apps, "is_installed", return_value=False),
    ):
        messages = [message for check in CHECKS for message in check()]
    assert {message.id for message in messages} == {
        "wagtail_ar.E001",
        "wagtail_ar.E003",
        "wagtail_ar.E004",
        "wagtail_ar.W001",
        "wagtail_ar.W002",
        "wagtail_ar.W004",
    }
    for message in messages:
        assert message.hint, message
        assert message.level >= django_checks.WARNING, message


# E001: required apps


@pytest.mark.parametrize(
    "missing", ["wagtailgeowidget", "django_countries", "taggit", "modelcluster"]
)
def test_e001_a_missing_app(missing):
    real = apps.is_installed
    with mock.patch.object(
        apps, "is_installed", side_effect=lambda name: name != missing and real(name)
    ):
        messages = checks.check_required_apps()
    assert ids(messages) == ["wagtail_ar.E001"]
    assert f"'{missing}'" in messages[0].msg


def test_e001_every_required_app_is_installed_here():
    assert checks.check_required_apps() == []
    assert all(apps.is_installed(name) for name in checks.REQUIRED_APPS)


# E002, E003, E005: the base template


@override_settings(WAGTAIL_AR_BASE_TEMPLATE="testapp/checks/does_not_exist.html")
def test_e002_a_base_template_the_loaders_cannot_find():
    messages = checks.check_base_template()
    assert ids(messages) == ["wagtail_ar.E002"]
    assert "does_not_exist.html" in messages[0].msg


@pytest.mark.parametrize("value", [None, ""])
def test_e002_a_base_template_that_is_no_name(value):
    with override_settings(WAGTAIL_AR_BASE_TEMPLATE=value):
        assert ids(checks.check_base_template()) == ["wagtail_ar.E002"]


@override_settings(WAGTAIL_AR_BASE_TEMPLATE="testapp/checks/no_content_block.html")
def test_e003_a_base_template_without_a_content_block():
    messages = checks.check_base_template()
    assert ids(messages) == ["wagtail_ar.E003"]
    assert "block content" in messages[0].msg


@override_settings(WAGTAIL_AR_BASE_TEMPLATE="testapp/checks/extends_no_content.html")
def test_e003_an_extends_chain_without_a_content_block():
    assert ids(checks.check_base_template()) == ["wagtail_ar.E003"]


@override_settings(WAGTAIL_AR_BASE_TEMPLATE="testapp/checks/extends_content.html")
def test_a_content_block_in_a_parent_is_found():
    # parent_with_content.html has it inside an {% if %}: the walk goes into every node list.
    assert checks.check_base_template() == []


@override_settings(WAGTAIL_AR_BASE_TEMPLATE="testapp/checks/extends_variable.html")
def test_a_parent_chosen_at_render_time_is_not_an_error():
    # {% extends some_variable %}: the check cannot know the parent, so it says nothing.
    assert checks.check_base_template() == []


@override_settings(WAGTAIL_AR_BASE_TEMPLATE="testapp/checks/syntax_error.html")
def test_e005_a_base_template_with_a_syntax_error():
    messages = checks.check_base_template()
    assert ids(messages) == ["wagtail_ar.E005"]
    assert "syntax_error.html" in messages[0].msg


@pytest.mark.parametrize(
    "name", ["testapp/checks/extends_syntax_error.html", "testapp/checks/extends_missing.html"]
)
def test_e005_a_parent_that_cannot_be_loaded_is_reported_not_raised(name):
    # Django loads a parent when the child renders, not when it compiles: the check follows it.
    with override_settings(WAGTAIL_AR_BASE_TEMPLATE=name):
        messages = checks.check_base_template()
    assert ids(messages) == ["wagtail_ar.E005"]
    assert "cannot be loaded" in messages[0].msg


def test_an_unexpected_loader_error_is_a_message_not_a_crash():
    with mock.patch("django.template.loader.get_template", side_effect=RuntimeError("boom")):
        messages = checks.check_base_template()
    assert ids(messages) == ["wagtail_ar.E005"]
    assert "boom" in messages[0].msg


@override_settings(WAGTAIL_AR_BASE_TEMPLATE="testapp/checks/extends_no_content.html")
def test_the_base_template_checks_run_under_the_templates_tag():
    registered = django_checks.registry.registry.get_checks()
    assert checks.check_base_template in registered
    assert "wagtail_ar.E003" in ids(django_checks.run_checks(tags=[django_checks.Tags.templates]))


# E004, W003: the cache


@override_settings(WAGTAIL_AR_CACHE_ALIAS="fragments")
def test_e004_an_unknown_cache_alias():
    messages = checks.check_cache()
    assert ids(messages) == ["wagtail_ar.E004"]
    assert "'fragments'" in messages[0].msg


@override_settings(
    CACHES={**LOCMEM, "fragments": REDIS["default"]}, WAGTAIL_AR_CACHE_ALIAS="fragments"
)
def test_a_known_cache_alias():
    assert checks.check_cache() == []


@override_settings(CACHES=LOCMEM, DEBUG=False)
def test_w003_a_local_memory_cache_without_debug():
    assert ids(checks.check_cache()) == ["wagtail_ar.W003"]


@pytest.mark.parametrize(
    "overrides",
    [
        {"CACHES": LOCMEM, "DEBUG": True},
        {"CACHES": LOCMEM, "DEBUG": False, "WAGTAIL_AR_CACHE_TIMEOUT": 0},
        {"CACHES": REDIS, "DEBUG": False},
        {
            "CACHES": {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}},
            "DEBUG": False,
        },
    ],
    ids=["debug", "caching-off", "redis", "dummy"],
)
def test_no_w003_when_nothing_is_stale_across_processes(overrides):
    with override_settings(**overrides):
        assert checks.check_cache() == []


def test_w003_can_be_silenced():
    with override_settings(CACHES=LOCMEM, DEBUG=False):
        (message,) = checks.check_cache()
        assert message.is_silenced()
        with override_settings(SILENCED_SYSTEM_CHECKS=[]):
            assert not message.is_silenced()


# W001, W005: mail


@override_settings(DEFAULT_FROM_EMAIL="webmaster@localhost")
def test_w001_djangos_default_from_address():
    messages = checks.check_mail()
    assert ids(messages) == ["wagtail_ar.W001"]
    assert messages[0].obj == "DEFAULT_FROM_EMAIL"


@override_settings(DEFAULT_FROM_EMAIL="forum@example.org")
def test_no_w001_with_a_from_address_of_the_site():
    assert checks.check_mail() == []


def mailer(backend):
    """The default mailer as the installed Django configures it: MAILERS on Django 6.1 and newer
    (where EMAIL_BACKEND is deprecated), EMAIL_BACKEND before."""
    if django.VERSION >= (6, 1):
        return override_settings(MAILERS={"default": {"BACKEND": backend}})
    return override_settings(EMAIL_BACKEND=backend)


def test_w005_the_dummy_mail_backend():
    with mailer("django.core.mail.backends.dummy.EmailBackend"):
        messages = checks.check_mail()
    assert ids(messages) == ["wagtail_ar.W005"]


def test_no_w005_with_a_backend_that_delivers():
    with mailer("django.core.mail.backends.smtp.EmailBackend"):
        assert checks.check_mail() == []


def test_the_mail_check_raises_no_deprecation_warning(recwarn):
    checks.check_mail()
    assert not [w for w in recwarn if issubclass(w.category, DeprecationWarning)]


# W002: the admin's base URL


@pytest.mark.parametrize("value", [None, "", "example.org", "ftp://example.org", "https://"])
def test_w002_no_usable_wagtailadmin_base_url(value):
    with override_settings(WAGTAILADMIN_BASE_URL=value):
        messages = checks.check_admin_base_url()
    assert ids(messages) == ["wagtail_ar.W002"]


def test_w002_when_wagtailadmin_base_url_is_not_set_at_all(settings):
    del settings.WAGTAILADMIN_BASE_URL
    assert ids(checks.check_admin_base_url()) == ["wagtail_ar.W002"]


@override_settings(WAGTAILADMIN_BASE_URL="https://ar.example.org")
def test_no_w002_with_an_absolute_base_url():
    assert checks.check_admin_base_url() == []


# W004: the tile URL


@pytest.mark.parametrize(
    "value",
    [
        "https://tiles.example.org/{z}/{x}.png",
        "ftp://tiles.example.org/{z}/{x}/{y}.png",
        "javascript:alert(1)//{z}/{x}/{y}",
        42,
    ],
)
def test_w004_a_tile_url_that_shows_no_tiles(value):
    with override_settings(WAGTAIL_AR_TILE_URL=value):
        assert ids(checks.check_tile_url()) == ["wagtail_ar.W004"]


@pytest.mark.parametrize(
    "value",
    [
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "https://{s}.tiles.example.org/{z}/{x}/{y}{r}.png",
        "/tiles/{z}/{x}/{y}.png",
        # No tile server: the base map alone.
        None,
        "//tiles.example.org/{z}/{x}/{y}.png",
    ],
)
def test_no_w004_for_xyz_tile_urls(value):
    with override_settings(WAGTAIL_AR_TILE_URL=value):
        assert checks.check_tile_url() == []


# The management command


def test_manage_py_check_fails_on_an_error(capsys):
    from django.core.management.base import SystemCheckError

    with (
        override_settings(WAGTAIL_AR_BASE_TEMPLATE="testapp/checks/no_content_block.html"),
        pytest.raises(SystemCheckError, match=r"wagtail_ar\.E003"),
    ):
        call_command("check", tags=["wagtail_ar"])


def test_manage_py_check_is_clean_at_fail_level_warning(capsys):
    call_command("check", "--fail-level", "WARNING")
    assert "no issues" in capsys.readouterr().out
