"""Host (b): a base template with only a title and a content block, and its scripts in a block
of its own name (``page_scripts``): no ``extra_css``, no ``extra_js``, no tag of ours."""

from .settings_base import *  # noqa: F403
