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
GREETING = "Xin chào! Tôi là Loa. Đồng chí cứ gõ câu hỏi về hướng dẫn tuyên truyền, hoặc gõ /trogiup."
THANKS = "Rất vui được giúp đồng chí. Cần gì cứ gõ câu hỏi hoặc /trogiup nhé."
OKAY = "Vâng. Cần gì đồng chí cứ gõ câu hỏi hoặc /trogiup."
# /trogiup: the head, a line for each command the person may use (declared with the command), the tail.
HELP_HEAD = (
    "Cách dùng Loa:\n"
    "• Gõ câu hỏi bất kỳ về hướng dẫn tuyên truyền kết quả kinh tế - xã hội năm 2023, nhiệm vụ năm 2024 "
    "(không dấu, viết tắt đều được: kt-xh, ubnd, ko, dc...)."
)
HELP_TAIL = (
    "Trong tin nhắn riêng có thể gõ chữ thay lệnh, ví dụ «báo cáo», «hủy», «chủ đề».\n"
    "Mỗi câu trả lời đều ghi nguồn (văn bản, mục) để đồng chí đối chiếu."
)
HELP_HOI = "• /hoi <câu hỏi> — hỏi (trong nhóm hãy dùng lệnh này)."
HELP_CHUDE = "• /chude — xem câu hỏi theo chủ đề."
HELP_THONGDIEP = "• /thongdiep — các thông điệp chính để nói ngắn gọn ở buổi họp."
HELP_SUKIEN = "• /sukien — các ngày lễ, sự kiện sắp tới và điểm tin."
HELP_DANGKYNHAN = "• /dangkynhan, /huynhan — nhận, thôi nhận điểm tin theo lịch."
HELP_DANGKY = "• /dangky MÃ — đăng ký tuyên truyền viên bằng mã mời."
HELP_BAOCAO = "• /baocao — gửi báo cáo buổi tuyên truyền."
HELP_BAOCAOCUATOI = "• /baocaocuatoi — xem, sửa báo cáo đã gửi."
HELP_HUY = "• /huy — bỏ việc đang làm dở."
HELP_THONGKE = "• /thongke [quy|thang|nam] — thống kê trong phạm vi phụ trách, biểu đồ, ai chưa báo cáo."
HELP_XUAT = "• /xuat [quy N/NNNN] [csv] — tệp báo cáo XLSX hoặc CSV."
HELP_CHUATRALOI = "• /chuatraloi — câu hỏi Loa chưa trả lời được: trả lời, gắn vào câu có sẵn hoặc bỏ qua."
HELP_PHATTHANH = "• /phatthanh nội dung — phát tin tới phạm vi phụ trách (gõ riêng /phatthanh: tiến độ)."
HELP_MOI = "• /moi tuyentruyenvien|canbo MÃ_ĐƠN_VỊ [lượt] [ngày] — tạo mã mời."
HELP_TROGIUP = "• /trogiup — xem lại hướng dẫn này."
BUTTON_TOPICS = "📚 Chủ đề"
BUTTON_KEY_MESSAGES = "📢 Thông điệp chính"
BUTTON_HELP = "❓ Hướng dẫn"
BUTTON_MORE = "Xem thêm ▸"
BUTTON_BACK_TOPICS = "◂ Các chủ đề"

SOURCE = "📄 Nguồn: {cite}"
RELATED = "Câu hỏi liên quan:"
MORE = "Xem thêm:"
NOT_SAID_IN_DOCUMENT = (
    "Văn bản chưa nói rõ điều đồng chí hỏi. Đoạn gần nhất văn bản nói:\n\n«{excerpt}»\n\n📄 {source}\n\n"
    "Câu hỏi đã được ghi lại để Ban Tuyên giáo trả lời."
)
NO_FIGURE_IN_DOCUMENT = (
    "Văn bản không nêu con số này; Loa không tự đưa ra con số. Đoạn gần nhất văn bản nói:\n\n«{excerpt}»\n\n"
    "📄 {source}"
)
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
STALE_BUTTON = "Lựa chọn này đã cũ hoặc nội dung đã thay đổi. Gõ /chude để xem lại."

# -- dialogs (the engine's own words, for every dialog) -----------------------------------------------
DIALOG_PARKED = "Việc {what} đang làm dở đã lâu nên Loa cất lại; {hint}."
DIALOG_EXPIRED = "Việc {what} đang làm dở đã quá lâu nên Loa đã bỏ; xin làm lại từ đầu khi cần."
DIALOG_PARKED_DROPPED = "Đã bỏ bản {what} đang cất."
DIALOG_REMINDER = "↩ Tiếp tục {what}: {step} (gõ /huy để bỏ)"
DIALOG_PENDING = "(Đồng chí vẫn đang làm dở {what}: gõ tiếp câu trả lời, hoặc /huy để bỏ.)"
DIALOG_NOT_ALLOWED = "Đồng chí không còn quyền làm tiếp việc {what} này; Loa đã bỏ nó."
STALE_BUTTON_DIALOG = "Lựa chọn này thuộc một lần {what} đã xong hoặc đã hủy."

TOPICS_HEADER = "Chọn chủ đề:"
TOPIC_HEADER = "Chủ đề «{title}» — chọn câu hỏi:"
TOPIC_PAGE = "(trang {page}/{pages})"
KEY_MESSAGES_HEADER = "Thông điệp chính (đọc ngắn gọn ở buổi họp thôn, bản):"

FLOOD_PRIVATE = (
    "Đồng chí gửi nhanh quá, Loa trả lời không kịp. Xin đợi một phút rồi gửi lại những tin chưa được trả lời."
)
FLOOD_GROUP = (
    "Nhóm gửi nhiều lệnh quá, Loa tạm nghỉ trả lời nhóm ít phút. Cần hỏi ngay, xin nhắn riêng cho Loa."
)
ERROR = "Xin lỗi, Loa gặp lỗi khi xử lý tin này. Xin thử lại sau ít phút."

CONSOLE_INTRO = (
    "Loa — trò chuyện trong cửa sổ lệnh. Gõ câu hỏi rồi Enter; gõ số để chọn nút; Ctrl-D để thoát."
)
CONSOLE_PROMPT = "bạn> "
CONSOLE_FILE = "📎 Tệp «{filename}»: trong cửa sổ lệnh, lấy tệp bằng «loa report export»."

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
CLI_DB_MIGRATED = "Cơ sở dữ liệu {db}: phiên bản {version} (mới nhất)"
CLI_COPY_FROM_SQLITE = "LOA_DB phải là tệp SQLite cần chép đi (đang là PostgreSQL)"
CLI_COPY_TO_PG = "--to phải là địa chỉ postgresql://người_dùng@máy:cổng/tên_csdl"
CLI_COPY_FAILED = "Không chép được, chưa ghi gì: {reason}"
CLI_COPY_LINE = "  {table}: {source} → {target}"
CLI_COPY_DONE = "Đã chép {rows} dòng của {tables} bảng sang {to}; số dòng hai bên khớp"
CLI_NO_PATH = "Thiếu đường dẫn tệp đích"
CLI_IS_A_FOLDER = "{path} là một thư mục; xin ghi tên tệp, ví dụ {path}/{example}"
CLI_CANNOT_WRITE = "Không ghi được {path}: {reason}"

# -- the store ----------------------------------------------------------------------------------------
STORE_CANNOT_OPEN = "Không mở được cơ sở dữ liệu {path}: {reason}"
STORE_NOT_SQLITE = "Tệp {path} hỏng hoặc không phải cơ sở dữ liệu SQLite ({reason})"
STORE_READ_ONLY = (
    "Cơ sở dữ liệu {path} chỉ đọc được, Loa không ghi được ({reason}). Kiểm tra quyền ghi của tệp và thư mục."
)
STORE_NOT_A_FILE = "«{path}» không phải một tệp cơ sở dữ liệu (trống hoặc là thư mục)"
STORE_SIDE_FILE = (
    "{path} là tệp phụ của SQLite (-wal, -shm, -journal), không phải cơ sở dữ liệu; dùng tệp chính"
)
STORE_MISSING = "Không có cơ sở dữ liệu {path}"
WEBHOOK_SECRET_SHARED = "Với PostgreSQL (nhiều tiến trình dùng chung), hãy đặt {name}: mọi tiến trình phải dùng cùng một khóa webhook"
STORE_NO_PG_DUMP = "Không tìm thấy pg_dump (gói postgresql-client) để sao lưu PostgreSQL"
STORE_PG_DUMP_FAILED = "pg_dump không sao lưu được: {reason}"
STORE_PG_CANNOT_OPEN = "Không kết nối được PostgreSQL {url}: {reason}"
STORE_PG_READ_ONLY = "PostgreSQL {url} chỉ cho đọc (máy dự phòng?); Loa cần ghi được vào cơ sở dữ liệu"
STORE_MIGRATION_FAILED = "Nâng cấp cơ sở dữ liệu lên phiên bản {version} thất bại: {reason}"

