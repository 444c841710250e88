"""The Zalo channel's settings: ``LOA_ZALO_*``."""

from __future__ import annotations

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import SettingsConfigDict

from bot.config import ChannelSettings

# -- what it says --------------------------------------------------------------------------------------------
CONFIG_ZALO_SECRET = "phải dài từ 8 đến 256 ký tự"


class ZaloSettings(ChannelSettings):
    model_config = SettingsConfigDict(env_prefix="LOA_ZALO_")

    api_url: str = "https://bot-api.zaloplatforms.com/bot"
    webhook_port: int = Field(default=8444, ge=1, le=65535)

    @field_validator("webhook_secret")
    @classmethod
    def _valid_secret(cls, value: SecretStr | None) -> SecretStr | None:
        # Zalo's rule for secret_token: 8 to 256 characters.
        if value is not None and not 8 <= len(value.get_secret_value()) <= 256:
            raise ValueError(CONFIG_ZALO_SECRET)
        return value


SETTINGS = ZaloSettings
