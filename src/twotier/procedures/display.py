"""How a citizen reads the parsed values: "3 ngày làm việc", "Miễn phí", "1 bản chính, 1 bản sao".

Pure functions over the JSON-ready dicts stored on ProcedureVersion (no ORM).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

CHANNEL_LABELS = {
    "in_person": gettext_lazy("Trực tiếp"),
    "online": gettext_lazy("Trực tuyến"),
    "postal": gettext_lazy("Dịch vụ bưu chính"),
}


def _number(value: Any) -> str:
    if value is None:
        return ""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return str(int(number))
    return f"{number.normalize()}".replace(".", ",")


def time_text(time: Mapping[str, Any] | None) -> str:
    """A time limit in plain Vietnamese."""
    if not time:
        return ""
    unit = time.get("unit") or ""
    value = _number(time.get("value"))
    if unit == "working_days":
        return _("%(n)s ngày làm việc") % {"n": value}
    if unit == "calendar_days":
        return _("%(n)s ngày") % {"n": value}
    if unit == "hours":
        return _("%(n)s giờ làm việc") % {"n": value}
    if unit == "same_day":
        if time.get("cutoff_15h"):
            return _("Trong ngày (nộp sau 15 giờ: trả kết quả ngày làm việc tiếp theo)")
        return _("Trong ngày")
    if unit == "none":
        return _("Không quy định thời hạn")
    return _("Chưa xác định (xem nội dung gốc: %(text)s)") % {"text": time.get("text") or "—"}


def fee_text(fee: Mapping[str, Any] | None) -> str:
    """A fee in plain Vietnamese, amounts with dot thousands separators (1.500.000 đ)."""
    if not fee:
        return ""
    amount = fee.get("amount_vnd")
    if fee.get("by_province"):
        return _("Theo mức do Hội đồng nhân dân tỉnh, thành phố quy định")
    if amount == 0:
        return _("Miễn phí")
    if amount is not None:
        return f"{int(amount):,} đ".replace(",", ".")
    if fee.get("currency"):
        return f"{_number(fee.get('amount'))} {fee['currency']}"
    if fee.get("status") == "not_stated":
        return _("Không có thông tin")
    return fee.get("text") or _("Chưa xác định")


def copies_text(document: Mapping[str, Any]) -> str:
    parts = []
    if document.get("n_original"):
        parts.append(_("%(n)s bản chính") % {"n": document["n_original"]})
    if document.get("n_copy"):
        parts.append(_("%(n)s bản sao") % {"n": document["n_copy"]})
    return ", ".join(parts) or _("không ghi số lượng")


def channel_label(channel: str) -> str:
    return str(CHANNEL_LABELS.get(channel, channel))


def grouped_documents(documents: list[Mapping[str, Any]]) -> list[tuple[str, list[Mapping[str, Any]]]]:
    """Documents in their portal order, grouped by case ("Trường hợp…", "Giấy tờ phải xuất trình")."""
    groups: list[tuple[str, list[Mapping[str, Any]]]] = []
    for document in documents:
        group = document.get("group") or ""
        if not groups or groups[-1][0] != group:
            groups.append((group, []))
        groups[-1][1].append(document)
    return groups


CHANGE_LABELS = {
    "name": gettext_lazy("Tên thủ tục"),
    "levels": gettext_lazy("Cấp thực hiện"),
    "field": gettext_lazy("Lĩnh vực"),
    "channels": gettext_lazy("Cách thức thực hiện"),
    "time_value": gettext_lazy("Thời hạn giải quyết"),
    "time_unit": gettext_lazy("Thời hạn giải quyết"),
    "fee_amount_vnd": gettext_lazy("Phí, lệ phí"),
    "documents": gettext_lazy("Thành phần hồ sơ"),
    "result": gettext_lazy("Kết quả"),
    "legal_basis": gettext_lazy("Căn cứ pháp lý"),
    "implementing_agency": gettext_lazy("Cơ quan thực hiện"),
    "competent_agency": gettext_lazy("Cơ quan có thẩm quyền"),
    "conditions": gettext_lazy("Yêu cầu, điều kiện"),
    "steps": gettext_lazy("Trình tự thực hiện"),
    "raw_text": gettext_lazy("Nội dung trang gốc"),
}


def changes_text(changed_fields: list[str]) -> str:
    """What changed between two versions, in words ("Thời hạn giải quyết, Phí, lệ phí")."""
    labels = [str(CHANGE_LABELS.get(name, name)) for name in changed_fields]
    return ", ".join(dict.fromkeys(labels))
