"""Configuration from the environment and a ``.env`` file (names fixed in DESIGN.md).

The core settings are here; each channel's settings are its own class, in ``bot/channels/<name>/settings.py``
(``LOA_TELEGRAM_*``, ``LOA_ZALO_*``), found and loaded with the core ones so that a bad value of any of them
stops Loa with one line naming the variable.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, PrivateAttr, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot import logsafe
from bot.content import default_content_dir
from bot.errors import LoaError

# -- what it says --------------------------------------------------------------------------------------------
CONFIG_BAD_URL = "địa chỉ phải bắt đầu bằng http:// hoặc https://"
CONFIG_DB_URL = "chỉ nhận đường dẫn tệp SQLite hoặc địa chỉ postgresql://người_dùng@máy:cổng/tên_csdl"
CONFIG_DB_BAD_URL = "địa chỉ PostgreSQL không hợp lệ; dạng đúng: postgresql://người_dùng@máy:cổng/tên_csdl"
CONFIG_DB_EMPTY = "đường dẫn tệp cơ sở dữ liệu trống"
CONFIG_DB_SIDE_FILE = "đây là tệp phụ của SQLite; dùng tệp cơ sở dữ liệu chính"
CONFIG_BAD_TZ = "múi giờ không hợp lệ: {value}"
CONFIG_BAD_ADMIN = "mục {item} phải có dạng kênh:mã_người_dùng, ví dụ telegram:12345"
CONFIG_NO_FOLDER = "không có thư mục {path}"
CONFIG_WHOLE = "cấu hình"
CONFIG_BAD = "Cấu hình sai: {name}: {message}"

S = TypeVar("S", bound=BaseSettings)


class ConfigError(LoaError):
    """A bad configuration value; the message is one line and never contains a secret."""


class ChannelSettings(BaseSettings):
    """What every channel's settings have: a token (set: the channel runs) and an API base URL."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    token: SecretStr | None = None
    api_url: str = ""
    webhook_url: str | None = None  # public HTTPS URL: a webhook instead of polling
    webhook_secret: SecretStr | None = None  # random per start when unset
    webhook_listen: str = "127.0.0.1"

    @field_validator("token", "webhook_url", "webhook_secret", mode="before", check_fields=False)
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("api_url", "webhook_url", check_fields=False)
    @classmethod
    def _valid_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError(CONFIG_BAD_URL)
        return value

    @property
    def configured(self) -> bool:
        return self.token is not None

    def webhook_secret_or_random(self) -> str:
        """The configured webhook secret, or a random one for this start; masked in the logs from now on."""
        secret = self.webhook_secret.get_secret_value() if self.webhook_secret else secrets.token_urlsafe(32)
        logsafe.add_secret(secret)
        return secret

    def secrets(self) -> list[str]:
        """Every secret value of this channel, for redaction from logs."""
        return [
            v.get_secret_value()
            for v in (getattr(self, name) for name in type(self).model_fields)
            if isinstance(v, SecretStr) and v.get_secret_value()
        ]


