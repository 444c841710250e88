"""Loa's Telegram channel as `loa run` runs it, with Telegram's send-rate limits lifted for benchmarking.

LOA_TELEGRAM_TOKEN=... LOA_TELEGRAM_API_URL=... LOA_DB=... python bench/loa_telegram_runner.py
"""

import asyncio
import sys
from pathlib import Path

# bench/telegram.py would shadow the `telegram` package: drop this folder from the import path.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from telegram.ext import AIORateLimiter

from bot.app import App, long_lived
from bot.channels import (
    load_settings,
    telegram,
)


async def main() -> None:
    app = await App.open(load_settings())
    try:
        with long_lived():  # as `loa run` serves
            await telegram.run(
                app, rate_limiter=AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=3)
            )
    finally:
        await app.close()


if __name__ == "__main__":
    asyncio.run(main())
