"""The weekly discipline report by mail: on the weekday the secretariat chose, once a week, to the chairs and both
secretariats, with the workbook attached; delivered to an SMTP server on loopback and read back."""

import datetime as dt
import email
import email.policy
import io

import openpyxl
import pytest
import time_machine

from omskevents.accounts.models import User
from omskevents.bench.discipline_due import make_discipline_due, readable_workbook
from omskevents.notifications import dispatch, services
from omskevents.notifications.enums import Kind
from omskevents.notifications.models import Notification
from tests.factories.accounts import UserFactory
from tests.factories.committee import CommitteeFactory, CommitteeMemberFactory

from .conftest import make_task
from .test_deputies import sink  # noqa: F401 - the SMTP server on loopback, used by name

pytestmark = pytest.mark.django_db
UTC = dt.UTC


@pytest.fixture
def people(event, executor):
    committee = CommitteeFactory()
    committee.events.add(event)
    chair = CommitteeMemberFactory(committee=committee, role="chair", user=UserFactory(username="chair")).user
    ru = UserFactory(username="sec-ru", role="secretariat", agency=None, email="sec-ru@example.org")
    kz = UserFactory(
        username="sec-kz", role="kz_secretariat", agency=None, email="sec-kz@example.org", time_zone="Asia/Almaty"
    )
    make_task(responsible=executor, lead_agency=executor.agency, event=event, deadline=dt.date(2026, 5, 6))
    return chair, ru, kz


def scan(moment, *, sync=False):
    with time_machine.travel(moment, tick=False):
        dispatch.outbox_scan(now=moment, sync=sync)


def reports():
    return sorted(
        Notification.objects.filter(kind=Kind.DISCIPLINE_REPORT).values_list("recipient__username", "occasion")
    )


def test_not_sent_until_the_secretariat_chooses_a_day(calendars, people):
    scan(dt.datetime(2026, 5, 13, 6, 0, tzinfo=UTC))
    assert reports() == []


def test_sent_once_a_week_on_the_chosen_day_to_the_chair_and_both_secretariats(calendars, people):
    services.reminder_settings_save(discipline_weekday=3)  # Wednesday
    scan(dt.datetime(2026, 5, 12, 6, 0, tzinfo=UTC))  # Tuesday: not yet
    assert reports() == []
    for hour in (6, 7, 8):
        scan(dt.datetime(2026, 5, 13, hour, 0, tzinfo=UTC))
    scan(dt.datetime(2026, 5, 14, 6, 0, tzinfo=UTC))  # Thursday: this week's is stored already
    week = "week:2026-W20"
    assert reports() == [("chair", week), ("sec-kz", week), ("sec-ru", week)]


def test_a_holiday_on_the_chosen_day_moves_the_report_to_the_next_working_day(calendars, people):
    services.reminder_settings_save(discipline_weekday=1)  # Monday 11 May 2026 is a day off in Russia
    scan(dt.datetime(2026, 5, 11, 6, 0, tzinfo=UTC))
    assert reports() == []  # people without an agency work by Russia's calendar
    scan(dt.datetime(2026, 5, 12, 6, 0, tzinfo=UTC))
    assert [who for who, _ in reports()] == ["chair", "sec-kz", "sec-ru"]


def test_unsubscribed_from_the_report_the_person_gets_no_more(calendars, people):
    _chair, ru, _kz = people
    services.preference_mute_kind(user=ru, kind=Kind.DISCIPLINE_REPORT)
    services.reminder_settings_save(discipline_weekday=3)
    scan(dt.datetime(2026, 5, 13, 6, 0, tzinfo=UTC))
    assert [who for who, _ in reports()] == ["chair", "sec-kz"]


def test_the_mail_carries_the_workbook_with_russian_headings(calendars, people, sink):  # noqa: F811
    services.reminder_settings_save(discipline_weekday=3)
    scan(dt.datetime(2026, 5, 13, 6, 0, tzinfo=UTC), sync=True)
    [raw] = [raw for rcpt, _mid, raw in sink.received if rcpt == "sec-ru@example.org"]
    message = email.message_from_bytes(raw)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    [attachment] = [p for p in message.walk() if p.get_filename()]
    assert attachment.get_filename() == "discipline-2026-05-13.xlsx"
    assert attachment.get_content_type() == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    payload = attachment.get_payload(decode=True)
    assert isinstance(payload, bytes)
    book = openpyxl.load_workbook(io.BytesIO(payload))
    assert book.sheetnames == ["Все мероприятия", "Форум XXII", "Диаграмма"]
    sheet = book["Форум XXII"]
    assert sheet["A4"].value == "Ведомство"
    assert [c.value for c in sheet[5]][:5] == ["Минэкономики Омской обл.", 1, 0, 1, 4]  # 7, 8, 12, 13 May (11 May off)
    text = next(p for p in message.walk() if p.get_content_type() == "text/plain" and not p.get_filename())
    body = text.get_payload(decode=True).decode()
    assert "поручений со сроком: 1, исполнено в срок: 0, просрочено сейчас: 1" in body


def test_the_fault_runs_people_get_one_report_each_however_often_it_is_planned(calendars):
    """The fault run's "discipline" row: its people (chairs, the secretariat, the Kazakh secretariat) are due the
    report today; scans planning it again and again leave one row per person and week."""
    moment = dt.datetime(2026, 5, 13, 6, 0, tzinfo=UTC)  # Wednesday, 12:00 in Omsk
    with time_machine.travel(moment, tick=False):
        people = make_discipline_due(6, ("RU", "Asia/Omsk"))
    for minutes in (0, 0, 1, 30):
        scan(moment + dt.timedelta(minutes=minutes))
    rows = Notification.objects.filter(kind=Kind.DISCIPLINE_REPORT)
    assert sorted(rows.values_list("recipient_id", "occasion")) == sorted(
        (pk, "week:2026-W20") for pk in people.values()
    )
    # Nothing else is due to them (the chairs' readiness summary is off): a fault after the k-th 250 hits a report.
    assert set(Notification.objects.filter(recipient_id__in=people.values()).values_list("kind", flat=True)) == {
        Kind.DISCIPLINE_REPORT
    }
    roles = sorted(User.objects.filter(pk__in=people.values()).values_list("role", flat=True))
    assert roles == ["agency_staff"] * 2 + ["kz_secretariat"] * 2 + ["secretariat"] * 2  # two of them chairs


def test_the_fault_runs_check_reads_the_workbook_and_refuses_a_damaged_one(calendars, people, sink):  # noqa: F811
    services.reminder_settings_save(discipline_weekday=3)
    scan(dt.datetime(2026, 5, 13, 6, 0, tzinfo=UTC), sync=True)
    [raw] = [raw for rcpt, _mid, raw in sink.received if rcpt == "sec-ru@example.org"]
    assert readable_workbook(raw)
    message = email.message_from_bytes(raw, policy=email.policy.default)
    [attachment] = [p for p in message.walk() if p.get_filename()]
    attachment.set_content(
        b"PK\x03\x04 not a workbook", "application", "octet-stream", filename=attachment.get_filename()
    )
    assert not readable_workbook(message.as_bytes())
    for part in message.walk():
        if part.get_filename():
            part.set_content("нет вложения", disposition="inline")
    assert not readable_workbook(message.as_bytes())
