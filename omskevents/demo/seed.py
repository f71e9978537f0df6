"""Load the demo data: the XXII Forum and the 27th commission session, agencies, people, the committee and the plan.

Everything is found by a natural key (agency short name, username, event kind and number, meeting number,
task event and number) and created only when missing: a second run adds nothing and changes nothing, and rows
a person has edited since stay as they are. Dates are placed relative to today so the demo always looks alive.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from omskevents.accounts.models import User
from omskevents.agencies.enums import Country
from omskevents.agencies.models import Agency
from omskevents.calendars.models import CalendarDay, CalendarSource
from omskevents.calendars.services import calendar_seed, next_working_day
from omskevents.committee.enums import MemberRole
from omskevents.committee.models import Committee, CommitteeMember, WorkingGroup
from omskevents.core.cache import data_changed
from omskevents.events.enums import EventKind
from omskevents.events.models import Delegation, Event, ProgrammeItem, Venue
from omskevents.workplan.enums import CLOSED_STATUSES, ExtensionStatus
from omskevents.workplan.models import ExtensionRequest, Task

from .blocks import SeedReport, at
from .data_agencies import (
    AGENCIES,
    AGENCY_TIME_ZONES,
    COMMITTEE_MEMBERS,
    COMMITTEE_NAME,
    COMMITTEE_ROLES,
    DEMO_PASSWORD,
    PEOPLE,
    WORKING_GROUPS,
)
from .data_events import (
    DELEGATIONS,
    FIRST,
    FORUM,
    FORUM_LEAD_DAYS,
    FORUM_NUMBER,
    PROGRAMME,
    SESSION,
    SESSION_NUMBER,
    VENUES,
    Moment,
)
from .second_factor import seed_second_factor
from .seed_agreements import seed_agreements
from .seed_delegates import seed_delegates
from .seed_names import seed_names
from .seed_plan import seed_meetings, seed_tasks
from .seed_two_sides import seed_two_sides


@transaction.atomic
def demo_seed(*, forum_date: dt.date | None = None, today: dt.date | None = None) -> SeedReport:
    """Load the demo data; rows that already exist (by natural key) are left untouched."""
    today = today or timezone.localdate()
    report = SeedReport()
    data_changed()  # the backdating below writes with update(), which sends no model signals
    _seed_calendar(today, report)
    # Six weeks ahead, on a working day: a default landing in the New Year holidays moves past them.
    forum_start = forum_date or next_working_day(Country.RU, today + dt.timedelta(days=FORUM_LEAD_DAYS))
    agencies = _seed_agencies(report)
    users = _seed_people(agencies, report)
    if devices := seed_second_factor(list(users.values())):
        report.add("second-factor devices", devices)
    venues = _seed_venues(report)
    forum, session = _seed_events(forum_start, report)
    _seed_programme(forum, session, venues, report)
    _seed_delegations(forum, session, report)
    seed_delegates(forum, agencies, report)
    committee, groups = _seed_committee(forum, session, users, report)
    decisions = seed_meetings(committee, forum, session, agencies, users, today, report)
    seed_tasks(forum, session, agencies, users, groups, decisions, today, report)
    seed_two_sides(forum=forum, session=session, agencies=agencies, users=users, today=today, report=report)
    seed_agreements(forum, agencies, users, today, report)
    seed_names(report)
    return report


def demo_accounts() -> list[tuple[str, str, str, str]]:
    """(username, role, agency, time zone) of the seeded people: the five demo accounts first."""
    order = {p.username: i for i, p in enumerate(PEOPLE)}
    users = User.objects.filter(username__in=order).select_related("agency")
    rows = sorted(users, key=lambda u: order[u.username])
    return [(u.username, u.get_role_display(), u.agency.short_name if u.agency else "—", u.time_zone) for u in rows]


def demo_overview() -> dict[str, int]:
    """A few figures for the command's summary."""
    today = timezone.localdate()
    tasks = Task.objects.all()
    return {
        "tasks": tasks.count(),
        "open": tasks.open().count(),
        "overdue": tasks.overdue(today).count(),
        "due in 14 days": tasks.due_between(today, today + dt.timedelta(days=14)).count(),
        "closed": tasks.filter(status__in=CLOSED_STATUSES).count(),
        "pending extensions": ExtensionRequest.objects.filter(status=ExtensionStatus.PENDING).count(),
    }


def _seed_calendar(today: dt.date, report: SeedReport) -> None:
    """Seed the working calendar once per country and year; later corrections by hand are kept."""
    for country in (Country.RU, Country.KZ):
        for year in (today.year, today.year + 1):
            seeded = CalendarDay.objects.filter(
                country=country, date__year=year, source=CalendarSource.HOLIDAYS
            ).exists()
            if not seeded:
                report.add("calendar days", calendar_seed(countries=[country], years=[year]))