RUN_ALREADY_RUNNING = (
    "Đã có một «loa run» khác đang chạy với cơ sở dữ liệu {db}; hai tiến trình sẽ gửi mọi tin hai lần. "
    "Dừng tiến trình kia trước."
)

CHANNEL_NOT_CONFIGURED = "Kênh chưa được cấu hình ({variable} chưa đặt)"

# -- Telegram -------------------------------------------------------------------------------------------
# Telegram's command menus (private chats, groups), declared with each command.
MENU_HOI = "Hỏi về hướng dẫn tuyên truyền"
GROUP_MENU_HOI = "Hỏi Loa (gõ /hoi rồi câu hỏi)"
MENU_CHUDE = "Xem câu hỏi theo chủ đề"
MENU_THONGDIEP = "Thông điệp chính"
MENU_TROGIUP = "Cách dùng Loa"
MENU_START = "Bắt đầu"
TELEGRAM_BAD_TOKEN = (
    "Mã bot Telegram không hợp lệ hoặc đã bị thu hồi (LOA_TELEGRAM_TOKEN); lấy mã mới từ @BotFather"
)
TELEGRAM_UNREACHABLE = "Không kết nối được máy chủ Telegram ({url}): {reason}"
TELEGRAM_STARTED = "Loa đang chạy trên Telegram với tên @{username} ({mode}). Ctrl-C để dừng."

# -- Zalo -----------------------------------------------------------------------------------------------
CHOOSE_BY_NUMBER = "↪ Trả lời bằng số thứ tự (ví dụ: 1)."
TYPE_A_NUMBER = "↪ Gõ số, ví dụ: {examples}."
ZALO_NO_FILE = (
    "📎 Zalo không nhận tệp «{filename}». Muốn lấy tệp, xin dùng Loa trên Telegram hoặc lệnh "
    "«loa report export» trên máy chủ."
)
ZALO_TEXT_ONLY = "Loa chỉ đọc được tin nhắn chữ. Xin gõ câu hỏi hoặc lệnh, ví dụ /trogiup."
ZALO_BAD_TOKEN = "Mã bot Zalo không hợp lệ hoặc đã bị thu hồi (LOA_ZALO_TOKEN); lấy mã mới ở Zalo Bot Creator"
ZALO_UNREACHABLE = "Không kết nối được máy chủ Zalo Bot ({url}): {reason}"
ZALO_LISTEN_FAILED = "Không mở được cổng webhook Zalo {where}: {reason}"
ZALO_WEBHOOK_FAILED = "Zalo không nhận địa chỉ webhook {url}: {reason}"
ZALO_STARTED = "Loa đang chạy trên Zalo với tên {name} ({mode}). Ctrl-C để dừng."

# -- roles and registration -----------------------------------------------------------------------------
ROLE_NAMES = {
    "anyone": "người dùng",
    "propagandist": "tuyên truyền viên",
    "officer": "cán bộ",
    "admin": "quản trị",
}
NOT_ALLOWED = "Lệnh {command} dành cho {role}. Đồng chí chưa có quyền dùng lệnh này."
NOT_REGISTERED = (
    "Đồng chí chưa đăng ký làm tuyên truyền viên. Xin mã mời từ Ban Tuyên giáo rồi gõ /dangky MÃ."
)
PRIVATE_ONLY = "Xin dùng lệnh {command} trong tin nhắn riêng với Loa."
REGISTER_USAGE = "Gõ /dangky rồi mã mời, ví dụ: /dangky AB12CD34"
INVITE_UNKNOWN = "Mã mời «{code}» không đúng. Xin kiểm tra lại hoặc hỏi cán bộ đã gửi mã."
INVITE_USED_UP = "Mã mời «{code}» đã dùng hết lượt. Xin cán bộ cấp mã mới."
INVITE_EXPIRED = "Mã mời «{code}» đã hết hạn. Xin cán bộ cấp mã mới."
REGISTER_CONFIRM_NAME = "Mã mời hợp lệ: {role}, {unit}.\nTên hiển thị của đồng chí là «{name}»?"
REGISTER_TYPE_NAME = "Xin gõ họ tên của đồng chí (để cán bộ biết ai gửi báo cáo):"
REGISTER_BAD_NAME = "Họ tên gồm chữ cái, từ 2 đến 60 ký tự, không có chữ số. Xin gõ lại họ tên:"
REGISTER_DISPLAY_NAME_UNUSABLE = "Tên hiển thị này không dùng làm họ tên được."
REGISTER_INVITE_OK = "Mã mời hợp lệ: {role}, {unit}."
REGISTER_TITLE = "đăng ký"
REGISTER_CANCELLED = "Đã hủy đăng ký. Gõ /dangky MÃ khi cần đăng ký lại."
REGISTER_STEP_NAME = "Họ tên của đồng chí?"
REGISTER_STEP_VILLAGE = "Đồng chí sinh hoạt ở thôn, bản, tổ dân phố nào?"
REGISTER_TOO_MANY_TRIES = "Đồng chí đã nhập sai mã mời nhiều lần. Xin đợi {minutes} phút rồi thử lại, hoặc hỏi lại cán bộ đã gửi mã."
INVITE_ALREADY_USED = "Đồng chí đã đăng ký bằng mã «{code}» rồi. Mỗi người chỉ dùng một lượt của mã."
REGISTER_CHOOSE_VILLAGE = "Đồng chí sinh hoạt ở thôn, bản, tổ dân phố nào của {commune}?"
REGISTER_TYPE_VILLAGE = "Xin gõ tên thôn, bản, tổ dân phố:"
REGISTER_VILLAGE_UNKNOWN = "Không thấy «{text}» trong danh sách đơn vị. Có phải một trong các nơi sau?"
REGISTER_DONE = "Đã đăng ký: {name}, {role}, {unit}. Gõ /baocao để gửi báo cáo hoạt động tuyên truyền."
REGISTER_DONE_OFFICER = (
    "Đã đăng ký: {name}, {role}, phụ trách {unit}. Các lệnh: /thongke, /xuat, /chuatraloi."
)
BUTTON_YES = "✅ Đúng"
BUTTON_OTHER_NAME = "✏️ Gõ tên khác"
BUTTON_OTHER_PLACE = "✏️ Nơi khác (gõ tên)"
INVITE_USAGE = "Cách dùng: /moi tuyentruyenvien|canbo MÃ_ĐƠN_VỊ [số lượt] [số ngày]. Ví dụ: /moi tuyentruyenvien 12-003 20 30"
INVITE_BAD_ROLE = "Vai trò phải là tuyentruyenvien (propagandist) hoặc canbo (officer)."
INVITE_BAD_UNIT = "Không có đơn vị mã «{unit}». Gõ mã xã/phường hoặc thôn/bản trong danh sách đơn vị."
INVITE_BAD_NUMBER = "Số lượt phải từ 1 đến 1000 và số ngày từ 1 đến 365."
INVITE_OFFICER_UNIT = "Cán bộ phụ trách cả tỉnh hoặc một xã/phường, không phải thôn/bản."
INVITE_CREATED = (
    "Mã mời: {code}\nVai trò: {role}, {unit}\nSố lượt: {uses}; hết hạn: {expires}\n"
    "Người được mời gõ: /dangky {code}"
)
NO_EXPIRY = "không hạn"

