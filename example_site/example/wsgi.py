"""WSGI config for the example site.

It exposes the WSGI callable as a module-level variable named ``application``.
"""

import os
import sys
from pathlib import Path

SITE_DIR = Path(__file__).resolve().parent.parent
for path in (str(SITE_DIR), str(SITE_DIR.parent)):
    if path not in sys.path:
        sys.path.insert(0, path)

from django.core.wsgi import get_wsgi_application  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example.settings")

application = get_wsgi_application()
