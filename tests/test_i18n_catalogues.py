"""The message catalogues of every shipped language are complete, correct and compiled.

The strings of the package are extracted afresh with Django's ``makemessages`` from a copy of
the package in a temporary folder (nothing is written into the package), and every shipped
catalogue is compared with them:

- every string the package marks has an entry (a missing one: run ``makemessages`` and
  translate it);
- every entry is translated: no empty ``msgstr``, no ``fuzzy`` flag, every plural form the
  language's ``Plural-Forms`` asks for (English, the source language, may leave ``msgstr``
  empty: gettext then shows the ``msgid``);
- a translation keeps the placeholders of its ``msgid``: ``%(name)s`` in python-format strings,
  ``{name}`` (filled in by the map's script), so that no value is lost or breaks the page;
- the compiled ``.mo`` holds exactly what the ``.po`` holds (compared by content: checkouts do
  not keep file times).

A failure lists, per language, what is wrong.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "wagtail_ar"
LOCALE = PACKAGE / "locale"
SOURCE_LANGUAGE = "en"
LANGUAGES = ["en", "fr", "es", "it", "el", "hr", "sl", "pt", "ar"]
SHOWN = 15  # problems listed per language and kind

PYTHON_FORMAT = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
BRACES = re.compile(r"\{(\w+)\}")


def key(entry):
    return (entry.msgctxt or "", entry.msgid)


def label(entry_key):
    context, msgid = entry_key
    text = msgid if len(msgid) <= 70 else msgid[:67] + "…"
    return f"[{context}] {text!r}" if context else repr(text)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The catalogue ``makemessages`` makes now from a copy of the package: ``{key: entry}``."""
    copy = tmp_path_factory.mktemp("extract") / "wagtail_ar"
    shutil.copytree(
        PACKAGE,
        copy,
        ignore=shutil.ignore_patterns("locale", "__pycache__", "*.pyc", "vendor", "migrations"),
    )
    (copy / "locale").mkdir()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "--locale",
            SOURCE_LANGUAGE,
            "--domain",
            "django",
            "--no-location",
            "--no-wrap",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env={
            **__import__("os").environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "PYTHONPATH": str(PACKAGE.parent),
        },
    )
    catalogue = polib.pofile(str(copy / "locale" / SOURCE_LANGUAGE / "LC_MESSAGES" / "django.po"))
    entries = {key(entry): entry for entry in catalogue if not entry.obsolete}
    assert len(entries) > 300, "makemessages found too few strings: is the package there?"
    return entries


def nplurals(catalogue):
    match = re.search(r"nplurals\s*=\s*(\d+)", catalogue.metadata.get("Plural-Forms", ""))
    return int(match.group(1)) if match else None


def placeholders(text):
    return set(PYTHON_FORMAT.findall(text)), set(BRACES.findall(text))


def placeholder_problem(entry, translations):
    """What a translation loses or invents of the ``msgid``'s placeholders, or ``None``."""
    wanted_format, wanted_braces = placeholders(entry.msgid)
    if entry.msgid_plural:
        plural_format, plural_braces = placeholders(entry.msgid_plural)
        wanted_format |= plural_format
        wanted_braces |= plural_braces
    python_format = "python-format" in entry.flags or bool(wanted_format)
    for text in translations:
        if not text:
            continue
        found_format, found_braces = placeholders(text)
        missing = (wanted_format - found_format if python_format else set()) | (
            wanted_braces - found_braces
        )
        # A plural form may leave out the count (“one cluster”), never a named value.
        if entry.msgid_plural:
            missing -= {"count", "counter"}
        invented = (found_format - wanted_format) | (found_braces - wanted_braces)
        if missing or invented:
            return f"missing {sorted(missing)}, unknown {sorted(invented)} in {text!r}"
    return None