# -- reports --------------------------------------------------------------------------------------------
REPORT_ASK_DATE = (
    "Báo cáo hoạt động tuyên truyền (gõ /huy để bỏ).\n① Ngày tổ chức? Chọn hoặc gõ ngày/tháng, ví dụ 12/3."
)
REPORT_ASK_FORM = "② Hình thức tuyên truyền?"
REPORT_ASK_PLACE = "③ Địa điểm?"
REPORT_TYPE_PLACE = "Xin gõ tên thôn, bản, tổ dân phố hoặc xã:"
REPORT_PLACE_UNKNOWN = "Không thấy «{text}» trong danh sách. Có phải nơi nào dưới đây? Hoặc gõ lại tên."
REPORT_ASK_ATTENDEES = "④ Bao nhiêu người dự? Chọn hoặc gõ số."
REPORT_TYPE_ATTENDEES = "Xin gõ số người dự (1 đến 5.000):"
REPORT_ASK_TOPICS = "⑤ Nội dung tuyên truyền? Chọn một hoặc nhiều chủ đề rồi chọn «Xong»."
REPORT_ASK_CONCERNS = "⑥ Người dân hỏi hoặc băn khoăn điều gì? Gõ ngắn gọn, ví dụ «Dân hỏi về giá điện», KHÔNG ghi tên người dân. Không có thì chọn «Bỏ qua»."
REPORT_SUMMARY = "Xin kiểm tra báo cáo:\n{summary}"
REPORT_SUMMARY_LINES = (
    "• Ngày: {date}\n• Hình thức: {form}\n• Địa điểm: {place}\n• Số người dự: {attendees}\n"
    "• Chủ đề: {topics}\n• Ý kiến của người dân: {concerns}"
)
REPORT_NONE = "(không có)"
REPORT_MISSING = "(chưa có)"
REPORT_SAVED = "✅ Đã lưu báo cáo số {id}. Cảm ơn đồng chí!\n{summary}"
REPORT_UPDATED = "✅ Đã sửa báo cáo số {id}.\n{summary}"
REPORT_CANCELLED = "Đã hủy, không lưu gì. Gõ /baocao khi cần báo cáo lại."
NOTHING_TO_CANCEL = "Không có việc gì đang làm dở để hủy."
REPORT_RESUME = "Đồng chí đang làm dở một báo cáo, tiếp tục nhé:"
REPORT_DUPLICATE = (
    "Đồng chí đã gửi báo cáo số {id} giống hệt (cùng ngày, nơi, hình thức) hôm nay. Vẫn gửi thêm báo cáo này?"
)
REPORT_BAD_DATE = "Không hiểu ngày «{text}». Gõ ngày/tháng, ví dụ 12/3, hoặc chọn Hôm nay, Hôm qua."
REPORT_FUTURE_DATE = "Ngày {date} chưa đến. Xin chọn ngày đã tổ chức."
REPORT_OLD_DATE = "Ngày {date} đã quá hạn báo cáo (chỉ nhận từ {start}). Xin liên hệ cán bộ nếu cần bổ sung."
REPORT_BAD_ATTENDEES = "Số người dự phải là số nguyên từ 1 đến 5.000. Xin gõ lại:"
REPORT_CONCERNS_TOO_LONG = "Phần ý kiến dài quá ({length} ký tự). Xin viết gọn dưới {limit} ký tự:"
REPORT_CONCERNS_MASKED = (
    "Loa đã che tên, số điện thoại người dân (***) trong phần ý kiến: báo cáo không ghi tên ai."
)
REPORT_TITLE = "báo cáo"
REPORT_RESUME_HINT = "gõ /baocao để làm tiếp"
REPORT_STEP_SHORT = {
    "date": "① Ngày tổ chức?",
    "form": "② Hình thức tuyên truyền?",
    "place": "③ Địa điểm?",
    "attendees": "④ Bao nhiêu người dự?",
    "topics": "⑤ Nội dung tuyên truyền?",
    "concerns": "⑥ Người dân hỏi hoặc băn khoăn điều gì? (nếu là ý kiến của dân, gõ «Dân hỏi: …»)",
    "edit": "Sửa mục nào?",
    "confirm": "Gửi báo cáo?",
}
REPORT_PLACE_OUTSIDE = (
    "«{place}» ở ngoài xã/phường của đồng chí ({home}). Buổi tuyên truyền vẫn được tính cho {home}. "
    "Đúng nơi này chứ?"
)
BUTTON_PLACE_YES = "✅ Đúng nơi này"
BUTTON_PLACE_OTHER = "Chọn nơi khác"
REPORT_PLACE_PROVINCE = "Xin chọn thôn, bản hoặc xã/phường nơi tổ chức, không phải cả tỉnh."
REPORT_PLACE_GONE = "Địa điểm đã chọn không còn trong danh sách đơn vị. Xin chọn lại."
REPORT_ALREADY_WITHDRAWN = "Báo cáo số {id} đã rút, không sửa được nữa."
REPORT_NEED_TOPIC = "Xin chọn ít nhất một chủ đề."
REPORT_EDIT_WHICH = "Sửa mục nào?"
REPORT_MINE_HEADER = "Báo cáo gần đây của đồng chí:"
REPORT_MINE_EMPTY = "Đồng chí chưa gửi báo cáo nào. Gõ /baocao để gửi."
REPORT_MINE_LINE = "Số {id} — {date}, {form}, {place}, {attendees} người{status}"
REPORT_WITHDRAWN_MARK = " (đã rút)"
REPORT_NOT_YOURS = "Không tìm thấy báo cáo này trong các báo cáo của đồng chí."
REPORT_TOO_OLD_TO_CHANGE = "Báo cáo số {id} đã quá 7 ngày, không sửa hay rút được nữa."
REPORT_WITHDRAW_CONFIRM = (
    "Rút báo cáo số {id}? Báo cáo vẫn được lưu, đánh dấu «đã rút» và không tính vào tổng."
)
REPORT_WITHDRAWN = "Đã rút báo cáo số {id}."
BUTTON_TODAY = "Hôm nay"
BUTTON_YESTERDAY = "Hôm qua"
BUTTON_OTHER_NUMBER = "✏️ Số khác"
BUTTON_DONE = "Xong ▸"
BUTTON_SKIP = "Bỏ qua ▸"
BUTTON_SEND = "✅ Gửi"
BUTTON_EDIT = "✏️ Sửa"
BUTTON_CANCEL = "✖ Hủy"
BUTTON_SEND_ANYWAY = "Vẫn gửi"
BUTTON_EDIT_REPORT = "Sửa số {id}"
BUTTON_WITHDRAW_REPORT = "Rút số {id}"
BUTTON_WITHDRAW_YES = "Rút báo cáo"
REPORT_FIELD_NAMES = {
    "date": "Ngày",
    "form": "Hình thức",
    "place": "Địa điểm",
    "attendees": "Số người",
    "topics": "Chủ đề",
    "concerns": "Ý kiến người dân",
}

