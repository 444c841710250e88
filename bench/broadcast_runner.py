"""The broadcast engine as `loa run` drives it, in its own process (so bench/broadcast.py can kill -9 it).

LOA_TELEGRAM_TOKEN=... LOA_TELEGRAM_API_URL=... LOA_DB=... python bench/broadcast_runner.py SCALE

Its last line counts the statements the engine sent to the database per delivery sent.
"""

import asyncio
import functools
import sys
from pathlib import Path

# bench/telegram.py would shadow the `telegram` package: drop this folder from the import path.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import App
from bot.channels import load_settings
from bot.channels.telegram import TelegramSender, sending_bot
from bot.sending import Limits
from scheduler.delivery import Engine


def count_statements(db: object) -> list[int]:
    """Wrap the database's statement methods on this instance to count the round trips made through them."""
    count = [0]
    for name in ("execute", "execute_returning", "fetch_rows", "defer"):
        original = getattr(db, name)

        async def counted(*args, _original=original, **kwargs):
            count[0] += 1
            return await _original(*args, **kwargs)

        setattr(db, name, functools.wraps(original)(counted))
    return count


async def main() -> None:
    scale = float(sys.argv[1])
    app = await App.open(load_settings())
    # The engine's own bot, as `loa run` gives it; Telegram's limits times the scale in its pacing.
    bot = await sending_bot(app)
    try:
        print(f"recovered {await app.db.broadcasts.recover()} deliveries in flight", flush=True)
        engine = Engine(
            app,
            {"telegram": TelegramSender(bot)},
            {"telegram": Limits(per_second=30 * scale, group_per_minute=20 * scale)},
            backoff=1 / scale,  # its back-off sped up like the rest of Telegram
        )
        statements = count_statements(app.db)
        sent = 0
        while n := await engine.run_due():
            sent += n
        print(f"statements per delivery {statements[0] / max(sent, 1):.3f}", flush=True)
    finally:
        await bot.shutdown()
        await app.close()


if __name__ == "__main__":
    asyncio.run(main())
