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
    RECEPTIONIST: ["geography.add_conversionjob", "geography.view_conversionjob"],
    SPECIALIST: ["geography.add_conversionjob", "geography.view_conversionjob"],
    UNIT_LEADER: ["geography.add_conversionjob", "geography.view_conversionjob"],
    CITY_SUPERVISOR: ["geography.view_conversionjob", "core.view_all_scopes"],
    EVALUATOR: ["geography.view_conversionjob"],
    ADMINISTRATOR: ["core.view_all_scopes", "geography.add_conversionjob", "geography.view_conversionjob"],
}
