"""System checks of wagtail_ar (``manage.py check``), registered in ``WagtailARAppConfig.ready()``.

Each check is a function of Django's check framework and may be called directly (the tests do).
The ids and their rules are listed in docs/deployment.md ("System checks"). Every check reads the
settings when it runs, never at import, and reports a broken configuration as a message: a check
must not crash ``manage.py check``.
"""

import warnings
from urllib.parse import urlsplit

import django
from django.apps import apps
from django.conf import settings
from django.core.checks import Error, Tags
from django.core.checks import Warning as CheckWarning

from .conf import settings as ar_settings

# What the package imports, renders or registers with: without one of these apps the pages,
# their templates or the admin fail at run time, not at start.
REQUIRED_APPS = [
    "wagtail",
    "wagtail.admin",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.snippets",
    "modelcluster",
    "taggit",
    "wagtailgeowidget",
    "django_countries",
]

DJANGO_DEFAULT_FROM_EMAIL = "webmaster@localhost"
PER_PROCESS_CACHE = "django.core.cache.backends.locmem.LocMemCache"
DUMMY_MAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
# Deepest extends chain followed before the base template is reported as a loop.
MAX_EXTENDS_DEPTH = 20


def check_required_apps(app_configs=None, **kwargs):
    """wagtail_ar.E001: an app the package needs is not in ``INSTALLED_APPS``."""
    return [
        Error(
            f"wagtail_ar needs the app '{name}', which is not in INSTALLED_APPS.",
            hint=f"Add '{name}' to INSTALLED_APPS (see README.md, 'Install').",
            id="wagtail_ar.E001",
        )
        for name in REQUIRED_APPS
        if not apps.is_installed(name)
    ]


def _base_template_error(message, hint, check_id):
    return Error(message, hint=hint, obj="WAGTAIL_AR_BASE_TEMPLATE", id=check_id)


def _block_names(template):
    """The ``{% block %}`` names of a compiled Django template and of every template it
    extends. Returns ``(names, problem, broken)``: ``problem`` is a sentence when the chain could
    not be followed to its end, ``broken`` tells whether a parent failed to load or compile (not
    merely chosen at render time)."""
    from django.template.loader_tags import BlockNode, ExtendsNode

    names = set()
    history = []
    for _depth in range(MAX_EXTENDS_DEPTH):
        names.update(node.name for node in template.nodelist.get_nodes_by_type(BlockNode))
        history.append(template.origin)
        extends = template.nodelist.get_nodes_by_type(ExtendsNode)
        if not extends:
            return names, None, False
        parent = extends[0].parent_name
        if parent.is_var or not isinstance(parent.var, str):
            problem = f"'{template.origin.template_name}' extends a template chosen at render time"
            return names, problem, False
        try:
            template, _origin = template.engine.find_template(parent.var, skip=history)
        except Exception as error:  # any loading error is reported, not raised
            problem = (
                f"its parent '{parent.var}' cannot be loaded ({type(error).__name__}: {error})"
            )
            return names, problem, True
    return names, f"its extends chain is longer than {MAX_EXTENDS_DEPTH} templates (a loop?)", True


