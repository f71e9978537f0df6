"""The rules of the scan under a frozen clock: offsets in working days, time zones, calendars, the ladder."""

import datetime as dt

import pytest
import time_machine

from omskevents.notifications import delivery, dispatch, selectors, services
from omskevents.notifications.enums import Delivery, Kind, State
from omskevents.notifications.models import Notification, NotificationPreference, ReminderSettings
from tests.factories.accounts import UserFactory
from tests.factories.agencies import AgencyFactory

from .conftest import make_task

pytestmark = pytest.mark.django_db
UTC = dt.UTC
OMSK_0900 = dt.time(3, 0)  # 09:00 in Omsk (UTC+6) is 03:00 UTC


def scan_at(moment: dt.datetime) -> dispatch.ScanResult:
    with time_machine.travel(moment, tick=False):
        return dispatch.outbox_scan(now=moment)


def rows(kind: str | None = None) -> list[tuple[str, str, str]]:
    qs = Notification.objects.order_by("pk")
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs.values_list("kind", "recipient_key", "occasion"))


# Deadline Tuesday 12 May 2026; 11 May is a day off in Russia, 1–3 May too.
# One working day before: Friday 8 May; three: Wednesday 6 May; seven: Wednesday 29 April.
@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 4, 28), None),
        (dt.date(2026, 4, 29), "2026-05-12:7"),
        (dt.date(2026, 5, 6), "2026-05-12:3"),
        (dt.date(2026, 5, 8), "2026-05-12:1"),
        (dt.date(2026, 5, 11), None),  # a day off: nothing is sent
        (dt.date(2026, 5, 12), "2026-05-12:0"),
    ],
)
def test_deadline_reminder_comes_on_working_day_offsets(calendars, executor, day, expected):
    task = make_task(responsible=executor, lead_agency=executor.agency, deadline=dt.date(2026, 5, 12))
    scan_at(dt.datetime.combine(day, OMSK_0900, tzinfo=UTC))
    occasions = [occasion for _kind, _who, occasion in rows(Kind.DEADLINE)]
    assert occasions == ([expected] if expected else [])
    if expected:
        assert Notification.objects.get().task == task


def test_deadline_reminder_waits_for_nine_local(calendars, executor):
    make_task(responsible=executor, lead_agency=executor.agency, deadline=dt.date(2026, 5, 12))
    scan_at(dt.datetime(2026, 5, 8, 2, 59, tzinfo=UTC))  # 08:59 in Omsk
    assert rows() == []
    scan_at(dt.datetime(2026, 5, 8, 3, 0, tzinfo=UTC))
    assert rows() == [("deadline", f"user:{executor.pk}", "2026-05-12:1")]


def test_moscow_omsk_almaty_recipients_each_get_nine_local(calendars):
    ru = AgencyFactory(short_name="Минтранс", country="RU")
    kz = AgencyFactory(short_name="Акимат СКО", country="KZ")
    people = {
        "Europe/Moscow": UserFactory(username="msk", agency=ru, time_zone="Europe/Moscow"),
        "Asia/Omsk": UserFactory(username="omsk", agency=ru, time_zone="Asia/Omsk"),
        "Asia/Almaty": UserFactory(username="almaty", agency=kz, time_zone="Asia/Almaty"),
    }
    for person in people.values():
        make_task(responsible=person, lead_agency=person.agency, deadline=dt.date(2026, 10, 16))
    day = dt.date(2026, 10, 15)  # one working day before in both countries
    seen = []
    for hour in range(9):
        scan_at(dt.datetime.combine(day, dt.time(hour, 0), tzinfo=UTC))
        seen.append(sorted(Notification.objects.values_list("recipient__username", flat=True)))
    assert seen[2] == []
    assert seen[3] == ["omsk"]  # 03:00 UTC = 09:00 Omsk
    assert seen[4] == ["almaty", "omsk"]  # 04:00 UTC = 09:00 Almaty
    assert seen[6] == ["almaty", "msk", "omsk"]  # 06:00 UTC = 09:00 Moscow
    for row in Notification.objects.select_related("recipient"):
        local = row.scheduled_for.astimezone(selectors.zone(row.recipient.time_zone))
        assert (local.date(), local.hour, local.minute) == (day, 9, 0)


