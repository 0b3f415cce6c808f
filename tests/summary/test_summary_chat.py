"""`/summary` on a realistic year of the bundled plan, pinned word for word: the monitor's whole plan for
the current reporting cycle (Năm 2026), a past quarter and a month, on Telegram (4096 characters) and on
Zalo (2000); a unit lead's unit; a staff member's short version. Then the requests that go wrong."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from domain.payloads import MAX_PAYLOAD_BYTES
from models import db
from models.errors import UserFacingError
from reports.summary_chat import summary_files, summary_reply
from tests.summary.conftest import Year
from tests.summary.scenario import TODAY, TZ

TELEGRAM, ZALO = 4096, 2000


def reply(
    engine: Engine, member: int, args: str, limit: int = TELEGRAM, locale: str = "vi"
) -> tuple[str, list[tuple[str, str]]]:
    with db.session_scope(engine) as session:
        return summary_reply(
            session, viewer_member_id=member, args=args, platform_limit=limit, today=TODAY, locale=locale, tz=TZ
        )


MONITOR_YEAR = """\
📊 <b>Tình hình thực hiện kế hoạch — Năm 2026</b>
Kế hoạch của Sở Khoa học và Công nghệ thực hiện Kế hoạch số 40/KH-UBND · toàn bộ kế hoạch · số liệu đến 10/11/2026
Nhiệm vụ trong kỳ: 20 (19 nhiệm vụ tại Phụ lục, 1 nghĩa vụ chung)
✅ hoàn thành đúng hạn: 4
☑️ hoàn thành quá hạn: 1
⏳ đang thực hiện (trong hạn): 7
⏰ đang thực hiện quá hạn: 3
❌ chưa thực hiện: 2
⏸️ chờ sự kiện: 3
Tỷ lệ hoàn thành đúng hạn: 100 % (Năm 2025: 55 %, tăng 45 điểm).

⚠️ <b>Vướng mắc (2):</b>
• <b>IV.1</b> (Văn phòng Sở): kinh phí
• <b>VI.2</b> (Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng): chưa có kinh phí tổ chức diễn đàn

⏰ <b>Quá hạn (5):</b> BC.1, III.2, IV.1, V.3, II.5

📭 <b>Chưa báo cáo trong kỳ (2):</b> Trung tâm Chuyên đổi số và Đổi mới sáng tạo; Phòng Bưu chính viễn thông và CDS

<b>I. Tuyên truyền, nâng cao nhận thức của…</b>
⏳ <b>I.2</b> Xây dựng kế hoạch và tổ chức tuyên… — «đang tuyên truyền, đã đăng 5…» (25/03)
✅ <b>I.3</b> Tổ chức diễn đàn đối thoại với doanh… — «đã tổ chức 1/1 diễn đàn đối…» (18/06)
⏳ <b>I.4</b> Tuyên truyền, phổ biến, hướng dẫn các… — «đang triển khai tuyên truyền» (20/09)

<b>II. Rà soát, xây dựng, bổ sung, hoàn thiện…</b>
⏳ <b>II.1</b> Rà soát văn bản quy phạm pháp luật để… — «đang rà soát, đạt 70%» (20/06)
⏸️ <b>II.2</b> Cụ thể hóa các chủ trương, chính sách… — chờ: sau khi trung ương ban hành…
⏳ <b>II.3</b> Xây dựng kế hoạch thực hiện Quyết định… — «đang triển khai kế hoạch…» (28/09)
☑️ <b>II.4</b> Xây dựng kế hoạch thực hiện Quyết định… — chuyển từ kỳ trước: hạn 31/12/2025 · «đã ban hành kế hoạch» (12/02)
❌ <b>II.5</b> Xây dựng kế hoạch thực hiện Quyết định… — chưa có báo cáo

