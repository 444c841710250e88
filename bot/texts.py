"""The words several features share: roles, refusals, the generic error, buttons every dialog shows.

A feature's own sentences are beside its code (a block "what it says" near the top of its module; the
console's in ``bot/web/texts.py``); only what more than one place says is here.
"""

from __future__ import annotations

BUTTON_MORE = "Xem thêm ▸"

STALE_BUTTON = "Lựa chọn này đã cũ hoặc nội dung đã thay đổi. Gõ /chude để xem lại."

# -- dialogs (the engine's own words, for every dialog) -----------------------------------------------
STALE_BUTTON_DIALOG = "Lựa chọn này thuộc một lần {what} đã xong hoặc đã hủy."


ERROR = "Xin lỗi, Loa gặp lỗi khi xử lý tin này. Xin thử lại sau ít phút."


# -- the store ----------------------------------------------------------------------------------------
WEBHOOK_SECRET_SHARED = "Với PostgreSQL (nhiều tiến trình dùng chung), hãy đặt {name}: mọi tiến trình phải dùng cùng một khóa webhook"
STORE_MIGRATION_FAILED = "Nâng cấp cơ sở dữ liệu lên phiên bản {version} thất bại: {reason}"


CHANNEL_NOT_CONFIGURED = "Kênh chưa được cấu hình ({variable} chưa đặt)"


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
BUTTON_OTHER_PLACE = "✏️ Nơi khác (gõ tên)"
INVITE_BAD_UNIT = "Không có đơn vị mã «{unit}». Gõ mã xã/phường hoặc thôn/bản trong danh sách đơn vị."

# -- reports --------------------------------------------------------------------------------------------
BUTTON_CANCEL = "✖ Hủy"

# -- officers -------------------------------------------------------------------------------------------
EXPORT_USAGE = "Cách dùng: /xuat [quy N/NNNN] [csv]. Ví dụ: /xuat quy 1/2024"
CHART_TITLE = "Số buổi tuyên truyền theo xã/phường — {period}"

# -- subscriptions, events, broadcasts -------------------------------------------------------------------
BROADCAST_QUEUED = "Đã xếp lịch gửi tới {count} nơi nhận (số {id}). Gõ /phatthanh để xem tiến độ."
BROADCAST_NONE_YET = "Chưa có tin nào được phát."


# -- documents in (loa content import, /nhapvanban) ---------------------------------------------------------
IMPORT_TOO_BIG = "Tệp nặng {size:.1f} MB, quá giới hạn {limit} MB"
IMPORT_NO_TEXT = "Không tìm thấy chữ nào trong tệp"
IMPORT_BAD_FLAG_DATE = "{flag}: ngày «{value}» không đúng dạng YYYY-MM-DD"
IMPORT_UNKNOWN = "không rõ"
CONTENT_NO_NEWER = "văn bản '{document}' không có"
IMPORT_FAILED = "❌ Không nhập được: {reason}"
IMPORT_WILL_REPLACE = "Đã có văn bản mã «{id}»: nhập sẽ thay bản cũ."
IMPORT_CANCELLED = "Đã hủy, không nhập gì."
IMPORT_STALE = "Tệp này đã quá hạn xác nhận (1 giờ) hoặc đã xử lý; hãy gửi lại tệp."
IMPORT_DONE = "✅ Đã nhập «{id}»: {title}. Loa trả lời theo văn bản này ngay từ bây giờ."
IMPORT_DONE_NOT_LIVE = "Đã ghi văn bản «{id}», nhưng thư mục nội dung đang có lỗi nên Loa vẫn dùng nội dung cũ. Lỗi đầu tiên: {error}"
CITE_INBOX = "Ban Tuyên giáo trả lời, {date}"

# -- the officers' inbox (/chuatraloi, loa inbox) -------------------------------------------------------------
INBOX_BAD_SOURCE = (
    "Nguồn «{source}» không có: ghi MÃ_VĂN_BẢN:MỤC, ví dụ hd-ktxh-2023:II.1.6 (xem loa content list)"
)
INBOX_WRITE_FAILED = "Không ghi được {file}: {reason}"
INBOX_NO_ENTRY = "Không có mục hỏi đáp «{entry}»"
INBOX_FAQ_HEADER = (
    "# Câu trả lời của Ban Tuyên giáo cho những câu hỏi Loa chưa trả lời được (viết từ /chuatraloi hoặc\n"
    "# 'loa inbox answer'). Sửa được bằng tay; Loa tự nạp lại.\n"
)
INBOX_EMPTY = "Không có câu hỏi nào đang chờ trả lời trong phạm vi của đồng chí."
INBOX_DISMISSED = "Đã bỏ qua nhóm #{id}."
INBOX_ANSWERED = (
    "✅ Đã trả lời nhóm #{id} (mục «{entry}», Loa trả lời theo đó từ bây giờ); báo cho {told} nơi đã hỏi."
)
INBOX_ATTACHED = "✅ Đã gắn nhóm #{id} vào mục «{entry}»; báo cho {told} nơi đã hỏi."
BUTTON_NO_SOURCE = "Không ghi nguồn văn bản"
REVIEW_STATES = {
    "submitted": "Chờ duyệt",
    "accepted": "Đã nhận",
    "returned": "Bị trả lại",
    "withdrawn": "Đã rút",
}

# -- review of reports (/duyet, loa report accept/return) ----------------------------------------------------
REVIEW_NO_REPORT = "Không có báo cáo số {id} (trong phạm vi của đồng chí)"
BUTTON_REVIEW_ACCEPT = "✅ Nhận #{id}"
BUTTON_REVIEW_RETURN = "↩️ Trả lại #{id}"
REVIEW_ACCEPTED = "✅ Đã nhận báo cáo số {id}."
REVIEW_SENT_BACK = "Đã trả lại báo cáo số {id}; người báo cáo được báo kèm lý do và nút «Sửa»."

# -- reminders and the weekly digest ------------------------------------------------------------------------
REMIND_DEFAULT = (
    "Sắp hết {quarter} (ngày cuối quý {last_day}). Gõ /baocao để báo cáo buổi tuyên truyền đã làm."
)
