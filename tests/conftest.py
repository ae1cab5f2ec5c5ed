import pytest


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    """Uploaded files of a test go to a temporary folder, never into the repository."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
