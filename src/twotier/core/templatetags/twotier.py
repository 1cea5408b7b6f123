"""Formatting the way Vietnamese users read it: dd/mm/yyyy, 24 h, VND with dot separators."""

from django import template
from django.utils import timezone, translation

register = template.Library()


@register.filter
def vnd(amount) -> str:
    if amount is None or amount == "":
        return ""
    text = f"{int(amount):,}"
    if translation.get_language() == "vi":
        text = text.replace(",", ".")
    return f"{text} đ"


@register.filter
def vndate(value) -> str:
    if not value:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")