# -- officers -------------------------------------------------------------------------------------------
PERIOD_BAD_YEAR = "Năm {year} không hợp lệ: chỉ từ {first} đến {last}"
PERIOD_BAD_QUARTER = "Quý phải từ 1 đến 4, không phải {q}"
PERIOD_BAD_MONTH = "Tháng phải từ 1 đến 12, không phải {month}"
PERIOD_NAMES = {"quy": "Quý {q}/{y}", "thang": "Tháng {m}/{y}", "nam": "Năm {y}"}
STATS_HEADER = "Thống kê tuyên truyền — {period} — {scope}"
STATS_TOTALS = "Tổng: {sessions} buổi, {attendees} lượt người dự, {reporters} người báo cáo."
STATS_BY_COMMUNE = "Theo xã/phường:"
STATS_BY_FORM = "Theo hình thức:"
STATS_BY_TOPIC = "Theo chủ đề:"
STATS_LINE = "• {name}: {sessions} buổi, {attendees} người"
STATS_TOPIC_LINE = "• {name}: {sessions} buổi"
STATS_SILENT = "Chưa báo cáo trong {period} ({count}): {names}"
STATS_ALL_REPORTED = "Mọi tuyên truyền viên trong phạm vi đã báo cáo trong {period}."
STATS_EMPTY = "Chưa có báo cáo nào trong {period} thuộc {scope}."
STATS_USAGE = "Cách dùng: /thongke [quy|thang|nam] hoặc /thongke quy 1/2024"
STATS_OUT_OF_SCOPE = "«{unit}» ngoài phạm vi phụ trách của đồng chí."
EXPORT_USAGE = "Cách dùng: /xuat [quy N/NNNN] [csv]. Ví dụ: /xuat quy 1/2024"
EXPORT_CAPTION = "Báo cáo tuyên truyền {period}, {scope}: {sessions} buổi, {attendees} người dự."
CHART_TITLE = "Số buổi tuyên truyền theo xã/phường — {period}"
CHART_SESSIONS = "Số buổi"
CHART_ATTENDEES = "Người dự (trăm)"
XLSX_SUMMARY_SHEET = "Tổng hợp"
XLSX_REPORTS_SHEET = "Báo cáo"
XLSX_SUMMARY_HEADERS = ["Xã/phường", "Hình thức", "Số buổi", "Số người dự"]
XLSX_REPORT_HEADERS = [
    "Số",
    "Ngày",
    "Xã/phường",
    "Địa điểm",
    "Hình thức",
    "Số người dự",
    "Chủ đề",
    "Ý kiến người dân",
    "Người báo cáo",
    "Trạng thái",
]
XLSX_TOTAL = "Tổng cộng"
CLI_EXPORT_DONE = "Đã xuất {path}: {sessions} buổi, {attendees} người dự."
REPORT_QUICK_PARTIAL = "Đã hiểu được:\n{summary}\nXin bổ sung phần còn thiếu:"
CLI_BAD_DATE = "Ngày «{value}» không đúng dạng YYYY-MM-DD"
CLI_BAD_DAYS = "--days phải từ 1 đến 3660"
CLI_SCHEDULE_LINE = (
    "{send}  {event:22s} sự kiện {event_date} (trước {days_before} ngày)  {audience} nơi nhận  {title}"
)

# -- subscriptions, events, broadcasts -------------------------------------------------------------------
SUBSCRIBE_GROUP_DONE = "Nhóm này sẽ nhận điểm tin tuyên truyền theo lịch ({unit}). Gõ /huynhan để thôi nhận."
SUBSCRIBE_PRIVATE_DONE = "Đồng chí sẽ nhận điểm tin tuyên truyền theo lịch. Gõ /huynhan để thôi nhận."
UNSUBSCRIBED = "Đã thôi nhận điểm tin. Gõ /dangkynhan để nhận lại."
SUBSCRIBE_PRIVATE_PUBLIC = "Đồng chí sẽ nhận điểm tin tuyên truyền chung theo lịch. Gõ /huynhan để thôi nhận."
SUBSCRIBE_NEEDS_ADMIN = "Chỉ quản trị viên của nhóm hoặc cán bộ mới đăng ký nhận tin cho nhóm."
SUBSCRIBE_NEEDS_UNIT = "Xin ghi mã đơn vị của nhóm, ví dụ: /dangkynhan 12-003"
SUBSCRIBE_GROUP_PUBLIC = (
    "Nhóm này sẽ nhận điểm tin tuyên truyền chung theo lịch. Để nhận cả tin của xã/phường, "
    "nhờ cán bộ phụ trách gõ /dangkynhan trong nhóm. Gõ /huynhan để thôi nhận."
)
SUBSCRIBE_UNIT_NEEDS_OFFICER = (
    "Chỉ cán bộ phụ trách đơn vị mới gắn nhóm với đơn vị. Nhóm vẫn nhận điểm tin chung theo lịch; "
    "nhờ cán bộ gõ /dangkynhan trong nhóm để nhận tin của xã/phường."
)
SUBSCRIBE_OUT_OF_SCOPE = (
    "«{unit}» ngoài phạm vi phụ trách của đồng chí; chỉ gắn nhóm với đơn vị mình phụ trách."
)
EVENTS_HEADER = "Sự kiện sắp tới:"
EVENTS_LINE = "📅 {date} — {title}\n{points}"
EVENTS_EMPTY = "Không có sự kiện nào trong {days} ngày tới."
BROADCAST_USAGE = "Cách dùng: /phatthanh nội dung, hoặc /phatthanh 19:30 25/12 nội dung (gửi vào giờ đã hẹn)."
BROADCAST_CONFIRM = "Gửi tin này tới {count} nơi nhận ({scope}){when}?\n\n{text}"
BROADCAST_WHEN = " vào {at}"
BROADCAST_QUEUED = "Đã xếp lịch gửi tới {count} nơi nhận (số {id}). Gõ /phatthanh để xem tiến độ."
BROADCAST_NOBODY = "Không có nơi nhận nào trong phạm vi của đồng chí."
BROADCAST_NOT_ALLOWED = "Chỉ cán bộ có phạm vi phụ trách mới phát tin được."
BROADCAST_TOO_SHORT = "Tin quá ngắn: cần ít nhất {limit} ký tự."
BROADCAST_OUT_OF_SCOPE = "«{unit}» ngoài phạm vi phụ trách của đồng chí."
BROADCAST_STATUS_HEADER = "Tin đã phát gần đây:"
BROADCAST_STATUS_LINE = "Số {id} ({kind}, {send_at}): đã gửi {sent}/{total}, chờ {pending}, lỗi {failed}"
BROADCAST_NONE_YET = "Chưa có tin nào được phát."
BROADCAST_EXPIRED = "Yêu cầu phát tin này đã cũ. Xin gõ lại /phatthanh."
BUTTON_BROADCAST_SEND = "📣 Gửi ngay"
BUTTON_BROADCAST_SCHEDULE = "📣 Hẹn giờ gửi"
CLI_BROADCAST_QUEUED = "Đã xếp lịch: số {id}, {count} nơi nhận, gửi lúc {at}. Loa đang chạy (loa run) sẽ gửi."
CLI_BROADCAST_EXISTS = "Tin này đã có (số {id}); không tạo lần hai."
CLI_BAD_TIME = "Giờ «{value}» không đúng dạng YYYY-MM-DDTHH:MM"
BROADCAST_CANCELLED = "Đã hủy, không gửi gì."
BROADCAST_TITLE = "phát tin"
BROADCAST_STEP_CONFIRM = "Gửi tin đã soạn?"
BROADCAST_TOO_LONG = (
    "Tin dài {length} ký tự, quá {limit} ký tự một tin được gửi. Xin rút gọn rồi gõ lại /phatthanh."
)