<b>III. Phát triển nguồn nhân lực trong lĩnh…</b>
⏳ <b>III.1</b> Xây dựng kế hoạch và tổ chức đào tạo… — «đã tập huấn cho 100% công…» (25/06)
⏰ <b>III.2</b> Thường xuyên cử công chức, viên chức… — chuyển từ kỳ trước: hạn 31/12/2025 · «đã cử 38% công chức, viên…» (18/12)
✅ <b>III.3</b> Tổ chức triển khai thực hiện Đề án của… — «đã xây dựng kế hoạch triển…» (20/05)
⏳ <b>III.4</b> Tổ chức các khoá đào tạo, bồi dưỡng… — hạn 31/12/2026 · «đang chuẩn bị mở lớp, đạt 50%» (20/10)

<b>IV. Tăng cường đầu tư ngân sách nhà nước…</b>
⚠️ <b>IV.1</b> Tiếp tục đầu tư cơ sở vật chất cho… — chuyển từ kỳ trước: hạn 31/12/2025 · «vướng kinh phí, chưa được bố…» (22/12)
⏸️ <b>IV.2</b> Xây dựng cơ sở dữ liệu về tiêu chuẩn… — chờ: sau khi có hướng dẫn cụ thể…

<b>V. Đẩy mạnh công tác kiểm tra trong lĩnh…</b>
✅ <b>V.1</b> Tăng cường kiểm tra các đơn vị, cá… — «đã ban hành kế hoạch kiểm…» (20/03)
✅ <b>V.2</b> Tăng cường kiểm tra đối với các tổ… — «đã kiểm tra 3 tổ chức kiểm…» (10/06)
❌ <b>V.3</b> Đẩy mạnh công tác khảo sát chất lượng… — chuyển từ kỳ trước: hạn 31/12/2025 · chưa có báo cáo

<b>VI. Tăng cường các hoạt động hợp tác trong…</b>
⏸️ <b>VI.1</b> Tổ chức thực hiện Đề án tăng cường Hội… — chờ: Sau khi Trung ương ban hành…
⚠️ <b>VI.2</b> Tổ chức các diễn đàn trao đổi thông… — hạn 31/12/2026 · «vướng: chưa có kinh phí tổ…» (05/10)

<b>Nghĩa vụ chung của kế hoạch</b>
⏰ <b>BC.1</b> Các phòng, đơn vị trực thuộc Sở căn cứ… — chuyển từ kỳ trước: hạn 15/11/2025 · 3/4 đơn vị chủ trì đã xong · «đã gửi báo cáo, xong» (20/11)

🎯 <b>Chỉ tiêu của kế hoạch</b>
• <b>I.3</b>: 1 lần/năm — báo cáo: 1/1
• <b>III.1</b>: 100% công chức cấp tỉnh; 95% công chức cấp xã — báo cáo: 80 %
• <b>III.2</b>: khoảng 35% công chức, viên chức — báo cáo: 30 %
• <b>III.4</b>: 01 lớp/năm — báo cáo: 50 %
• <b>V.3</b>: Ít nhất 1 lần/năm — chưa có số liệu báo cáo
• <b>VI.2</b>: 1 lần/năm — chưa có số liệu báo cáo

Chi tiết đầy đủ trong các tệp bên dưới."""


MONITOR_Q4_2025 = """\
📊 <b>Tình hình thực hiện kế hoạch — Quý IV/2025</b>
Kế hoạch của Sở Khoa học và Công nghệ thực hiện Kế hoạch số 40/KH-UBND · toàn bộ kế hoạch · số liệu đến 10/11/2026
Nhiệm vụ trong kỳ: 18 (17 nhiệm vụ tại Phụ lục, 1 nghĩa vụ chung)
✅ hoàn thành đúng hạn: 5
☑️ hoàn thành quá hạn: 1
⏳ đang thực hiện (trong hạn): 3
⏰ đang thực hiện quá hạn: 3
❌ chưa thực hiện: 3
⏸️ chờ sự kiện: 3
Tỷ lệ hoàn thành đúng hạn: 50 % (Quý III/2025: 100 %, giảm 50 điểm).

