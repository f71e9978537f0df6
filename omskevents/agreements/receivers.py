"""What the agreements app does when a lower app signals (registered in AgreementsConfig.ready)."""

from typing import Any

from django.utils.translation import ngettext

from omskevents.accounts.models import User
from omskevents.events.models import Event

from . import services


def deadlines_follow_event(sender: object, *, event: Event, actor: User, **kwargs: Any) -> str | None:
    """events.signals.event_dates_changed: the stage deadlines follow the ceremony to the event's new dates."""
    moved = services.event_agreements_follow(actor=actor, event=event)
    if not moved:
        return None
    return ngettext(
        "The stage deadlines of %(count)d agreement followed the new dates.",
        "The stage deadlines of %(count)d agreements followed the new dates.",
        moved,
    ) % {"count": moved}