def test_agency_contact_addresses_get_nine_in_the_agencys_own_zone(calendars):
    moscow = AgencyFactory(short_name="Минэкономразвития", country="RU", level="federal", email="mer@example.org")
    almaty = AgencyFactory(short_name="Акимат Павлодарской обл.", country="KZ", level="foreign", email="ak@example.org")
    omsk = AgencyFactory(short_name="Минтранс Омской обл.", country="RU", level="regional", email="mt@example.org")
    assert [a.time_zone for a in (moscow, almaty, omsk)] == ["Europe/Moscow", "Asia/Almaty", "Asia/Omsk"]
    for agency in (moscow, almaty, omsk):  # nobody named: the reminder goes to the agency's contact address
        make_task(responsible=None, lead_agency=agency, deadline=dt.date(2026, 10, 16))
    day = dt.date(2026, 10, 15)  # one working day before in both countries
    seen = []
    for hour in range(9):
        scan_at(dt.datetime.combine(day, dt.time(hour, 0), tzinfo=UTC))
        seen.append(sorted(Notification.objects.values_list("to_email", flat=True)))
    assert seen[2] == []
    assert seen[3] == ["mt@example.org"]  # 03:00 UTC = 09:00 Omsk
    assert seen[4] == ["ak@example.org", "mt@example.org"]  # 04:00 UTC = 09:00 Almaty
    assert seen[5] == ["ak@example.org", "mt@example.org"]
    assert seen[6] == ["ak@example.org", "mer@example.org", "mt@example.org"]  # 06:00 UTC = 09:00 Moscow
    scheduled = dict(Notification.objects.values_list("recipient_key", "scheduled_for"))
    assert scheduled == {
        f"agency:{moscow.pk}": dt.datetime(2026, 10, 15, 6, 0, tzinfo=UTC),
        f"agency:{almaty.pk}": dt.datetime(2026, 10, 15, 4, 0, tzinfo=UTC),
        f"agency:{omsk.pk}": dt.datetime(2026, 10, 15, 3, 0, tzinfo=UTC),
    }


def test_agency_time_zone_set_by_hand_moves_its_mail(calendars):
    agency = AgencyFactory(short_name="МИД России", country="RU", level="federal", email="mid@example.org")
    agency.time_zone = "Asia/Almaty"  # say, its contact is a consulate general in Kazakhstan
    agency.full_clean()
    agency.save()
    make_task(responsible=None, lead_agency=agency, deadline=dt.date(2026, 10, 16))
    scan_at(dt.datetime(2026, 10, 15, 3, 59, tzinfo=UTC))
    assert rows() == []
    scan_at(dt.datetime(2026, 10, 15, 4, 0, tzinfo=UTC))
    assert rows() == [("deadline", f"agency:{agency.pk}", "2026-10-16:1")]


def test_kazakh_recipient_follows_kazakhstan_calendar(calendars):
    kz = AgencyFactory(short_name="Акимат Павлодарской обл.", country="KZ")
    person = UserFactory(username="pavlodar", agency=kz, time_zone="Asia/Almaty")
    make_task(responsible=person, lead_agency=kz, deadline=dt.date(2026, 12, 17))
    # 16 December is Independence Day in Kazakhstan (a working day in Russia): one working day
    # before the 17th is the 15th for a Kazakh recipient.
    scan_at(dt.datetime(2026, 12, 16, 4, 0, tzinfo=UTC))
    assert rows() == []
    scan_at(dt.datetime(2026, 12, 15, 4, 0, tzinfo=UTC))
    assert rows() == [("deadline", f"user:{person.pk}", "2026-12-17:1")]