# -- the content folder's checks, citations, the calendar, the configuration -------------------------------
CONTENT_EMPTY_PHRASING = "một cách hỏi bị trống"
CONTENT_SAME_PHRASINGS = "có cách hỏi trùng nhau"
CONTENT_ONE_DATE_KIND = "cần đúng một trong solar, lunar, once"
CONTENT_BAD_DAY = "ngày phải có dạng MM-DD, không phải {day}"
CONTENT_BAD_ONCE = "once phải có dạng YYYY-MM-DD, không phải {once}"
CONTENT_BAD_DAYS_BEFORE = "days_before là các số từ 0 đến 30"
CONTENT_ERROR = "{file}: mục '{entry}', trường '{field}': {message}"
CONTENT_UNREADABLE = "không đọc được tệp: {reason}"
CONTENT_BAD_YAML = "YAML sai cú pháp: {reason}"
CONTENT_EMPTY_LIST = "tệp trống: cần ít nhất một mục"
CONTENT_NOT_A_LIST = "tệp phải là một danh sách các mục"
CONTENT_NO_FOLDER = "không tìm thấy thư mục nội dung"
CONTENT_NO_FAQ = "không có tệp câu hỏi nào"
CONTENT_NO_DOCUMENTS = "không có tài liệu nguồn nào"
CONTENT_EMPTY_UNITS = "tệp trống: cần tỉnh và ít nhất một xã/phường"
CONTENT_BAD_ABBREVIATIONS = "phải có dạng 'cụm đầy đủ: [viết tắt, ...]'"
CONTENT_DUPLICATE_ID = "mã mục trùng với một mục trong {file}"
CONTENT_NO_TOPIC = "chủ đề '{topic}' không có"
CONTENT_DUPLICATE_UNIT = "mã đơn vị bị trùng"
CONTENT_DUPLICATE_FORM = "mã hình thức bị trùng"
CONTENT_NO_SECTION = "mục '{section}' không có"
CONTENT_NO_DOCUMENT = "tài liệu '{document}' không có"
CONTENT_NO_SECTION_IN_DOCUMENT = "mục '{section}' không có trong tài liệu"
CITE_SECTION = "mục {section}"
CONTENT_MISSING_FILE = "thiếu tệp"
EVENT_TODAY = "Hôm nay"
EVENT_IN_DAYS = "Còn {days} ngày nữa"
EVENT_TALKING_POINTS = "📣 {title}\n{when} ({date}).\n\n{body}"
CONTENT_INVALID = "{count} lỗi trong thư mục nội dung; chạy 'loa content check' để xem"
CONFIG_BAD_URL = "địa chỉ phải bắt đầu bằng http:// hoặc https://"
CONFIG_DB_URL = "chỉ nhận đường dẫn tệp SQLite hoặc địa chỉ postgresql://người_dùng@máy:cổng/tên_csdl"
CONFIG_DB_BAD_URL = "địa chỉ PostgreSQL không hợp lệ; dạng đúng: postgresql://người_dùng@máy:cổng/tên_csdl"
CONFIG_DB_EMPTY = "đường dẫn tệp cơ sở dữ liệu trống"
CONFIG_DB_SIDE_FILE = "đây là tệp phụ của SQLite; dùng tệp cơ sở dữ liệu chính"
CONFIG_BAD_TZ = "múi giờ không hợp lệ: {value}"
CONFIG_BAD_ADMIN = "mục {item} phải có dạng kênh:mã_người_dùng, ví dụ telegram:12345"
CONFIG_NO_FOLDER = "không có thư mục {path}"
CONFIG_WHOLE = "cấu hình"
CONFIG_BAD = "Cấu hình sai: {name}: {message}"
CONFIG_TELEGRAM_SECRET = "chỉ gồm 1-256 ký tự A-Z, a-z, 0-9, _ và -"
CONFIG_ZALO_SECRET = "phải dài từ 8 đến 256 ký tự"
CITE_PARTS = {"preamble": "phần mở đầu", "recipients": "phần nơi nhận", "signature": "phần ký", "header": ""}
CITE_ATTACHED = "{part} kèm theo"

# -- documents in (loa content import, /nhapvanban) ---------------------------------------------------------
IMPORT_BAD_EXTENSION = "Không nhận tệp {ext}: chỉ nhận {allowed}"
OS_REASONS = {
    "ENOENT": "không có tệp hay thư mục này",
    "EACCES": "không có quyền",
    "EPERM": "không có quyền",
    "ENOSPC": "hết chỗ trên đĩa",
    "EISDIR": "đây là một thư mục",
    "ENOTDIR": "một phần đường dẫn không phải thư mục",
    "EROFS": "ổ đĩa chỉ cho đọc",
    "EDQUOT": "hết hạn mức đĩa",
}
OS_REASON_OTHER = "lỗi hệ thống ({code})"
IMPORT_UNREADABLE = "Không đọc được {name}: {reason}"
IMPORT_NOT_A_FILE = "{name} không phải là một tệp"
IMPORT_TOO_BIG = "Tệp nặng {size:.1f} MB, quá giới hạn {limit} MB"
IMPORT_EMPTY = "{name} là tệp rỗng"
IMPORT_LIMIT = "Tệp có {count} {what}, quá giới hạn {limit} của một văn bản; xin kiểm tra lại tệp"
IMPORT_LIMIT_WHAT = {
    "xml": "byte XML khi giải nén (một phần của tệp DOCX)",
    "paragraphs": "đoạn",
    "cells": "ô bảng",
    "pages": "trang",
    "chars": "ký tự",
    "line": "ký tự trong một đoạn liền",
    "sections": "mục",
    "passages": "đoạn trích",
}
IMPORT_BAD_FILE = "Tệp bị hỏng hoặc có cấu trúc lạ, Loa không đọc được"
IMPORT_TOO_SLOW = "Đọc tệp quá {seconds} giây: tệp quá lớn hoặc bị làm hỏng, không nhập"
IMPORT_TOO_MUCH_MEMORY = "Đọc tệp cần quá {megabytes} MB bộ nhớ: tệp quá lớn hoặc bị làm hỏng, không nhập"
IMPORT_NO_TEXT = "Không tìm thấy chữ nào trong tệp"
IMPORT_BAD_DOCX = (
    "Tệp DOCX bị hỏng hoặc không phải tệp Word (.docx); hãy lưu lại bằng Word/LibreOffice rồi gửi lại"
)
IMPORT_BAD_PDF = "Tệp PDF bị hỏng, không đọc được"
IMPORT_ENCRYPTED = "Tệp PDF có mật khẩu; hãy gửi bản không đặt mật khẩu"
IMPORT_SCANNED = (
    "Tệp PDF không có lớp chữ (bản quét/ảnh chụp); Loa chưa hỗ trợ nhận dạng chữ (OCR): "
    "hãy gửi bản DOCX hoặc PDF xuất từ Word"
)
IMPORT_NOT_UTF8 = "Tệp văn bản không phải mã UTF-8; hãy lưu lại với mã UTF-8"
IMPORT_BAD_ID = (
    "Mã văn bản «{id}» không hợp lệ: chỉ gồm chữ thường không dấu, số và gạch ngang, tối đa 40 ký tự"
)
IMPORT_EXISTS = "Đã có văn bản mã «{id}»; thêm --replace để thay, hoặc --id để đặt mã khác"
IMPORT_NO_SUPERSEDED = "Không có văn bản mã «{id}» để thay thế (--supersedes)"
IMPORT_SUPERSEDES_ITSELF = "Một văn bản không thể thay thế chính nó"
IMPORT_READ_ONLY = (
    "Thư mục nội dung {folder} không ghi được (bản cài đặt chỉ đọc); chép nó ra chỗ khác rồi đặt "
    "LOA_CONTENT_DIR trỏ tới bản chép"
)
IMPORT_WRITE_FAILED = "Không ghi được vào {folder}: {reason}"
IMPORT_BAD_FLAG_DATE = "{flag}: ngày «{value}» không đúng dạng YYYY-MM-DD"
IMPORT_WARN_NO_NUMBER = "không thấy số văn bản (dòng «Số: …»); dùng --number"
IMPORT_WARN_NO_DATE = "không thấy ngày ban hành (dòng «…, ngày … tháng … năm …»); dùng --issued"
IMPORT_WARN_BAD_DATE = "ngày không có thật: «{text}»"
IMPORT_WARN_NO_KIND = "không thấy loại văn bản (HƯỚNG DẪN, KẾ HOẠCH, …)"
IMPORT_WARN_NO_TITLE = "không thấy tiêu đề; dùng --title"
IMPORT_WARN_NO_SECTIONS = "không thấy mục đánh số (I., 1., 1.1., a)): cả văn bản là một mục"
IMPORT_WARN_REPEATED_SECTION = "mục {section} xuất hiện hơn một lần"
IMPORT_WARN_EMPTY_PAGES = "{count} trang không có chữ (ảnh quét?) đã bỏ qua"
IMPORT_PREAMBLE_TITLE = "Phần mở đầu"
IMPORT_YAML_HEADER = "# {title}\n# Nhập bằng 'loa content import'; sửa được bằng tay, Loa tự nạp lại.\n"
IMPORT_SUMMARY = "Đã nhập văn bản «{id}»: {title}"
# What Loa read of a document, line by line (the command line, the chat's preview, the console's page).
IMPORT_READ_LINES = (
    "Số: {number} · {issued_text} · tại {place}",
    "Cơ quan ban hành: {issuer}",
    "Người ký: {signer} ({signer_title})",
    "{sections} mục · {tables} bảng ({table_rows} dòng) · {passages} đoạn",
)
IMPORT_DATE_UNKNOWN = "ngày ban hành không rõ"
IMPORT_READ_PARTS = "Phần kèm theo sau chữ ký: {parts}"
IMPORT_WARNING_LINE = "  ⚠️ {warning}"
IMPORT_UNKNOWN = "không rõ"
CITE_NUMBERED = "{kind} số {number}"
CITE_DOCUMENT = "Văn bản"
CITE_SUPERSEDED = " — đã được thay thế bởi {by}"
CITE_EXPIRED = " — đã hết hiệu lực (hiệu lực đến {until})"
CONTENT_NO_NEWER = "văn bản '{document}' không có"
CONTENT_SUPERSEDED_TWICE = "văn bản này được hai văn bản thay thế: {first} và {second}"
IMPORT_INVALID = "Văn bản không hợp lệ ở trường {field}: {message}"
CONTENT_LIST_LINE = (
    "{id} · số {number} · ngày {issued} · {state} · {sections} mục, {passages} đoạn, {faq_entries} câu hỏi đáp"
    "\n    {title}"
)
CONTENT_LIST_EMPTY = "Chưa có văn bản nào."
CONTENT_BAD_YEAR_OFFSET = "số năm tính từ năm của văn bản phải từ -5 đến 5"
NO_FIGURE = "Hướng dẫn không nêu số liệu cụ thể cho câu hỏi này; Loa không tự đưa ra con số."
NO_FIGURE_NEAREST = "Những nội dung gần nhất có trong hướng dẫn:"
RELATIVE_YEAR = "«{phrase}» là năm {year}"
RELATIVE_YEARS = "(Loa hiểu {said}, theo năm của văn bản mới nhất.)"
BUTTON_WHOLE_SECTION = "📖 Xem cả mục"
WHOLE_SECTION = "📖 {path}\n\n{text}"
CONTENT_RELOAD_BROKEN = "⚠️ Nội dung vừa sửa có {count} lỗi nên Loa vẫn dùng bản cũ. Lỗi đầu tiên: {error}"
HELP_NHAPVANBAN = "• /nhapvanban — (cán bộ cấp tỉnh) nhập văn bản hướng dẫn mới từ tệp .docx/.pdf."
IMPORT_PROVINCE_ONLY = "Chỉ cán bộ cấp tỉnh và quản trị viên được nhập văn bản."
IMPORT_NO_FILES_HERE = (
    "Kênh này không nhận được tệp. Hãy gửi tệp .docx/.pdf cho Loa trên Telegram kèm chú thích /nhapvanban, "
    "hoặc nhờ quản trị viên chạy lệnh: loa content import TỆP"
)
IMPORT_SEND_FILE = (
    "Gửi tệp văn bản (.docx, .pdf có lớp chữ, .txt, .md; tối đa {limit} MB) cho Loa, kèm chú thích "
    "/nhapvanban hoặc không cần chú thích. Loa sẽ cho xem những gì đọc được trước khi nhập."
)
IMPORT_FAILED = "❌ Không nhập được: {reason}"
IMPORT_PREVIEW = "📄 Loa đọc được:\n{title}"
IMPORT_WILL_REPLACE = "Đã có văn bản mã «{id}»: nhập sẽ thay bản cũ."
IMPORT_CONFIRM = "✅ Nhập"
IMPORT_CANCEL = "✖️ Hủy"
IMPORT_CANCELLED = "Đã hủy, không nhập gì."
IMPORT_STALE = "Tệp này đã quá hạn xác nhận (1 giờ) hoặc đã xử lý; hãy gửi lại tệp."
IMPORT_DONE = "✅ Đã nhập «{id}»: {title}. Loa trả lời theo văn bản này ngay từ bây giờ."
IMPORT_DONE_NOT_LIVE = "Đã ghi văn bản «{id}», nhưng thư mục nội dung đang có lỗi nên Loa vẫn dùng nội dung cũ. Lỗi đầu tiên: {error}"
CONTENT_EVENT_DATED = "nội dung gửi hằng năm nêu năm {years}: bỏ năm đi, hoặc ghi 'document' để thôi gửi khi văn bản hết hiệu lực"
CONTENT_FEW_PHRASINGS = "cần ít nhất {count} cách hỏi"
CONTENT_NO_SOURCE = "thiếu nguồn (source: document, section)"
CONTENT_BAD_PHRASINGS = "phải có dạng 'mã mục: [cách hỏi, ...]'"
CONTENT_NO_ENTRY = "không có mục hỏi đáp '{entry}'"
CITE_INBOX = "Ban Tuyên giáo trả lời, {date}"

