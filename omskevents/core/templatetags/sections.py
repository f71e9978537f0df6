"""`{% render_sections sections "slot" %}`: the sections higher apps contributed to a page (core.sections)."""

from collections.abc import Mapping
from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from omskevents.core.sections import PageSection

register = template.Library()


@register.simple_tag(takes_context=True)
def render_sections(
    context: template.Context, sections: Mapping[str, list[PageSection]] | None, slot: str
) -> SafeString:
    request = context.get("request")
    parts: list[str] = []
    for section in (sections or {}).get(slot, []):
        values: dict[str, Any] = {"section": section, **section.context}
        parts.append(render_to_string(section.template, values, request))
    return mark_safe("".join(parts))  # noqa: S308 - each part is a rendered template, escaped by the engine
