from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Level, Procedure, SensitiveCategory

SENSITIVE_CHOICES = [
    ("", _("Tất cả")),
    ("any", _("Mọi lĩnh vực nhạy cảm")),
    *[(value, label) for value, label in SensitiveCategory.choices if value],
]


class CatalogueFilterForm(forms.Form):
    """The catalogue browse filters (GET). Unknown values are ignored rather than refused."""

    q = forms.CharField(label=_("Tìm thủ tục"), required=False, max_length=200)
    level = forms.ChoiceField(
        label=_("Cấp thực hiện"), required=False, choices=[("", _("Tất cả các cấp")), *Level.choices]
    )
    field = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    sensitive = forms.ChoiceField(label=_("Lĩnh vực nhạy cảm"), required=False, choices=SENSITIVE_CHOICES)
    online = forms.BooleanField(label=_("Có nộp trực tuyến"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = (
            Procedure.objects.exclude(field="").order_by("field").values_list("field", flat=True).distinct()
        )
        self.fields["field"].choices = [("", _("Tất cả lĩnh vực")), *[(f, f) for f in fields]]
        self.fields["q"].widget.attrs.update(
            {"placeholder": _("Ví dụ: đăng ký khai sinh, cấp phép xây dựng, 1.001193"), "type": "search"}
        )

    def filters(self) -> dict:
        """The valid part of the query: a stale field name in a bookmarked URL should not empty the page."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": data.get("q") or "",
            "level": data.get("level") or "",
            "field": data.get("field") or "",
            "sensitive": data.get("sensitive") or "",
            "online": bool(data.get("online")),
        }
