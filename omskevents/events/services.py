"""Writes to events."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from omskevents.accounts.models import User
from omskevents.accounts.permissions import is_secretariat

from .models import Event, Journey
from .selectors import delegates_due_for_removal
from .signals import event_dates_changed

DATE_FIELDS = frozenset({"start_date", "end_date"})


@transaction.atomic
def event_save(*, actor: User, event: Event, changed: Iterable[str] = ()) -> list[str]:
    """Save an event (the admin's form has set its fields); new dates move what hangs on them, atomically.

    `changed` names the fields the form changed. Returns the receivers' messages for the person.
    """
    if not is_secretariat(actor):
        raise PermissionDenied(_("Only the committee secretariat manages events."))
    event.full_clean()
    event.save()
    if event.pk is None or not DATE_FIELDS & set(changed):
        return []
    responses = event_dates_changed.send(sender=Event, event=event, actor=actor)
    return [str(message) for _receiver, message in responses if message]


@dataclass(frozen=True)
class PurgeResult:
    """What a removal of delegates' personal data removed (or, in a dry run, would remove), per event."""

    by_event: dict[str, int]
    dry_run: bool

    @property
    def total(self) -> int:
        return sum(self.by_event.values())


@transaction.atomic
def delegates_purge(*, today: dt.date, retention_days: int, dry_run: bool = False) -> PurgeResult:
    """Remove the personal data of delegates of events that ended more than `retention_days` days ago.

    The delegation itself (its name, side and headcount) stays as the record of the event; its people, their
    journeys and consents go. A dry run counts and changes nothing.
    """
    if retention_days < 0:
        raise ValueError("retention_days must not be negative")
    due = delegates_due_for_removal(today=today, retention_days=retention_days)
    by_event: dict[str, int] = {}
    for title, count in (
        due.values_list("delegation__event__short_title")
        .annotate(n=Count("pk"))
        .order_by("delegation__event__short_title")
    ):
        by_event[title] = count
    if not dry_run and by_event:
        Journey.objects.filter(delegate__in=due).delete()
        due.delete()
    return PurgeResult(by_event=by_event, dry_run=dry_run)
