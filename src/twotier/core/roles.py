"""Staff roles, kept as Django groups. Each app adds the permissions its role needs to ROLE_PERMISSIONS.

The table is data: `twotier setup_roles` (run by `make setup`) makes the groups match it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

RECEPTIONIST = "receptionist"
SPECIALIST = "specialist"
UNIT_LEADER = "unit_leader"
CITY_SUPERVISOR = "city_supervisor"
EVALUATOR = "evaluator"
ADMINISTRATOR = "administrator"

ROLE_LABELS = {
    RECEPTIONIST: _("Cán bộ tiếp nhận (Trung tâm Phục vụ hành chính công)"),
    SPECIALIST: _("Chuyên viên xử lý"),
    UNIT_LEADER: _("Lãnh đạo đơn vị"),
    CITY_SUPERVISOR: _("Giám sát, thanh tra cấp thành phố"),
    EVALUATOR: _("Cán bộ đánh giá"),
    ADMINISTRATOR: _("Quản trị hệ thống"),
}

# Permission sets ("app_label.codename") shared by several roles.
_CONVERT_ADDRESSES = ["geography.add_conversionjob", "geography.view_conversionjob"]
_SEE_DESK = [
    "apparatus.view_unit",
    "apparatus.view_responsibility",
    "apparatus.view_delegation",
    "dossiers.view_dossier",
]
_SEE_APPARATUS = [*_SEE_DESK, "apparatus.view_official", "apparatus.view_reorganization"]
# evaluation: dashboards and reports (scoped by visible_to), indicator entry, warnings (issue 7)
_SEE_EVALUATION = ["evaluation.view_evaluation"]
_MANAGE_APPARATUS = [
    *_SEE_APPARATUS,
    "apparatus.add_reorganization",
    "apparatus.change_reorganization",
    "apparatus.apply_reorganization",
    "apparatus.add_responsibility",
    "apparatus.change_responsibility",
    "apparatus.add_delegation",
    "apparatus.change_delegation",
    "apparatus.add_assignment",
    "apparatus.change_assignment",
]

# implementation reviews (evaluation.reviews): a leader organises for their unit and signs its report;
# an evaluator organises for any unit in scope
_REVIEWS_LEAD = ["evaluation.organise_review", "evaluation.submit_unit_report"]
_REVIEWS_EVALUATE = ["evaluation.organise_any_review"]

# permission "app_label.codename" per role
ROLE_PERMISSIONS: dict[str, list[str]] = {
    # the counter officer also calls queue numbers (assistant: counter page)
    RECEPTIONIST: [*_SEE_DESK, "dossiers.receive_dossier", "assistant.change_ticket", *_CONVERT_ADDRESSES],
    SPECIALIST: [*_SEE_DESK, "dossiers.process_dossier", *_CONVERT_ADDRESSES],
    UNIT_LEADER: [
        *_MANAGE_APPARATUS,
        "dossiers.process_dossier",
        "dossiers.lead_dossier",
        *_CONVERT_ADDRESSES,
        *_SEE_EVALUATION,
        "evaluation.enter_indicator",
        "evaluation.handle_warning",
        *_REVIEWS_LEAD,
    ],
    CITY_SUPERVISOR: [
        *_SEE_APPARATUS,
        "geography.view_conversionjob",
        "core.view_all_scopes",
        *_SEE_EVALUATION,
    ],
    EVALUATOR: [
        *_SEE_APPARATUS,
        "geography.view_conversionjob",
        *_SEE_EVALUATION,
        "evaluation.enter_indicator",
        "evaluation.import_indicators",
        *_REVIEWS_EVALUATE,
    ],
    ADMINISTRATOR: [
        *_MANAGE_APPARATUS,
        "apparatus.import_apparatus",
        "apparatus.add_unit",
        "apparatus.change_unit",
        "apparatus.add_post",
        "apparatus.add_official",
        "core.view_all_scopes",
        "assistant.change_ticket",
        *_CONVERT_ADDRESSES,
        *_SEE_EVALUATION,
        "evaluation.enter_indicator",
        "evaluation.import_indicators",
    ],
}