def test_russian_new_year_holidays_2026_carry_no_reminders(calendars, executor):
    make_task(
        responsible=executor,
        lead_agency=executor.agency,
        deadline=dt.date(2026, 1, 13),
        created=dt.datetime(2025, 12, 1, 6, 0, tzinfo=UTC),
    )
    for day in range(1, 12):
        scan_at(dt.datetime(2026, 1, day, 3, 0, tzinfo=UTC))
    assert rows() == []
    scan_at(dt.datetime(2026, 1, 12, 3, 0, tzinfo=UTC))
    assert rows() == [("deadline", f"user:{executor.pk}", "2026-01-13:1")]


def test_after_an_outage_only_the_current_occasion_is_sent_once(calendars, executor):
    make_task(responsible=executor, lead_agency=executor.agency, deadline=dt.date(2026, 5, 12))
    # Down from 28 April to 7 May: the 7-day and 3-day occasions passed; only the 3-day one is current.
    scan_at(dt.datetime(2026, 5, 7, 3, 30, tzinfo=UTC))
    scan_at(dt.datetime(2026, 5, 7, 3, 31, tzinfo=UTC))
    scan_at(dt.datetime(2026, 5, 7, 9, 0, tzinfo=UTC))
    assert rows() == [("deadline", f"user:{executor.pk}", "2026-05-12:3")]


def test_no_reminder_for_an_occasion_before_the_task_existed(calendars, executor):
    make_task(
        responsible=executor,
        lead_agency=executor.agency,
        deadline=dt.date(2026, 5, 12),
        created=dt.datetime(2026, 5, 7, 3, 0, tzinfo=UTC),
    )
    scan_at(dt.datetime(2026, 5, 7, 4, 0, tzinfo=UTC))
    assert rows() == []
    scan_at(dt.datetime(2026, 5, 8, 4, 0, tzinfo=UTC))
    assert rows() == [("deadline", f"user:{executor.pk}", "2026-05-12:1")]


def test_offsets_come_from_the_rules_in_the_admin(calendars, executor):
    services.reminder_settings_save(deadline_offsets="10, 2", remind_on_due_day=False)
    make_task(responsible=executor, lead_agency=executor.agency, deadline=dt.date(2026, 5, 12))
    scan_at(dt.datetime(2026, 5, 8, 3, 0, tzinfo=UTC))  # 2 working days before: the 7th
    scan_at(dt.datetime(2026, 5, 12, 3, 0, tzinfo=UTC))  # due day: no rule now
    assert rows() == [("deadline", f"user:{executor.pk}", "2026-05-12:2")]


def test_overdue_ladder_adds_head_then_secretary_and_controller(
    calendars, executor, head, controller, secretary, event
):
    task = make_task(
        responsible=executor,
        lead_agency=executor.agency,
        controller=controller,
        event=event,
        deadline=dt.date(2026, 5, 12),
    )
    expected = {
        dt.date(2026, 5, 13): {"exec"},  # working day 1
        dt.date(2026, 5, 14): {"exec"},
        dt.date(2026, 5, 15): {"exec", "head"},  # day 3
        dt.date(2026, 5, 18): {"exec", "head"},
        dt.date(2026, 5, 19): {"exec", "head", "secr", "ctl"},  # day 5
    }
    for day, who in expected.items():
        scan_at(dt.datetime.combine(day, dt.time(7, 0), tzinfo=UTC))  # 10:00 Moscow, 13:00 Omsk
        got = set(
            Notification.objects.filter(kind=Kind.OVERDUE, occasion__endswith=str(day)).values_list(
                "recipient__username", flat=True
            )
        )
        assert got == who, day
    assert Notification.objects.filter(task=task, kind=Kind.OVERDUE, recipient__username="exec").count() == 5
    assert Notification.objects.get(recipient__username="ctl").context == {"day": 5}


