"""Imports, while the app registry loads the models, the module named by ``AR_HOST_IMPORTS``."""

import importlib
import os

module = os.environ.get("AR_HOST_IMPORTS")
if module:
    importlib.import_module(module)