# -- the officers' inbox (/chuatraloi, loa inbox) -------------------------------------------------------------
INBOX_STATES = {"open": "đang chờ", "answered": "đã trả lời", "attached": "đã gắn vào câu có sẵn",
                "dismissed": "đã bỏ qua"}  # fmt: skip
INBOX_NO_GROUP = "Không có nhóm câu hỏi số {id} (trong phạm vi của đồng chí)"
INBOX_CLOSED = "Nhóm câu hỏi số {id} {state} rồi"
INBOX_BAD_SOURCE = (
    "Nguồn «{source}» không có: ghi MÃ_VĂN_BẢN:MỤC, ví dụ hd-ktxh-2023:II.1.6 (xem loa content list)"
)
INBOX_FILE_BROKEN = "Tệp {file} trong thư mục nội dung đang lỗi ({reason}); sửa tệp rồi làm lại"
INBOX_WRITE_FAILED = "Không ghi được {file}: {reason}"
INBOX_INVALID = "Câu trả lời chưa hợp lệ ({field}): {message}"
INBOX_NO_ENTRY = "Không có mục hỏi đáp «{entry}»"
INBOX_FAQ_HEADER = (
    "# Câu trả lời của Ban Tuyên giáo cho những câu hỏi Loa chưa trả lời được (viết từ /chuatraloi hoặc\n"
    "# 'loa inbox answer'). Sửa được bằng tay; Loa tự nạp lại.\n"
)
INBOX_PHRASINGS_HEADER = (
    "# Cách hỏi thêm cho các mục hỏi đáp: câu người dân, tuyên truyền viên đã hỏi, gắn từ /chuatraloi hoặc\n"
    "# 'loa inbox attach'. Dạng: 'mã mục: [cách hỏi, ...]'.\n"
)
INBOX_ANSWER_NOTICE = (
    "💬 Câu hỏi của đồng chí ngày {date} «{question}» đã có trả lời:\n\n{answer}\n\n📄 Nguồn: {cite}"
)
INBOX_NOTICE_SUMMARY = "(trả lời nhóm câu hỏi số {id})"
CLI_INBOX_LINE = "#{id} · {count} lần · gần nhất {last} · «{question}»"
CLI_INBOX_EMPTY = "Không có câu hỏi nào đang chờ trả lời."
CLI_INBOX_ANSWERED = (
    "Đã trả lời nhóm {id} bằng mục «{entry}»; người đã hỏi sẽ được báo (loa run đang chạy gửi)."
)
CLI_INBOX_ATTACHED = "Đã gắn nhóm {id} vào mục «{entry}»; người đã hỏi sẽ được báo."
CLI_INBOX_DISMISSED = "Đã bỏ qua nhóm {id}."
INBOX_TITLE = "trả lời câu hỏi"
INBOX_CANCELLED = "Đã thôi, nhóm câu hỏi vẫn chờ trong /chuatraloi."
INBOX_EMPTY = "Không có câu hỏi nào đang chờ trả lời trong phạm vi của đồng chí."
INBOX_HEADER = "📥 {count} nhóm câu hỏi Loa chưa trả lời được, mới nhất trước (trang {page}/{pages}):"
INBOX_LINE = "#{id} «{question}» — {count} lần, gần nhất {last}"
INBOX_GONE = "Nhóm câu hỏi #{id} không còn chờ (đã có người xử lý)."
INBOX_GROUP = "📥 Nhóm #{id}: hỏi {count} lần, từ {first} đến {last}:"
INBOX_DISMISSED = "Đã bỏ qua nhóm #{id}."
INBOX_TYPE_ANSWER = "✍️ Gõ câu trả lời cho nhóm #{id} («{question}»). Người đã hỏi sẽ nhận đúng câu này."
INBOX_ANSWER_LENGTH = "Câu trả lời cần {low}–{high} ký tự (đang có {length}); gõ lại."
INBOX_PICK_SOURCE = "Câu trả lời dựa vào văn bản nào?"
INBOX_TYPE_SECTION = "Gõ số mục của văn bản (ví dụ II.1.6). Các mục: {sections}"
INBOX_NO_SECTION = "Văn bản không có mục «{section}»; gõ lại số mục."
INBOX_PREVIEW = "👀 Xem trước — người đã hỏi «{question}» sẽ nhận:\n\n{answer}\n\n📄 Nguồn: {cite}"
INBOX_ANSWERED = (
    "✅ Đã trả lời nhóm #{id} (mục «{entry}», Loa trả lời theo đó từ bây giờ); báo cho {told} nơi đã hỏi."
)
INBOX_PICK_ENTRY = (
    "Nhóm #{id} («{question}») giống câu hỏi có sẵn nào? Chọn, hoặc gõ vài chữ để tìm câu khác."
)
INBOX_NOTHING_FOUND = "Không tìm thấy câu nào; gõ chữ khác."
INBOX_ATTACHED = "✅ Đã gắn nhóm #{id} vào mục «{entry}»; báo cho {told} nơi đã hỏi."
INBOX_STEP_ANSWER = "Gõ câu trả lời."
INBOX_STEP_SOURCE = "Chọn văn bản làm nguồn."
INBOX_STEP_SECTION = "Gõ số mục của văn bản."
INBOX_STEP_CONFIRM = "Bấm «Gửi» để trả lời."
INBOX_STEP_ATTACH = "Chọn câu hỏi có sẵn, hoặc gõ vài chữ để tìm."
BUTTON_INBOX_ANSWER = "✍️ Trả lời"
BUTTON_INBOX_ATTACH = "🔗 Giống câu đã có"
BUTTON_INBOX_DISMISS = "🗑 Bỏ qua"
BUTTON_INBOX_SEND = "✅ Gửi câu trả lời"
BUTTON_INBOX_REWRITE = "✏️ Viết lại"
BUTTON_NO_SOURCE = "Không ghi nguồn văn bản"
INBOX_EXPIRED = " (hết hiệu lực)"
STATS_REVIEW = (
    "Đã nhận {accepted}, chờ duyệt {waiting}; {returned} báo cáo bị trả lại chưa gửi lại (không tính)."
)
REVIEW_STATES = {
    "submitted": "Chờ duyệt",
    "accepted": "Đã nhận",
    "returned": "Bị trả lại",
    "withdrawn": "Đã rút",
}
XLSX_REVIEW_NOTE = (
    "Tính cả báo cáo đã nhận ({accepted}) và đang chờ duyệt ({waiting}); không tính {returned} báo cáo bị trả lại"
    " chưa gửi lại."
)