⚠️ <b>Vướng mắc (1):</b>
• <b>IV.1</b> (Văn phòng Sở): kinh phí

⏰ <b>Quá hạn (6):</b> BC.1, I.2, III.2, IV.1, V.2, V.3

📭 <b>Chưa báo cáo trong kỳ (1):</b> Phòng Bưu chính viễn thông và CDS

<b>I. Tuyên truyền, nâng cao nhận thức của các cấp ủy đảng…</b>
❌ <b>I.2</b> Xây dựng kế hoạch và tổ chức tuyên truyền các chủ trương… — chưa có báo cáo
⏳ <b>I.4</b> Tuyên truyền, phổ biến, hướng dẫn các doanh nghiệp, các… — «đang tuyên truyền trên Zalo và Facebook» (12/12)

<b>II. Rà soát, xây dựng, bổ sung, hoàn thiện văn bản pháp luật…</b>
⏳ <b>II.1</b> Rà soát văn bản quy phạm pháp luật để đề nghị cấp có thẩm… — «đang rà soát 12 văn bản, đạt 40%» (20/12)
⏸️ <b>II.2</b> Cụ thể hóa các chủ trương, chính sách của trung ương để áp… — chờ: sau khi trung ương ban hành chủ trương…
✅ <b>II.3</b> Xây dựng kế hoạch thực hiện Quyết định số 1322/QĐ-TTg ngày… — «đã ban hành kế hoạch» (26/12)
☑️ <b>II.4</b> Xây dựng kế hoạch thực hiện Quyết định số 100/QĐ-TTg ngày… — «đã ban hành kế hoạch» (12/02)
✅ <b>II.5</b> Xây dựng kế hoạch thực hiện Quyết định số 996/QĐ-TTg ngày… — «đã ban hành kế hoạch» (29/12)

<b>III. Phát triển nguồn nhân lực trong lĩnh vực tiêu chuẩn, đo…</b>
✅ <b>III.1</b> Xây dựng kế hoạch và tổ chức đào tạo, tập huấn, bồi dưỡng… — «đã ban hành kế hoạch đào tạo» (30/12)
⏰ <b>III.2</b> Thường xuyên cử công chức, viên chức tham gia các khóa đào… — hạn 31/12/2025 · «đã cử 38% công chức, viên chức tham gia đào…» (18/12)
✅ <b>III.4</b> Tổ chức các khoá đào tạo, bồi dưỡng kiến thức về tiêu… — «đã tổ chức 1/1 lớp» (15/12)

<b>IV. Tăng cường đầu tư ngân sách nhà nước cho công tác tiêu…</b>
⚠️ <b>IV.1</b> Tiếp tục đầu tư cơ sở vật chất cho Trung tâm Kỹ thuật tiêu… — hạn 31/12/2025 · «vướng kinh phí, chưa được bố trí dự toán» (22/12)
⏸️ <b>IV.2</b> Xây dựng cơ sở dữ liệu về tiêu chuẩn, đo lường, chất lượng… — chờ: sau khi có hướng dẫn cụ thể của Bộ KH&amp;CN

<b>V. Đẩy mạnh công tác kiểm tra trong lĩnh vực tiêu chuẩn, đo…</b>
⏳ <b>V.1</b> Tăng cường kiểm tra các đơn vị, cá nhân sản xuất, kinh… — «đang kiểm tra, đã kiểm tra 15 cơ sở» (05/12)
❌ <b>V.2</b> Tăng cường kiểm tra đối với các tổ chức đánh giá sự phù… — chưa có báo cáo
❌ <b>V.3</b> Đẩy mạnh công tác khảo sát chất lượng sản phẩm, hàng hóa… — hạn 31/12/2025 · chưa có báo cáo

