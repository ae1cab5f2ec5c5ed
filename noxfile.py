"""The test matrix: Python 3.10-3.13 x Wagtail 7.4 LTS / 8.x x Django 5.2 / 6.1.

    nox                      # the full matrix (10 sessions, a few minutes each on 2 cores)
    nox -s oldest newest     # the two corners CI runs (.ci/run: legs 2 and 3)
    nox -s "tests(3.12-wagtail8-django6.1)" -- -x tests/test_fuzz.py   # one, with pytest args

Each session installs the package with its ``test`` extra and the pinned Wagtail and Django into a
fresh virtualenv and runs ``pytest -m "not slow and not browser"`` (the packaging and browser
tests need the tools of the main CI job). ``DATABASE_URL`` is passed through: SQLite by default,
PostgreSQL when set.

Combinations the projects do not support are left out: Wagtail 7.4 stops at Django 6.0 (its
classifiers: 5.2, 6.0), and Django 6.x needs Python 3.12 or newer. Interpreters are looked up on
``PATH`` and in ``~/.pyenv/versions``.
"""

import os
from pathlib import Path

import nox

nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["tests"]
# A leg whose interpreter is missing fails instead of being skipped.
nox.options.error_on_missing_interpreters = True

PYTHONS = ["3.10", "3.11", "3.12", "3.13"]
WAGTAIL = {"7.4": "wagtail>=7.4,<7.5", "8": "wagtail>=8.0,<9"}
DJANGO = {"5.2": "Django>=5.2,<5.3", "6.1": "Django>=6.1,<6.2"}
# Two pytest-xdist workers, as scripts/test: the machines here have 2 cores.
PYTEST_ARGS = [
    "-n",
    "2",
    "--dist",
    "loadfile",
    "-m",
    "not slow and not browser",
    "-p",
    "no:cacheprovider",
    "-q",
]

# pyenv's interpreters, without needing its shims.
_pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
if _pyenv.is_dir():
    os.environ["PATH"] = os.pathsep.join(
        [*(str(p / "bin") for p in sorted(_pyenv.iterdir())), os.environ.get("PATH", "")]
    )


def supported(python, wagtail, django):
    if wagtail == "7.4" and django == "6.1":
        return False
    return not (django.startswith("6.") and python in ("3.10", "3.11"))


MATRIX = [
    (python, wagtail, django)
    for python in PYTHONS
    for wagtail in WAGTAIL
    for django in DJANGO
    if supported(python, wagtail, django)
]


def run_suite(session, wagtail, django):
    session.install("-e", ".[test]", WAGTAIL[wagtail], DJANGO[django])
    session.run(
        "python",
        "-c",
        "import django, wagtail, sys; print('Python', sys.version.split()[0], "
        "'Django', django.get_version(), 'Wagtail', wagtail.__version__)",
    )
    session.run("python", "-m", "pytest", *PYTEST_ARGS, *session.posargs)


@nox.session
@nox.parametrize(
    "python,wagtail,django",
    MATRIX,
    ids=[f"{p}-wagtail{w}-django{d}" for p, w, d in MATRIX],
)
def tests(session, wagtail, django):
    """One cell of the matrix."""
    run_suite(session, wagtail, django)


# The two corners of the matrix, the ones CI runs (.ci/run): (python, wagtail, django).
OLDEST = MATRIX[0]
NEWEST = MATRIX[-1]
assert OLDEST == ("3.10", "7.4", "5.2"), OLDEST
assert NEWEST == ("3.13", "8", "6.1"), NEWEST


@nox.session(python=OLDEST[0])
def oldest(session):
    """The oldest corner: Python 3.10, Wagtail 7.4 LTS, Django 5.2."""
    run_suite(session, *OLDEST[1:])


@nox.session(python=NEWEST[0])
def newest(session):
    """The newest corner: Python 3.13, Wagtail 8, Django 6.1."""
    run_suite(session, *NEWEST[1:])
