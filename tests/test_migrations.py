"""Every migration of wagtail_ar applies forwards and backwards, on whatever database
``DATABASE_URL`` names (CI runs a SQLite and a PostgreSQL leg).

Each migration is undone and redone one step at a time, then the app goes back to zero and
forwards again, with a row in the tables so that the reverse operations meet data."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

APP = "wagtail_ar"


def migrations_of_app():
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    return sorted(name for app, name in loader.disk_migrations if app == APP)


def applied():
    executor = MigrationExecutor(connection)
    return sorted(name for app, name in executor.loader.applied_migrations if app == APP)


def migrate(target):
    call_command("migrate", APP, target, verbosity=0, interactive=False)


@pytest.fixture
def back_to_latest():
    yield
    migrate(migrations_of_app()[-1])  # the rest of the suite needs every table


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_migration_goes_back_and_forth(back_to_latest):
    names = migrations_of_app()
    assert names[:2] == ["0001_initial", "0002_map_block"]
    assert applied() == names
    # Step by step, from the newest: undo one, redo it, undo it again, and go on down.
    for index in range(len(names) - 1, 0, -1):
        migrate(names[index - 1])
        assert applied() == names[:index], names[index]
        migrate(names[index])
        assert applied() == names[: index + 1], names[index]
        migrate(names[index - 1])
    migrate("zero")
    assert applied() == []
    tables = set(connection.introspection.table_names())
    assert not {t for t in tables if t.startswith("wagtail_ar_")}
    migrate(names[-1])
    assert applied() == names


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backwards_with_data_in_the_tables(back_to_latest):
    """The reverse of the newest migrations keeps the rows of older ones intact."""
    from wagtail.models import Locale

    from .utils import make_organisation

    Locale.objects.get_or_create(language_code="en")
    lead, member = make_organisation(), make_organisation("Université de Tunis", country="TN")
    names = migrations_of_app()
    migrate("0002_map_block")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM wagtail_ar_organisation ORDER BY id")
        assert [row[0] for row in cursor.fetchall()] == [lead.name, member.name]
    migrate(names[-1])


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    call_command("makemigrations", APP, "--check", "--dry-run", verbosity=0)