<b>VI. Tăng cường các hoạt động hợp tác trong lĩnh vực tiêu…</b>
⏸️ <b>VI.1</b> Tổ chức thực hiện Đề án tăng cường Hội nhập hợp tác quốc… — chờ: Sau khi Trung ương ban hành Đề án
✅ <b>VI.2</b> Tổ chức các diễn đàn trao đổi thông tin về tiêu chuẩn, đo… — «đã tổ chức diễn đàn, xong» (28/11)

<b>Nghĩa vụ chung của kế hoạch</b>
⏰ <b>BC.1</b> Các phòng, đơn vị trực thuộc Sở căn cứ các nhiệm vụ được… — hạn 15/11/2025 · 3/4 đơn vị chủ trì đã xong · «đã gửi báo cáo, xong» (20/11)

🎯 <b>Chỉ tiêu của kế hoạch</b>
• <b>III.1</b>: 100% công chức cấp tỉnh; 95% công chức cấp xã — chưa có số liệu báo cáo
• <b>III.2</b>: khoảng 35% công chức, viên chức — báo cáo: 38 % «đã cử 38% công chức, viên chức tham gia đào…»
• <b>III.4</b>: 01 lớp/năm — báo cáo: 1/1 «đã tổ chức 1/1 lớp»
• <b>V.3</b>: Ít nhất 1 lần/năm — chưa có số liệu báo cáo
• <b>VI.2</b>: 1 lần/năm — chưa có số liệu báo cáo

Chi tiết đầy đủ trong các tệp bên dưới."""


MONITOR_JUNE_ZALO = """\
📊 <b>Tình hình thực hiện kế hoạch — Tháng 6/2026</b>
Kế hoạch của Sở Khoa học và Công nghệ thực hiện Kế hoạch số 40/KH-UBND · toàn bộ kế hoạch · số liệu đến 10/11/2026
Nhiệm vụ trong kỳ: 17 (16 nhiệm vụ tại Phụ lục, 1 nghĩa vụ chung)
✅ hoàn thành đúng hạn: 2
⏳ đang thực hiện (trong hạn): 2
⏰ đang thực hiện quá hạn: 3
❌ chưa thực hiện: 7
⏸️ chờ sự kiện: 3
Tỷ lệ hoàn thành đúng hạn: 100 % (Tháng 5/2026: 100 %, không đổi).

⚠️ <b>Vướng mắc (1):</b>
• <b>IV.1</b> (Văn phòng Sở): kinh phí

⏰ <b>Quá hạn (10):</b> BC.1, III.2, IV.1, V.3, I.2, I.4, II.3, II.4, II.5, V.1

📭 <b>Chưa báo cáo trong kỳ (3):</b> Trung tâm Chuyên đổi số và Đổi mới sáng tạo; Văn phòng Sở; Phòng Bưu chính viễn thông và CDS

<b>I. Tuyên truyền, nâng cao nhận…</b>
❌ <b>I.2</b> — chưa có báo cáo
✅ <b>I.3</b>
❌ <b>I.4</b> — chưa có báo cáo

<b>II. Rà soát, xây dựng, bổ sung…</b>
⏳ <b>II.1</b>
⏸️ <b>II.2</b>
❌ <b>II.3</b> — chưa có báo cáo
❌ <b>II.4</b> — chưa có báo cáo
❌ <b>II.5</b> — chưa có báo cáo

<b>III. Phát triển nguồn nhân lực…</b>
⏳ <b>III.1</b>
⏰ <b>III.2</b> — chuyển từ kỳ trước: hạn 31/12/2025

<b>IV. Tăng cường đầu tư ngân sách…</b>
⚠️ <b>IV.1</b> — chuyển từ kỳ trước: hạn 31/12/2025
⏸️ <b>IV.2</b>

<b>V. Đẩy mạnh công tác kiểm tra…</b>
❌ <b>V.1</b> — chưa có báo cáo
✅ <b>V.2</b>
❌ <b>V.3</b> — chuyển từ kỳ trước: hạn 31/12/2025 · chưa có báo cáo

