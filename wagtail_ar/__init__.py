"""The Amplification Room of the Interreg Euro-MED Natural Heritage Mission, for Wagtail."""

__version__ = "0.1.0"
