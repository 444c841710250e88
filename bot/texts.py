"""Every Vietnamese sentence Loa says, in one place (so wording is reviewed and changed here only)."""

from __future__ import annotations

MAX_QUESTION_CHARS = 500

WELCOME = (
    "Xin chào{name}! Tôi là Loa, trợ lý hỏi đáp cho tuyên truyền viên, báo cáo viên.\n"
    "Cứ gõ câu hỏi như khi nói chuyện, có dấu hay không dấu đều được, ví dụ:\n"
    "• tinh dat bao nhieu chi tieu nam 2023\n"
    "• Kết luận 64-KL/TW ban hành ngày nào?\n"
    "Hoặc chọn bên dưới."
)
HELP = (
    "Cách dùng Loa:\n"
    "• Gõ câu hỏi bất kỳ về hướng dẫn tuyên truyền kết quả kinh tế - xã hội năm 2023, nhiệm vụ năm 2024 "
    "(không dấu, viết tắt đều được: kt-xh, ubnd, ko, dc...).\n"
    "• /hoi <câu hỏi> — hỏi (trong nhóm hãy dùng lệnh này).\n"
    "• /chude — xem câu hỏi theo chủ đề.\n"
    "• /thongdiep — các thông điệp chính để nói ngắn gọn ở buổi họp.\n"
    "• /trogiup — xem lại hướng dẫn này.\n"
    "Mỗi câu trả lời đều ghi nguồn (văn bản, mục) để đồng chí đối chiếu."
)
BUTTON_TOPICS = "📚 Chủ đề"
BUTTON_KEY_MESSAGES = "📢 Thông điệp chính"
BUTTON_HELP = "❓ Hướng dẫn"
BUTTON_MORE = "Xem thêm ▸"
BUTTON_BACK_TOPICS = "◂ Các chủ đề"

SOURCE = "📄 Nguồn: {cite}"
RELATED = "Câu hỏi liên quan:"
SUGGEST = "Tôi chưa chắc đồng chí hỏi điều nào. Có phải một trong các câu sau?"
SUGGEST_GUESS = "Có phải đồng chí muốn hỏi: «{question}»?\n\n{answer}"
SUGGEST_OTHERS = "Nếu chưa đúng ý, chọn câu hỏi bên dưới:"
SUGGEST_NUMBER_ONLY = "Đồng chí hỏi gì về «{number}»? Có phải một trong các câu sau?"
PASSAGE = "Chưa có câu trả lời soạn sẵn cho câu này. Đoạn gần nhất trong văn bản:\n\n«{text}»"
NONE = (
    "Xin lỗi, tôi chưa có thông tin để trả lời câu này. Câu hỏi đã được ghi lại để Ban Tuyên giáo "
    "bổ sung. Đồng chí thử hỏi cách khác, xem /chude, hoặc gõ /trogiup."
)
EMPTY = "Đồng chí chưa gõ câu hỏi. Ví dụ: «thu ngân sách năm 2023 của tỉnh» hoặc gõ /chude để xem chủ đề."
NO_WORDS = (
    "Tôi chưa hiểu câu hỏi. Xin gõ bằng chữ, ví dụ: «kết quả kinh tế năm 2023». Gõ /trogiup để xem cách hỏi."
)
TOO_LONG = "Câu hỏi dài quá ({length} ký tự). Xin hỏi ngắn gọn, dưới {limit} ký tự, mỗi lần một ý."
UNKNOWN_COMMAND = "Tôi không biết lệnh {command}. Gõ /trogiup để xem các lệnh."
STALE_BUTTON = "Nút này đã cũ hoặc nội dung đã thay đổi. Gõ /chude để xem lại."

TOPICS_HEADER = "Chọn chủ đề:"
TOPIC_HEADER = "Chủ đề «{title}» — chọn câu hỏi:"
TOPIC_PAGE = "(trang {page}/{pages})"
KEY_MESSAGES_HEADER = "Thông điệp chính (đọc ngắn gọn ở buổi họp thôn, bản):"

ERROR = "Xin lỗi, đã có lỗi khi xử lý. Tin nhắn của đồng chí không bị mất; xin thử lại sau ít phút."

CONSOLE_INTRO = (
    "Loa — trò chuyện trong cửa sổ lệnh. Gõ câu hỏi rồi Enter; gõ số để chọn nút; Ctrl-D để thoát."
)
CONSOLE_PROMPT = "bạn> "

# -- the `loa` command line -----------------------------------------------------------------------------
CLI_CONTENT_OK = "hợp lệ"
CLI_CONTENT_BAD = "có {count} lỗi"
CLI_CONTENT_SUMMARY = (
    "Nội dung {state}: {faq_entries} mục hỏi đáp, {questions} cách hỏi, {topics} chủ đề, "
    "{key_messages} thông điệp, {passages} đoạn văn bản, {abbreviations} viết tắt."
)
CLI_EVAL_RIGHT = "ĐÚNG"
CLI_EVAL_WRONG = "SAI "
CLI_EVAL_PROGRESS = "\r  {done}/{total} câu"
CLI_EVAL_SUMMARY = (
    "Đúng {correct}/{questions} ({accuracy:.1%}); trong phạm vi {in_scope_correct}/{in_scope}, "
    "ngoài phạm vi từ chối {out_of_scope_refused}/{out_of_scope}."
)
CLI_EVAL_UNREADABLE = "Không đọc được {path}: {reason}"
CLI_EVAL_NOT_JSON = "{path}:{line}: không phải JSON: {reason}"
CLI_EVAL_BAD_LINE = "{path}:{line}: mỗi dòng cần có 'q' (chuỗi) và 'facts' (danh sách hoặc null)"
CLI_BACKUP_SAME_FILE = "Tệp sao lưu phải khác tệp cơ sở dữ liệu đang dùng"
CLI_BACKUP_NO_DIR = "Không có thư mục {path}"
CLI_BACKUP_DONE = "Đã sao lưu {source} → {dest}"

# -- Telegram -------------------------------------------------------------------------------------------
TELEGRAM_COMMANDS_PRIVATE = [
    ("hoi", "Hỏi về hướng dẫn tuyên truyền"),
    ("chude", "Xem câu hỏi theo chủ đề"),
    ("thongdiep", "Thông điệp chính"),
    ("trogiup", "Cách dùng Loa"),
    ("start", "Bắt đầu"),
]
TELEGRAM_COMMANDS_GROUP = [
    ("hoi", "Hỏi Loa (gõ /hoi rồi câu hỏi)"),
    ("chude", "Xem câu hỏi theo chủ đề"),
    ("thongdiep", "Thông điệp chính"),
    ("trogiup", "Cách dùng Loa"),
]
TELEGRAM_BAD_TOKEN = (
    "Mã bot Telegram không hợp lệ hoặc đã bị thu hồi (LOA_TELEGRAM_TOKEN); lấy mã mới từ @BotFather"
)
TELEGRAM_UNREACHABLE = "Không kết nối được máy chủ Telegram ({url}): {reason}"
TELEGRAM_STARTED = "Loa đang chạy trên Telegram với tên @{username} ({mode}). Ctrl-C để dừng."
