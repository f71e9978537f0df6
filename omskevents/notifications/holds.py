"""Holding mail for a day: the secretariat holds a kind, or a person's mail; the rows wait in state 'held',
kept, and are queued again when the hold is lifted or its day has passed (the scan's `mail_holds_expire`)."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from omskevents.accounts.models import User

from . import selectors
from .enums import State
from .models import MailHold, Notification
from .timing import Calendars, next_sending_hour


def _hold_filter(hold: MailHold) -> dict[str, Any]:
    return {"kind": hold.kind} if hold.kind else {"recipient_id": hold.user_id}


# How far ahead a day may be held.
HOLD_DAYS_AHEAD = 31


def hold_problems(*, day: dt.date | None, kind: str, user: User | None, today: dt.date) -> dict[str | None, str]:
    """What is wrong with a hold, by field (None: the hold as a whole); empty when it may be made. The morning
    page's form, the admin's form and `hold_create` ask the same rules."""
    problems: dict[str | None, str] = {}
    if day is not None and day < today:
        problems["day"] = _("A day in the past cannot be held.")
    elif day is not None and day > today + dt.timedelta(days=HOLD_DAYS_AHEAD):
        problems["day"] = _("Hold mail at most a month ahead.")
    if bool(kind) == (user is not None):
        problems[None] = _("Choose either a kind of mail or a person, not both.")
    return problems


def hold_create(*, actor: User, day: dt.date, kind: str = "", user: User | None = None) -> MailHold:
    """Hold a kind of mail, or a person's mail, for a day: the rows queued for it wait (state 'held'), kept.

    They are queued again when the hold is lifted, or the next day (`mail_holds_expire`). A day past or more than
    a month ahead, neither or both of a kind and a person, or a hold that exists already: ValidationError."""
    problems = hold_problems(day=day, kind=kind, user=user, today=selectors.hold_day())
    if problems:
        raise ValidationError({field or "__all__": message for field, message in problems.items()})
    hold = MailHold(day=day, kind=kind, user=user, created_by=actor)
    hold.full_clean()  # the kind's choices, and the same hold for the same day (the constraints' messages)
    try:
        with transaction.atomic():
            hold.save()
    except IntegrityError:  # the same hold made at the same moment by someone else
        raise ValidationError(_("This mail is already held for that day.")) from None
    zone = selectors.zone(settings.TIME_ZONE)
    rows = Notification.objects.filter(
        state=State.QUEUED,
        next_attempt_at__lt=dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=zone),
        **_hold_filter(hold),
    )
    if day > selectors.hold_day():
        rows = rows.filter(next_attempt_at__gte=dt.datetime.combine(day, dt.time(0), tzinfo=zone))
    rows.update(state=State.HELD, updated=timezone.now())
    return hold


def _requeue_held(rows: Iterable[Notification], *, now: dt.datetime) -> int:
    """Queue held rows again for their recipient's next sending moment (at once, when it is that moment)."""
    rules = selectors.reminder_settings_get()
    calendars = Calendars(now.date())
    count = 0
    for row in rows:
        if row.recipient is not None:
            recipient = selectors.recipient_for_user(row.recipient)
        elif row.agency is not None:
            recipient = selectors.recipient_for_agency(row.agency)
        else:
            continue
        local = now.astimezone(recipient.tz)
        cal = calendars(recipient.country)
        working = cal.is_working(local.date()) and local.hour >= rules.send_hour
        moment = now if working else next_sending_hour(recipient, now, rules, cal)
        count += Notification.objects.filter(pk=row.pk, state=State.HELD).update(
            state=State.QUEUED, next_attempt_at=moment, dispatched_at=None, updated=now
        )
    return count


def hold_release(*, hold: MailHold) -> int:
    """Lift a hold: its rows are queued again (at once, in their recipient's working hours). Returns how many."""
    locked = MailHold.objects.select_for_update().filter(pk=hold.pk).first()
    if locked is None:  # lifted a moment ago by someone else (a second click, another tab)
        return 0
    hold = locked
    rows = Notification.objects.filter(state=State.HELD, **_hold_filter(hold)).select_related(
        "recipient__agency", "agency"
    )
    hold.delete()
    others = MailHold.objects.filter(day__gte=selectors.hold_day())
    rows = rows.exclude(kind__in=[h.kind for h in others if h.kind]).exclude(
        recipient_id__in=[h.user_id for h in others if h.user_id and not h.kind]
    )
    return _requeue_held(list(rows), now=timezone.now())


@transaction.atomic
def mail_holds_expire(*, now: dt.datetime | None = None) -> int:
    """The scan's part: held rows no hold of today (or later) covers any more are queued again."""
    now = now or timezone.now()
    if not Notification.objects.filter(state=State.HELD).exists():
        return 0
    active = list(MailHold.objects.filter(day__gte=selectors.hold_day(now)))
    rows = Notification.objects.filter(state=State.HELD).select_related("recipient__agency", "agency")
    rows = rows.exclude(kind__in=[h.kind for h in active if h.kind]).exclude(
        recipient_id__in=[h.user_id for h in active if h.user_id and not h.kind]
    )
    return _requeue_held(list(rows), now=now)
