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
