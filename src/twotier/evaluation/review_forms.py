"""Forms of the review screens: what people type is validated here; the rules live in `reviews.py`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from twotier.apparatus.models import Unit

from .reviews import ItemInput, themes

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def codes(text: str) -> list[str]:
    return [c.strip() for c in text.replace("\n", ",").replace(";", ",").split(",") if c.strip()]


class UnitCodeField(forms.CharField):
    """One unit code, looked up among the units the user may see (an unknown or hidden code: same error)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 64)
        super().__init__(*args, **kwargs)
        self.units = Unit.objects.none()

    def clean(self, value):
        code = super().clean(value).strip()
        unit = self.units.filter(code=code).first()
        if unit is None:
            raise forms.ValidationError(
                _("Không có đơn vị mã %(code)s trong phạm vi của bạn."), params={"code": code}
            )
        return unit


class NewReviewForm(forms.Form):
    title = forms.CharField(label=_("Tên đợt sơ kết, tổng kết"), max_length=255)
    legal_basis = forms.CharField(
        label=_("Căn cứ"), max_length=255, help_text=_("Ví dụ: Nghị quyết 18-NQ/TW ngày 25/10/2017")
    )
    period_start = forms.DateField(label=_("Kỳ báo cáo từ ngày"), widget=DATE_INPUT)
    period_end = forms.DateField(label=_("đến ngày"), widget=DATE_INPUT)
    due_on = forms.DateField(label=_("Hạn nộp báo cáo"), widget=DATE_INPUT)
    organiser = UnitCodeField(label=_("Mã đơn vị tổ chức"))
    units = forms.CharField(
        label=_("Mã các đơn vị báo cáo"),
        help_text=_("Cách nhau bằng dấu phẩy hoặc xuống dòng, ví dụ: hcmc-front, hcmc-police, 26737"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.visible_units = units if units is not None else Unit.objects.none()
        self.fields["organiser"].units = self.visible_units

    def clean_units(self) -> list[Unit]:
        wanted = codes(self.cleaned_data["units"])
        if not wanted:
            raise forms.ValidationError(_("Nhập ít nhất một mã đơn vị."))
        found = {u.code: u for u in self.visible_units.filter(code__in=wanted)}
        missing = [c for c in wanted if c not in found]
        if missing:
            raise forms.ValidationError(
                _("Không có đơn vị trong phạm vi của bạn: %(codes)s"), params={"codes": ", ".join(missing)}
            )
        return [found[c] for c in dict.fromkeys(wanted)]


def item_rows(data, prefix: str, count: int) -> list[ItemInput]:
    """The rows `<prefix>-<n>-theme` / `<prefix>-<n>-text` of the report form (blank texts dropped by the
    service)."""
    return [
        ItemInput(data.get(f"{prefix}-{n}-theme", ""), data.get(f"{prefix}-{n}-text", ""))
        for n in range(count)
    ]


def theme_choices() -> list[tuple[str, str]]:
    return list(themes().items())


class AcceptForm(forms.Form):
    lead_unit = UnitCodeField(label=_("Mã đơn vị chủ trì"))
    due_on = forms.DateField(label=_("Thời hạn"), widget=DATE_INPUT)
    title = forms.CharField(
        label=_("Nhiệm vụ (để trống: nội dung kiến nghị)"), max_length=255, required=False
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].units = units if units is not None else Unit.objects.none()