def check_base_template(app_configs=None, **kwargs):
    """wagtail_ar.E002: ``WAGTAIL_AR_BASE_TEMPLATE`` is not found by the template loaders;
    wagtail_ar.E003: it is found but has no ``{% block content %}`` in its extends chain;
    wagtail_ar.E005: it (or a template it extends) cannot be loaded or compiled."""
    from django.template import TemplateDoesNotExist, TemplateSyntaxError
    from django.template.loader import get_template

    name = ar_settings.BASE_TEMPLATE
    hint = (
        "Set WAGTAIL_AR_BASE_TEMPLATE to your site's base template, which every page of "
        "wagtail_ar extends and which must have a {% block content %}."
    )
    if not isinstance(name, str) or not name:
        return [
            _base_template_error(
                f"WAGTAIL_AR_BASE_TEMPLATE must be a template name, not {name!r}.",
                hint,
                "wagtail_ar.E002",
            )
        ]
    try:
        template = get_template(name)
    except TemplateDoesNotExist:
        return [
            _base_template_error(
                f"The base template '{name}' (WAGTAIL_AR_BASE_TEMPLATE) is not found by the "
                "template loaders.",
                hint + " Check TEMPLATES (DIRS, APP_DIRS) if the file exists.",
                "wagtail_ar.E002",
            )
        ]
    except TemplateSyntaxError as error:
        return [
            _base_template_error(
                f"The base template '{name}' (WAGTAIL_AR_BASE_TEMPLATE) cannot be compiled: {error}",
                "Fix the template's syntax; every page of wagtail_ar renders inside it.",
                "wagtail_ar.E005",
            )
        ]
    except Exception as error:  # a broken template is a message, not a crash
        return [
            _base_template_error(
                f"The base template '{name}' (WAGTAIL_AR_BASE_TEMPLATE) cannot be loaded: "
                f"{type(error).__name__}: {error}",
                "Fix the template or the TEMPLATES setting.",
                "wagtail_ar.E005",
            )
        ]
    compiled = getattr(template, "template", None)
    if compiled is None or not hasattr(compiled, "nodelist"):
        return []  # another template engine (Jinja2…): its blocks cannot be read here
    names, problem, broken = _block_names(compiled)
    if "content" in names:
        return []
    if problem and not broken:
        return []  # a parent chosen at render time may well have the block: nothing to tell
    if problem:
        return [
            _base_template_error(
                f"The base template '{name}' (WAGTAIL_AR_BASE_TEMPLATE) cannot be checked for "
                f"a {{% block content %}}: {problem}.",
                "Fix the templates it extends; every page of wagtail_ar renders inside them.",
                "wagtail_ar.E005",
            )
        ]
    return [
        _base_template_error(
            f"The base template '{name}' (WAGTAIL_AR_BASE_TEMPLATE) has no {{% block content %}}, "
            "neither itself nor any template it extends: the pages of wagtail_ar would render empty.",
            "Add {% block content %}{% endblock %} where the page's content belongs.",
            "wagtail_ar.E003",
        )
    ]


def check_cache(app_configs=None, **kwargs):
    """wagtail_ar.E004: ``WAGTAIL_AR_CACHE_ALIAS`` is not in ``CACHES``;
    wagtail_ar.W003: it is a per-process memory cache while ``DEBUG`` is off."""
    alias = ar_settings.CACHE_ALIAS
    caches = getattr(settings, "CACHES", {}) or {}
    if alias not in caches:
        return [
            Error(
                f"WAGTAIL_AR_CACHE_ALIAS is {alias!r}, which is not an alias of CACHES "
                f"({', '.join(map(repr, caches)) or 'none'}).",
                hint="Set WAGTAIL_AR_CACHE_ALIAS to one of the keys of CACHES, or add it there.",
                obj="WAGTAIL_AR_CACHE_ALIAS",
                id="wagtail_ar.E004",
            )
        ]
    backend = (caches[alias] or {}).get("BACKEND", "")
    if backend == PER_PROCESS_CACHE and not settings.DEBUG and ar_settings.CACHE_TIMEOUT:
        return [
            CheckWarning(
                f"wagtail_ar caches in {alias!r}, a local-memory cache: each process has its "
                "own, and an edit clears only the cache of the process that saved it, so the "
                "other processes serve stale listings, feeds and maps for up to "
                "WAGTAIL_AR_CACHE_TIMEOUT seconds.",
                hint=(
                    "Served by more than one process, use a shared cache (Redis, Memcached, "
                    "database) for WAGTAIL_AR_CACHE_ALIAS; served by one process, silence "
                    "this warning (SILENCED_SYSTEM_CHECKS)."
                ),
                obj="WAGTAIL_AR_CACHE_ALIAS",
                id="wagtail_ar.W003",
            )
        ]
    return []


def _mail_backend():
    """The dotted path of the default mailer: ``MAILERS["default"]`` on Django 6.1 and newer
    when set, else ``EMAIL_BACKEND`` (read without its deprecation warning)."""
    if django.VERSION >= (6, 1) and settings.is_overridden("MAILERS"):
        mailers = getattr(settings, "MAILERS", None) or {}
        default = mailers.get("default") or {}
        return default.get("BACKEND", "") if isinstance(default, dict) else ""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return getattr(settings, "EMAIL_BACKEND", "") or ""


