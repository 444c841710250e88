"""The welcome and its menu: shown by /start, by a greeting typed as a question, and as a way back."""

from __future__ import annotations

from bot.buttons import ButtonData, Choice
from bot.core import Incoming, Reply

# -- what it says --------------------------------------------------------------------------------------------
WELCOME = (
    "Xin chào{name}! Tôi là Loa, trợ lý hỏi đáp cho tuyên truyền viên, báo cáo viên.\n"
    "Cứ gõ câu hỏi như khi nói chuyện, có dấu hay không dấu đều được, ví dụ:\n"
    "• tinh dat bao nhieu chi tieu nam 2023\n"
    "• Kết luận 64-KL/TW ban hành ngày nào?\n"
    "Hoặc chọn bên dưới."
)
BUTTON_TOPICS = "📚 Chủ đề"
BUTTON_KEY_MESSAGES = "📢 Thông điệp chính"
BUTTON_HELP = "❓ Hướng dẫn"

# Pressed, these go to /chude, /thongdiep or /trogiup (``handlers/help.py`` declares what they do).
MENU_BUTTON = ButtonData("menu", [Choice("topics", "messages", "help")])
MENU = [
    [
        MENU_BUTTON.button(BUTTON_TOPICS, "topics"),
        MENU_BUTTON.button(BUTTON_KEY_MESSAGES, "messages"),
    ],
    [MENU_BUTTON.button(BUTTON_HELP, "help")],
]


def welcome(inc: Incoming) -> list[Reply]:
    """The welcome by name, with the menu."""
    name = f" {inc.display_name}" if inc.display_name else ""
    return [Reply(WELCOME.format(name=name), buttons=MENU)]
