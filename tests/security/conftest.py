"""A small world split between agency A and agency B, and a database snapshot to prove a refused write wrote nothing."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished
from django.db import close_old_connections
from django.utils import timezone

from omskevents.accounts.models import Absence, CalendarFeedToken
from omskevents.agreements.services import agreement_version_add
from omskevents.api.services import token_create
from omskevents.committee.models import AgendaItem, Committee, Decision, Meeting, MeetingAttendance, WorkingGroup
from omskevents.events.models import Delegate, Delegation, Journey
from omskevents.workplan.models import Attachment, TaskComment
from tests.conftest import make_people
from tests.factories.accounts import UserFactory
from tests.factories.agencies import AgencyFactory
from tests.factories.agreements import make_agreement
from tests.factories.events import EventFactory, ProgrammeItemFactory, VenueFactory
from tests.factories.protocol import ProtocolFactory, ProtocolItemFactory, ProtocolSectionFactory
from tests.factories.webhooks import make_delivery, make_endpoint
from tests.factories.workplan import ExtensionRequestFactory, ProgressReportFactory, TaskFactory
from tests.support.db_state import State, made_once, rows_state
from tests.support.db_state import changed_tables as changed_tables

PASSWORD = "correct horse battery staple"
# Text only agency A's people (and the secretariat) may ever see, and the same for agency B: a page or file
# shown to the other agency must not contain it.
MARK_A = "Секрет-А"
MARK_B = "Секрет-Б"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _in_a_month() -> dt.date:
    return dt.date.today() + dt.timedelta(days=30)


def _attachment(report, name: str) -> Attachment:
    return Attachment.objects.create(
        report=report,
        file=SimpleUploadedFile(name, PDF, content_type="application/pdf"),
        original_name=name,
        content_type="application/pdf",
        size=len(PDF),
    )


@pytest.fixture
def world(agency_a, agency_b, secretariat, staff_a, head_a, staff_b, kz_secretariat):
    return build_world(
        agency_a=agency_a,
        agency_b=agency_b,
        secretariat=secretariat,
        staff_a=staff_a,
        head_a=head_a,
        staff_b=staff_b,
        kz_secretariat=kz_secretariat,
    )


def build_world(*, agency_a, agency_b, secretariat, staff_a, head_a, staff_b, kz_secretariat) -> SimpleNamespace:
    event = EventFactory(number="XXII", start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 11))
    ProgrammeItemFactory(event=event, venue=VenueFactory(name="Омск-Арена"), title="Пленарное заседание")
    committee = Committee.objects.create(name="Оргкомитет Форума")
    committee.events.add(event)
    meeting = Meeting.objects.create(
        committee=committee, number=1, starts_at=dt.datetime(2026, 9, 1, 5, 0, tzinfo=dt.UTC), place="Правительство"
    )
    other_meeting = Meeting.objects.create(
        committee=committee, number=2, starts_at=dt.datetime(2026, 10, 1, 5, 0, tzinfo=dt.UTC), place="Дом дружбы"
    )
    group = WorkingGroup.objects.create(committee=committee, kind="protocol", name="Протокол", lead=staff_a)
    item = AgendaItem.objects.create(meeting=meeting, order=1, title="О ходе подготовки")
    other_item = AgendaItem.objects.create(meeting=other_meeting, order=1, title="О программе")
    MeetingAttendance.objects.create(meeting=meeting, user=staff_a, status="invited")
    decision = Decision.objects.create(
        meeting=meeting, number="1", text="Подготовить причал", lead_agency=agency_a, deadline=dt.date(2026, 11, 2)
    )
    other_decision = Decision.objects.create(meeting=other_meeting, number="1", text="Подготовить программу")
    task_a = TaskFactory(event=event, lead_agency=agency_a, title=f"{MARK_A}: поручение", responsible=staff_a)
    task_b = TaskFactory(event=event, lead_agency=agency_b, title=f"{MARK_B}: поручение", responsible=staff_b)
    # Tasks with an extension request awaiting the secretariat's decision.
    pending_a = TaskFactory(event=event, lead_agency=agency_a, title=f"{MARK_A}: перенос срока")
    pending_b = TaskFactory(event=event, lead_agency=agency_b, title=f"{MARK_B}: перенос срока")
    ExtensionRequestFactory(task=pending_a, requested_by=staff_a, reason=f"{MARK_A}: причина")
    ExtensionRequestFactory(task=pending_b, requested_by=staff_b, reason=f"{MARK_B}: причина")
    report_a = ProgressReportFactory(task=task_a, author=staff_a, text=f"{MARK_A}: отчёт")
    report_b = ProgressReportFactory(task=task_b, author=staff_b, text=f"{MARK_B}: отчёт")
    TaskComment.objects.create(task=task_a, author=staff_a, text=f"{MARK_A}: комментарий")
    TaskComment.objects.create(task=task_b, author=staff_b, text=f"{MARK_B}: комментарий")
    attachment_a = _attachment(report_a, f"{MARK_A}-справка.pdf")
    attachment_b = _attachment(report_b, f"{MARK_B}-справка.pdf")
    # Delegations received by agency A and by agency B: their people are personal data of that agency alone.
    delegation_a = Delegation.objects.create(
        event=event, side="KZ", name="Делегация Павлодара", responsible_agency=agency_a
    )
    delegation_b = Delegation.objects.create(
        event=event, side="KZ", name="Делегация Астаны", responsible_agency=agency_b
    )
    delegate_a = Delegate.objects.create(
        delegation=delegation_a, last_name=f"{MARK_A}ова", first_name="Айгуль", country="KZ", role="head"
    )
    delegate_b = Delegate.objects.create(
        delegation=delegation_b, last_name=f"{MARK_B}ов", first_name="Ерлан", country="KZ", role="head"
    )
    journey_a = Journey.objects.create(
        delegate=delegate_a,
        direction="arrival",
        transport="plane",
        number="KC 123",
        at=dt.datetime(2026, 12, 9, 8, 0, tzinfo=dt.UTC),
        place="Аэропорт Омск-Центральный",
        met_by="Протокольная служба",
    )
    Journey.objects.create(
        delegate=delegate_b, direction="arrival", transport="train", at=dt.datetime(2026, 12, 9, 9, 0, tzinfo=dt.UTC)
    )
    # The commission protocol: one item proposed by each agency (the whole protocol is read by both sides).
    protocol = ProtocolFactory(event__number="27")
    protocol_section = ProtocolSectionFactory(protocol=protocol, number=1)
    item_a = ProtocolItemFactory(section=protocol_section, number=1, proposer=agency_a, text_ru="Пункт ведомства А")
    item_b = ProtocolItemFactory(section=protocol_section, number=2, proposer=agency_b, text_ru="Пункт ведомства Б")
    # Agreement A: agency A answers for the Russian side. Agreement B: agency B (Kazakh) is its partner, with
    # a Russian agency of neither account answering for the Russian side.
    agreement_a = make_agreement(
        actor=secretariat, event=event, ru=agency_a, kz=None, title=f"{MARK_A}: соглашение", signing_order=1
    )
    other_ru = AgencyFactory(short_name="Минтранс Омской обл.", country="RU", level="regional")
    agreement_b = make_agreement(
        actor=secretariat, event=event, ru=other_ru, kz=agency_b, title=f"{MARK_B}: соглашение", ru_parties=[]
    )
    version_a = agreement_version_add(
        actor=secretariat,
        agreement=agreement_a,
        language="ru",
        upload=SimpleUploadedFile(f"{MARK_A}-проект.pdf", PDF, content_type="application/pdf"),
    )
    version_b = agreement_version_add(
        actor=secretariat,
        agreement=agreement_b,
        language="kk",
        upload=SimpleUploadedFile(f"{MARK_B}-жоба.pdf", PDF, content_type="application/pdf"),
    )
    api_token_a, _secret = token_create(actor=staff_a, name="Система А", scope="read", expires_on=_in_a_month())
    api_token_b, _secret = token_create(actor=staff_b, name="Система Б", scope="read", expires_on=_in_a_month())
    feed_a = CalendarFeedToken.objects.create(user=staff_a, key="a" * 40)
    feed_b = CalendarFeedToken.objects.create(user=staff_b, key="b" * 40)
    # Absences coming in ten days: staff A replaced by the head of A, staff B by a colleague of B.
    colleague_b = UserFactory(username="colleague_b", agency=agency_b)
    soon = timezone.localdate() + dt.timedelta(days=10)
    absence_a = Absence.objects.create(person=staff_a, deputy=head_a, start=soon, end=soon + dt.timedelta(days=5))
    absence_b = Absence.objects.create(
        person=staff_b, deputy=colleague_b, start=soon, end=soon + dt.timedelta(days=5), reason="business_trip"
    )
    # Webhooks: agency A's endpoint (its head manages it) and agency B's, each with a failed delivery.
    endpoint_a = make_endpoint(agency=agency_a)
    endpoint_a.description = f"{MARK_A}: система документооборота"
    endpoint_a.save()
    endpoint_b = make_endpoint(agency=agency_b)
    endpoint_b.description = f"{MARK_B}: система документооборота"
    endpoint_b.save()
    delivery_a = make_delivery(endpoint_a, object_key=f"task:{task_a.pk}")
    delivery_b = make_delivery(endpoint_b, object_key=f"task:{task_b.pk}")
    return SimpleNamespace(
        agency_a=agency_a,
        agency_b=agency_b,
        secretariat=secretariat,
        kz_secretariat=kz_secretariat,
        staff_a=staff_a,
        head_a=head_a,
        staff_b=staff_b,
        event=event,
        committee=committee,
        meeting=meeting,
        other_meeting=other_meeting,
        item=item,
        other_item=other_item,
        decision=decision,
        other_decision=other_decision,
        task_a=task_a,
        task_b=task_b,
        pending_a=pending_a,
        pending_b=pending_b,
        report_a=report_a,
        report_b=report_b,
        attachment_a=attachment_a,
        attachment_b=attachment_b,
        protocol=protocol,
        protocol_section=protocol_section,
        item_a=item_a,
        item_b=item_b,
        feed_a=feed_a,
        api_token_a=api_token_a,
        api_token_b=api_token_b,
        feed_b=feed_b,
        group=group,
        delegation_a=delegation_a,
        delegation_b=delegation_b,
        delegate_a=delegate_a,
        delegate_b=delegate_b,
        journey_a=journey_a,
        other_ru=other_ru,
        agreement_a=agreement_a,
        agreement_b=agreement_b,
        version_a=version_a,
        version_b=version_b,
        colleague_b=colleague_b,
        absence_a=absence_a,
        absence_b=absence_b,
        endpoint_a=endpoint_a,
        endpoint_b=endpoint_b,
        delivery_a=delivery_a,
        delivery_b=delivery_b,
    )


def db_state() -> State:
    """Per model: the row count and a hash of every row (history tables and log entries included). last_login moves
    when a test logs a person in; it is not data a request under test may change."""
    return rows_state(leave_out=frozenset({"last_login"}))


def close_response(response) -> None:
    """Close a (file) response as the test client does: without the request_finished handler that would close the
    test's database connection."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    """The world made once for a module's tests (tests/support/db_state.py): a module whose tests all stand on the
    world asks for it by defining `world` as `fresh_copy(module_world)`."""
    yield from made_once(django_db_blocker, lambda: build_world(**make_people()))
