"""Reminders of agreements' stage deadlines: planned by the outbox scan under the same rules as task reminders.

The acting side's responsible agency gets the reminder at its contact address: on the offsets of the reminder
rules (working days before the stage's deadline, and the due day), on a working day of its own calendar, at
the sending hour of its own time zone, once per stage, deadline and offset (the outbox's unique key).
"""

import datetime as dt
from typing import Any

from django.utils import timezone

from omskevents.agreements.enums import Side, Stage
from omskevents.agreements.models import Agreement
from omskevents.agreements.workflow import STAGE_PLAN

from . import links, selectors
from .enums import Kind
from .models import Notification, ReminderSettings
from .store import Planned
from .timing import Calendars, local_moment, sending_window_open


def _offsets(rules: ReminderSettings) -> list[int]:
    """Working days before the deadline, smallest first (0: the due day)."""
    return ([0] if rules.remind_on_due_day else []) + sorted(rules.offsets)


def plan_agreement_reminders(*, now: dt.datetime, rules: ReminderSettings, calendars: Calendars) -> list[Planned]:
    planned: list[Planned] = []
    offsets = _offsets(rules)
    if not offsets:
        return planned
    # The widest window anywhere: the latest local date on Earth plus the largest offset, by either calendar.
    latest = now.date() + dt.timedelta(days=1)
    horizon = max(calendars(country).add(latest, offsets[-1]) for country in (Side.RU, Side.KZ))
    candidates = (
        Agreement.objects.open()
        .filter(next_deadline__gte=now.date() - dt.timedelta(days=1), next_deadline__lte=horizon)
        .exclude(next_stage="")
        .select_related("ru_responsible", "kz_responsible")
    )
    for agreement in candidates:
        stage, deadline = agreement.next_stage, agreement.next_deadline
        if deadline is None or stage not in STAGE_PLAN:
            continue
        agency = agreement.ru_responsible if STAGE_PLAN[stage][1] == Side.RU else agreement.kz_responsible
        if agency is None or not agency.email:
            continue
        recipient = selectors.recipient_for_agency(agency)
        cal = calendars(recipient.country)
        if not sending_window_open(recipient, now, rules, cal):
            continue
        today = now.astimezone(recipient.tz).date()
        if today > deadline:
            continue
        created_day = timezone.localtime(agreement.created, recipient.tz).date()
        for offset in offsets:
            day = deadline if offset == 0 else cal.add(deadline, -offset)
            if offset == 0 and not cal.is_working(day):
                day = cal.add(day, -1)
            if day <= today:
                if day >= created_day:
                    planned.append(
                        Planned(
                            kind=Kind.AGREEMENT_DEADLINE,
                            item_key=f"agreement:{agreement.pk}",
                            recipient=recipient,
                            occasion=f"{stage}:{deadline}:{offset}",
                            scheduled_for=local_moment(recipient, today, rules.send_hour),
                            next_attempt_at=now,
                            deadline=deadline,
                            context={"agreement": agreement.pk, "stage": stage, "offset": offset},
                        )
                    )
                break
    return planned


def agreement_mail_context(row: Notification) -> dict[str, Any]:
    """What the agreement reminder's templates show, read when the mail is built."""
    agreement = (
        Agreement.objects.select_related("event", "ru_responsible", "kz_responsible")
        .filter(pk=row.context.get("agreement"))
        .first()
    )
    if agreement is None:
        return {}
    stage = row.context.get("stage", "")
    return {
        "agreement": agreement,
        "event": agreement.event,
        "stage_label": Stage(stage).label if stage in Stage.values else stage,
        "item_url": links.absolute(agreement.get_absolute_url()),
    }
