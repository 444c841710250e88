"""A bare python-telegram-bot echo bot: the baseline of bench/telegram.py.

python bench/echo_bot.py TOKEN BASE_URL
"""

import sys
from pathlib import Path

# bench/telegram.py would shadow the `telegram` package: drop this folder from the import path.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from telegram import Update
from telegram.ext import AIORateLimiter, ApplicationBuilder, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text(update.effective_message.text)


def main() -> None:
    token, base_url = sys.argv[1], sys.argv[2]
    # Same rate limiter class as Loa, with the same lifted limits, so only the pipelines differ.
    limiter = AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=3)
    application = ApplicationBuilder().token(token).base_url(base_url).rate_limiter(limiter).build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.run_polling(allowed_updates=["message"], timeout=20)


if __name__ == "__main__":
    main()
