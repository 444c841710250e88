"""User-facing features, one module each; channel-agnostic (no messenger library is imported here).

Each module declares itself with a ``FEATURE`` (:mod:`bot.feature`); the router, the help text and the
Telegram menus are collected from :func:`features`. A new feature is a new module here, nothing more.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil

from bot.feature import Feature


@functools.cache
def features() -> tuple[Feature, ...]:
    """Every module's FEATURE, in their declared order."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        feature = getattr(importlib.import_module(f"{__name__}.{info.name}"), "FEATURE", None)
        if isinstance(feature, Feature):
            found.append(feature)
    return tuple(sorted(found, key=lambda f: (f.order, f.name)))
