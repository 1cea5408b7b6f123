"""Forms of the one-stop shop: receipt at the counter, online submission, actions, public lookup."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FeedbackChannel, PaymentMethod


class ApplicantFields(forms.Form):
    procedure = forms.CharField(label=_("Mã thủ tục"), max_length=20)
    level = forms.ChoiceField(
        label=_("Cấp thực hiện"),
        required=False,
        choices=[("", _("Mặc định")), ("commune", _("Cấp xã")), ("province", _("Cấp tỉnh"))],
    )
    applicant_name = forms.CharField(label=_("Họ và tên người nộp"), max_length=120)
    id_number = forms.RegexField(
        label=_("Số định danh cá nhân"),
        regex=r"^\d{12}$",
        required=False,
        error_messages={"invalid": _("Số định danh cá nhân gồm 12 chữ số.")},
    )
    birth_date = forms.DateField(label=_("Ngày sinh"), required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    phone = forms.RegexField(
        label=_("Số điện thoại"),
        regex=r"^\+?\d{9,15}$",
        required=False,
        error_messages={"invalid": _("Số điện thoại chỉ gồm chữ số.")},
    )
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    address = forms.CharField(label=_("Địa chỉ (cũ hoặc mới)"), max_length=300)
    commune_code = forms.CharField(label=_("Xã/phường"), max_length=5, required=False)


class ReceiptForm(ApplicantFields):
    is_digitised = forms.BooleanField(label=_("Đã scan toàn bộ giấy tờ giấy"), required=False)


class SubmissionForm(ApplicantFields):
    pass


class MoveForm(forms.Form):
    target = forms.IntegerField(min_value=1, max_value=10)
    version = forms.IntegerField(min_value=1)
    note = forms.CharField(required=False, max_length=2000)
    items = forms.CharField(
        required=False, max_length=5000, label=_("Giấy tờ cần bổ sung (mỗi dòng một loại)")
    )
    reason = forms.CharField(required=False, max_length=2000, label=_("Lý do"))
    override_reason = forms.CharField(
        required=False, max_length=2000, label=_("Lý do cho phép bổ sung lần hai")
    )
    amount_vnd = forms.IntegerField(required=False, min_value=0, label=_("Số tiền (đồng)"))
    method = forms.ChoiceField(required=False, choices=[("", "-"), *PaymentMethod.choices])


class ApologyForm(forms.Form):
    version = forms.IntegerField(min_value=1)
    reason = forms.CharField(max_length=2000, label=_("Lý do chậm"))
    new_due_date = forms.DateField(label=_("Hẹn lại ngày"), input_formats=["%d/%m/%Y", "%Y-%m-%d"])


class LookupForm(forms.Form):
    code = forms.CharField(label=_("Mã hồ sơ"), max_length=40)
    secret = forms.RegexField(
        label=_("4 số cuối điện thoại hoặc số định danh"),
        regex=r"^\d{4}$",
        error_messages={"invalid": _("Nhập đúng 4 chữ số.")},
    )


class RatingForm(LookupForm):
    score = forms.TypedChoiceField(
        label=_("Mức hài lòng"),
        coerce=int,
        choices=[(i, str(i)) for i in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Ý kiến"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    channel = forms.ChoiceField(choices=FeedbackChannel.choices, required=False)


class ComplaintForm(LookupForm):
    text = forms.CharField(
        label=_("Nội dung phản ánh"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    channel = forms.ChoiceField(choices=FeedbackChannel.choices, required=False)
