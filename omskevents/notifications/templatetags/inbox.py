"""The menu's inbox badge: one COUNT of the person's unread items, asked only for a signed-in person."""

from typing import Any

from django import template

from omskevents.notifications import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def inbox_unread(context: Any) -> int:
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    return selectors.inbox_unread_count(user)
