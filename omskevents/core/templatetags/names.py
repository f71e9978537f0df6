"""`{{ obj|localized_name }}`, `{{ obj|localized_short_name }}`: a name in the viewer's language (core/names.py)."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def localized_name(obj: Any) -> str:
    if obj is None or obj == "":
        return ""
    return str(getattr(obj, "localized_name", obj))


@register.filter
def localized_short_name(obj: Any) -> str:
    if obj is None or obj == "":
        return ""
    return str(getattr(obj, "localized_short_name", obj))
