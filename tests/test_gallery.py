"""scripts/gallery.py: a run's screenshots become the docs' gallery, smaller, in one table."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def gallery():
    spec = importlib.util.spec_from_file_location("gallery", ROOT / "scripts" / "gallery.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gallery_shrinks_the_screenshots_and_tabulates_them(gallery, tmp_path):
    from PIL import Image

    run = tmp_path / "run"
    run.mkdir()
    for name, size in {
        "cluster-index-en-1280.jpg": (1280, 1600),
        "cluster-index-ar-1280.jpg": (1280, 1600),
        "cluster-index-en-320.jpg": (320, 1600),
        "notes.txt": None,
    }.items():
        if size:
            Image.new("RGB", size, "white").save(run / name)
        else:
            (run / name).write_text("not a screenshot")
    out = tmp_path / "gallery"
    out.mkdir()
    (out / "old-en-320.jpg").write_bytes(b"from an earlier run")
    assert gallery.main([str(run), "--out", str(out), "--date", "2026-12-04"]) == 0
    assert sorted(path.name for path in out.iterdir()) == [
        "cluster-index-ar-1280.jpg",
        "cluster-index-en-1280.jpg",
        "cluster-index-en-320.jpg",
        "index.md",
    ]
    with Image.open(out / "cluster-index-en-1280.jpg") as image:
        assert image.size == (480, 600)
    with Image.open(out / "cluster-index-en-320.jpg") as image:
        assert image.size == (320, 1000)
    index = (out / "index.md").read_text()
    assert "taken on 2026-12-04" in index
    assert "| Page type | Language | 320 px | 1280 px |" in index
    assert (
        "| Cluster index | English | ![Cluster index, English, 320 px wide](cluster-index-en-320.jpg)"
        " | ![Cluster index, English, 1280 px wide](cluster-index-en-1280.jpg) |"
    ) in index
    assert "| Cluster index | Arabic | (missing) |" in index


def test_gallery_without_screenshots_fails(gallery, tmp_path, capsys):
    assert gallery.main([str(tmp_path / "none"), "--out", str(tmp_path / "gallery")]) == 1
    assert "run the browser tests first" in capsys.readouterr().err


def test_the_docs_gallery_has_every_page_type_in_both_languages_at_three_widths():
    from tests.browser.test_pages import PAGES

    folder = ROOT / "docs" / "gallery"
    names = {path.name for path in folder.glob("*.jpg")}
    expected = {
        f"{name}-{language}-{width}.jpg"
        for name in PAGES
        for language in ("en", "ar")
        for width in (320, 768, 1280)
    }
    assert expected <= names, sorted(expected - names)
    assert sum(path.stat().st_size for path in folder.iterdir()) < 3_000_000