def test_overdue_ladder_follows_the_rules(calendars, executor, head):
    services.reminder_settings_save(overdue_head_from_day=1)
    make_task(responsible=executor, lead_agency=executor.agency, deadline=dt.date(2026, 5, 12))
    scan_at(dt.datetime(2026, 5, 13, 4, 0, tzinfo=UTC))
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"exec", "head"}


def test_no_reminders_on_weekends_while_overdue(calendars, executor):
    make_task(responsible=executor, lead_agency=executor.agency, deadline=dt.date(2026, 5, 12))
    scan_at(dt.datetime(2026, 5, 16, 4, 0, tzinfo=UTC))  # Saturday
    assert rows() == []


def test_closed_task_gets_no_reminders(calendars, executor):
    make_task(responsible=executor, lead_agency=executor.agency, deadline=dt.date(2026, 5, 12), status="accepted")
    scan_at(dt.datetime(2026, 5, 13, 4, 0, tzinfo=UTC))
    assert rows() == []


def test_without_a_responsible_person_the_lead_agency_contact_is_reminded(calendars, omsk_agency):
    make_task(lead_agency=omsk_agency, deadline=dt.date(2026, 5, 12))
    scan_at(dt.datetime(2026, 5, 12, 4, 0, tzinfo=UTC))
    row = Notification.objects.get()
    assert (row.recipient, row.agency, row.to_email, row.recipient_key) == (
        None,
        omsk_agency,
        "mek@example.org",
        f"agency:{omsk_agency.pk}",
    )


def test_deactivated_user_gets_nothing(calendars, executor, head, controller, secretary, event):
    for person in (executor, head, controller, secretary):
        person.is_active = False
        person.save()
    make_task(
        responsible=executor,
        lead_agency=executor.agency,
        controller=controller,
        event=event,
        deadline=dt.date(2026, 5, 12),
    )
    scan_at(dt.datetime(2026, 5, 19, 7, 0, tzinfo=UTC))
    assert Notification.objects.filter(recipient__isnull=False).count() == 0


def test_reminders_in_the_app_only_reach_the_inbox_and_no_mail(calendars, executor, mailoutbox):
    services.preference_update(user=executor, reminders_mode="app")
    task = make_task(responsible=executor, lead_agency=executor.agency, deadline=dt.date(2026, 5, 12))
    moment = dt.datetime(2026, 5, 12, 4, 0, tzinfo=UTC)
    scan_at(moment)
    assert rows() == [("deadline", f"user:{executor.pk}", "2026-05-12:0")]
    note = Notification.objects.get()
    assert (note.inbox_items.get().user, note.inbox_items.get().event_id) == (executor, task.event_id)
    with time_machine.travel(moment, tick=False):
        assert delivery.outbox_deliver_batch(notification_ids=[note.pk]) == {note.pk: "cancelled"}
    note.refresh_from_db()
    assert (note.state, note.last_error) == ("cancelled", "In the app only (the recipient's preferences).")
    assert mailoutbox == []


def test_rules_default_when_never_saved(db):
    rules = selectors.reminder_settings_get()
    assert (
        rules.offsets,
        rules.remind_on_due_day,
        rules.overdue_head_from_day,
        rules.overdue_committee_from_day,
        rules.send_hour,
    ) == (
        [7, 3, 1],
        True,
        3,
        5,
        9,
    )
    assert ReminderSettings.objects.count() == 0


def test_rules_refuse_offsets_that_are_not_numbers(db):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.reminder_settings_save(deadline_offsets="seven")
    assert ReminderSettings.objects.count() == 0


