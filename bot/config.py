"""Configuration from the environment and a ``.env`` file (names fixed in DESIGN.md)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.content import default_content_dir


class ConfigError(Exception):
    """A bad configuration value; the message is one line and never contains a secret."""


class Settings(BaseSettings):
    """Loa's settings. Secrets are ``SecretStr`` so they never print by accident."""

    model_config = SettingsConfigDict(
        env_prefix="LOA_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    db: Path = Field(default=Path("./loa.db"))
    content_dir: Path = Field(default_factory=default_content_dir)
    tz: str = "Asia/Ho_Chi_Minh"
    admins: str = ""
    telegram_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org/bot"
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: SecretStr | None = None
    telegram_webhook_listen: str = "127.0.0.1"
    telegram_webhook_port: int = Field(default=8443, ge=1, le=65535)
    zalo_token: SecretStr | None = None
    zalo_api_url: str = "https://bot-api.zaloplatforms.com/bot"
    zalo_webhook_url: str | None = None
    zalo_webhook_secret: SecretStr | None = None
    zalo_webhook_listen: str = "127.0.0.1"
    zalo_webhook_port: int = Field(default=8444, ge=1, le=65535)
    # A scheduled send missed while the bot was down is still sent within this many hours.
    schedule_grace_hours: float = Field(default=6, ge=0, le=72)
    # Reports may be filed for the current quarter and this many quarters before it.
    report_open_quarters: int = Field(default=1, ge=0, le=8)
    # A chat sending more than this many messages a minute gets one polite line, then no answer for a while.
    flood_private_per_minute: int = Field(default=30, ge=5, le=10_000)
    flood_group_per_minute: int = Field(default=10, ge=1, le=10_000)
    # A dialog idle longer than this is put aside (a report draft is kept to resume with /baocao).
    dialog_expiry_hours: float = Field(default=24, gt=0, le=24 * 30)
    # The question log is kept this long (the officers' inbox and statistics), then deleted.
    question_retention_days: int = Field(default=180, ge=7, le=3650)

    @field_validator("db", mode="before")
    @classmethod
    def _valid_db(cls, value: object) -> object:
        text = str(value).strip()
        if "://" in text:
            raise ValueError("chỉ nhận đường dẫn tệp SQLite (PostgreSQL chưa được hỗ trợ ở phiên bản này)")
        if not text:
            raise ValueError("đường dẫn tệp cơ sở dữ liệu trống")
        if text.endswith(("-wal", "-shm", "-journal")):
            raise ValueError("đây là tệp phụ của SQLite; dùng tệp cơ sở dữ liệu chính")
        return value

    @field_validator("tz")
    @classmethod
    def _valid_tz(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"múi giờ không hợp lệ: {value!r}") from exc
        return value

    @field_validator("admins")
    @classmethod
    def _valid_admins(cls, value: str) -> str:
        for item in _split(value):
            channel, _, user = item.partition(":")
            if not channel or not user:
                raise ValueError(f"mục {item!r} phải có dạng kênh:mã_người_dùng, ví dụ telegram:12345")
        return value

    @field_validator("telegram_api_url", "zalo_api_url", "telegram_webhook_url", "zalo_webhook_url")
    @classmethod
    def _valid_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("địa chỉ phải bắt đầu bằng http:// hoặc https://")
        return value

    @field_validator("content_dir")
    @classmethod
    def _valid_content_dir(cls, value: Path) -> Path:
        if not value.is_dir():
            raise ValueError(f"không có thư mục {str(value)!r}")
        return value

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _valid_secret(cls, value: SecretStr | None) -> SecretStr | None:
        # Telegram's rule for secret_token: 1-256 characters A-Z, a-z, 0-9, _ and -.
        if value is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value.get_secret_value()):
            raise ValueError("chỉ gồm 1-256 ký tự A-Z, a-z, 0-9, _ và -")
        return value

    @field_validator("zalo_webhook_secret")
    @classmethod
    def _valid_zalo_secret(cls, value: SecretStr | None) -> SecretStr | None:
        # Zalo's rule for secret_token: 8 to 256 characters.
        if value is not None and not 8 <= len(value.get_secret_value()) <= 256:
            raise ValueError("phải dài từ 8 đến 256 ký tự")
        return value

    @field_validator(
        "telegram_token",
        "zalo_token",
        "telegram_webhook_url",
        "telegram_webhook_secret",
        "zalo_webhook_url",
        "zalo_webhook_secret",
        mode="before",
    )
    @classmethod
    def _empty_token_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    def secrets(self) -> list[str]:
        """Every secret value configured, for redaction from logs."""
        values = [
            self.telegram_token,
            self.zalo_token,
            self.telegram_webhook_secret,
            self.zalo_webhook_secret,
        ]
        return [v.get_secret_value() for v in values if v is not None and v.get_secret_value()]

    @property
    def admin_ids(self) -> frozenset[str]:
        """``channel:user_id`` strings of the configured admins."""
        return frozenset(_split(self.admins))


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def load_settings(env_file: str | os.PathLike[str] | None = ".env", **overrides: object) -> Settings:
    """Read and validate the settings; raise :class:`ConfigError` with one clear line on a bad value."""
    try:
        return Settings(_env_file=env_file, **overrides)  # type: ignore[call-arg]
    except ValidationError as exc:
        err = exc.errors()[0]
        name = "LOA_" + str(err["loc"][0]).upper() if err["loc"] else "cấu hình"
        msg = str(err["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"Cấu hình sai: {name}: {msg}") from None
