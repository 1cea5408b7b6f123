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

# permission "app_label.codename" per role
ROLE_PERMISSIONS: dict[str, list[str]] = {
    RECEPTIONIST: [
        "apparatus.view_unit",
        "apparatus.view_responsibility",
        "apparatus.view_delegation",
        "dossiers.view_dossier",
        "dossiers.receive_dossier",
        "geography.add_conversionjob",
        "geography.view_conversionjob",
    ],
    SPECIALIST: [
        "apparatus.view_unit",
        "apparatus.view_responsibility",
        "apparatus.view_delegation",
        "dossiers.view_dossier",
        "dossiers.process_dossier",
        "geography.add_conversionjob",
        "geography.view_conversionjob",
    ],
    UNIT_LEADER: [
        "apparatus.view_unit",
        "apparatus.view_official",
        "apparatus.view_responsibility",
        "apparatus.view_delegation",
        "apparatus.view_reorganization",
        "apparatus.add_reorganization",
        "apparatus.change_reorganization",
        "apparatus.apply_reorganization",
        "apparatus.add_responsibility",
        "apparatus.change_responsibility",
        "apparatus.add_delegation",
        "apparatus.change_delegation",
        "apparatus.add_assignment",
        "apparatus.change_assignment",
        "dossiers.view_dossier",
        "dossiers.process_dossier",
        "dossiers.lead_dossier",
        "geography.add_conversionjob",
        "geography.view_conversionjob",
    ],
    CITY_SUPERVISOR: [
        "apparatus.view_unit",
        "apparatus.view_official",
        "apparatus.view_responsibility",
        "apparatus.view_delegation",
        "apparatus.view_reorganization",
        "dossiers.view_dossier",
        "geography.view_conversionjob",
        "core.view_all_scopes",
    ],
    EVALUATOR: [
        "apparatus.view_unit",
        "apparatus.view_official",
        "apparatus.view_responsibility",
        "apparatus.view_delegation",
        "apparatus.view_reorganization",
        "dossiers.view_dossier",
        "geography.view_conversionjob",
    ],
    ADMINISTRATOR: [
        "apparatus.view_unit",
        "apparatus.view_official",
        "apparatus.view_responsibility",
        "apparatus.view_delegation",
        "apparatus.view_reorganization",
        "apparatus.add_reorganization",
        "apparatus.change_reorganization",
        "apparatus.apply_reorganization",
        "apparatus.add_responsibility",
        "apparatus.change_responsibility",
        "apparatus.add_delegation",
        "apparatus.change_delegation",
        "apparatus.add_assignment",
        "apparatus.change_assignment",
        "apparatus.import_apparatus",
        "apparatus.add_unit",
        "apparatus.change_unit",
        "apparatus.add_post",
        "apparatus.add_official",
        "dossiers.view_dossier",
        "core.view_all_scopes",
        "geography.add_conversionjob",
        "geography.view_conversionjob",
    ],
}
