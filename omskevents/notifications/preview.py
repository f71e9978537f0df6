"""The next working morning's mail, as it will go: for the secretariat's preview, and for measuring.

The scan's rules are asked what they will make due that morning (nothing is stored), the rows already
queued for it are added, and each is passed through what the delivery does: the recipient's channel (in
the app only: no mail), a notice read in the app, a reason gone, a hold; then one person's rows due
together are gathered into one mail."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from omskevents.accounts.models import User
from omskevents.agencies.models import Agency
from omskevents.calendars.services import next_working_day
from omskevents.workplan.models import Task

from . import selectors
from .audience import channel
from .delivery import gather_key, stale_reason
from .dispatch import plan_all
from .enums import Channel, State
from .models import MailHold, Notification, NotificationPreference
from .stored import stored_notification_keys


def next_morning(now: dt.datetime | None = None) -> tuple[dt.date, dt.datetime]:
    """The next working day (the committee's calendar) after today, and the instant by which its sending
    hour has come everywhere in Russia and Kazakhstan (10:00 UTC: noon in Kaliningrad)."""
    now = now or timezone.now()
    today = timezone.localdate(now, selectors.zone(settings.TIME_ZONE))
    day = next_working_day("RU", today + dt.timedelta(days=1))
    return day, dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)


@dataclass
class MorningLine:
    """One recipient's morning: notices by kind, how many mails they make, how many are held."""

    key: str
    user: User | None
    agency: Agency | None
    kinds: Counter[str] = field(default_factory=Counter)
    mails: int = 0
    held: int = 0
    app_only: int = 0


@dataclass
class Morning:
    day: dt.date
    moment: dt.datetime
    lines: list[MorningLine]

    @property
    def mails(self) -> int:
        return sum(line.mails for line in self.lines)

    def by_kind(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for line in self.lines:
            total.update(line.kinds)
        return total


def _as_row(planned: Any) -> Notification:
    task = planned.task
    return Notification(
        kind=planned.kind,
        item_key=planned.item_key,
        recipient_key=planned.recipient.key,
        occasion=planned.occasion,
        recipient=planned.recipient.user,
        agency=planned.recipient.agency,
        task_id=task.pk if task is not None else None,
        meeting=planned.meeting,
        deadline=planned.deadline,
        context=planned.context,
        scheduled_for=planned.scheduled_for,
        next_attempt_at=planned.scheduled_for,
        created=planned.scheduled_for,
    )


def morning_preview(*, now: dt.datetime | None = None, moment: dt.datetime | None = None) -> Morning:
    """The mail of the next working morning (or of `moment`), per recipient."""
    day, default_moment = next_morning(now)
    moment = moment or default_moment
    planned = plan_all(now=moment)
    stored = stored_notification_keys([p.key for p in planned])
    rows = [_as_row(p) for p in planned if p.key not in stored]
    queued = list(Notification.objects.filter(Q(state=State.QUEUED) | Q(state=State.HELD), next_attempt_at__lte=moment))
    held_ids = {r.pk for r in queued if r.state == State.HELD}
    queued_rows = selectors.rows_for_delivery([r.pk for r in queued])
    # The planned rows' tasks, with what their checks read.
    tasks = Task.objects.select_related("lead_agency", "event").in_bulk({r.task_id for r in rows} - {None})
    for row in rows:
        if row.task_id is not None:
            row.task = tasks[row.task_id]
    everything = queued_rows + rows
    prefs = selectors.preferences_by_user(r.recipient_id for r in everything if r.recipient_id is not None)
    facts = selectors.delivery_facts(queued_rows)
    holds = list(MailHold.objects.filter(day=day).values_list("kind", "user_id"))
    held_kinds = {k for k, _u in holds if k}
    held_people = {u for k, u in holds if u is not None and not k}
    lines: dict[str, MorningLine] = {}
    groups: dict[str, set[Any]] = {}
    for row in everything:
        pref = prefs.get(row.recipient_id) if row.recipient_id is not None else None
        if row.recipient_id is not None and pref is None:
            pref = NotificationPreference(user_id=row.recipient_id)
        line = lines.setdefault(row.recipient_key, MorningLine(row.recipient_key, row.recipient, row.agency))
        if row.recipient_id is not None and channel(pref, row.kind) == Channel.APP:
            line.app_only += 1
            continue
        if stale_reason(row, pref, facts):
            continue
        line.kinds[row.kind] += 1
        if row.pk in held_ids or row.kind in held_kinds or row.recipient_id in held_people:
            line.held += 1
            continue
        gathered = gather_key(row, pref)
        groups.setdefault(row.recipient_key, set()).add(gathered if gathered is not None else ("alone", id(row)))
    for recipient_key, group in groups.items():
        lines[recipient_key].mails = len(group)
    ordered = sorted(
        (line for line in lines.values() if line.kinds or line.app_only), key=lambda line: (-line.mails, line.key)
    )
    return Morning(day=day, moment=moment, lines=ordered)