def test_digest_replaces_single_reminders_and_merges_items(calendars, executor, mailoutbox):
    NotificationPreference.objects.create(user=executor, delivery=Delivery.DAILY, reminders_mode="digest")
    for deadline, title in (
        (dt.date(2026, 5, 6), "Просроченное"),
        (dt.date(2026, 5, 12), "Скоро"),
        (dt.date(2026, 9, 1), "Позже"),
    ):
        make_task(responsible=executor, lead_agency=executor.agency, deadline=deadline, title=title)
    moment = dt.datetime(2026, 5, 8, 3, 0, tzinfo=UTC)
    with time_machine.travel(moment, tick=False):
        dispatch.outbox_scan(now=moment, sync=True)
        dispatch.outbox_scan(now=moment + dt.timedelta(hours=2), sync=True)
    assert rows() == [("digest", f"user:{executor.pk}", "day:2026-05-08")]
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert body.index("Просроченное") < body.index("Скоро") < body.index("Позже")
    assert mailoutbox[0].extra_headers["List-Unsubscribe"].startswith("<http://")


def test_weekly_digest_comes_once_a_week(calendars, executor):
    NotificationPreference.objects.create(user=executor, delivery=Delivery.WEEKLY, reminders_mode="digest")
    make_task(responsible=executor, lead_agency=executor.agency, deadline=dt.date(2026, 5, 20))
    for day in (4, 5, 6, 7, 8, 12):
        scan_at(dt.datetime(2026, 5, day, 4, 0, tzinfo=UTC))
    assert rows() == [
        ("digest", f"user:{executor.pk}", "week:2026-W19"),
        ("digest", f"user:{executor.pk}", "week:2026-W20"),
    ]


def test_agency_head_gets_agency_digest(calendars, executor, head):
    make_task(responsible=executor, lead_agency=executor.agency, deadline=dt.date(2026, 9, 1))
    scan_at(dt.datetime(2026, 5, 8, 4, 0, tzinfo=UTC))
    assert rows() == [("agency_digest", f"user:{head.pk}", "day:2026-05-08")]


def test_committee_chair_gets_weekly_readiness(calendars, event, executor, mailoutbox):
    from tests.factories.committee import CommitteeFactory, CommitteeMemberFactory

    committee = CommitteeFactory()
    committee.events.add(event)
    chair = CommitteeMemberFactory(committee=committee, role="chair", user=UserFactory(username="chair")).user
    make_task(responsible=executor, lead_agency=executor.agency, event=event, deadline=dt.date(2026, 5, 6))
    make_task(lead_agency=executor.agency, event=event, deadline=dt.date(2026, 5, 6), status="accepted")
    moment = dt.datetime(2026, 5, 12, 4, 0, tzinfo=UTC)  # Tuesday: 11 May was a day off
    with time_machine.travel(moment, tick=False):
        dispatch.outbox_scan(now=moment, sync=True)
    assert Notification.objects.get(kind=Kind.READINESS).recipient == chair
    mail = next(m for m in mailoutbox if m.to == [chair.email])
    assert "1 из 2" in mail.body or "1 of 2" in mail.body


def test_deadline_change_cancels_queued_rows_of_the_old_deadline(calendars, executor, secretariat, event):
    from omskevents.workplan.services import task_update

    task = make_task(responsible=executor, lead_agency=executor.agency, event=event, deadline=dt.date(2026, 5, 12))
    scan_at(dt.datetime(2026, 5, 8, 3, 0, tzinfo=UTC))
    assert Notification.objects.get().state == State.QUEUED
    with time_machine.travel(dt.datetime(2026, 5, 8, 4, 0, tzinfo=UTC), tick=False):
        task_update(actor=secretariat, task=task, deadline=dt.date(2026, 6, 1))
    assert list(Notification.objects.filter(kind=Kind.DEADLINE).values_list("state", "deadline")) == [
        (State.CANCELLED, dt.date(2026, 5, 12))
    ]
    scan_at(dt.datetime(2026, 5, 25, 3, 0, tzinfo=UTC))  # 7 working days before 1 June was 21 May
    assert Notification.objects.filter(state=State.QUEUED, deadline=dt.date(2026, 6, 1)).count() == 1
