"""One `loa run` worker (bot.serve: Telegram in webhook mode, the scheduler under the leader lock), with
Telegram's limits multiplied by SCALE in both python-telegram-bot's limiter and the engine's pacing, so that
bench/workers.py's and bench/broadcast.py's broadcasts take seconds. SCALE 0 lifts the limits (the webhook
throughput runs). Without the webhook variables it polls, as a one-machine `loa run` does.

LOA_DB=… LOA_TELEGRAM_TOKEN=… LOA_TELEGRAM_API_URL=… LOA_TELEGRAM_WEBHOOK_*=… \
    python bench/worker_runner.py SCALE
"""

import asyncio
import functools
import logging
import sys
from pathlib import Path

# bench/telegram.py would shadow the `telegram` package: drop this folder from the import path.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from telegram.ext import AIORateLimiter

import bot.channels.telegram as telegram_channel
from bot import serve
from bot.app import App
from bot.channels import load_settings
from bot.sending import Limits


async def main() -> None:
    scale = float(sys.argv[1])
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    if scale:
        telegram_channel.Limits = functools.partial(
            Limits, per_second=30 * scale, group_per_minute=20 * scale
        )
        # Retries as `loa run`'s own limiter does: an answer asked to wait is sent after the wait.
        limiter = AIORateLimiter(
            overall_max_rate=30 * scale, group_max_rate=20 * scale, group_time_period=60, max_retries=3
        )
    else:
        telegram_channel.Limits = functools.partial(Limits, per_second=100_000, group_per_minute=100_000)
        limiter = AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=3)
    original = telegram_channel.run
    telegram_channel.run = functools.partial(original, rate_limiter=limiter)  # type: ignore[assignment]
    app = await App.open(load_settings())
    try:
        await serve.serve(app)
    finally:
        await app.close()


if __name__ == "__main__":
    asyncio.run(main())