def problems_of(language, extracted):
    po_path = LOCALE / language / "LC_MESSAGES" / "django.po"
    if not po_path.exists():
        return [f"no catalogue at {po_path.relative_to(PACKAGE.parent)}"]
    catalogue = polib.pofile(str(po_path))
    entries = {key(entry): entry for entry in catalogue if not entry.obsolete}
    plural_count = nplurals(catalogue)
    kinds = {
        "missing (run makemessages)": [],
        "untranslated": [],
        "fuzzy": [],
        "plural forms missing": [],
        "placeholders": [],
    }
    if plural_count is None:
        kinds["plural forms missing"].append("no Plural-Forms header")
    for entry_key, source in extracted.items():
        entry = entries.get(entry_key)
        if entry is None:
            kinds["missing (run makemessages)"].append(label(entry_key))
            continue
        if "fuzzy" in entry.flags:
            kinds["fuzzy"].append(label(entry_key))
        if source.msgid_plural:
            forms = entry.msgstr_plural
            translations = [forms.get(index, "") for index in range(plural_count or 0)]
            if language != SOURCE_LANGUAGE or any(translations):
                if len([text for text in forms.values() if text]) < (plural_count or 0):
                    kinds["plural forms missing"].append(
                        f"{label(entry_key)}: {len(forms)} of {plural_count}"
                    )
        else:
            translations = [entry.msgstr]
            if not entry.msgstr and language != SOURCE_LANGUAGE:
                kinds["untranslated"].append(label(entry_key))
        problem = placeholder_problem(source, translations)
        if problem:
            kinds["placeholders"].append(f"{label(entry_key)}: {problem}")

    lines = []
    for kind, items in kinds.items():
        if items:
            shown = "; ".join(items[:SHOWN]) + (
                f"; and {len(items) - SHOWN} more" if len(items) > SHOWN else ""
            )
            lines.append(f"{len(items)} {kind}: {shown}")
    lines.extend(mo_problems(po_path, catalogue))
    return lines


def compiled(entries):
    """``{(context, msgid): translation(s)}`` of the translated, non-fuzzy entries: what a
    ``.mo`` compiled from them holds."""
    result = {}
    for entry in entries:
        if entry.obsolete or "fuzzy" in entry.flags or not entry.msgid:
            continue
        if entry.msgid_plural:
            forms = tuple(text for _index, text in sorted(entry.msgstr_plural.items()))
            if any(forms):
                result[key(entry)] = forms
        elif entry.msgstr:
            result[key(entry)] = entry.msgstr
    return result


def mo_problems(po_path, catalogue):
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        return ["no compiled .mo: run compilemessages"]
    in_po, in_mo = compiled(catalogue), compiled(polib.mofile(str(mo_path)))
    if in_po == in_mo:
        return []
    differ = sorted(
        entry_key
        for entry_key in in_po.keys() | in_mo.keys()
        if in_po.get(entry_key) != in_mo.get(entry_key)
    )
    shown = "; ".join(label(entry_key) for entry_key in differ[:5])
    return [f"the .mo is out of date ({len(differ)} entries differ: {shown}): compilemessages"]


def test_every_shipped_language_translates_every_string(extracted):
    report = {language: problems_of(language, extracted) for language in LANGUAGES}
    failing = {language: lines for language, lines in report.items() if lines}
    assert not failing, "\n".join(
        f"{language}:\n  " + "\n  ".join(lines) for language, lines in failing.items()
    )


def test_the_checks_catch_a_broken_catalogue(extracted, tmp_path, monkeypatch):
    """The checks can fail: a copy of the French catalogue with an empty, a fuzzy, a missing
    entry, a lost placeholder and a stale .mo is reported for each."""
    source = polib.pofile(str(LOCALE / "fr" / "LC_MESSAGES" / "django.po"))
    singular = [e for e in source if not e.msgid_plural and "%(" in e.msgid and e.msgstr]
    plain = [e for e in source if not e.msgid_plural and "%(" not in e.msgid and e.msgstr]
    singular[0].msgstr = "sans valeur"  # a placeholder lost
    plain[0].msgstr = ""  # untranslated
    plain[1].flags.append("fuzzy")
    source.remove(plain[2])  # missing
    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    source.save(str(folder / "django.po"))
    shutil.copy(LOCALE / "fr" / "LC_MESSAGES" / "django.mo", folder / "django.mo")
    monkeypatch.setattr(sys.modules[__name__], "LOCALE", tmp_path)
    lines = problems_of("fr", extracted)

    def line(kind):
        return next((text for text in lines if kind in text), "")

    # Other strings may be missing too while the catalogues catch up: look for these ones.
    assert label(key(plain[2])) in line("missing (run makemessages)"), lines
    assert label(key(plain[0])) in line("untranslated"), lines
    assert label(key(plain[1])) in line("fuzzy"), lines
    assert label(key(singular[0])) in line("placeholders"), lines
    assert ".mo is out of date" in line(".mo"), lines
