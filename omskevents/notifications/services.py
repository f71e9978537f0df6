"""Hand-operated writes: the admin's retry and cancel of outbox rows, a person's preferences, the reminder rules."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from omskevents.accounts.models import User

from . import holds
from .dispatch import outbox_dispatch
from .enums import BULK_KINDS, CANCELLED_BY_HAND, Channel, Delivery, Kind, State
from .models import InboxItem, MailHold, Notification, NotificationPreference, ReminderSettings

RETRYABLE = (State.FAILED, State.CANCELLED, State.UNCERTAIN)


@transaction.atomic
def outbox_retry(*, notifications: Iterable[Notification]) -> int:
    """Queue failed, cancelled or possibly-sent rows again (after an address was fixed, an outage ended, or a
    person decided a possibly-sent mail should go again); they go out at once. A possibly-sent row keeps its
    flag and its Message-ID: a repeated mail is recognisable."""
    ids = [n.pk for n in notifications]
    now = timezone.now()
    count = Notification.objects.filter(pk__in=ids, state__in=RETRYABLE).update(
        state=State.QUEUED,
        attempts=0,
        next_attempt_at=now,
        dispatched_at=None,
        first_failure_at=None,
        last_error="",
        updated=now,
    )
    transaction.on_commit(lambda: outbox_dispatch())
    return count


@transaction.atomic
def outbox_cancel(*, notifications: Iterable[Notification]) -> int:
    ids = [n.pk for n in notifications]
    return Notification.objects.filter(pk__in=ids, state__in=[State.QUEUED, State.FAILED, State.UNCERTAIN]).update(
        state=State.CANCELLED, last_error=CANCELLED_BY_HAND, updated=timezone.now()
    )


PREFERENCE_FIELDS = (
    "assignments_mode",
    "reminders_mode",
    "status_mode",
    "meetings_mode",
    "digests",
    "delivery",
    "language",
    "head_copies",
    "muted_kinds",
)


@transaction.atomic
def preference_update(*, user: User, **fields: Any) -> NotificationPreference:
    unknown = set(fields) - set(PREFERENCE_FIELDS)
    if unknown:
        raise TypeError(f"unknown preference fields: {sorted(unknown)}")
    pref, _created = NotificationPreference.objects.select_for_update().get_or_create(user_id=user.pk)
    for name, value in fields.items():
        setattr(pref, name, value)
    pref.full_clean()
    pref.save()
    return pref


@transaction.atomic
def preference_mute_kind(*, user: User, kind: str) -> NotificationPreference:
    """The one-click unsubscribe: switch off exactly this kind of bulk mail for this person.

    A personal digest replaced single reminders at the person's choice: unsubscribing from it switches back to
    single reminders (nothing is lost). Queued rows of the kind are cancelled when their turn comes (delivery
    asks the preferences again)."""
    if kind not in BULK_KINDS:
        raise ValueError(kind)
    pref, _created = NotificationPreference.objects.select_for_update().get_or_create(user_id=user.pk)
    if kind == Kind.DIGEST:
        pref.delivery = Delivery.IMMEDIATE
        if pref.reminders_mode == Channel.DIGEST:
            pref.reminders_mode = Channel.MAIL
    elif kind not in pref.muted_kinds:
        pref.muted_kinds = [*pref.muted_kinds, str(kind)]
    pref.full_clean()
    pref.save()
    return pref


@transaction.atomic
def reminder_settings_save(**fields: Any) -> ReminderSettings:
    rules = ReminderSettings.objects.select_for_update().order_by("pk").first() or ReminderSettings()
    for name, value in fields.items():
        setattr(rules, name, value)
    rules.full_clean()
    rules.save()
    return rules


def inbox_mark_read(*, user: User, item_id: int) -> int:
    """Mark one item of the person's own inbox read (an item of someone else is left alone). Returns 1 or 0."""
    return InboxItem.objects.filter(pk=item_id, user_id=user.pk, read_at__isnull=True).update(read_at=timezone.now())


def inbox_mark_all_read(*, user: User, kind: str = "", event_id: int | None = None) -> int:
    """Mark read every unread item of the person's inbox (within the filters shown). Returns how many."""
    items = InboxItem.objects.filter(user_id=user.pk, read_at__isnull=True)
    if kind:
        items = items.filter(kind=kind)
    if event_id is not None:
        items = items.filter(event_id=event_id)
    return items.update(read_at=timezone.now())


@transaction.atomic
def mail_hold_create(*, actor: User, day: dt.date, kind: str = "", user: User | None = None) -> MailHold:
    """Hold a kind of mail, or a person's mail, for a day (holds.py): the rows wait, kept."""
    return holds.hold_create(actor=actor, day=day, kind=kind, user=user)


@transaction.atomic
def mail_hold_release(*, hold: MailHold) -> int:
    """Lift a hold: its rows are queued again (at once, in their recipient's working hours). Returns how many."""
    count = holds.hold_release(hold=hold)
    transaction.on_commit(lambda: outbox_dispatch())
    return count