# -- review of reports (/duyet, loa report accept/return) ----------------------------------------------------
REVIEW_NO_REPORT = "Không có báo cáo số {id} (trong phạm vi của đồng chí)"
REVIEW_NOT_WAITING = "Báo cáo số {id} không chờ duyệt (đang: {state})"
REVIEW_REASON_SHORT = "Lý do trả lại cần ít nhất {count} ký tự"
REVIEW_DESCRIBE = "{date}, {form}, {attendees} người, {place}"
REVIEW_RETURNED_NOTICE = (
    "↩️ Báo cáo số {id} ({what}) được trả lại để sửa.\nLý do: {reason}\n\nBấm «Sửa» để sửa rồi gửi lại."
)
REVIEW_RESUBMITTED_NOTICE = "🔁 Báo cáo số {id} của {reporter} ({what}) đã được sửa và gửi lại."
REVIEW_NOTICE_SUMMARY = "(thông báo về báo cáo số {id})"
BUTTON_FIX_REPORT = "✏️ Sửa"
BUTTON_REVIEW_ACCEPT = "✅ Nhận #{id}"
BUTTON_REVIEW_RETURN = "↩️ Trả lại #{id}"
HELP_DUYET = "• /duyet — duyệt báo cáo chờ duyệt: nhận, hoặc trả lại kèm lý do."
REVIEW_EMPTY = "Không có báo cáo nào chờ duyệt trong phạm vi của đồng chí."
REVIEW_HEADER = "🗂 {count} báo cáo chờ duyệt (trang {page}/{pages}), cũ nhất trước:"
REVIEW_LINE = "#{id} · {what} · {reporter}"
REVIEW_ACCEPTED = "✅ Đã nhận báo cáo số {id}."
REVIEW_ASK_REASON = (
    "↩️ Trả lại báo cáo số {id} ({what}). Gõ lý do để người báo cáo sửa (ví dụ: số người dự chưa đúng)."
)
REVIEW_SENT_BACK = "Đã trả lại báo cáo số {id}; người báo cáo được báo kèm lý do và nút «Sửa»."
REVIEW_TITLE = "trả lại báo cáo"
REVIEW_CANCELLED = "Đã thôi, báo cáo vẫn chờ duyệt."
REVIEW_STEP_REASON = "Gõ lý do trả lại."
REVIEW_MINE_MARK = " — {state}"
REVIEW_MINE_REASON = "   Lý do trả lại: {reason}"
CLI_REPORT_LINE = "#{id} · {state} · {date} · {unit} · {form} · {attendees} người"
CLI_REPORT_NONE = "Không có báo cáo nào."
CLI_REPORT_ACCEPTED = "Đã nhận báo cáo số {id}."
CLI_REPORT_RETURNED = "Đã trả lại báo cáo số {id}; loa run đang chạy sẽ báo người báo cáo."
CLI_BAD_STATE = "--state là một trong: submitted, accepted, returned, withdrawn"
CONTENT_BAD_REMINDER_DAYS = "days_before là các số từ 1 đến 30"

# -- reminders and the weekly digest ------------------------------------------------------------------------
REMIND_DEFAULT = (
    "Sắp hết {quarter} (ngày cuối quý {last_day}). Gõ /baocao để báo cáo buổi tuyên truyền đã làm."
)
DIGEST_HEADER = "🗞 Bản tin tuần của {scope} ({start}–{end}):"
DIGEST_COMMUNE = "• {name}: {sessions} buổi, {attendees} người dự"
DIGEST_NO_REPORTS = "• Tuần qua chưa có báo cáo nào."
DIGEST_SILENT = "Im lặng {days} ngày ({count}): {names}"
DIGEST_NONE_SILENT = "Không ai im lặng quá {days} ngày."
DIGEST_QUESTIONS = "Câu hỏi đang chờ trả lời (/chuatraloi):"
DIGEST_QUESTION = "• «{question}» — {count} lần"
DIGEST_SUMMARY = "(bản tin tuần {week})"
HELP_NHACBAOCAO = "• /nhacbaocao — nhắc những tuyên truyền viên chưa báo cáo quý này."
REMIND_NOBODY = "Mọi tuyên truyền viên trong phạm vi của đồng chí đã báo cáo {quarter}."
REMIND_CONFIRM = "Gửi lời nhắc báo cáo cho {count} tuyên truyền viên chưa báo cáo {quarter}?\n\n«{text}»"
BUTTON_REMIND_SEND = "📨 Gửi nhắc {count} người"
REMIND_QUEUED = "Đã xếp gửi lời nhắc tới {count} nơi; Loa gửi dần theo giới hạn của ứng dụng."
REMIND_ALREADY = "Hôm nay đồng chí đã gửi lời nhắc này rồi ({count} nơi); không gửi lần hai."
DIGEST_STOPPED = "Đã thôi gửi bản tin tuần cho đồng chí. Gõ /dangkynhan để nhận lại."
DIGEST_STARTED = "Đồng chí sẽ nhận bản tin tuần vào sáng thứ Hai."

