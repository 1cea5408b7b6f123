"""Numbers the way the user's language groups them: 3.321 in Vietnamese, 3,321 in English."""

from django import template
from django.utils import translation

register = template.Library()


@register.filter
def thousands(value) -> str:
    if value is None or value == "":
        return ""
    text = f"{int(value):,}"
    if translation.get_language() in ("vi", "id"):
        text = text.replace(",", ".")
    return text
