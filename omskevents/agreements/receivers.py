"""What the agreements app does when a lower app signals (registered in AgreementsConfig.ready)."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from omskevents.accounts.models import User
from omskevents.accounts.types import AnyUser
from omskevents.core.sections import PageSection
from omskevents.events.dates import PlannedChange, PreviewSection, date_text
from omskevents.events.models import Event

from . import permissions, selectors, services
from .enums import Stage


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


def deadlines_preview(sender: object, *, moved: Event, **kwargs: Any) -> PreviewSection:
    """events.signals.event_dates_preview: the stage deadlines `deadlines_follow_event` would move (no writes)."""
    changes = tuple(
        PlannedChange(
            key=f"agreements.agreement:{agreement.pk}:{stage}",
            what=f"{agreement} — {Stage(stage).label}",
            old=row.deadline if row else None,
            new=deadline,
            old_text=date_text(row.deadline if row else None),
            new_text=date_text(deadline),
        )
        for agreement, row, stage, deadline in services.event_agreements_plan(event=moved)
    )
    return PreviewSection(name="agreements", title=_("Stage deadlines of the agreements"), changes=changes, order=30)


def event_page_section(sender: object, *, event: Event, user: AnyUser, **kwargs: Any) -> PageSection | None:
    """events.signals.event_page: the agreements signed at the event, and how many are planned (within the scope)."""
    if not permissions.can_see_register(user):
        return None
    figures = selectors.signed_of_planned(user, [event])
    if not figures:
        return None
    return PageSection(
        template="agreements/event_section.html",
        context={"event": event, "figure": figures[0], "signed": selectors.signed_at(user, event)},
        slot="after_details",
    )
