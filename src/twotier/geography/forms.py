from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import MAX_UPLOAD_BYTES

MAX_PASTED_LINES = 1000


class ResolveForm(forms.Form):
    addresses = forms.CharField(
        label=_("Địa chỉ (mỗi dòng một địa chỉ, tối đa 1.000 dòng)"),
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": "P.4, Q.8, TP.HCM\nPhường Tân An, Cần Thơ"}),
        max_length=200_000,
    )

    def clean_addresses(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["addresses"].splitlines() if line.strip()]
        if not lines:
            raise forms.ValidationError(_("Hãy nhập ít nhất một địa chỉ."))
        if len(lines) > MAX_PASTED_LINES:
            raise forms.ValidationError(
                _("Tối đa %(n)s dòng mỗi lần; với tệp lớn hơn hãy tải lên tệp CSV.") % {"n": MAX_PASTED_LINES}
            )
        return lines


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp CSV (UTF-8 hoặc Windows-1258, tối đa 20 MB)"))
    column = forms.CharField(label=_("Tên cột chứa địa chỉ"), initial="address", max_length=255)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Tệp quá lớn (tối đa 20 MB)."))
        return upload
