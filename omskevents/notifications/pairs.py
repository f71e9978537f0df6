"""Pair mismatch notices: a pair of tasks out of step (one side overdue, the other accepted or on time) is told
once to both secretariats — the committee secretariat and the Kazakh secretariat — by the periodic scan.

"Once" is the outbox's unique key: the occasion names the pair, so a pair that falls out of step again later,
or a scan that runs twice, adds nothing.
"""

import datetime as dt

from omskevents.accounts.enums import Role
from omskevents.accounts.models import User
from omskevents.agencies.enums import Country
from omskevents.workplan import pairs
from omskevents.workplan.models import Task

from .audience import Audience
from .enums import Kind
from .models import ReminderSettings
from .store import Planned
from .timing import Calendars, next_polite_moment


def secretariat_people() -> list[User]:
    return list(
        User.objects.filter(is_active=True, role__in=[Role.SECRETARIAT, Role.KZ_SECRETARIAT])
        .exclude(email="")
        .select_related("agency")
        .order_by("pk")
    )


def plan_pair_mismatches(*, now: dt.datetime, rules: ReminderSettings, calendars: Calendars) -> list[Planned]:
    """One notice per pair out of step and secretariat member, at their next polite moment. Two queries."""
    today = now.date()
    russian_sides = (
        Task.objects.filter(counterpart__isnull=False, lead_agency__country=Country.RU)
        .select_related("event", "lead_agency", "counterpart__lead_agency")
        .order_by("pk")
    )
    mismatched = pairs.pairs_out_of_step(pairs.pairs_of(russian_sides, today=today))
    if not mismatched:
        return []
    people = secretariat_people()
    audience = Audience(people)
    planned: list[Planned] = []
    for pair in mismatched:
        for person in people:
            recipient = audience.person(person, Kind.PAIR_MISMATCH)
            if recipient is None:
                continue
            moment = next_polite_moment(recipient, now, rules, calendars(recipient.country))
            planned.append(
                Planned(
                    kind=Kind.PAIR_MISMATCH,
                    item_key=f"task:{pair.russian.pk}",
                    recipient=recipient,
                    occasion=f"pair:{pair.russian.pk}:{pair.kazakh.pk}",
                    scheduled_for=moment,
                    next_attempt_at=moment,
                    task=pair.russian,
                    deadline=pair.russian.deadline,
                    context={"counterpart": pair.kazakh.pk},
                )
            )
    return planned
