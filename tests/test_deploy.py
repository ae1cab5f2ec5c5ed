"""The example site's production settings pass ``manage.py check --deploy`` with no warning."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

SITE_DIR = Path(__file__).resolve().parent.parent / "example_site"

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "example.production",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "ar.example.org",
    # Not connected to by the checks: any PostgreSQL address will do.
    "DATABASE_URL": "postgres://ar:ar@127.0.0.1:5432/ar",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def manage(*args, **env):
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment.update(PRODUCTION_ENV, **env)
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "manage.py", *args],
        cwd=SITE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# Not "slow": the CI legs of the newest and oldest Django run it too (Django 6.1 added checks).
def test_check_deploy_is_clean():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow
def test_production_settings_refuse_to_start_without_a_secret_key():
    result = manage("check", DJANGO_SECRET_KEY="")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.slow
def test_production_settings_are_what_the_readme_says():
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'], "
        "s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS, s.STORAGES['staticfiles']['BACKEND'])"
    )
    result = manage("shell", "-c", code)
    assert result.returncode == 0, result.stderr
    words = result.stdout.strip().splitlines()[-1].split()  # after "N objects imported"
    assert words[:7] == [
        "False",
        "django.db.backends.postgresql",
        "django.core.cache.backends.redis.RedisCache",
        "True",
        "True",
        "True",
        "31536000",
    ]
    assert words[7].endswith("ManifestStaticFilesStorage")


def test_production_mail_settings_suit_the_installed_django():
    # Django 6.1 moved the SMTP settings to MAILERS and warns on EMAIL_HOST…; older Djangos
    # know only EMAIL_HOST…. The same environment variables configure either.
    code = (
        "import django, warnings; from django.conf import settings as s; "
        "from django.core import mail; "
        "c = mail.get_connection() if django.VERSION < (6, 1) else mail.mailers.default; "
        "print(type(c).__name__, c.host, c.port, c.username, c.use_tls, c.timeout)"
    )
    result = manage(
        "shell",
        "-c",
        code,
        DJANGO_EMAIL_HOST="smtp.example.org",
        DJANGO_EMAIL_PORT="2525",
        DJANGO_EMAIL_HOST_USER="ar",
        PYTHONWARNINGS="error::DeprecationWarning,error::PendingDeprecationWarning",
    )
    assert result.returncode == 0, result.stderr
    assert "Deprecat" not in result.stderr and "Django 2028" not in result.stderr
    last = result.stdout.strip().splitlines()[-1]
    assert last == "EmailBackend smtp.example.org 2525 ar True 10"