# -- the web console ------------------------------------------------------------------------------------------
WEB_TITLE = "Bảng điều khiển"
WEB_NAV = [
    ("/", "Tổng quan"),
    ("/bao-cao", "Báo cáo"),
    ("/cau-hoi", "Câu hỏi chưa trả lời"),
    ("/noi-dung", "Nội dung"),
    ("/phat-thanh", "Phát thanh"),
    ("/nhat-ky", "Nhật ký"),
]
WEB_LOGOUT = "Đăng xuất"
WEB_LOGIN_TITLE = "Đăng nhập"
WEB_LOGIN_HOW = "Bảng điều khiển của Loa không dùng mật khẩu. Để vào:"
WEB_LOGIN_STEPS = [
    "Mở Loa trên Telegram (hoặc Zalo) bằng tài khoản cán bộ của đồng chí.",
    "Gõ /web — Loa gửi một đường dẫn đăng nhập, dùng được một lần trong 10 phút.",
    "Bấm vào đường dẫn đó trên máy tính hoặc điện thoại này.",
]
WEB_LINK_USED = "Đường dẫn này đã dùng rồi, đã hết hạn hoặc không còn quyền. Gõ /web để lấy đường dẫn mới."
WEB_LOGIN_THROTTLED = "Đã thử quá nhiều đường dẫn đăng nhập sai từ máy này. Xin đợi {minutes} phút rồi thử lại, hoặc gõ /web để lấy đường dẫn mới."
WEB_LINK_REFUSED = "{user} không phải cán bộ hay quản trị viên: không cấp đường dẫn đăng nhập"
WEB_ERRORS = {400: "Yêu cầu không hợp lệ.", 403: "Không được phép (phiên đã hết hoặc thiếu mã xác nhận biểu mẫu).",
              404: "Không có trang này (hoặc không thuộc phạm vi của đồng chí)."}  # fmt: skip
WEB_ERROR_OTHER = "Có lỗi, xin thử lại."
WEB_HOME = "Về trang tổng quan"
WEB_OVERVIEW = "Tổng quan"
WEB_SESSIONS = "buổi"
WEB_ATTENDEES = "người dự"
WEB_WAITING_REVIEW = "báo cáo chờ duyệt"
WEB_WAITING_QUESTIONS = "nhóm câu hỏi chờ trả lời"
WEB_BY_COMMUNE = "Theo xã/phường"
WEB_BY_FORM = "Theo hình thức"
WEB_BY_TOPIC = "Theo chủ đề"
WEB_CHART_ALT = "Biểu đồ số buổi và số người dự theo xã/phường"
WEB_COMMUNE = "Xã/phường"
WEB_NONE = "Chưa có."
WEB_SILENT = "Chưa báo cáo quý này"
WEB_QUESTIONS = "Câu hỏi chờ trả lời"
WEB_TIMES = "lần"
WEB_BROADCASTS = "Tin phát gần đây"
WEB_REPORTS = "Báo cáo"
WEB_REPORT = "Báo cáo"
WEB_QUARTER = "Quý"
WEB_ALL = "Tất cả"
WEB_STATE = "Trạng thái"
WEB_FORM = "Hình thức"
WEB_FILTER = "Lọc"
WEB_DATE = "Ngày"
WEB_REPORTER = "Người báo cáo"
WEB_WHAT = "Buổi tuyên truyền"
WEB_TOPICS = "Chủ đề"
WEB_CONCERNS = "Ý kiến người dân"
WEB_REASON = "Lý do trả lại"
WEB_ACCEPT = "Nhận báo cáo"
WEB_RETURN = "Trả lại"
WEB_INBOX_ANSWER = "Trả lời"
WEB_INBOX_ATTACH = "Giống câu đã có"
WEB_INBOX_DISMISS = "Bỏ qua"
WEB_INBOX_SEND = "Gửi câu trả lời"
WEB_INBOX = "Câu hỏi chưa trả lời"
WEB_ANSWER = "Câu trả lời"
WEB_SOURCE = "Nguồn"
WEB_SECTION = "Mục"
WEB_ATTACH = "Gắn vào câu này"
WEB_AUDIT = "Nhật ký"
WEB_ACTION = "Việc"
WEB_WHEN = "Lúc"
WEB_WHO = "Ai"
WEB_DETAIL = "Chi tiết"
HELP_WEB = "• /web — đường dẫn đăng nhập bảng điều khiển (dùng một lần, 10 phút)."
WEB_LINK_SENT = (
    "🔐 Đường dẫn đăng nhập bảng điều khiển (dùng một lần, trong 10 phút; đừng chuyển cho ai):\n{url}"
)
CLI_WEB_NO_PORT = "Chưa đặt LOA_WEB_PORT (cổng của bảng điều khiển)"
CLI_WEB_SERVING = "Bảng điều khiển: {url} (Ctrl-C để dừng)"
WEB_CANNOT_LISTEN = (
    "Bảng điều khiển không mở được {host}:{port} ({reason}); đổi LOA_WEB_PORT hoặc LOA_WEB_LISTEN"
)
WEB_CONTENT = "Nội dung"
WEB_DOCUMENTS = "Văn bản hướng dẫn"
WEB_NUMBER = "Số"
WEB_ISSUED = "Ngày"
WEB_VALIDITY = "Hiệu lực"
WEB_STATES_DOC = {"current": "Còn hiệu lực", "expired": "Hết hiệu lực", "superseded": "Đã bị thay thế"}
WEB_COUNTS = "Mục / đoạn / hỏi đáp"
WEB_UPLOAD = "Nhập văn bản mới"
WEB_UPLOAD_HOW = "Tệp .docx, .pdf có lớp chữ, .txt hoặc .md, tối đa {limit} MB. Loa cho xem những gì đọc được trước khi nhập."
WEB_UPLOAD_ONLY_PROVINCE = "Chỉ cán bộ cấp tỉnh và quản trị viên được nhập văn bản."
WEB_READ = "Đọc tệp"
WEB_PREVIEW = "Loa đọc được"
WEB_IMPORT = "Nhập văn bản này"
WEB_CANCEL = "Hủy"
WEB_SECTIONS = "mục"
WEB_PASSAGES = "đoạn"
WEB_WARNINGS = "Cần xem lại"
WEB_BROADCAST = "Phát thanh"
WEB_COMPOSE = "Soạn tin"
WEB_AUDIENCE = "Tin tới {count} nơi nhận trong phạm vi của đồng chí (người đã đăng ký và nhóm do cán bộ gắn)."
WEB_AT = "Gửi lúc (để trống: gửi ngay)"
WEB_SEE = "Xem trước"
WEB_AS_SHOWN = "Người nhận sẽ thấy:"
WEB_SEND_AT = "Gửi lúc {at}"
WEB_SEND_NOW = "Gửi ngay"
WEB_SEND = "Gửi tới {count} nơi"
WEB_PROGRESS = "Tiến độ"
WEB_SENT = "đã gửi"
WEB_PENDING = "chờ"
WEB_FAILED = "lỗi"
WEB_FAQ = "Hỏi đáp"
WEB_FAQ_SEARCH = "Tìm câu hỏi"
WEB_FAQ_NEW = "Thêm câu hỏi đáp"
WEB_FAQ_QUESTIONS = "Các cách hỏi (mỗi dòng một cách, ít nhất 4)"
WEB_FAQ_SOURCE = "Nguồn (MÃ_VĂN_BẢN:MỤC, ví dụ hd-ktxh-2023:II.1.6)"
WEB_FAQ_SAVE = "Lưu"
WEB_FAQ_RETIRE = "Thôi dùng câu này"
WEB_FAQ_SAVED = "Đã lưu «{entry}»; Loa trả lời theo đó từ bây giờ."
WEB_FAQ_ADDED = "Đã thêm «{entry}»."
WEB_FAQ_RETIRED = "Đã thôi dùng «{entry}» (vẫn giữ trong tệp)."
WEB_FAQ_READ_ONLY = "Chỉ cán bộ cấp tỉnh và quản trị viên được sửa nội dung."
WEB_RETIRED = "đã thôi dùng"
WEB_VALIDITY_SAVED = "Đã lưu hiệu lực của «{id}»."
WEB_VALID_UNTIL = "Hiệu lực đến"
WEB_REPLACED_BY = "Thay bằng"
WEB_NOT_REPLACED = "(không)"
WEB_SAVE = "Lưu"
