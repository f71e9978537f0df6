"""A small world with one object of every admin model, split between agency A and agency B."""

import datetime as dt
from types import SimpleNamespace

import pytest

from omskevents.accounts.models import Absence
from omskevents.calendars.models import CalendarDay
from omskevents.committee.models import (
    AgendaItem,
    Committee,
    CommitteeMember,
    Decision,
    Meeting,
    MeetingAttendance,
    WorkingGroup,
)
from omskevents.events.models import Delegate, Delegation
from omskevents.notifications.models import MailHold
from omskevents.notifications.selectors import hold_day
from tests.conftest import make_people
from tests.factories.agencies import AgencyFactory
from tests.factories.agreements import make_agreement
from tests.factories.events import EventFactory, ProgrammeItemFactory, VenueFactory
from tests.factories.webhooks import make_delivery, make_endpoint
from tests.factories.workplan import ExtensionRequestFactory, ProgressReportFactory, TaskFactory
from tests.support.db_state import State, made_once, rows_state


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    """The world made once for a module's tests (tests/support/db_state.py): tests/admin/test_isolation.py gives
    each test a fresh copy of it."""
    yield from made_once(django_db_blocker, lambda: build_world(**make_people()))


def build_world(*, agency_a, agency_b, secretariat, staff_a, head_a, staff_b, kz_secretariat) -> SimpleNamespace:
    event = EventFactory(number="XXII", start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 11))
    venue = VenueFactory(name="Омск-Арена")
    programme = ProgrammeItemFactory(event=event, venue=venue)
    delegation = Delegation.objects.create(event=event, side="KZ", name="Делегация Павлодарской области")
    delegate = Delegate.objects.create(delegation=delegation, last_name="Сапарова", first_name="Айгуль", country="KZ")
    committee = Committee.objects.create(name="Оргкомитет Форума")
    committee.events.add(event)
    member = CommitteeMember.objects.create(committee=committee, user=secretariat, role="secretary")
    group = WorkingGroup.objects.create(committee=committee, kind="logistics", name="Логистика", lead=secretariat)
    meeting = Meeting.objects.create(
        committee=committee, number=1, starts_at=dt.datetime(2026, 9, 1, 5, 0, tzinfo=dt.UTC), place="Правительство"
    )
    AgendaItem.objects.create(meeting=meeting, order=1, title="О ходе подготовки")
    MeetingAttendance.objects.create(meeting=meeting, user=staff_a, status="present")
    decision = Decision.objects.create(meeting=meeting, number="1", text="Подготовить программу")
    day = CalendarDay.objects.create(country="RU", date=dt.date(2026, 11, 4), is_working=False, name="День единства")
    task_a = TaskFactory(event=event, lead_agency=agency_a, title="Поручение ведомства А")
    task_b = TaskFactory(event=event, lead_agency=agency_b, title="Поручение ведомства Б")
    report_a = ProgressReportFactory(task=task_a, author=staff_a, text="Отчёт А")
    report_b = ProgressReportFactory(task=task_b, author=staff_b, text="Отчёт Б")
    extension_a = ExtensionRequestFactory(task=task_a, requested_by=staff_a)
    extension_b = ExtensionRequestFactory(task=task_b, requested_by=staff_b)
    # Agreement B's Russian side answers through an agency of neither account.
    agency_c = AgencyFactory(short_name="Минтранс Омской обл.", country="RU", level="regional")
    agreement_a = make_agreement(actor=secretariat, event=event, ru=agency_a, kz=None, title="Соглашение А")
    agreement_b = make_agreement(actor=secretariat, event=event, ru=agency_c, kz=agency_b, title="Соглашение Б")
    absence = Absence.objects.create(
        person=staff_a, deputy=head_a, start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 5), reason="leave"
    )
    endpoint_a = make_endpoint(agency=agency_a)
    endpoint_b = make_endpoint(agency=agency_b)
    endpoint_sec = make_endpoint(owner="secretariat")
    endpoint_kz = make_endpoint(owner="kz_secretariat")
    delivery_a = make_delivery(endpoint_a)
    delivery_b = make_delivery(endpoint_b)
    hold = MailHold.objects.create(day=hold_day() + dt.timedelta(days=1), kind="digest", created_by=secretariat)
    return SimpleNamespace(
        absence=absence,
        agency_a=agency_a,
        agency_c=agency_c,
        agreement_a=agreement_a,
        agreement_b=agreement_b,
        agency_b=agency_b,
        secretariat=secretariat,
        kz_secretariat=kz_secretariat,
        staff_a=staff_a,
        head_a=head_a,
        staff_b=staff_b,
        event=event,
        venue=venue,
        programme=programme,
        delegation=delegation,
        delegate=delegate,
        committee=committee,
        member=member,
        group=group,
        meeting=meeting,
        decision=decision,
        day=day,
        task_a=task_a,
        task_b=task_b,
        report_a=report_a,
        report_b=report_b,
        extension_a=extension_a,
        extension_b=extension_b,
        endpoint_a=endpoint_a,
        endpoint_b=endpoint_b,
        endpoint_sec=endpoint_sec,
        endpoint_kz=endpoint_kz,
        delivery_a=delivery_a,
        delivery_b=delivery_b,
        hold=hold,
    )


def snapshot() -> State:
    """Every row of every model (history tables and log entries included), as a per-model count and hash, to compare
    before and after."""
    return rows_state()
