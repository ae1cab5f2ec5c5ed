"""Make the screenshot gallery of the docs from a run of the browser tests.

``tests/browser/test_layout_widths.py`` saves a screenshot of every page type at 320, 768 and
1280 px, in English and Arabic, to ``build/screenshots/layout/`` (CI keeps that folder). This
copies one run's screenshots into ``docs/gallery/``, made smaller (at most ``--max-width``
pixels wide and ``--max-height`` tall, JPEG at ``--quality``) so that the repository stays light,
and writes ``docs/gallery/index.md``: a table of page type and language by width, dated. The
images of an earlier gallery are removed first, so the gallery is always one run.

    scripts/gallery [SOURCE] [--date YYYY-MM-DD] [--out docs/gallery]

SOURCE is the folder of a run (default ``build/screenshots/layout``, the last local run; or the
folder of a CI run's saved screenshots). The date defaults to that of the newest screenshot.
"""

import argparse
import datetime
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = re.compile(r"^(?P<page>[a-z0-9-]+)-(?P<language>[a-z]{2})-(?P<width>\d+)\.jpg$")
LANGUAGES = {"en": "English", "ar": "Arabic"}


def screenshots(source):
    """{(page, language): {width: path}} of the screenshots in ``source``, by name."""
    found = {}
    for path in sorted(source.iterdir()):
        if match := NAME.match(path.name):
            key = (match["page"], match["language"])
            found.setdefault(key, {})[int(match["width"])] = path
    return found


def shrink(source, target, max_width, max_height, quality):
    from PIL import Image

    with Image.open(source) as image:
        image = image.convert("RGB")
        if image.width > max_width:
            image = image.resize(
                (max_width, round(image.height * max_width / image.width)), Image.LANCZOS
            )
        if image.height > max_height:
            image = image.crop((0, 0, image.width, max_height))
        image.save(target, "JPEG", quality=quality, optimize=True, progressive=True)


def title(page):
    return page.replace("-", " ").capitalize()


def index(found, widths, date):
    lines = [
        "# Gallery: every page type at 320, 768 and 1280 px",
        "",
        f"Screenshots of the example site's demo taken on {date} by",
        "`tests/browser/test_layout_widths.py` (Chromium), which also checks at each width that",
        "the page does not scroll sideways, that no two cards overlap and that no table is cut",
        "off. The Arabic pages are the demo's pages with the Arabic interface, right to left.",
        "Each image is the top of the page (at most 1600 px of it), made smaller by",
        "`scripts/gallery`.",
        "",
        "| Page type | Language | " + " | ".join(f"{width} px" for width in widths) + " |",
        "| --- | --- | " + " | ".join("---" for _ in widths) + " |",
    ]
    for (page, language), paths in sorted(
        found.items(), key=lambda item: (item[0][0], item[0][1] != "en")
    ):
        cells = []
        for width in widths:
            if width in paths:
                alt = f"{title(page)}, {LANGUAGES.get(language, language)}, {width} px wide"
                cells.append(f"![{alt}]({paths[width].name})")
            else:
                cells.append("(missing)")
        name = LANGUAGES.get(language, language)
        lines.append(f"| {title(page)} | {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "source", nargs="?", type=Path, default=ROOT / "build" / "screenshots" / "layout"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "gallery")
    parser.add_argument("--date", help="the date of the run (default: of its newest screenshot)")
    parser.add_argument("--max-width", type=int, default=480)
    parser.add_argument("--max-height", type=int, default=1000)
    parser.add_argument("--quality", type=int, default=50)
    args = parser.parse_args(argv)
    found = screenshots(args.source) if args.source.is_dir() else {}
    if not found:
        print(f"No screenshots in {args.source}: run the browser tests first.", file=sys.stderr)
        return 1
    newest = max(path.stat().st_mtime for paths in found.values() for path in paths.values())
    date = args.date or datetime.date.fromtimestamp(newest).isoformat()
    widths = sorted({width for paths in found.values() for width in paths})
    args.out.mkdir(parents=True, exist_ok=True)
    for old in args.out.glob("*.jpg"):
        old.unlink()
    copied = {}
    for key, paths in found.items():
        copied[key] = {}
        for width, path in paths.items():
            target = args.out / path.name
            shrink(path, target, args.max_width, args.max_height, args.quality)
            copied[key][width] = target
    (args.out / "index.md").write_text(index(copied, widths, date), encoding="utf-8")
    size = sum(path.stat().st_size for path in args.out.iterdir())
    print(f"{args.out}: {sum(map(len, copied.values()))} screenshots, {size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