<b>VI. Tăng cường các hoạt động hợp…</b>
⏸️ <b>VI.1</b>

<b>Nghĩa vụ chung của kế hoạch</b>
⏰ <b>BC.1</b> — chuyển từ kỳ trước: hạn 15/11/2025 · 3/4 đơn vị chủ trì đã xong

🎯 <b>Chỉ tiêu của kế hoạch</b>
• <b>I.3</b>: 1 lần/năm — báo cáo: 1/1
• <b>III.1</b>: 100% công chức cấp tỉnh; 95% công chức cấp xã — báo cáo: 80 %
• <b>III.2</b>: khoảng 35% công chức, viên chức — báo cáo: 38 %
• <b>V.3</b>: Ít nhất 1 lần/năm — chưa có số liệu báo cáo

Chi tiết đầy đủ trong các tệp bên dưới."""


MONITOR_YEAR_ZALO = """\
📊 <b>Tình hình thực hiện kế hoạch — Năm 2026</b>
Kế hoạch của Sở Khoa học và Công nghệ thực hiện Kế hoạch số 40/KH-UBND · toàn bộ kế hoạch · số liệu đến 10/11/2026
Nhiệm vụ trong kỳ: 20 (19 nhiệm vụ tại Phụ lục, 1 nghĩa vụ chung)
✅ hoàn thành đúng hạn: 4
☑️ hoàn thành quá hạn: 1
⏳ đang thực hiện (trong hạn): 7
⏰ đang thực hiện quá hạn: 3
❌ chưa thực hiện: 2
⏸️ chờ sự kiện: 3
Tỷ lệ hoàn thành đúng hạn: 100 % (Năm 2025: 55 %, tăng 45 điểm).

⚠️ <b>Vướng mắc (2):</b>
• <b>IV.1</b> (Văn phòng Sở): kinh phí
• <b>VI.2</b> (Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng): chưa có kinh phí tổ chức diễn đàn

⏰ <b>Quá hạn (5):</b> BC.1, III.2, IV.1, V.3, II.5

📭 <b>Chưa báo cáo trong kỳ (2):</b> Trung tâm Chuyên đổi số và Đổi mới sáng tạo; Phòng Bưu chính viễn thông và CDS

<b>I</b>: ✅ I.3 · ⏳ I.2, I.4
<b>II</b>: ☑️ II.4 · ⏳ II.1, II.3 · ❌ II.5 · ⏸️ II.2
<b>III</b>: ✅ III.3 · ⏳ III.1, III.4 · ⏰ III.2
<b>IV</b>: ⚠️ IV.1 · ⏸️ IV.2
<b>V</b>: ✅ V.1, V.2 · ❌ V.3
<b>VI</b>: ⚠️ VI.2 · ⏸️ VI.1
<b>Nghĩa vụ chung của kế hoạch</b>: ⏰ BC.1

🎯 <b>Chỉ tiêu của kế hoạch</b>
• <b>I.3</b>: 1 lần/năm — báo cáo: 1/1
• <b>III.1</b>: 100% công chức cấp tỉnh; 95% công chức cấp xã — báo cáo: 80 %
• <b>III.2</b>: khoảng 35% công chức, viên chức — báo cáo: 30 %
• <b>III.4</b>: 01 lớp/năm — báo cáo: 50 %
• <b>V.3</b>: Ít nhất 1 lần/năm — chưa có số liệu báo cáo
• <b>VI.2</b>: 1 lần/năm — chưa có số liệu báo cáo

Chi tiết đầy đủ trong các tệp bên dưới."""


LEAD_YEAR = """\
📊 <b>Tình hình thực hiện kế hoạch — Năm 2026</b>
Kế hoạch của Sở Khoa học và Công nghệ thực hiện Kế hoạch số 40/KH-UBND · Văn phòng Sở · số liệu đến 10/11/2026
Nhiệm vụ trong kỳ: 6 (5 nhiệm vụ tại Phụ lục, 1 nghĩa vụ chung)
✅ hoàn thành đúng hạn: 1
⏳ đang thực hiện (trong hạn): 3
⏰ đang thực hiện quá hạn: 1
⏸️ chờ sự kiện: 1
Tỷ lệ hoàn thành đúng hạn: 100 % (Năm 2025: 75 %, tăng 25 điểm).

