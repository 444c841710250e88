"""Channels: a messenger (or the terminal) behind one contract.

A channel turns its updates into :class:`~bot.core.Incoming`, asks the router, and renders the replies the
way its messenger can (:class:`Capabilities`: buttons or numbered choices, files or a note, how long a
message may be). For the delivery loop it provides a :class:`~bot.sending.Sender`, with the messenger's
sending :class:`~bot.sending.Limits`, that maps its errors to the vocabulary of :mod:`bot.sending`. Each
channel is a package here with a ``CHANNEL`` (a :class:`Channel`) and its settings class in
``<name>/settings.py``; :func:`load_settings` reads the core settings with every channel's. ``loa run``
starts every channel whose settings say it is configured. No business rule lives in a channel.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot import config
from bot.errors import Unavailable
from bot.sending import Limits, Sender

if TYPE_CHECKING:
    import asyncio

    from bot.app import App


class ChannelStartError(Unavailable):
    """A channel cannot start (bad token, server unreachable, …); the message is one line without secrets."""


@dataclass(frozen=True)
class Capabilities:
    """What a channel can show: the shared renderer numbers choices where there are no buttons."""

    buttons: bool
    files: bool
    max_text: int


# Called by a channel once it is up: (channel name, its sender, its limits) -> what to await on the way out.
Ready = Callable[[str, Sender, Limits], Awaitable[Callable[[], Awaitable[None]]]]


@dataclass(frozen=True)
class Channel:
    """A channel as ``loa run`` sees it: its name, whether the settings configure it, and how it runs."""

    name: str
    capabilities: Capabilities
    configured: Callable[[Any], bool]  # given the Settings
    run: Callable[[App, asyncio.Event, Ready], Awaitable[None]]  # until the event is set
    secrets: Callable[[Any], list[str]] = lambda settings: []  # to mask in logs


def available() -> list[Channel]:
    """Every channel package here (each module or package with a ``CHANNEL``), in name order."""
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        channel = getattr(module, "CHANNEL", None)
        if isinstance(channel, Channel):
            found.append(channel)
    return found


def settings_classes() -> dict[str, type[config.ChannelSettings]]:
    """Each channel package's settings class (``<name>/settings.py``'s ``SETTINGS``), by channel name."""
    found: dict[str, type[config.ChannelSettings]] = {}
    for info in pkgutil.iter_modules(__path__):
        if not info.ispkg:
            continue
        try:
            module = importlib.import_module(f"{__name__}.{info.name}.settings")
        except ModuleNotFoundError:  # a channel package with no settings of its own
            continue
        found[info.name] = module.SETTINGS
    return found


def load_settings(env_file: str | os.PathLike[str] | None = ".env", **overrides: object) -> config.Settings:
    """Loa's settings with every channel's (``overrides`` as in :func:`bot.config.load_settings`)."""
    return config.load_settings(env_file, settings_classes(), **overrides)
