"""The inbox in the app, channels per kind group, gathered mails, reasons gone by the sending moment, the
controller's ladder, the sending moment named by zone, holds and the morning preview."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from omskevents.notifications import delivery, dispatch, preview, selectors, services, wording
from omskevents.notifications.enums import State
from omskevents.notifications.models import InboxItem, MailHold, Notification
from omskevents.workplan import services as workplan_services
from tests.factories.accounts import UserFactory

from .conftest import make_task

UTC = dt.UTC
DAYTIME = dt.datetime(2026, 5, 8, 7, 0, tzinfo=UTC)  # Friday: 13:00 in Omsk, 10:00 in Moscow


@pytest.fixture
def daytime():
    with time_machine.travel(DAYTIME, tick=False) as traveller:
        yield traveller


def report(executor, task, text="Сделано"):
    return workplan_services.task_report_progress(actor=executor, task=task, text=text, is_final=True)


def reported_tasks(executor, controller, n):
    tasks = [
        make_task(
            responsible=executor,
            lead_agency=executor.agency,
            controller=controller,
            deadline=dt.date(2026, 6, 30),
            title=f"Поручение {i}",
            status="in_progress",
        )
        for i in range(n)
    ]
    for task in tasks:
        report(executor, task)
    return tasks


def test_each_notice_is_an_inbox_item_of_its_recipient_written_with_the_row(calendars, executor, controller, daytime):
    assert selectors.inbox_unread_count(controller) == 0
    [task] = reported_tasks(executor, controller, 1)
    note = Notification.objects.get(kind="report_submitted")
    item = InboxItem.objects.get()
    assert (item.notification, item.user, item.kind, item.event_id, item.read_at) == (
        note,
        controller,
        "report_submitted",
        task.event_id,
        None,
    )
    assert selectors.inbox_unread_count(controller) == 1
    # The same occasion again stores nothing: one row, one item.
    from omskevents.notifications import notices

    notices.report_submitted_notify(report=task.reports.get())
    assert (Notification.objects.count(), InboxItem.objects.count()) == (1, 1)


def test_opening_an_item_marks_it_read_and_leads_to_the_task_another_persons_is_404(
    calendars, executor, controller, daytime, client
):
    [task] = reported_tasks(executor, controller, 1)
    item = InboxItem.objects.get()
    client.force_login(executor)
    assert client.get(reverse("notifications:inbox_open", args=[item.pk])).status_code == 404
    client.force_login(controller)
    response = client.get(reverse("notifications:inbox_open", args=[item.pk]))
    assert (response.status_code, response["Location"]) == (302, task.get_absolute_url())
    item.refresh_from_db()
    assert item.read_at is not None
    assert selectors.inbox_unread_count(controller) == 0


def test_inbox_lists_with_a_fixed_number_of_queries(
    calendars, executor, controller, daytime, client, django_assert_num_queries
):
    reported_tasks(executor, controller, 2)
    client.force_login(controller)
    client.get(reverse("notifications:inbox"))  # session, caches
    # session, user, filters (kinds, events), count, page, unread badge on the page, can-preview (none),
    # the menu's badge
    with django_assert_num_queries(8) as few:
        assert client.get(reverse("notifications:inbox")).status_code == 200
    reported_tasks(executor, controller, 6)
    with django_assert_num_queries(len(few)):
        response = client.get(reverse("notifications:inbox"))
    assert response.content.decode().count("data-inbox-item=") == 8


def test_filters_and_mark_all_read_keep_to_the_filter(calendars, executor, controller, daytime, client):
    reported_tasks(executor, controller, 2)
    extra = Notification.objects.first()
    assert extra is not None
    InboxItem.objects.filter(notification=extra).update(kind="assignment")
    client.force_login(controller)
    page = client.get(reverse("notifications:inbox"), {"kind": "report_submitted"}).content.decode()
    assert page.count("data-inbox-item=") == 1
    client.post(reverse("notifications:inbox_read_all"), {"kind": "report_submitted", "event": ""})
    assert sorted((i.kind, i.read_at is None) for i in InboxItem.objects.all()) == [
        ("assignment", True),
        ("report_submitted", False),
    ]


@pytest.mark.parametrize(
    "query",
    [{"kind": "<script>"}, {"event": "abc"}, {"event": "99999999999999999999"}, {"kind": "x" * 5000}],
)
def test_hostile_filters_answer_with_a_message_and_mark_nothing(
    calendars, executor, controller, daytime, client, query
):
    reported_tasks(executor, controller, 1)
    client.force_login(controller)
    client.cookies["django_language"] = "ru"
    response = client.get(reverse("notifications:inbox"), query)
    assert response.status_code == 200
    assert "Выберите корректный вариант" in response.content.decode()
    response = client.post(reverse("notifications:inbox_read_all"), query, follow=True)
    assert "Фильтр задан неверно" in response.content.decode()
    assert InboxItem.objects.filter(read_at__isnull=False).count() == 0


def test_a_notice_read_in_the_app_before_its_digest_is_left_out(calendars, executor, controller, daytime):
    services.preference_update(user=controller, status_mode="digest")
    reported_tasks(executor, controller, 2)
    rows = list(Notification.objects.order_by("pk"))
    # The digest goes at the next sending hour: Monday 09:00 in Moscow (Saturday and Sunday are off).
    assert {r.next_attempt_at for r in rows} == {dt.datetime(2026, 5, 12, 6, 0, tzinfo=UTC)}
    services.inbox_mark_read(user=controller, item_id=rows[0].inbox_items.get().pk)
    with time_machine.travel(dt.datetime(2026, 5, 12, 6, 1, tzinfo=UTC), tick=False):
        outcomes = delivery.outbox_deliver_batch(notification_ids=[r.pk for r in rows])
    assert outcomes == {rows[0].pk: "cancelled", rows[1].pk: "sent"}
    assert Notification.objects.get(pk=rows[0].pk).last_error == "Read in the app before its sending moment."


def test_many_notices_to_one_person_due_together_make_one_mail(
    calendars, executor, controller, daytime, mailoutbox, settings
):
    settings.LANGUAGE_CODE = "ru"
    tasks = reported_tasks(executor, controller, 12)
    rows = list(Notification.objects.order_by("pk"))
    # They wait for the end of the controller's gathering window, then are due together.
    daytime.move_to(DAYTIME + dt.timedelta(seconds=settings.NOTIFY_GATHER_WINDOW_SECONDS))
    outcomes = delivery.outbox_deliver_batch(notification_ids=[rows[0].pk])
    assert outcomes[rows[0].pk] == "sent"
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert "12 отчётов ожидают вашего принятия" in mail.subject
    assert all(t.title in mail.body for t in tasks)
    assert mail.body.count("Требуется: принять отчёт или вернуть его на доработку") == 12
    states = dict(Notification.objects.values_list("pk", "state"))
    assert states[rows[0].pk] == State.SENT
    assert {states[r.pk] for r in rows[1:]} == {State.GATHERED}
    assert set(Notification.objects.filter(state=State.GATHERED).values_list("gathered_into", flat=True)) == {
        rows[0].pk
    }
    # Sent once: handing the followers over again sends nothing.
    assert set(delivery.outbox_deliver_batch(notification_ids=[r.pk for r in rows[1:]]).values()) == {"skipped"}
    assert len(mailoutbox) == 1


@pytest.mark.parametrize(
    ("n", "words"),
    [(1, "1 отчёт ожидает"), (3, "3 отчёта ожидают"), (12, "12 отчётов ожидают"), (21, "21 отчёт ожидает")],
)
def test_the_headline_speaks_russian_plurals(n, words):
    from django.utils import translation

    with translation.override("ru"):
        assert wording.gathered_headline(["report_submitted"] * n).startswith(words)


def test_a_notice_whose_report_was_accepted_is_cancelled_and_the_task_page_says_so(
    calendars, executor, controller, daytime, client, mailoutbox
):
    [task] = reported_tasks(executor, controller, 1)
    note = Notification.objects.get()
    workplan_services.task_change_status(actor=controller, task=task, status="accepted")
    note.refresh_from_db()
    assert (note.state, note.last_error) == (State.CANCELLED, "Reason gone: the report was decided.")
    assert delivery.outbox_deliver_batch(notification_ids=[note.pk]) == {note.pk: "skipped"}
    client.force_login(controller)
    client.cookies["django_language"] = "ru"
    page = client.get(task.get_absolute_url()).content.decode()
    assert "отменено: причина отпала (отчёт принят или возвращён)" in page
    assert mailoutbox == []


def test_a_notice_made_moot_leaves_the_unread_count_and_asks_nothing_in_the_inbox(
    calendars, executor, controller, daytime, client
):
    """The report was accepted before its notice went: the notice is cancelled, and its inbox item no longer
    waits for the controller (not unread, no "Required: accept the report or return it")."""
    tasks = reported_tasks(executor, controller, 2)
    assert selectors.inbox_unread_count(controller) == 2
    workplan_services.task_change_status(actor=controller, task=tasks[0], status="accepted")

    assert selectors.inbox_unread_count(controller) == 1
    client.force_login(controller)
    client.cookies["django_language"] = "ru"
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert page.count("Требуется:") == 1
    assert "отменено: причина отпала (отчёт принят или возвращён)" in page


def test_a_moot_notice_found_by_the_delivery_leaves_the_unread_count_too(calendars, executor, controller, daytime):
    """The same when the delivery finds the reason gone (the report decided before the row was cancelled)."""
    [task] = reported_tasks(executor, controller, 1)
    note = Notification.objects.get()
    type(task).objects.filter(pk=task.pk).update(status="accepted")  # decided behind the notices' back

    assert delivery.outbox_deliver_batch(notification_ids=[note.pk]) == {note.pk: "cancelled"}
    note.refresh_from_db()
    assert note.state == State.CANCELLED
    assert note.last_error.startswith("Reason gone: ")
    assert selectors.inbox_unread_count(controller) == 0


def test_the_delivery_rechecks_the_reason_when_it_claims_the_row(calendars, executor, controller, daytime):
    [task] = reported_tasks(executor, controller, 1)
    note = Notification.objects.get()
    # The change came without its own cancellation (as a change racing the delivery would): the claim sees it.
    type(task).objects.filter(pk=task.pk).update(status="accepted", status_changed_at=DAYTIME)
    assert delivery.outbox_deliver_batch(notification_ids=[note.pk]) == {note.pk: "cancelled"}


def test_while_a_report_awaits_acceptance_the_controller_is_reminded_not_the_executor(
    calendars, executor, head, controller, secretary, event
):
    task = make_task(
        event=event,
        responsible=executor,
        lead_agency=executor.agency,
        controller=controller,
        deadline=dt.date(2026, 5, 12),
        status="in_progress",
    )
    with time_machine.travel(dt.datetime(2026, 5, 13, 7, 0, tzinfo=UTC), tick=False):
        report(executor, task)
    # Two weeks later, everyone's morning: overdue, but the ball is in the controller's court.
    moment = dt.datetime(2026, 5, 27, 7, 0, tzinfo=UTC)
    with time_machine.travel(moment, tick=False):
        dispatch.outbox_scan(now=moment)
    rows = list(
        Notification.objects.filter(kind__in=["deadline", "overdue", "awaiting_acceptance"]).values_list(
            "kind", "recipient_id"
        )
    )
    assert sorted(rows) == sorted([("awaiting_acceptance", controller.pk), ("awaiting_acceptance", secretary.pk)])
    note = Notification.objects.get(kind="awaiting_acceptance", recipient=controller)
    assert note.context["day"] == 9  # 14 May to 26 May: full working days waited before today
    with time_machine.travel(moment, tick=False):
        message = __import__("omskevents.notifications.emails", fromlist=["x"]).build_message(note, message_id="<x@y>")
    assert "ожидает вашего принятия 9 рабочих дней" in message.subject or "9 working days" in message.subject


def test_a_burst_of_reassignments_makes_one_notice(calendars, executor, controller, omsk_agency):
    other = UserFactory(username="other", agency=omsk_agency, email="other@example.org")
    task = make_task(responsible=executor, lead_agency=omsk_agency, deadline=dt.date(2026, 6, 30))
    with time_machine.travel(DAYTIME, tick=False):
        workplan_services.task_update(actor=controller, task=task, responsible=other)
    with time_machine.travel(DAYTIME + dt.timedelta(minutes=1), tick=False):
        workplan_services.task_update(actor=controller, task=type(task).objects.get(pk=task.pk), responsible=executor)
    with time_machine.travel(DAYTIME + dt.timedelta(minutes=2), tick=False):
        workplan_services.task_update(actor=controller, task=type(task).objects.get(pk=task.pk), responsible=other)
    queued = Notification.objects.filter(kind="assignment", state=State.QUEUED)
    assert list(queued.values_list("recipient_id", flat=True)) == [other.pk]
    assert queued.get().next_attempt_at == DAYTIME + dt.timedelta(minutes=2, seconds=180)


def test_the_sending_moment_is_named_in_the_recipients_zone(calendars, executor, controller):
    with time_machine.travel(dt.datetime(2026, 5, 8, 18, 0, tzinfo=UTC), tick=False):  # 21:00 Moscow
        reported_tasks(executor, controller, 1)
    note = Notification.objects.get()
    from django.utils import translation

    with translation.override("ru"):
        assert wording.sending_moment(note) == "12.05 в 09:00 (Москва)"
        assert wording.sending_moment(note, today=dt.date(2026, 5, 12)) == "в 09:00 (Москва)"


def test_a_held_kind_waits_kept_and_goes_when_released(calendars, executor, controller, daytime, mailoutbox, settings):
    settings.NOTIFY_GATHER_WINDOW_SECONDS = 0  # due at once: the preview of this moment shows them held
    reported_tasks(executor, controller, 2)
    hold = services.mail_hold_create(actor=controller, day=dt.date(2026, 5, 8), kind="report_submitted")
    assert set(Notification.objects.values_list("state", flat=True)) == {State.HELD}
    ids = sorted(Notification.objects.values_list("pk", flat=True))
    assert set(delivery.outbox_deliver_batch(notification_ids=ids).values()) == {"skipped"}
    morning = preview.morning_preview(moment=DAYTIME)
    assert [(line.user, line.held, line.mails) for line in morning.lines] == [(controller, 2, 0)]
    assert services.mail_hold_release(hold=hold) == 2
    assert not MailHold.objects.exists()
    assert delivery.outbox_deliver_batch(notification_ids=ids)[ids[0]] == "sent"
    assert len(mailoutbox) == 1


def test_held_rows_are_queued_again_the_next_day(calendars, executor, controller, daytime):
    reported_tasks(executor, controller, 1)
    services.mail_hold_create(actor=controller, day=dt.date(2026, 5, 8), kind="report_submitted")
    monday = dt.datetime(2026, 5, 11, 0, 30, tzinfo=UTC)
    with time_machine.travel(monday, tick=False):
        dispatch.outbox_scan(now=monday)
    note = Notification.objects.get()
    # Monday 11 May is a day off in Russia: it waits for Tuesday 09:00 in Moscow.
    assert (note.state, note.next_attempt_at) == (State.QUEUED, dt.datetime(2026, 5, 12, 6, 0, tzinfo=UTC))


def test_morning_preview_counts_mails_after_gathering(calendars, executor, controller, daytime, settings):
    reported_tasks(executor, controller, 3)
    # Due at the end of the controller's gathering window: one mail then.
    window_end = DAYTIME + dt.timedelta(seconds=settings.NOTIFY_GATHER_WINDOW_SECONDS)
    assert preview.morning_preview(moment=window_end - dt.timedelta(seconds=1)).lines == []
    morning = preview.morning_preview(moment=window_end)
    [line] = morning.lines
    assert (line.user, dict(line.kinds), line.mails) == (controller, {"report_submitted": 3}, 1)
    # The next working morning (Tuesday 12 May): the reports of Friday have waited no full working day yet.
    morning = preview.morning_preview(now=DAYTIME)
    assert morning.day == dt.date(2026, 5, 12)
    assert [(line.user, dict(line.kinds), line.mails) for line in morning.lines] == [
        (controller, {"report_submitted": 3}, 1)
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"day": "2026-05-07", "kind": "overdue"}, "Нельзя задержать почту за прошедший день."),
        ({"day": "2030-01-01", "kind": "overdue"}, "не более чем на месяц вперёд"),
        ({"day": "2026-05-12", "kind": "overdue", "user": "SELF"}, "либо вид писем, либо человека"),
        ({"day": "2026-05-12"}, "либо вид писем, либо человека"),
        ({"day": "2026-05-12", "kind": "<script>"}, "Выберите корректный вариант"),
        ({"day": "завтра", "kind": "overdue"}, "Введите правильную дату"),
        ({"day": "2026-05-12", "user": "99999999999"}, "Выберите корректный вариант"),
    ],
)
def test_hostile_hold_form_input_is_refused_in_russian(calendars, controller, daytime, client, data, message):
    data = {k: str(controller.pk) if v == "SELF" else v for k, v in data.items()}
    client.force_login(controller)
    client.cookies["django_language"] = "ru"
    response = client.post(reverse("notifications:morning"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not MailHold.objects.exists()


def test_the_morning_page_shows_who_gets_what(calendars, executor, controller, daytime, client):
    reported_tasks(executor, controller, 2)
    client.force_login(controller)
    page = client.get(reverse("notifications:morning")).content.decode()
    assert f'data-recipient="user:{controller.pk}"' in page
