"""The seed article's review: the HCMC conference of 22/10/2025 on Resolution 18-NQ/TW (sggp.org.vn).

Loaded through the review services (actor None = the loader), so its figures are the platform's own:
the Fatherland Front's 891 → 457 staff and 32 → 10 departments and the Police's 46 department-level and
212 team-level units removed come from the apparatus metrics of the seed scenario (`load_seed_scenario`);
the service index is "not computed" until the one-stop shop's rollups hold dossiers of the period.
Indicator values are pre-filled too when `twotier import_indicators .../data/seed_indicators.csv` ran first
(`make setup` runs it before this loader): the Front's 2 training courses and the Police's crimes against
social order (illustrative counts, −36.6% on the same period). What the units said in their own words — 168
Front chairs trained, crime "down more than 36%" — are their reported figures.

The conference was organised by the City Party Committee, which is not a unit of the apparatus registry;
the City People's Committee (`hcmc`) stands as the organiser.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from twotier.apparatus.models import Unit

from . import reviews
from .models import Review

TITLE = (
    "Hội nghị sơ kết thực hiện Nghị quyết 18-NQ/TW gắn với mô hình chính quyền địa phương 2 cấp (Thành ủy "
    "TP. Hồ Chí Minh, 22/10/2025)"
)
LEGAL_BASIS = (
    "Nghị quyết 18-NQ/TW ngày 25/10/2017 của Ban Chấp hành Trung ương Đảng khóa XII về tiếp tục đổi mới, "
    "sắp xếp tổ chức bộ máy của hệ thống chính trị tinh gọn, hoạt động hiệu lực, hiệu quả"
)
PERIOD_START = date(2025, 7, 1)
CONFERENCE = date(2025, 10, 22)
ORGANISER = "hcmc"
THU_DUC = "26824"  # Phường Thủ Đức
DAT_DO = "26680"  # Xã Đất Đỏ

# unit code → (results, reported figures, difficulties, recommendations), from the article
REPORTS: dict[str, tuple[str, list[tuple[str, str]], list[tuple[str, str]], list[tuple[str, str]]]] = {
    "hcmc-front": (
        "Sau sắp xếp, Ủy ban MTTQ Việt Nam Thành phố giảm gần 52% biên chế, từ 891 xuống 457 người, với "
        "10 ban chuyên môn thay cho 32 đơn vị cấp phòng trước đây. Cùng với tinh gọn, Mặt trận tập trung "
        "nâng chất lượng cán bộ: tổ chức 2 lớp tập huấn cho 168 Chủ tịch Ủy ban MTTQ cấp cơ sở, trang bị "
        "kỹ năng, kiến thức trong mô hình tổ chức mới.",
        [
            ("Chủ tịch Ủy ban MTTQ cấp cơ sở được tập huấn", "168"),
            ("Giảm biên chế (theo báo cáo tại hội nghị)", "gần 52%"),
        ],
        [],
        [
            (
                "digital",
                "Đẩy mạnh ứng dụng công nghệ thông tin và bồi dưỡng kỹ năng số cho cán bộ Mặt trận, đáp "
                "ứng yêu cầu vận động, tập hợp nhân dân trong thời kỳ chuyển đổi số.",
            ),
        ],
    ),
    "hcmc": (
        "Ngay sau hợp nhất, UBND Thành phố ban hành kế hoạch tổng thể sắp xếp các cơ quan chuyên môn, cơ "
        "quan hành chính và đơn vị sự nghiệp công lập theo nguyên tắc “một cơ quan thực hiện nhiều việc, "
        "một việc chỉ giao cho một cơ quan chủ trì và chịu trách nhiệm”. Bộ máy hành chính Thành phố được "
        "tinh gọn đáng kể, khắc phục chồng chéo, xác định rõ trách nhiệm và thẩm quyền.",
        [],
        [
            (
                "organisation",
                "Tinh giản biên chế vẫn là bước khó, ảnh hưởng đến lợi ích của cá nhân và tổ chức.",
            ),
            ("staff", "Việc bố trí nhân sự có lúc chưa phù hợp với sở trường."),
        ],
        [
            ("communication", "Tăng cường tuyên truyền, tạo đồng thuận trong cán bộ và nhân dân."),
            ("decentralisation", "Đẩy mạnh phân cấp, phân quyền, ủy quyền."),
            ("digital", "Đẩy mạnh chuyển đổi số để nâng cao tính chủ động, linh hoạt của bộ máy hai cấp."),
        ],
    ),
    "hcmc-police": (
        "Công an Thành phố là đơn vị có quy mô rất lớn, hơn 30.000 lãnh đạo, chỉ huy, cán bộ, chiến sĩ; "
        "được Bộ Công an đánh giá là công an địa phương lớn nhất nhưng khoa học, ổn định nhất trong quá "
        "trình sắp xếp. Qua hai lần sắp xếp, giảm 46 đơn vị cấp phòng và hơn 200 đơn vị cấp đội, rút ngắn "
        "khâu trung gian chỉ huy, tập trung lực lượng cho cơ sở. Tội phạm về trật tự xã hội giảm hơn 36% "
        "so với cùng kỳ.",
        [("Tội phạm về trật tự xã hội so với cùng kỳ", "giảm hơn 36%")],
        [],
        [
            ("facilities", "Đầu tư cơ sở vật chất hiện đại cho công an cơ sở."),
            (
                "staff",
                "Có chính sách đặc thù phù hợp với đặc điểm nhiệm vụ bảo đảm an ninh, trật tự ở đô thị "
                "đặc biệt.",
            ),
        ],
    ),
    THU_DUC: (
        "Phường ưu tiên đầu tư cơ sở vật chất cho bộ phận tiếp dân, vận hành Trung tâm Phục vụ hành chính "
        "công hiện đại từ nguồn xã hội hóa, ứng dụng robot hỗ trợ người dân làm thủ tục nhanh chóng, "
        "thuận tiện. Tăng cường giám sát các lĩnh vực nhạy cảm: đất đai, xây dựng, tài sản công; chủ động "
        "phối hợp giải quyết kiến nghị cử tri. Dù khối lượng công việc tăng, tiếp tục kiện toàn tổ chức, "
        "đào tạo công chức theo vị trí việc làm, đẩy mạnh chuyển đổi số.",
        [],
        [("organisation", "Khối lượng công việc tăng sau sắp xếp.")],
        [],
    ),
    DAT_DO: (
        "Nhờ đánh giá định kỳ hằng ngày, hằng tuần, hằng tháng, hằng quý, khó khăn được phát hiện và tháo "
        "gỡ kịp thời; bộ máy sớm ổn định, phục vụ người dân tốt hơn.",
        [],
        [
            (
                "organisation",
                "Thời gian đầu triển khai mô hình mới gặp nhiều khó khăn trong tổ chức, vận hành.",
            )
        ],
        [
            (
                "decentralisation",
                "Thành phố tiếp tục đẩy mạnh phân cấp, phân quyền, tạo điều kiện để xã có đủ thẩm quyền, "
                "nguồn lực và hành lang pháp lý thực hiện nhiệm vụ.",
            ),
            (
                "digital",
                "Tăng đầu tư hạ tầng công nghệ thông tin, khai thác các cơ sở dữ liệu sẵn có để nâng hiệu "
                "quả xử lý công việc, giúp cán bộ cơ sở có thêm thời gian nghiên cứu, gần dân hơn.",
            ),
        ],
    ),
}


@transaction.atomic
def load_seed_review() -> Review | None:
    """Create, fill, submit and consolidate the 22/10/2025 review; None when it is already there."""
    organiser = Unit.objects.get(code=ORGANISER)
    if Review.objects.filter(title=TITLE, organiser=organiser).exists():
        return None
    units = {u.code: u for u in Unit.objects.filter(code__in=list(REPORTS))}
    missing = sorted(set(REPORTS) - set(units))
    if missing:
        raise Unit.DoesNotExist(f"seed review: units not loaded: {', '.join(missing)}")
    review = reviews.draft_review(
        title=TITLE,
        legal_basis=LEGAL_BASIS,
        period_start=PERIOD_START,
        period_end=CONFERENCE,
        due_on=CONFERENCE,
        organiser=organiser,
        units=[units[code] for code in REPORTS],
        actor=None,
    )
    review = reviews.open_review(review, actor=None)
    for participant in review.participants.select_related("unit", "report"):
        results, reported, difficulties, recommendations = REPORTS[participant.unit.code]
        reviews.save_report(
            participant,
            results=results,
            difficulties=[reviews.ItemInput(theme, text) for theme, text in difficulties],
            recommendations=[reviews.ItemInput(theme, text) for theme, text in recommendations],
            reported_figures=[{"label": label, "value": value} for label, value in reported],
            actor=None,
        )
        reviews.submit_report(participant, actor=None)
    return reviews.consolidate_review(review, actor=None)