class Settings(BaseSettings):
    """Loa's settings. Secrets are ``SecretStr`` so they never print by accident."""

    model_config = SettingsConfigDict(
        env_prefix="LOA_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # A SQLite file, or a postgresql:// URL where several workers share one database.
    db: str = "./loa.db"
    content_dir: Path = Field(default_factory=default_content_dir)
    tz: str = "Asia/Ho_Chi_Minh"
    admins: str = ""
    # A scheduled send missed while the bot was down is still sent within this many hours.
    schedule_grace_hours: float = Field(default=6, ge=0, le=72)
    # Reports may be filed for the current quarter and this many quarters before it.
    report_open_quarters: int = Field(default=1, ge=0, le=8)
    # A chat sending more than this many messages a minute gets one polite line, then no answer for a while.
    flood_private_per_minute: int = Field(default=30, ge=5, le=10_000)
    flood_group_per_minute: int = Field(default=10, ge=1, le=10_000)
    # A dialog idle longer than this is put aside (a report draft is kept to resume with /baocao).
    dialog_expiry_hours: float = Field(default=24, gt=0, le=24 * 30)
    # A theme of residents' concerns rising this sharply within 7 days in a commune alerts its officers once.
    rise_mentions: int = Field(default=8, ge=2, le=10_000)
    rise_villages: int = Field(default=3, ge=1, le=1_000)
    # The question log is kept this long (the officers' inbox and statistics), then deleted.
    question_retention_days: int = Field(default=180, ge=7, le=3650)
    # The officers' web console: served by `loa web`, and by `loa run` when a port is set.
    web_port: int | None = Field(default=None, ge=1, le=65535)
    web_listen: str = "127.0.0.1"
    web_url: str | None = None  # the public base for links (https://… behind a reverse proxy)

    _channels: dict[str, ChannelSettings] = PrivateAttr(default_factory=dict)

    @field_validator("db", mode="before")
    @classmethod
    def _valid_db(cls, value: object) -> object:
        text = str(value).strip()
        if is_postgres_url(text):
            return _valid_postgres_url(text)
        if _SCHEME.match(text):  # "mysql://…", "postgresql:" … would be taken as a folder name
            raise ValueError(CONFIG_DB_URL)
        if not text:
            raise ValueError(CONFIG_DB_EMPTY)
        if text.endswith(("-wal", "-shm", "-journal")):
            raise ValueError(CONFIG_DB_SIDE_FILE)
        return str(value)

    @property
    def shared_db(self) -> bool:
        """The database is PostgreSQL (several workers may share it), not a SQLite file."""
        return is_postgres_url(self.db)

    def data_folder(self, name: str) -> Path:
        """A private folder of Loa's own files (staged imports, audio): beside the SQLite file; with
        PostgreSQL beside the content folder, which every worker shares. Made when missing."""
        beside = Path(self.content_dir if self.shared_db else self.db)
        folder = beside.resolve().parent / name
        folder.mkdir(mode=0o700, exist_ok=True)
        return folder

    @field_validator("tz")
    @classmethod
    def _valid_tz(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(CONFIG_BAD_TZ.format(value=repr(value))) from exc
        return value

    @field_validator("admins")
    @classmethod
    def _valid_admins(cls, value: str) -> str:
        for item in _split(value):
            channel, _, user = item.partition(":")
            if not channel or not user:
                raise ValueError(CONFIG_BAD_ADMIN.format(item=repr(item)))
        return value

    @field_validator("content_dir")
    @classmethod
    def _valid_content_dir(cls, value: Path) -> Path:
        if not value.is_dir():
            raise ValueError(CONFIG_NO_FOLDER.format(path=repr(str(value))))
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    def channel(self, name: str) -> Any:
        """The settings of channel ``name`` (its own class, see ``bot/channels/<name>/settings.py``)."""
        return self._channels[name]

    @property
    def channels(self) -> dict[str, ChannelSettings]:
        return dict(self._channels)

    def secrets(self) -> list[str]:
        """Every secret value configured, for redaction from logs."""
        found = [secret for channel in self._channels.values() for secret in channel.secrets()]
        password = urlsplit(self.db).password if self.shared_db else None
        return [*found, password] if password else found

    @property
    def admin_ids(self) -> frozenset[str]:
        """``channel:user_id`` strings of the configured admins."""
        return frozenset(_split(self.admins))


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")


def is_postgres_url(value: object) -> bool:
    """``LOA_DB`` names a PostgreSQL database (postgresql:// or postgres://), not a SQLite file."""
    return str(value).strip().lower().startswith(("postgresql://", "postgres://"))


def _valid_postgres_url(text: str) -> str:
    try:
        url = urlsplit(text)
        url.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        raise ValueError(CONFIG_DB_BAD_URL) from None
    if not url.path.strip("/") or url.fragment:
        raise ValueError(CONFIG_DB_BAD_URL)
    return text


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def load_settings(
    env_file: str | os.PathLike[str] | None = ".env",
    channel_kinds: Mapping[str, type[ChannelSettings]] | None = None,
    **overrides: object,
) -> Settings:
    """Read and validate the settings; raise :class:`ConfigError` with one clear line on a bad value.

    ``channel_kinds``: each channel's settings class by name (the channels package passes its own, see
    :func:`bot.channels.load_settings`: the settings know no channel). ``overrides`` use the variables'
    names without ``LOA_``: ``db=…``, ``telegram_token=…``.
    """
    kinds = dict(channel_kinds or {})
    prefixes = {f"{name}_": name for name in kinds}
    core: dict[str, object] = {}
    per_channel: dict[str, dict[str, object]] = {name: {} for name in kinds}
    for key, value in overrides.items():
        prefix = next((p for p in prefixes if key.startswith(p)), None)
        if prefix is not None:
            per_channel[prefixes[prefix]][key[len(prefix) :]] = value
        else:
            core[key] = value
    settings = _validated(Settings, "LOA_", env_file, core)
    for name, kind in kinds.items():
        settings._channels[name] = _validated(kind, f"LOA_{name.upper()}_", env_file, per_channel[name])
    return settings


def _validated(
    kind: type[S], prefix: str, env_file: str | os.PathLike[str] | None, values: dict[str, object]
) -> S:
    try:
        # pydantic-settings takes the field values as keywords beside its own underscored options.
        options: dict[str, Any] = {"_env_file": env_file, "_env_prefix": prefix, **values}
        return kind(**options)
    except ValidationError as exc:
        err = exc.errors()[0]
        name = prefix + str(err["loc"][0]).upper() if err["loc"] else CONFIG_WHOLE
        msg = str(err["msg"]).removeprefix("Value error, ")
        raise ConfigError(CONFIG_BAD.format(name=name, message=msg)) from None
