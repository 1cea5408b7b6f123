"""Forms of the apparatus UI: validation of what people type; the rules themselves live in the services."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ReorganizationKind, Unit

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def codes(text: str) -> list[str]:
    return [c.strip() for c in text.replace("\n", ",").replace(";", ",").split(",") if c.strip()]


class AsOfForm(forms.Form):
    on = forms.DateField(label=_("Tại ngày"), required=False, widget=DATE_INPUT)

    def date(self) -> date:
        if self.is_valid() and self.cleaned_data.get("on"):
            return self.cleaned_data["on"]
        return timezone.localdate()


class ReorganizationForm(forms.Form):
    """Step 1 of the wizard: what is reorganized, into what, when and on which legal basis."""

    kind = forms.ChoiceField(label=_("Hình thức"), choices=ReorganizationKind.choices)
    title = forms.CharField(label=_("Tên phương án"), max_length=255)
    effective_on = forms.DateField(label=_("Ngày hiệu lực"), widget=DATE_INPUT)
    legal_basis = forms.CharField(label=_("Căn cứ pháp lý (số văn bản)"), max_length=255)
    predecessors = forms.CharField(
        label=_("Mã các đơn vị được sắp xếp"),
        help_text=_("Cách nhau bằng dấu phẩy, ví dụ: 26740-econ, 26740-culture"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    successors = forms.CharField(
        label=_("Đơn vị mới: mỗi dòng “mã | tên”"),
        help_text=_("Giải thể: để trống. Chia, tách: mỗi đơn vị mới một dòng."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    parent = forms.CharField(
        label=_("Mã đơn vị cấp trên mới (chuyển trực thuộc, hoặc khi các đơn vị khác cấp trên)"),
        required=False,
        max_length=64,
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = units if units is not None else Unit.objects.all()

    def clean_predecessors(self) -> list[str]:
        wanted = codes(self.cleaned_data["predecessors"])
        if not wanted:
            raise forms.ValidationError(_("Nhập ít nhất một mã đơn vị."))
        found = set(self.units.filter(code__in=wanted).values_list("code", flat=True))
        missing = [c for c in wanted if c not in found]
        if missing:
            raise forms.ValidationError(_("Không tìm thấy đơn vị: %(codes)s") % {"codes": ", ".join(missing)})
        return wanted

    def clean_successors(self) -> list[tuple[str, str]]:
        rows = []
        for line in self.cleaned_data["successors"].splitlines():
            if not line.strip():
                continue
            code, _sep, name = line.partition("|")
            if not code.strip() or not name.strip():
                raise forms.ValidationError(_("Mỗi dòng phải có dạng “mã | tên”: %(line)s") % {"line": line})
            rows.append((code.strip(), name.strip()))
        return rows


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Dữ liệu"), choices=[("units", _("Đơn vị")), ("officials", _("Cán bộ"))])
    file = forms.FileField(label=_("Tệp CSV hoặc XLSX"))


class WhoDecidesForm(forms.Form):
    task = forms.CharField(label=_("Mã nhiệm vụ / thủ tục"), max_length=64)
    commune = forms.CharField(label=_("Mã xã/phường"), max_length=5, required=False)
    on = forms.DateField(label=_("Ngày"), widget=DATE_INPUT)


class DelegationForm(forms.Form):
    from_unit = forms.CharField(label=_("Đơn vị ủy quyền (mã)"), max_length=64)
    to_unit = forms.CharField(label=_("Đơn vị được ủy quyền (mã)"), max_length=64)
    tasks = forms.CharField(label=_("Mã nhiệm vụ (để trống: mọi nhiệm vụ)"), required=False)
    commune = forms.CharField(
        label=_("Địa bàn (mã xã; để trống: toàn địa bàn)"), max_length=5, required=False
    )
    valid_from = forms.DateField(label=_("Từ ngày"), widget=DATE_INPUT)
    valid_to = forms.DateField(label=_("Đến ngày (không tính)"), widget=DATE_INPUT, required=False)
    instrument_no = forms.CharField(label=_("Số văn bản ủy quyền"), max_length=80)
