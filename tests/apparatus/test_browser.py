"""Chromium walks the reorganization wizard: merge two units, preview, account for everyone, apply,
see the new tree and the metrics."""

from datetime import date

import pytest

from tests.conftest import login
from twotier.apparatus import services
from twotier.apparatus.models import Unit
from twotier.core import roles

from .factories import make_official

pytestmark = [pytest.mark.django_db(transaction=False), pytest.mark.browser]
SAIGON = "26740"


def test_merge_wizard_in_chromium(page, make_staff):
    make_staff("lanhdao.wizard", roles.UNIT_LEADER, commune=SAIGON)
    people = []
    for code in (f"{SAIGON}-econ", f"{SAIGON}-culture", f"{SAIGON}-culture"):
        official = make_official(f"Cán bộ {len(people) + 1}")
        post = Unit.objects.get(code=code).posts.order_by("pk").last()
        services.assign_official(official, post, valid_from=date(2025, 7, 1))
        people.append(official)
    login(page, "lanhdao.wizard")

    # step 1: what is merged into what
    page.goto(f"/apparatus/units/{SAIGON}-econ/")
    page.click("text=Sắp xếp đơn vị này")
    page.select_option("#id_kind", "merge")
    page.fill("#id_title", "Hợp nhất phòng Kinh tế và Văn hóa - Xã hội")
    page.fill("#id_effective_on", "2025-11-01")
    page.fill("#id_legal_basis", "Nghị quyết 05/NQ-HĐND")
    page.fill("#id_predecessors", f"{SAIGON}-econ, {SAIGON}-culture")
    page.fill("#id_successors", f"{SAIGON}-econ-culture | Phòng Kinh tế - Văn hóa Phường Sài Gòn")
    page.click("text=Tiếp tục")

    # step 3 first: the preview lists every change and refuses while people are unaccounted for
    page.wait_for_selector("#preview-counts")
    assert page.text_content("#unaccounted-count").strip() == "3"
    assert page.is_disabled("#apply")
    units = page.text_content("#preview-units")
    assert f"{SAIGON}-econ" in units
    assert f"{SAIGON}-econ-culture" in units

    # step 2: a disposition for every official
    options = page.locator(f"#disp-{people[0].pk} option").all_text_contents()
    move_label = next(o for o in options if "Công chức chuyên môn" in o)
    page.select_option(f"#disp-{people[0].pk}", label=move_label)
    page.select_option(f"#disp-{people[1].pk}", label=move_label)
    page.select_option(f"#disp-{people[2].pk}", "release")
    page.fill(f"#reason-{people[2].pk}", "Nghị định 178/2024/NĐ-CP")
    page.click("#save-dispositions")
    page.wait_for_selector("text=Đã lưu phương án bố trí 3 cán bộ")
    assert page.text_content("#unaccounted-count").strip() == "0"

    page.click("#apply")
    page.wait_for_url("**/apparatus/?on=2025-11-01")
    tree = page.text_content("#org-tree")
    assert "Phòng Kinh tế - Văn hóa Phường Sài Gòn" in tree
    assert f"{SAIGON}-culture" not in tree

    page.goto(f"/apparatus/metrics/?unit={SAIGON}&before=2025-10-31&after=2025-11-01")
    assert page.text_content("#headcount-pct").strip() == "-33,3"
    assert Unit.objects.get(code=f"{SAIGON}-culture").valid_to == date(2025, 11, 1)