def _seed_agencies(report: SeedReport) -> dict[str, Agency]:
    agencies: dict[str, Agency] = {}
    for short, name, name_en, country, level, parent, email in AGENCIES:
        agency = Agency.objects.filter(short_name=short).first()
        if agency is None:
            agency = Agency(
                short_name=short,
                name=name,
                name_en=name_en,
                country=country,
                level=level,
                email=email,
                parent=agencies[parent] if parent else None,
                time_zone=AGENCY_TIME_ZONES.get(short, ""),
            )
            agency.full_clean()
            agency.save()
            report.add("agencies")
        agencies[short] = agency
    return agencies


def _seed_people(agencies: dict[str, Agency], report: SeedReport) -> dict[str, User]:
    users: dict[str, User] = {}
    # One hash for all: the demo accounts share the password, and a strong hasher takes a noticeable
    # fraction of a second per call.
    hashed: str | None = None
    for person in PEOPLE:
        user = User.objects.filter(username=person.username).first()
        if user is None:
            user = User(
                username=person.username,
                last_name=person.last_name,
                first_name=person.first_name,
                patronymic=person.patronymic,
                position=person.position,
                agency=agencies[person.agency] if person.agency else None,
                role=person.role,
                time_zone=person.time_zone,
                email=person.email,
                language="ru",
                is_staff=True,
            )
            # Demo accounts share one short password on purpose, so the validators are not asked.
            if hashed is None:
                user.set_password(DEMO_PASSWORD)
                hashed = user.password
            user.password = hashed
            user.full_clean(exclude=["password"])
            user.save()
            report.add("users")
            if person.heads_agency and person.agency:
                agency = agencies[person.agency]
                if agency.head_id is None:
                    agency.head = user
                    agency.save(update_fields=["head", "updated"])
        users[person.username] = user
    return users


def _seed_venues(report: SeedReport) -> dict[str, Venue]:
    venues = {}
    for name, (address, capacity) in VENUES.items():
        venue, created = Venue.objects.get_or_create(name=name, defaults={"address": address, "capacity": capacity})
        report.add("venues", int(created))
        venues[name] = venue
    return venues


def _seed_events(forum_start: dt.date, report: SeedReport) -> tuple[Event, Event]:
    forum, created = Event.objects.get_or_create(
        kind=EventKind.FORUM,
        number=FORUM_NUMBER,
        defaults={**FORUM, "start_date": forum_start, "end_date": forum_start + dt.timedelta(days=1)},
    )
    report.add("events", int(created))
    if not created and forum.start_date != forum_start:
        report.notices.append(
            f"The Forum already exists ({forum.start_date:%d.%m.%Y}–{forum.end_date:%d.%m.%Y}); its dates are left "
            "as they are."
        )
    session, created = Event.objects.get_or_create(
        kind=EventKind.COMMISSION,
        number=SESSION_NUMBER,
        defaults={**SESSION, "start_date": forum.start_date, "end_date": forum.start_date},
    )
    report.add("events", int(created))
    return forum, session


def _moment(event: Event, moment: Moment) -> dt.datetime:
    day, hour, minute = moment
    return at(event.start_date if day == FIRST else event.end_date, hour, minute)


def _seed_programme(forum: Event, session: Event, venues: dict[str, Venue], report: SeedReport) -> None:
    events = {"forum": forum, "session": session}
    for key, kind, area, title, starts, ends, venue, moderator in PROGRAMME:
        event = events[key]
        if ProgrammeItem.objects.filter(event=event, title=title).exists():
            continue
        item = ProgrammeItem(
            event=event,
            kind=kind,
            area=area,
            title=title,
            starts_at=_moment(event, starts),
            ends_at=_moment(event, ends),
            venue=venues[venue],
            moderator=moderator,
        )
        item.full_clean()
        item.save()
        report.add("programme items")
        event.venues.add(venues[venue])


def _seed_delegations(forum: Event, session: Event, report: SeedReport) -> None:
    events = {"forum": forum, "session": session}
    for key, side, name, head, size, arrival_day in DELEGATIONS:
        event = events[key]
        _row, created = Delegation.objects.get_or_create(
            event=event,
            side=side,
            name=name,
            defaults={
                "head": head,
                "size": size,
                "arrival": at(event.start_date + dt.timedelta(days=arrival_day), 16),
            },
        )
        report.add("delegations", int(created))


def _seed_committee(
    forum: Event, session: Event, users: dict[str, User], report: SeedReport
) -> tuple[Committee, dict[str, WorkingGroup]]:
    committee, created = Committee.objects.get_or_create(name=COMMITTEE_NAME)
    report.add("committees", int(created))
    committee.events.add(forum, session)
    for username in [*COMMITTEE_ROLES, *COMMITTEE_MEMBERS]:
        _member, created = CommitteeMember.objects.get_or_create(
            committee=committee,
            user=users[username],
            defaults={"role": COMMITTEE_ROLES.get(username, MemberRole.MEMBER)},
        )
        report.add("committee members", int(created))
    groups = {}
    for kind, (name, lead, members) in WORKING_GROUPS.items():
        group, created = WorkingGroup.objects.get_or_create(
            committee=committee, kind=kind, defaults={"name": name, "lead": users[lead]}
        )
        if created:
            group.members.add(users[lead], *(users[m] for m in members))
            report.add("working groups")
        groups[kind] = group
    return committee, groups
