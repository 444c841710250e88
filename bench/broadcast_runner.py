"""The broadcast engine as `loa run` drives it, in its own process (so bench/broadcast.py can kill -9 it).

LOA_TELEGRAM_TOKEN=... LOA_TELEGRAM_API_URL=... LOA_DB=... python bench/broadcast_runner.py SCALE
"""

import asyncio
import sys
from pathlib import Path

# bench/telegram.py would shadow the `telegram` package: drop this folder from the import path.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from telegram.ext import AIORateLimiter

from bot.app import App
from bot.channels import load_settings
from bot.channels.telegram import TelegramChannel, TelegramSender
from bot.sending import Limits
from scheduler.delivery import Engine


async def main() -> None:
    scale = float(sys.argv[1])
    app = await App.open(load_settings())
    # Telegram's limits times the scale, both in python-telegram-bot's limiter and in the engine's pacing.
    limiter = AIORateLimiter(
        overall_max_rate=30 * scale,
        overall_time_period=1,
        group_max_rate=20 * scale,
        group_time_period=60,
        max_retries=0,
    )
    application = TelegramChannel(app).build(limiter)
    await application.initialize()
    try:
        print(f"recovered {await app.db.broadcasts.recover()} deliveries in flight", flush=True)
        engine = Engine(
            app,
            {"telegram": TelegramSender(application.bot)},
            {"telegram": Limits(per_second=30 * scale, group_per_minute=20 * scale)},
            workers=32,
            backoff=0.2,
        )
        while await engine.run_due():
            pass
    finally:
        await application.shutdown()
        await app.close()


if __name__ == "__main__":
    asyncio.run(main())
