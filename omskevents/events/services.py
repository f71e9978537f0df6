"""Writes to events."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from omskevents.accounts.models import User
from omskevents.accounts.permissions import is_secretariat

from .models import Event
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
