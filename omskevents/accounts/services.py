"""Writes to a person's account: the calendar feed token, and revoking the one-click links mailed to them."""

import secrets

from django.db import transaction
from django.utils import timezone

from .models import CalendarFeedToken, User

# Only touch the "last used" time this often: calendar apps poll the feed every few minutes.
LAST_USED_RESOLUTION_SECONDS = 3600


@transaction.atomic
def calendar_token_issue(*, user: User) -> CalendarFeedToken:
    """Give the person a new feed address; the old one, if any, stops working at once."""
    token, _created = CalendarFeedToken.objects.select_for_update().get_or_create(
        user=user, defaults={"key": secrets.token_urlsafe(32)}
    )
    if not _created:
        token.key = secrets.token_urlsafe(32)
        token.created = timezone.now()
        token.last_used = None
        token.save(update_fields=["key", "created", "last_used"])
    return token


@transaction.atomic
def calendar_token_revoke(*, user: User) -> bool:
    """Switch the feed off. Returns whether there was one."""
    deleted, _ = CalendarFeedToken.objects.filter(user=user).delete()
    return bool(deleted)


def calendar_token_touch(*, token: CalendarFeedToken) -> None:
    now = timezone.now()
    if token.last_used is None or (now - token.last_used).total_seconds() > LAST_USED_RESOLUTION_SECONDS:
        CalendarFeedToken.objects.filter(pk=token.pk).update(last_used=now)


def user_links_revoke(*, user: User) -> None:
    """End every one-click link mailed to this person so far (on signing out everywhere, on deactivation)."""
    now = timezone.now()
    User.objects.filter(pk=user.pk).update(links_revoked_at=now)
    user.links_revoked_at = now
