"""The Telegram channel's settings: ``LOA_TELEGRAM_*``."""

from __future__ import annotations

import re

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import SettingsConfigDict

from bot.config import ChannelSettings

# -- what it says --------------------------------------------------------------------------------------------
CONFIG_TELEGRAM_SECRET = "chỉ gồm 1-256 ký tự A-Z, a-z, 0-9, _ và -"


class TelegramSettings(ChannelSettings):
    model_config = SettingsConfigDict(env_prefix="LOA_TELEGRAM_")

    api_url: str = "https://api.telegram.org/bot"
    webhook_port: int = Field(default=8443, ge=1, le=65535)

    @field_validator("webhook_secret")
    @classmethod
    def _valid_secret(cls, value: SecretStr | None) -> SecretStr | None:
        # Telegram's rule for secret_token: 1-256 characters A-Z, a-z, 0-9, _ and -.
        if value is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value.get_secret_value()):
            raise ValueError(CONFIG_TELEGRAM_SECRET)
        return value


SETTINGS = TelegramSettings
