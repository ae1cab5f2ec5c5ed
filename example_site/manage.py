#!/usr/bin/env python
"""Django's command-line utility for the example site of wagtail-amplification-room.

Runs from anywhere: ``python example_site/manage.py migrate`` from the repository root works
as well as ``python manage.py migrate`` from this folder.
"""

import os
import sys
from pathlib import Path

SITE_DIR = Path(__file__).resolve().parent
REPO_DIR = SITE_DIR.parent


def main():
    # example_site/ holds the project (example) and its app (demo); the repository root holds
    # wagtail_ar, for a checkout where the package is not installed with pip.
    for path in (str(SITE_DIR), str(REPO_DIR)):
        if path not in sys.path:
            sys.path.insert(0, path)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example.settings")
    try:
        from django.core.management import execute_from_command_line
    except ImportError as exc:
        raise ImportError(
            "Couldn't import Django. Are you sure it's installed and available on your "
            "PYTHONPATH environment variable? Did you forget to activate a virtual environment? "
            "scripts/demo creates one and installs everything."
        ) from exc
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