⚠️ <b>Vướng mắc (2):</b>
• <b>IV.1</b> (Văn phòng Sở): kinh phí
• <b>VI.2</b> (Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng): chưa có kinh phí tổ chức diễn đàn

⏰ <b>Quá hạn (1):</b> IV.1

<b>I. Tuyên truyền, nâng cao nhận thức của các cấp ủy đảng, chính quyền, nhân dân và doanh…</b>
✅ <b>I.3</b> Tổ chức diễn đàn đối thoại với doanh nghiệp, tổ chức, cá nhân trong lĩnh vực tiêu chuẩn… — «đã tổ chức 1/1 diễn đàn đối thoại» (18/06)

<b>III. Phát triển nguồn nhân lực trong lĩnh vực tiêu chuẩn, đo lường, chất lượng</b>
⏳ <b>III.1</b> Xây dựng kế hoạch và tổ chức đào tạo, tập huấn, bồi dưỡng nghiệp vụ quản lý nhà nước về… — «đã tập huấn cho 100% công chức cấp tỉnh, 80% công chức cấp xã» (25/06)

<b>IV. Tăng cường đầu tư ngân sách nhà nước cho công tác tiêu chuẩn, đo lường, chất lượng</b>
⚠️ <b>IV.1</b> Tiếp tục đầu tư cơ sở vật chất cho Trung tâm Kỹ thuật tiêu chuẩn đo lường chất lượng của… — chuyển từ kỳ trước: hạn 31/12/2025 · «vướng kinh phí, chưa được bố trí dự toán» (22/12)

<b>VI. Tăng cường các hoạt động hợp tác trong lĩnh vực tiêu chuẩn, đo lường, chất lượng</b>
⏸️ <b>VI.1</b> Tổ chức thực hiện Đề án tăng cường Hội nhập hợp tác quốc tế về tiêu chuẩn, đo lường… — chờ: Sau khi Trung ương ban hành Đề án
⚠️ <b>VI.2</b> Tổ chức các diễn đàn trao đổi thông tin về tiêu chuẩn, đo lường, chất lượng giữa các nhà… — hạn 31/12/2026 · «vướng: chưa có kinh phí tổ chức diễn đàn» (05/10)

<b>Nghĩa vụ chung của kế hoạch</b>
⏳ <b>BC.1</b> Các phòng, đơn vị trực thuộc Sở căn cứ các nhiệm vụ được giao chủ trì tại Kế hoạch này… — hạn 15/11/2026 · «đang tổng hợp, đạt 80%» (09/11)

🎯 <b>Chỉ tiêu của kế hoạch</b>
• <b>I.3</b>: 1 lần/năm — báo cáo: 1/1 «đã tổ chức 1/1 diễn đàn đối thoại»
• <b>III.1</b>: 100% công chức cấp tỉnh; 95% công chức cấp xã — báo cáo: 80 % «đã tập huấn cho 100% công chức cấp tỉnh, 80% công chức cấp xã»
• <b>VI.2</b>: 1 lần/năm — chưa có số liệu báo cáo

Chi tiết đầy đủ trong các tệp bên dưới."""


STAFF_YEAR = """\
📊 <b>Tình hình thực hiện kế hoạch — Năm 2026</b>
Kế hoạch của Sở Khoa học và Công nghệ thực hiện Kế hoạch số 40/KH-UBND · Trung tâm Kỹ thuật Tiêu chuẩn đo lường chất lượng · số liệu đến 10/11/2026
Nhiệm vụ trong kỳ: 8 (7 nhiệm vụ tại Phụ lục, 1 nghĩa vụ chung)
✅ hoàn thành đúng hạn: 4
⏰ đang thực hiện quá hạn: 1
❌ chưa thực hiện: 2
⏸️ chờ sự kiện: 1
Tỷ lệ hoàn thành đúng hạn: 100 % (Năm 2025: 50 %, tăng 50 điểm).