def check_mail(app_configs=None, **kwargs):
    """wagtail_ar.W001: ``DEFAULT_FROM_EMAIL`` is still Django's ``webmaster@localhost``;
    wagtail_ar.W005: the default mailer is the dummy backend, which discards every message."""
    messages = []
    if getattr(settings, "DEFAULT_FROM_EMAIL", DJANGO_DEFAULT_FROM_EMAIL) in (
        DJANGO_DEFAULT_FROM_EMAIL,
        "",
        None,
    ):
        messages.append(
            CheckWarning(
                "DEFAULT_FROM_EMAIL is Django's default 'webmaster@localhost': the forum's "
                "mails (to moderators, reply confirmations, forwarded replies) would come from "
                "an address that mail servers refuse or file as spam.",
                hint="Set DEFAULT_FROM_EMAIL to an address of your site's domain.",
                obj="DEFAULT_FROM_EMAIL",
                id="wagtail_ar.W001",
            )
        )
    if _mail_backend() == DUMMY_MAIL_BACKEND:
        messages.append(
            CheckWarning(
                "The e-mail backend is Django's dummy backend, which discards every message: "
                "forum moderators are never told of new posts and replies can never be confirmed.",
                hint=(
                    "Configure a backend that delivers (SMTP) or, in development, the console "
                    "backend."
                ),
                obj="MAILERS" if django.VERSION >= (6, 1) else "EMAIL_BACKEND",
                id="wagtail_ar.W005",
            )
        )
    return messages


def check_admin_base_url(app_configs=None, **kwargs):
    """wagtail_ar.W002: ``WAGTAILADMIN_BASE_URL`` is missing, empty or not an http(s) URL."""
    base_url = getattr(settings, "WAGTAILADMIN_BASE_URL", None)
    if isinstance(base_url, str) and base_url:
        parts = urlsplit(base_url)
        if parts.scheme in ("http", "https") and parts.netloc:
            return []
    return [
        CheckWarning(
            f"WAGTAILADMIN_BASE_URL is {base_url!r}, not an absolute http(s) URL: the links to the "
            "admin in the forum moderators' mails fall back to the forum's site root URL, and "
            "are missing when that is not set either.",
            hint="Set WAGTAILADMIN_BASE_URL to the admin's address, such as 'https://example.org'.",
            obj="WAGTAILADMIN_BASE_URL",
            id="wagtail_ar.W002",
        )
    ]


def check_tile_url(app_configs=None, **kwargs):
    """wagtail_ar.W004: ``WAGTAIL_AR_TILE_URL`` lacks one of ``{z}``, ``{x}``, ``{y}`` or is an
    address of another scheme than http(s) (a relative path or ``//host/…`` is fine; ``None``
    means no tiles, the base map alone)."""
    url = ar_settings.TILE_URL
    if url is None:
        # No tile server: the maps show the base map alone (WAGTAIL_AR_BASE_MAP).
        return []
    problems = []
    if not isinstance(url, str):
        problems.append(f"it is {url!r}, not a string")
    else:
        missing = [part for part in ("{z}", "{x}", "{y}") if part not in url]
        if missing:
            problems.append(f"it has no {', '.join(missing)}")
        scheme = urlsplit(url).scheme
        if scheme and scheme not in ("http", "https"):
            problems.append(f"its scheme is '{scheme}', which browsers do not fetch tiles from")
    if not problems:
        return []
    return [
        CheckWarning(
            f"WAGTAIL_AR_TILE_URL is not an XYZ tile URL: {'; '.join(problems)}. The maps would "
            "show no tiles.",
            hint="Use an address such as 'https://tile.openstreetmap.org/{z}/{x}/{y}.png'.",
            obj="WAGTAIL_AR_TILE_URL",
            id="wagtail_ar.W004",
        )
    ]


def register():
    """Register every check with Django (called by ``WagtailARAppConfig.ready()``)."""
    from django.core.checks import register as register_check

    register_check(check_required_apps, "wagtail_ar")
    register_check(check_base_template, "wagtail_ar", Tags.templates)
    register_check(check_cache, "wagtail_ar", Tags.caches)
    register_check(check_mail, "wagtail_ar")
    register_check(check_admin_base_url, "wagtail_ar")
    register_check(check_tile_url, "wagtail_ar")
