"""The console's words: what its pages and templates say (the templates read them as ``t``)."""

from __future__ import annotations

from datetime import timedelta

WEB_TITLE = "Bảng điều khiển"
WEB_NAV = [
    ("/", "Tổng quan"),
    ("/bao-cao", "Báo cáo"),
    ("/cau-hoi", "Câu hỏi chưa trả lời"),
    ("/du-luan", "Dư luận"),
    ("/noi-dung", "Nội dung"),
    ("/phat-thanh", "Phát thanh"),
    ("/ban-tin", "Bản tin loa"),
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
WEB_LOGIN_THROTTLED = (
    "Đã thử quá nhiều đường dẫn đăng nhập sai từ máy này. Xin đợi {minutes} phút rồi thử lại, hoặc gõ "
    "/web để lấy đường dẫn mới."
)
WEB_ERRORS = {
    400: "Yêu cầu không hợp lệ.",
    405: "Trang này chỉ nhận biểu mẫu gửi từ nút bấm; xin quay lại trang trước và bấm nút trên trang.",
    403: "Không được phép (phiên đã hết hoặc thiếu mã xác nhận biểu mẫu).",
    404: "Không có trang này (hoặc không thuộc phạm vi của đồng chí).",
}
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
WEB_ALL = "Tất cả"
WEB_STATE = "Trạng thái"
WEB_FORM = "Hình thức"
WEB_FILTER = "Lọc"
WEB_DATE = "Ngày"
WEB_WHAT = "Buổi tuyên truyền"
WEB_REPORTER = "Người báo cáo"
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
WEB_ATTACH = "Gắn vào câu này"
WEB_AUDIT = "Nhật ký"
WEB_ACTION = "Loại việc"
WEB_WHO = "Người làm"
WEB_CANNOT_LISTEN = (
    "Bảng điều khiển không mở được {host}:{port} ({reason}); đổi LOA_WEB_PORT hoặc LOA_WEB_LISTEN"
)
WEB_CONTENT = "Nội dung"
WEB_DOCUMENTS = "Văn bản hướng dẫn"
WEB_NUMBER = "Số"
WEB_ISSUED = "Ngày ban hành"
WEB_VALIDITY = "Hiệu lực"
WEB_STATES_DOC = {"current": "Còn hiệu lực", "expired": "Hết hiệu lực", "superseded": "Đã bị thay thế"}
WEB_COUNTS = "Mục / đoạn / hỏi đáp"
WEB_UPLOAD = "Nhập văn bản mới"
WEB_UPLOAD_HOW = (
    "Tệp .docx, .pdf có lớp chữ, .txt hoặc .md, tối đa {limit} MB. Loa cho xem những gì đọc được trước "
    "khi nhập."
)
WEB_UPLOAD_ONLY_PROVINCE = "Chỉ cán bộ cấp tỉnh và quản trị viên được nhập văn bản."
WEB_READ = "Đọc tệp"
WEB_PREVIEW = "Loa đọc được"
WEB_IMPORT = "Nhập văn bản này"
WEB_CANCEL = "Hủy"
WEB_SECTIONS = "mục"
WEB_PASSAGES = "đoạn"
WEB_BROADCAST = "Phát thanh"
WEB_COMPOSE = "Soạn tin"
WEB_AIM = "Gửi tới"
WEB_AIM_ALL = "Cả phạm vi phụ trách ({count} nơi nhận)"
WEB_AIM_CHOSEN = "Các xã/phường, thôn/bản chọn dưới đây"
WEB_GROUPS_ONLY = "Chỉ gửi vào các nhóm đã đăng ký nhận tin (không gửi tin nhắn riêng)"
WEB_WHOLE_SCOPE = "cả phạm vi phụ trách"
WEB_GROUPS_ONLY_SHOWN = " — chỉ các nhóm"
WEB_WHOLE_COMMUNE = "Cả {name}"
WEB_PICK_PLACES = "Chưa chọn xã/phường hay thôn/bản nào để gửi tới."
WEB_PREVIEW_AIM = "Tới: {aim}. {count} nơi nhận."
WEB_NOT_SENDING = (
    "Lưu ý: hiện chưa có máy nào của Loa đang gửi tin qua Telegram hay Zalo, nên tin nằm chờ trong hàng đợi "
    "và sẽ được gửi khi Loa chạy lại."
)
WEB_QUEUED = "✅ Đã xếp lịch gửi tới {count} nơi nhận (tin số {id}); tiến độ ở bảng dưới."
WEB_QUEUED_BEFORE = "Tin này đã được gửi đi từ trước (tin số {id}); không gửi lại."
WEB_BAD_TIME = "Giờ gửi chưa đúng; chọn ngày giờ trong ô «Gửi lúc», hoặc để trống để gửi ngay."
WEB_EDIT = "Sửa"
WEB_TEXT = "Nội dung"
WEB_STATUS = "Tình trạng"
WEB_WITHDRAWN = "đã rút"
WEB_CANCEL_SEND = "Hủy tin này"
WEB_BROADCAST_STATES = {"pending": "Đang chờ gửi", "done": "Đã gửi xong", "cancelled": "Đã hủy"}
WEB_SCHEDULED = "Hẹn gửi"
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

# -- the pulse of public opinion (/du-luan) ---------------------------------------------------------------
WEB_OPINION = "Dư luận của bà con"
WEB_OPINION_PERIOD = "Kỳ"
WEB_OPINION_TOTAL = (
    "{total} ý kiến ({previous}: {previous_total}) từ {villages} thôn/bản, {communes} xã/phường; "
    "{answered} đã có trả lời."
)
WEB_OPINION_NONE = "Chưa ghi nhận ý kiến nào của bà con trong kỳ này."
WEB_OPINION_THEME = "Chủ đề"
WEB_OPINION_MENTIONS = "Số ý kiến"
WEB_OPINION_CHANGE = "So với kỳ trước"
WEB_OPINION_PLACES = "Thôn/bản"
WEB_OPINION_ANSWERED = "Đã trả lời"
WEB_OPINION_ISSUES = "Vấn đề bà con nêu (số lần)"
WEB_OPINION_WAITING = "Câu hỏi của bà con còn chờ trả lời"
WEB_OPINION_CHART_ALT = "Biểu đồ số ý kiến theo chủ đề, từng tuần"
WEB_OPINION_DOCX = "Tải báo cáo (DOCX)"
WEB_OPINION_XLSX = "Tải số liệu (XLSX)"
WEB_PERIOD_MONTH = "Tháng này"
WEB_PERIOD_LAST_MONTH = "Tháng trước"
WEB_PERIOD_QUARTER = "Quý này ({label})"
WEB_INBOX_RESIDENTS = "Bà con hỏi qua tuyên truyền viên"
WEB_EVERYONE = "Mọi người"
WEB_FROM_DAY = "Từ ngày"
WEB_TO_DAY = "Đến ngày"
WEB_AUDIT_NONE = "Không có việc nào khớp bộ lọc."


def ago(elapsed: timedelta) -> str:
    """«vừa xong», «5 phút trước», «2 giờ trước», «3 ngày trước»; «sau 2 giờ» ahead; "" beyond a week."""
    seconds = elapsed.total_seconds()
    ahead, seconds = seconds < 0, abs(seconds)
    if seconds < 60:
        return "" if ahead else "vừa xong"
    for size, unit in ((86400, "ngày"), (3600, "giờ"), (60, "phút")):
        if seconds >= size:
            count = int(seconds // size)
            if unit == "ngày" and count > 7:
                return ""
            return f"sau {count} {unit}" if ahead else f"{count} {unit} trước"
    return ""


WEB_BAD_PERIOD = "Không đọc được kỳ đã chọn; đang xem quý này. Chọn kỳ trong danh sách."
WEB_DOWNLOAD_XLSX = "Tải bảng tính (XLSX)"
WEB_DOWNLOAD_CSV = "Tải bảng (CSV)"
WEB_INBOX_ANSWERED = (
    "✅ Đã trả lời nhóm #{id}: Loa trả lời câu này theo đó từ bây giờ, và báo cho {told} nơi đã hỏi."
)
WEB_INBOX_TITLE = "Câu hỏi (tiêu đề trong mục hỏi đáp, sửa cho đúng)"
WEB_INBOX_SOURCE_HOW = "Gõ vài chữ của tên mục hoặc số văn bản rồi chọn; để trống nếu không dẫn nguồn"
WEB_INBOX_PREVIEW = "Xem trước"
WEB_INBOX_AS_SHOWN = "Người hỏi sẽ nhận được:"
WEB_INBOX_FROM = "Hỏi lần đầu {first}, gần nhất {last}"
WEB_UNTIL = "hiệu lực đến"
WEB_REACHED = "{sent}/{total} nơi đã nhận"
WEB_MENU = "Danh mục"
WEB_NUMBER_OF = "Tin số"
WEB_INBOX_GONE = "{error}. Câu trả lời đồng chí đã gõ (chưa gửi): «{answer}»"
WEB_INBOX_DISMISS_SURE = "Bỏ qua nhóm này (không ai được báo)"
WEB_INBOX_NO_SOURCES = (
    "Chưa có văn bản nào còn hiệu lực để dẫn nguồn; có thể gửi câu trả lời không ghi nguồn."
)
WEB_FAQ_SOURCE_HOW = "Gõ vài chữ của tên mục hoặc số văn bản rồi chọn (câu hỏi đáp cần có nguồn)"

# -- the loudspeaker bulletin (/ban-tin) -------------------------------------------------------------------
WEB_BULLETIN = "Bản tin cho loa truyền thanh"
WEB_BULLETIN_HOW = (
    "Chọn sự kiện sắp tới, văn bản hoặc một mục của văn bản (gõ vài chữ rồi chọn), hoặc tự soạn nội dung. "
    "Loa viết thành bài đọc trên loa: có lời mở đầu và kết thúc, câu ngắn, số, ngày, chữ viết tắt đọc thành "
    "lời."
)
WEB_BULLETIN_FROM = "Làm từ"
WEB_BULLETIN_FROM_HOW = "Gõ vài chữ của sự kiện, văn bản hoặc mục rồi chọn"
WEB_BULLETIN_OWN = "Hoặc tự soạn nội dung"
WEB_BULLETIN_TITLE = "Tiêu đề (khi tự soạn)"
WEB_BULLETIN_BUILD = "Soạn bài đọc"
WEB_BULLETIN_SCRIPT = "Bài đọc (sửa được; đọc khoảng {duration})"
WEB_BULLETIN_LISTEN = "Nghe thử"
WEB_BULLETIN_SEND = "Gửi tới phạm vi (chữ và âm thanh)"
WEB_BULLETIN_WHAT = "Chưa chọn nguồn hay soạn nội dung cho bản tin."
WEB_BULLETIN_AUDIO = "Nghe bản tin"
WEB_BULLETIN_DOWNLOAD = "Tải tệp MP3"
WEB_BULLETIN_SENT_HOW = (
    "Người nhận trên Telegram được bài đọc và tin nhắn thoại; trên Zalo được bài đọc (Zalo không nhận âm "
    "thanh)."
)
