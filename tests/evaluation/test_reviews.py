"""Implementation reviews (issue 7 item 7): open, pre-filled figures, submit, deny paths, consolidate,
accept → follow-up task, scoped reads, the consolidated PDF and XLSX, the seed review.

Expected figures are the seed scenario's (DOMAIN.md, "The seed article's figures"): the Front 891 → 457
staff, 32 → 10 department-level units; the Police 92 → 46 departments and 640 → 428 teams (46 and 212
removed in two reorganizations), 31,661 → 31,107 staff.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from twotier.apparatus.models import Unit
from twotier.core import roles
from twotier.evaluation import review_export, review_figures, reviews
from twotier.evaluation.models import (
    FollowUpTask,
    ItemDecision,
    ReportItem,
    Review,
    ReviewEvent,
    ReviewParticipant,
    UnitReport,
)
from twotier.evaluation.reviews import ItemInput, ReviewError, ReviewStateError

pytestmark = pytest.mark.django_db

THU_DUC = "26824"
DAT_DO = "26680"
START, END = date(2025, 7, 1), date(2025, 10, 22)


def figures_by_key(participant: ReviewParticipant) -> dict[str, dict]:
    return {f["key"]: f for f in UnitReport.objects.get(participant=participant).figures}


@pytest.fixture
def evaluator(make_staff):
    return make_staff("danhgia.review", roles.EVALUATOR)


@pytest.fixture
def front_leader(make_staff):
    user = make_staff("lanhdao.front", roles.UNIT_LEADER)
    user.staff_profile.unit_code = "hcmc-front"
    user.staff_profile.save()
    return user


@pytest.fixture
def thuduc_leader(make_staff):
    return make_staff("lanhdao.thuduc", roles.UNIT_LEADER, commune=THU_DUC)


@pytest.fixture
def datdo_leader(make_staff):
    return make_staff("lanhdao.datdo", roles.UNIT_LEADER, commune=DAT_DO)


@pytest.fixture
def review(evaluator):
    units = [Unit.objects.get(code=c) for c in ("hcmc-front", "hcmc-police", THU_DUC)]
    draft = reviews.draft_review(
        title="Sơ kết Nghị quyết 18-NQ/TW",
        legal_basis="Nghị quyết 18-NQ/TW",
        period_start=START,
        period_end=END,
        due_on=END,
        organiser=Unit.objects.get(code="hcmc"),
        units=units,
        actor=evaluator,
    )
    return reviews.open_review(draft, actor=evaluator)


def participant(review: Review, code: str) -> ReviewParticipant:
    return review.participants.select_related("unit").get(unit__code=code)


def submitted_front(review, front_leader) -> ReviewParticipant:
    p = participant(review, "hcmc-front")
    reviews.save_report(
        p,
        results="Giảm biên chế từ 891 xuống 457 người.",
        difficulties=[ItemInput("staff", "Bố trí nhân sự chưa phù hợp sở trường.")],
        recommendations=[ItemInput("digital", "Bồi dưỡng kỹ năng số cho cán bộ Mặt trận.")],
        actor=front_leader,
    )
    return reviews.submit_report(p, actor=front_leader)


# ---- open: figures pre-filled from the platform ---------------------------------------------------


def test_open_prefills_apparatus_figures_and_index_not_computed(review, evaluator):
    front = figures_by_key(participant(review, "hcmc-front"))
    police = figures_by_key(participant(review, "hcmc-police"))

    assert (front["headcount"]["before"], front["headcount"]["value"]) == (891, 457)
    assert (front["headcount"]["change"], front["headcount"]["change_pct"]) == (-434, -48.7)  # 434/891
    assert (front["units_department"]["before"], front["units_department"]["value"]) == (32, 10)
    assert (police["units_department"]["before"], police["units_department"]["value"]) == (92, 46)
    assert (
        police["units_team"]["before"],
        police["units_team"]["value"],
        police["units_team"]["change"],
    ) == (
        640,
        428,
        -212,
    )
    assert police["headcount"]["value"] == 31107
    # no dossier was rolled up for the period: "not computed", never 0 points
    assert front["service_index"]["value"] is None
    assert front["on_time_rate"]["value"] is None
    assert front["headcount"]["source"].startswith("Bộ máy tổ chức")
    assert review.status == "open"
    assert list(ReviewEvent.objects.filter(review=review).values_list("kind", "actor")) == [
        ("drafted", evaluator.pk),
        ("opened", evaluator.pk),
    ]


def test_commune_without_staff_records_shows_headcount_not_computed(review):
    thuduc = figures_by_key(participant(review, THU_DUC))

    assert thuduc["headcount"]["value"] is None
    # four commune bodies (office, economic, culture-social divisions and the PASC) from 01/07/2025
    assert (thuduc["units_division"]["before"], thuduc["units_division"]["value"]) == (0, 4)


def test_indicator_value_of_the_period_is_prefilled_with_last_year(evaluator):
    from twotier.evaluation import indicators

    csv = (
        "indicator,unit,period,value\n"
        "crimes_social_order,hcmc-police,2025-9M,640\n"
        "crimes_social_order,hcmc-police,2024-9M,1000\n"
    )
    assert indicators.import_values(None, "x.csv", csv.encode()).ok

    rows = {
        f["key"]: f for f in review_figures.collect_figures(Unit.objects.get(code="hcmc-police"), START, END)
    }

    crimes = rows["indicator_crimes_social_order"]
    assert (crimes["before"], crimes["value"], crimes["change_pct"]) == (1000.0, 640.0, -36.0)
    assert "2025-9M" in crimes["label"]
    assert rows["open_warnings"]["value"] == 0


def test_display_formats_vietnamese_numbers():
    fig = review_figures.figure("headcount", "Biên chế", 31107, "x", before=31661, unit="người")

    assert review_figures.display(fig) == "31.661 → 31.107 người (-554; -1,7%)"
    assert review_figures.display(review_figures.figure("i", "Chỉ số", None, "x", unit="%")) == "chưa tính"


# ---- open: deny paths ------------------------------------------------------------------------------


def test_commune_leader_cannot_open_a_review_for_the_city(thuduc_leader):
    with pytest.raises(PermissionDenied):
        reviews.draft_review(
            title="x",
            legal_basis="y",
            period_start=START,
            period_end=END,
            due_on=END,
            organiser=Unit.objects.get(code="hcmc"),
            units=[Unit.objects.get(code=THU_DUC)],
            actor=thuduc_leader,
        )
    assert Review.objects.count() == 0


def test_commune_leader_opens_a_review_of_own_divisions_but_not_of_another_commune(thuduc_leader):
    own = reviews.draft_review(
        title="Sơ kết quý",
        legal_basis="Kế hoạch 01/KH-UBND",
        period_start=START,
        period_end=END,
        due_on=END,
        organiser=Unit.objects.get(code=THU_DUC),
        units=[Unit.objects.get(code=f"{THU_DUC}-office")],
        actor=thuduc_leader,
    )
    assert own.commune_code == THU_DUC

    with pytest.raises(PermissionDenied):
        reviews.draft_review(
            title="x",
            legal_basis="y",
            period_start=START,
            period_end=END,
            due_on=END,
            organiser=Unit.objects.get(code=THU_DUC),
            units=[Unit.objects.get(code=f"{DAT_DO}-office")],
            actor=thuduc_leader,
        )
    assert Review.objects.count() == 1


def test_bad_review_input_is_refused_with_every_reason(evaluator):
    with pytest.raises(ReviewError) as err:
        reviews.draft_review(
            title=" ",
            legal_basis="Nghị quyết 18-NQ/TW",
            period_start=END,
            period_end=START,
            due_on=END,
            organiser=Unit.objects.get(code="hcmc"),
            units=[],
            actor=evaluator,
        )
    message = str(err.value)
    assert "Cần tên" in message
    assert "Kỳ báo cáo kết thúc trước khi bắt đầu" in message
    assert "Cần ít nhất một đơn vị" in message
    assert Review.objects.count() == 0
    assert ReviewParticipant.objects.count() == 0


# ---- the unit's report ------------------------------------------------------------------------------


def test_unit_leader_saves_and_submits(review, front_leader):
    p = submitted_front(review, front_leader)

    p.refresh_from_db()
    assert (p.status, p.submitted_by) == ("submitted", front_leader)
    items = list(ReportItem.objects.filter(report__participant=p).values_list("kind", "theme", "text"))
    assert items == [
        ("difficulty", "staff", "Bố trí nhân sự chưa phù hợp sở trường."),
        ("recommendation", "digital", "Bồi dưỡng kỹ năng số cho cán bộ Mặt trận."),
    ]
    kinds = list(ReviewEvent.objects.filter(review=review).values_list("kind", flat=True))
    assert kinds[-2:] == ["report_saved", "report_submitted"]


@pytest.mark.parametrize("who", ["datdo", "specialist", "evaluator"])
def test_only_the_units_leader_writes_its_report(review, who, make_staff, datdo_leader, evaluator):
    actor = {
        "datdo": datdo_leader,
        "specialist": make_staff("chuyenvien.front", roles.SPECIALIST),
        "evaluator": evaluator,
    }[who]
    if who == "specialist":
        actor.staff_profile.unit_code = "hcmc-front"
        actor.staff_profile.save()
    p = participant(review, "hcmc-front")
    events = ReviewEvent.objects.count()

    with pytest.raises(PermissionDenied):
        reviews.save_report(
            p, results="x", difficulties=[], recommendations=[ItemInput("digital", "y")], actor=actor
        )
    with pytest.raises(PermissionDenied):
        reviews.submit_report(p, actor=actor)

    report = UnitReport.objects.get(participant=p)
    assert (report.results, report.items.count()) == ("", 0)
    assert ReviewParticipant.objects.get(pk=p.pk).status == "pending"
    assert ReviewEvent.objects.count() == events


def test_unknown_theme_and_empty_results_write_nothing(review, front_leader):
    p = participant(review, "hcmc-front")
    with pytest.raises(ReviewError):
        reviews.save_report(
            p,
            results="Kết quả",
            difficulties=[ItemInput("nope", "x")],
            recommendations=[],
            actor=front_leader,
        )
    assert UnitReport.objects.get(participant=p).results == ""

    with pytest.raises(ReviewError):
        reviews.submit_report(p, actor=front_leader)
    assert ReviewParticipant.objects.get(pk=p.pk).status == "pending"


def test_submitted_report_is_locked_until_returned(review, front_leader, evaluator):
    p = submitted_front(review, front_leader)
    with pytest.raises(ReviewStateError):
        reviews.save_report(p, results="khác", difficulties=[], recommendations=[], actor=front_leader)
    assert UnitReport.objects.get(participant=p).results == "Giảm biên chế từ 891 xuống 457 người."

    with pytest.raises(ReviewError):
        reviews.return_report(p, note=" ", actor=evaluator)
    reviews.return_report(p, note="Bổ sung số liệu đào tạo", actor=evaluator)
    reviews.save_report(p, results="Bổ sung", difficulties=[], recommendations=[], actor=front_leader)
    assert UnitReport.objects.get(participant=p).results == "Bổ sung"


def test_parse_reported_figures_reports_every_bad_line():
    assert reviews.parse_reported_figures("Lớp tập huấn | 2\n\n Chủ tịch MTTQ được tập huấn|168 ") == [
        {"label": "Lớp tập huấn", "value": "2"},
        {"label": "Chủ tịch MTTQ được tập huấn", "value": "168"},
    ]
    with pytest.raises(ReviewError) as err:
        reviews.parse_reported_figures("tốt\nA | 1\n | 3")
    assert "Dòng 1" in str(err.value)
    assert "Dòng 3" in str(err.value)
    assert "Dòng 2" not in str(err.value)


# ---- consolidation, recommendations, tasks ---------------------------------------------------------


def test_consolidate_needs_a_submitted_report_and_the_organiser(review, front_leader, evaluator):
    with pytest.raises(ReviewStateError):
        reviews.consolidate_review(review, actor=evaluator)
    assert Review.objects.get(pk=review.pk).status == "open"

    submitted_front(review, front_leader)
    with pytest.raises(PermissionDenied):
        reviews.consolidate_review(review, actor=front_leader)  # a participant, not the organiser
    assert Review.objects.get(pk=review.pk).status == "open"

    reviews.consolidate_review(review, actor=evaluator)
    assert Review.objects.get(pk=review.pk).status == "consolidated"
    data = reviews.consolidation(Review.objects.get(pk=review.pk))
    headcount = next(r for r in data["figure_rows"] if r["key"] == "headcount")
    # columns in the order the units were chosen: Front, Police, Thu Duc (no staff records)
    assert headcount["cells"] == [
        "891 → 457 người (-434; -48,7%)",
        "31.661 → 31.107 người (-554; -1,7%)",
        "chưa tính",
    ]
    assert [g["theme"] for g in data["recommendations"]] == ["digital"]


def test_accept_recommendation_makes_one_task(review, front_leader, evaluator):
    submitted_front(review, front_leader)
    reviews.consolidate_review(review, actor=evaluator)
    item = ReportItem.objects.get(kind="recommendation")
    due = timezone.localdate() + timedelta(days=60)

    task = reviews.accept_recommendation(
        item, lead_unit=Unit.objects.get(code="hcmc-front"), due_on=due, actor=evaluator
    )

    assert (task.lead_unit.code, task.due_on, task.status, task.title) == (
        "hcmc-front",
        due,
        "open",
        "Bồi dưỡng kỹ năng số cho cán bộ Mặt trận.",
    )
    assert ReportItem.objects.get(pk=item.pk).decision == ItemDecision.ACCEPTED
    with pytest.raises(ReviewStateError):
        reviews.accept_recommendation(item, lead_unit=task.lead_unit, due_on=due, actor=evaluator)
    assert FollowUpTask.objects.count() == 1


def test_accept_deny_paths_write_nothing(review, front_leader, evaluator, thuduc_leader):
    submitted_front(review, front_leader)
    rec = ReportItem.objects.get(kind="recommendation")
    difficulty = ReportItem.objects.get(kind="difficulty")
    front = Unit.objects.get(code="hcmc-front")
    later = timezone.localdate() + timedelta(days=30)

    with pytest.raises(PermissionDenied):
        reviews.accept_recommendation(rec, lead_unit=front, due_on=later, actor=thuduc_leader)
    with pytest.raises(ReviewError):
        reviews.accept_recommendation(difficulty, lead_unit=front, due_on=later, actor=evaluator)
    with pytest.raises(ReviewError):
        reviews.accept_recommendation(rec, lead_unit=front, due_on=date(2025, 1, 1), actor=evaluator)
    with pytest.raises(ReviewError):
        reviews.decline_recommendation(rec, note="", actor=evaluator)

    assert FollowUpTask.objects.count() == 0
    assert ReportItem.objects.get(pk=rec.pk).decision == ItemDecision.PROPOSED


def test_task_is_finished_by_the_lead_unit_with_notes(review, front_leader, evaluator, datdo_leader):
    submitted_front(review, front_leader)
    task = reviews.accept_recommendation(
        ReportItem.objects.get(kind="recommendation"),
        lead_unit=Unit.objects.get(code="hcmc-front"),
        due_on=timezone.localdate() + timedelta(days=10),
        actor=evaluator,
    )
    with pytest.raises(PermissionDenied):
        reviews.complete_task(task, notes="xong", actor=datdo_leader)
    with pytest.raises(ReviewError):
        reviews.complete_task(task, notes=" ", actor=front_leader)
    assert FollowUpTask.objects.get(pk=task.pk).status == "open"

    reviews.complete_task(task, notes="Đã mở 3 lớp kỹ năng số", actor=front_leader)
    task.refresh_from_db()
    assert (task.status, task.done_notes, task.done_by) == ("done", "Đã mở 3 lớp kỹ năng số", front_leader)


# ---- scoped reads (404 outside scope) ---------------------------------------------------------------


def test_reads_are_scoped(client, review, thuduc_leader, datdo_leader):
    detail = reverse("reviews:review", args=[review.pk])
    assert client.get(detail).status_code == 302  # anonymous: to the login page

    client.force_login(datdo_leader)  # Dat Do does not report in this review
    assert client.get(detail).status_code == 404
    assert client.get(reverse("reviews:report", args=[review.pk, THU_DUC])).status_code == 404

    client.force_login(thuduc_leader)  # a participant: its own report, not the others' nor the PDF
    assert client.get(detail).status_code == 200
    assert client.get(reverse("reviews:report", args=[review.pk, THU_DUC])).status_code == 200
    assert client.get(reverse("reviews:report", args=[review.pk, "hcmc-front"])).status_code == 404
    assert client.get(reverse("reviews:review-pdf", args=[review.pk])).status_code == 404
    assert client.post(reverse("reviews:review-consolidate", args=[review.pk])).status_code == 404
    assert Review.objects.get(pk=review.pk).status == "open"


def test_report_form_submits_through_the_view(client, review, thuduc_leader):
    client.force_login(thuduc_leader)
    url = reverse("reviews:report", args=[review.pk, THU_DUC])
    page = client.get(url)
    assert "Số phòng, ban cấp xã" in page.content.decode()

    response = client.post(
        url,
        {
            "action": "submit",
            "results": "Vận hành Trung tâm Phục vụ hành chính công hiện đại, robot hướng dẫn.",
            "reported_figures": "Robot hỗ trợ người dân | 2",
            "difficulty-count": "1",
            "difficulty-0-theme": "organisation",
            "difficulty-0-text": "Khối lượng công việc tăng.",
            "recommendation-count": "1",
            "recommendation-0-theme": "facilities",
            "recommendation-0-text": "",
        },
    )

    assert response.status_code == 302
    p = participant(review, THU_DUC)
    assert p.status == "submitted"
    assert p.report.reported_figures == [{"label": "Robot hỗ trợ người dân", "value": "2"}]
    assert list(p.report.items.values_list("kind", "text")) == [("difficulty", "Khối lượng công việc tăng.")]


def test_report_form_bad_line_is_400_and_writes_nothing(client, review, thuduc_leader):
    client.force_login(thuduc_leader)
    response = client.post(
        reverse("reviews:report", args=[review.pk, THU_DUC]),
        {"action": "save", "results": "abc", "reported_figures": "không có giá trị"},
    )
    assert response.status_code == 400
    assert "Dòng 1" in response.content.decode()
    assert participant(review, THU_DUC).report.results == ""


def test_refused_submission_through_the_view_keeps_the_report_as_it_was(client, review, thuduc_leader):
    client.force_login(thuduc_leader)
    response = client.post(
        reverse("reviews:report", args=[review.pk, THU_DUC]),
        {
            "action": "submit",
            "results": "  ",
            "difficulty-count": "x",  # unreadable: no rows
            "recommendation-count": "1",
            "recommendation-0-theme": "digital",
            "recommendation-0-text": "Đầu tư hạ tầng công nghệ thông tin.",
        },
    )
    assert response.status_code == 400
    assert "Cần nội dung kết quả" in response.content.decode()
    p = participant(review, THU_DUC)
    assert (p.status, p.report.items.count()) == ("pending", 0)


def test_new_review_through_the_view(client, evaluator):
    client.force_login(evaluator)
    response = client.post(
        reverse("reviews:review-new"),
        {
            "title": "Sơ kết 6 tháng",
            "legal_basis": "Nghị quyết 18-NQ/TW",
            "period_start": "2025-07-01",
            "period_end": "2025-10-22",
            "due_on": "2025-10-22",
            "organiser": "hcmc",
            "units": "hcmc-front, no-such-unit",
        },
    )
    assert response.status_code == 200
    assert "no-such-unit" in response.content.decode()
    assert Review.objects.count() == 0


# ---- exports -----------------------------------------------------------------------------------------


def test_pdf_lists_every_units_figures_and_the_task(review, front_leader, evaluator):
    from pypdf import PdfReader

    submitted_front(review, front_leader)
    reviews.consolidate_review(review, actor=evaluator)
    reviews.accept_recommendation(
        ReportItem.objects.get(kind="recommendation"),
        lead_unit=Unit.objects.get(code="hcmc-front"),
        due_on=date(2099, 12, 31),
        actor=evaluator,
    )

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(review_export.render_pdf(review))).pages)
    flat = " ".join(text.split())

    assert "891 → 457" in flat
    assert "32 → 10" in flat
    assert "92 → 46" in flat
    assert "640 → 428" in flat
    assert "Bồi dưỡng kỹ năng số cho cán bộ Mặt trận." in flat
    assert "31/12/2099" in flat
    assert "Chuyển đổi số" in flat  # the theme heading, with its diacritics


def test_xlsx_has_figures_side_by_side(review, front_leader, evaluator):
    from openpyxl import load_workbook

    submitted_front(review, front_leader)
    book = load_workbook(io.BytesIO(review_export.render_xlsx(review)))
    sheet = book["So lieu"]
    header = [c.value for c in sheet[3] if c.value]
    assert header[1:] == [
        "Ủy ban Mặt trận Tổ quốc Việt Nam Thành phố Hồ Chí Minh",
        "Công an Thành phố Hồ Chí Minh",
        "Ủy ban nhân dân Phường Thủ Đức",
    ]
    raw = [
        [c.value for c in row]
        for row in sheet.iter_rows()
        if row[0].value == "hcmc-front" and row[2].value == "Biên chế có mặt"
    ]
    assert raw == [
        ["hcmc-front", header[1], "Biên chế có mặt", 891, 457, -434, -48.7, raw[0][7]],
    ]


# ---- seed -----------------------------------------------------------------------------------------


def test_seed_review_is_loaded_once_with_the_articles_units():
    from pathlib import Path

    from twotier.evaluation import indicators
    from twotier.evaluation.seed_review import load_seed_review

    # make setup imports the seed indicators before the review (the Police's crimes, the Front's courses)
    csv = Path(indicators.__file__).parent / "data" / "seed_indicators.csv"
    assert indicators.import_values(None, csv.name, csv.read_bytes()).ok

    review = load_seed_review()
    assert load_seed_review() is None
    assert Review.objects.count() == 1
    assert review.status == "consolidated"
    codes = list(review.participants.order_by("pk").values_list("unit__code", "status"))
    assert codes == [
        ("hcmc-front", "submitted"),
        ("hcmc", "submitted"),
        ("hcmc-police", "submitted"),
        (THU_DUC, "submitted"),
        (DAT_DO, "submitted"),
    ]
    front = figures_by_key(participant(review, "hcmc-front"))
    assert (front["headcount"]["before"], front["headcount"]["value"]) == (891, 457)
    assert front["indicator_training_courses"]["value"] == 2.0
    police_figures = figures_by_key(participant(review, "hcmc-police"))
    crimes = police_figures["indicator_crimes_social_order"]
    # (2015 - 3180) / 3180 = -36.6%: "down more than 36% on the same period"
    assert (crimes["before"], crimes["value"], crimes["change_pct"]) == (3180.0, 2015.0, -36.6)
    police = participant(review, "hcmc-police").report
    assert {
        "label": "Tội phạm về trật tự xã hội so với cùng kỳ",
        "value": "giảm hơn 36%",
    } in police.reported_figures
    groups = {g["theme"]: g["items"] for g in reviews.consolidation(review)["recommendations"]}
    assert sorted(i.report.participant.unit.code for i in groups["decentralisation"]) == [DAT_DO, "hcmc"]
