"""Reads of a person's calendar feed token."""

from .models import CalendarFeedToken, User


def calendar_token_of(user: User) -> CalendarFeedToken | None:
    return CalendarFeedToken.objects.filter(user=user).first()


def calendar_token_owner(key: str) -> CalendarFeedToken | None:
    """The token of the active person a feed key belongs to; None for an unknown or revoked key."""
    return CalendarFeedToken.objects.select_related("user").filter(key=key, user__is_active=True).first()
