"""Which open tasks a reminder scan plans: every candidate, or only the tasks written since the last scan.

`planning.plan_task_reminders` is a function of the task's row and of nothing else that changes often: the
people the task names (their accounts, preferences, agencies and absences), the committees' secretaries, the
rules, the working calendars, and the moment — of the moment only through the UTC date, each recipient's local
date and whether their sending window is open. The fingerprint digests all of these but the task rows.

The scan saves the fingerprint, and the moment it read the tasks, in the transaction that stores the rows it
planned. So while the fingerprint stays the same, a task not written since that moment would be planned to rows
that are stored already, and the next scan plans only the tasks written since (less CHANGE_MARGIN: a write still
in flight when the tasks were read, or a web node whose clock runs behind). Every candidate is planned again when
the fingerprint changes (a sending hour comes, a date turns, a person's account, preferences, agency, committee
role or absence changes, or the rules or a calendar do) and at least every NOTIFY_FULL_SCAN_SECONDS — the safety
net for a write that bypasses the `updated` stamp and for a new release's rules. A scan that fails stores
nothing and saves no state: the next one plans as if it had not run.
"""

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from omskevents.accounts.models import Absence, User
from omskevents.agencies.models import Agency
from omskevents.calendars.models import CalendarDay
from omskevents.calendars.services import calendar_country
from omskevents.committee.models import Committee, CommitteeMember

from .models import NotificationPreference, ReminderSettings, ScanState
from .selectors import zone
from .timing import Calendars

CHANGE_MARGIN = dt.timedelta(minutes=10)

# What a person's row holds that the rules never read and that changes all day long (a sign-in, a remembered view).
USER_FIELDS_IGNORED = {"password", "last_login", "ui_state"}


@dataclass(frozen=True)
class TaskScope:
    """What this scan plans: `changed_since` None — every candidate; otherwise the tasks written since then."""

    fingerprint: str
    read_at: dt.datetime
    changed_since: dt.datetime | None
    full_at: dt.datetime

    @property
    def full(self) -> bool:
        return self.changed_since is None


def _fields(model: type[models.Model], ignored: Iterable[str] = ()) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if f.attname not in set(ignored)]


def _rows(model: type[models.Model], ignored: Iterable[str] = ()) -> list[tuple[Any, ...]]:
    return list(model._default_manager.order_by("pk").values_list(*_fields(model, ignored)))


def fingerprint(*, now: dt.datetime, rules: ReminderSettings, calendars: Calendars) -> str:
    """A digest of everything the task rules read at `now`, the tasks aside (a handful of small tables)."""
    digest = hashlib.sha256()

    def add(part: str, value: Any) -> None:
        digest.update(f"{part}={value!r};".encode())

    add("utc_date", now.date())
    add("rules", [getattr(rules, name) for name in _fields(ReminderSettings)])
    add("calendars", list(CalendarDay.objects.order_by("country", "date").values_list("country", "date", "is_working")))
    users = _rows(User, USER_FIELDS_IGNORED)
    add("users", users)
    agencies = list(Agency.objects.order_by("pk"))
    add("agencies", [tuple(getattr(a, name) for name in _fields(Agency)) for a in agencies])
    add("preferences", _rows(NotificationPreference))
    add("members", _rows(CommitteeMember))
    add(
        "committee_events",
        list(Committee.events.through.objects.order_by("pk").values_list("committee_id", "event_id")),
    )
    add("absences", _rows(Absence))
    # Each recipient's sending window and local date: people's zones with their agency's calendar, agencies' own.
    by_pk = {a.pk: a for a in agencies}
    user_zone = User._meta.get_field("time_zone").attname
    user_agency = User._meta.get_field("agency").attname
    names = _fields(User, USER_FIELDS_IGNORED)
    places = {
        (row[names.index(user_zone)], calendar_country(by_pk.get(row[names.index(user_agency)]))) for row in users
    }
    places |= {(a.time_zone, calendar_country(a)) for a in agencies}
    for name, country in sorted(places):
        local = now.astimezone(zone(name))
        day = local.date()
        add("window", (name, country, day, calendars(country).is_working(day), local.hour >= rules.send_hour))
    return digest.hexdigest()


def _full_every() -> dt.timedelta:
    return dt.timedelta(seconds=settings.NOTIFY_FULL_SCAN_SECONDS)


def task_scope(*, now: dt.datetime, rules: ReminderSettings, calendars: Calendars) -> TaskScope:
    """Decide, before the tasks are read, whether this scan plans every candidate or only the written ones."""
    read_at = timezone.now()
    current = fingerprint(now=now, rules=rules, calendars=calendars)
    state = ScanState.objects.filter(pk=1).first()
    if (
        state is not None
        and state.fingerprint == current
        and state.tasks_read_at <= read_at
        and read_at - state.full_at < _full_every()
    ):
        return TaskScope(current, read_at, state.tasks_read_at - CHANGE_MARGIN, state.full_at)
    return TaskScope(current, read_at, None, read_at)


def scan_state_save(scope: TaskScope) -> None:
    """Record what this scan planned from. Called in the transaction that stores its rows."""
    values = {"fingerprint": scope.fingerprint, "tasks_read_at": scope.read_at, "full_at": scope.full_at}
    if ScanState.objects.filter(pk=1).update(**values):
        return
    try:
        with transaction.atomic():
            ScanState.objects.create(pk=1, **values)
    except IntegrityError:  # a scan next to this one created the row first: this one's state is as good
        ScanState.objects.filter(pk=1).update(**values)
