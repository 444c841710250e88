"""Loa: the core (config, text normalisation, knowledge base, store, router, command line, channels)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("loa")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0+checkout"