⚠️ <b>Vướng mắc (1):</b>
• <b>IV.1</b> (Văn phòng Sở): kinh phí

⏰ <b>Quá hạn (3):</b> IV.1, V.3, II.5

<b>II</b>: ❌ II.5
<b>III</b>: ✅ III.3
<b>IV</b>: ⚠️ IV.1
<b>V</b>: ✅ V.1, V.2 · ❌ V.3
<b>VI</b>: ⏸️ VI.1
<b>Nghĩa vụ chung của kế hoạch</b>: ✅ BC.1"""


@pytest.mark.parametrize(
    ("role", "args", "limit", "expected"),
    [
        ("monitor", "", TELEGRAM, MONITOR_YEAR),
        ("monitor", "quý 4/2025", TELEGRAM, MONITOR_Q4_2025),
        ("monitor", "tháng 6/2026", ZALO, MONITOR_JUNE_ZALO),
        ("monitor", "", ZALO, MONITOR_YEAR_ZALO),
        ("unit_lead", "", TELEGRAM, LEAD_YEAR),
        ("staff", "", TELEGRAM, STAFF_YEAR),
    ],
    ids=["monitor-year", "monitor-q4-2025", "monitor-june-zalo", "monitor-year-zalo", "unit-lead", "staff"],
)
def test_the_summary_text_is_pinned(
    year: Year, year_engine: Engine, role: str, args: str, limit: int, expected: str
) -> None:
    text, _buttons = reply(year_engine, year.members[role], args, limit)
    assert text == expected
    assert len(text) <= limit


def test_the_same_period_in_other_words_gives_the_same_message(year: Year, year_engine: Engine) -> None:
    monitor = year.members["monitor"]
    assert reply(year_engine, monitor, "Quý IV năm 2025")[0] == MONITOR_Q4_2025
    assert reply(year_engine, monitor, "quy iv/2025")[0] == MONITOR_Q4_2025
    assert reply(year_engine, monitor, "q4/2025")[0] == MONITOR_Q4_2025
    assert reply(year_engine, monitor, "năm 2026")[0] == MONITOR_YEAR
    assert reply(year_engine, monitor, "2026")[0] == MONITOR_YEAR


def test_buttons_offer_the_files_of_the_same_summary(year: Year, year_engine: Engine) -> None:
    _text, buttons = reply(year_engine, year.members["monitor"], "quý 4/2025")
    assert buttons == [
        ("📄 Báo cáo (.docx)", "sum:docx:q4/2025"),
        ("📊 Bảng tính (.xlsx)", "sum:xlsx:q4/2025"),
        ("📈 Biểu đồ (.png)", "sum:png:q4/2025"),
    ]
    _text, buttons = reply(year_engine, year.members["unit_lead"], "")
    assert all(payload.endswith(":2026 #3") for _label, payload in buttons)
    assert all(len(payload.encode()) <= MAX_PAYLOAD_BYTES for _label, payload in buttons)
    # Staff get the short version and no files.
    assert reply(year_engine, year.members["staff"], "")[1] == []
    with db.session_scope(year_engine) as session:
        name, content = summary_files(
            session,
            viewer_member_id=year.members["monitor"],
            args=buttons[0][1].split(":", 2)[2],
            kind="docx",
            today=TODAY,
            locale="vi",
            tz=TZ,
        )
    assert name == "tong-hop-nam-2026-don-vi-3.docx"
    assert content.startswith(b"PK")


def test_the_monitor_may_ask_for_one_unit_by_part_of_its_name(year: Year, year_engine: Engine) -> None:
    text, buttons = reply(year_engine, year.members["monitor"], "2026 trung tâm kỹ thuật")
    assert text.splitlines()[1] == (
        "Kế hoạch của Sở Khoa học và Công nghệ thực hiện Kế hoạch số 40/KH-UBND · Trung tâm Kỹ thuật Tiêu chuẩn đo lường chất lượng · số liệu đến 10/11/2026"
    )
    assert buttons[0][1] == "sum:docx:2026 #6"
    # Without diacritics, and before the period.
    assert reply(year_engine, year.members["monitor"], "trung tam ky thuat 2026")[0] == text


@pytest.mark.parametrize(
    ("role", "args", "expected"),
    [
        (
            "monitor",
            "quý 5/2025",
            "Tôi không hiểu kỳ «quý 5/2025». Ví dụ: /summary 2026, /summary quý 4/2025, /summary tháng 11/2026 "
            "hoặc /summary Văn phòng Sở.",
        ),
        (
            "monitor",
            "tháng 13/2026",
            "Tôi không hiểu kỳ «tháng 13/2026». Ví dụ: /summary 2026, /summary quý 4/2025, /summary tháng 11/2026 "
            "hoặc /summary Văn phòng Sở.",
        ),
        (
            "monitor",
            "hôm qua 17",
            "Tôi không hiểu kỳ «hôm qua 17». Ví dụ: /summary 2026, /summary quý 4/2025, /summary tháng 11/2026 "
            "hoặc /summary Văn phòng Sở.",
        ),
        (
            "monitor",
            "<b>Sở Tài chính</b>",
            "Không có đơn vị nào tên «&lt;b&gt;Sở Tài chính&lt;/b&gt;». Ví dụ: /summary Văn phòng Sở hoặc "
            "/summary quý 4/2025.",
        ),
        (
            "monitor",
            "trung tâm",
            "«trung tâm» khớp với nhiều đơn vị: Trung tâm Chuyên đổi số và Đổi mới sáng tạo; Trung tâm Kỹ thuật "
            "Tiêu chuẩn đo lường chất lượng. Hãy viết rõ hơn tên đơn vị.",
        ),
        ("staff", "Văn phòng Sở", "Bạn chỉ xem được tổng hợp của đơn vị mình."),
        ("unit_lead", "2026 #1", "Bạn chỉ xem được tổng hợp của đơn vị mình."),
    ],
)
def test_wrong_requests_get_an_example_of_the_right_one(
    year: Year, year_engine: Engine, role: str, args: str, expected: str
) -> None:
    assert reply(year_engine, year.members[role], args) == (expected, [])


def test_files_refuse_what_the_viewer_may_not_see(year: Year, year_engine: Engine) -> None:
    with db.session_scope(year_engine) as session, pytest.raises(UserFacingError):
        summary_files(
            session,
            viewer_member_id=year.members["staff"],
            args="2026 #1",
            kind="xlsx",
            today=TODAY,
            locale="vi",
            tz=TZ,
        )


def test_english_viewers_get_english_words(year: Year, year_engine: Engine) -> None:
    text, _buttons = reply(year_engine, year.members["staff"], "", locale="en")
    assert text.splitlines()[0] == "📊 <b>Plan progress — Year 2026</b>"
    assert text.splitlines()[2] == "Tasks in the period: 8 (plan's table: 7, plan-wide duties: 1)"


def test_a_period_before_the_plan_has_nothing_and_no_files(year: Year, year_engine: Engine) -> None:
    assert reply(year_engine, year.members["monitor"], "2024") == (
        "📊 <b>Tình hình thực hiện kế hoạch — Năm 2024</b>\n"
        "Kế hoạch của Sở Khoa học và Công nghệ thực hiện Kế hoạch số 40/KH-UBND · toàn bộ kế hoạch · số liệu đến 10/11/2026\n"
        "Không có nhiệm vụ nào trong kỳ này.",
        [],
    )
