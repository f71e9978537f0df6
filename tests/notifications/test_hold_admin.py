"""Holds of mail in the admin: listed with how many rows each keeps now (one query for the page), made through the
service with its rules said in Russian, lifted (deleted, or "Снять задержку") so that the rows go again; the
secretariat's alone, as the morning page; a held row shown as held in the outbox."""

import datetime as dt
from urllib.parse import quote

import pytest
import time_machine
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from omskevents.notifications import services
from omskevents.notifications.enums import State
from omskevents.notifications.models import MailHold, Notification
from tests.factories.accounts import UserFactory

from .test_inbox import DAYTIME, reported_tasks

pytestmark = pytest.mark.django_db

LIST = "admin:notifications_mailhold_changelist"
ADD = "admin:notifications_mailhold_add"
FRIDAY, MONDAY = dt.date(2026, 5, 8), dt.date(2026, 5, 11)


@pytest.fixture
def admin_client(client, controller, daytime):
    """The controller (a secretariat member, staff) signed in to the admin in Russian, on Friday 8 May 2026."""
    controller.is_staff = True
    controller.save()
    client.force_login(controller)
    client.cookies["django_language"] = "ru"
    return client


@pytest.fixture
def daytime():
    with time_machine.travel(DAYTIME, tick=False) as traveller:
        yield traveller


def states() -> list[str]:
    return sorted(Notification.objects.values_list("state", flat=True))


def test_the_list_shows_each_hold_and_how_many_rows_it_keeps_now(calendars, executor, controller, admin_client):
    reported_tasks(executor, controller, 2)  # two "report submitted" notices to the controller, due today
    by_kind = services.mail_hold_create(actor=controller, day=FRIDAY, kind="report_submitted")
    by_person = services.mail_hold_create(actor=controller, day=FRIDAY, user=controller)
    monday = services.mail_hold_create(actor=controller, day=MONDAY, user=controller)  # nothing due on Monday yet
    other = services.mail_hold_create(actor=controller, day=FRIDAY, kind="digest")
    past = MailHold.objects.create(day=FRIDAY - dt.timedelta(days=1), kind="report_submitted")  # its day is over
    response = admin_client.get(reverse(LIST))
    assert response.status_code == 200
    counts = {hold.pk: hold.held_now for hold in response.context["cl"].result_list}
    assert counts == {by_kind.pk: 2, by_person.pk: 2, monday.pk: 0, other.pk: 0, past.pk: 0}
    page = response.content.decode()
    assert page.count('<td class="field-kind">Представлен отчёт</td>') == 2  # the kind by its Russian name
    assert "Снять задержку" in page
    assert "Удалить выбранные" not in page  # lifting is the one bulk action: it says how many rows go again


def test_the_list_filters_by_day_and_kind(calendars, controller, admin_client):
    kept = services.mail_hold_create(actor=controller, day=MONDAY, kind="digest")
    services.mail_hold_create(actor=controller, day=FRIDAY, kind="digest")
    services.mail_hold_create(actor=controller, day=MONDAY, kind="overdue")
    query = {"day__gte": "2026-05-11", "day__lt": "2026-05-12", "kind__exact": "digest"}
    response = admin_client.get(reverse(LIST), query)
    assert [hold.pk for hold in response.context["cl"].result_list] == [kept.pk]


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(LIST)).status_code == 200
    return len(queries)


def test_the_held_counts_cost_no_query_per_hold(calendars, executor, controller, admin_client):
    reported_tasks(executor, controller, 2)
    services.mail_hold_create(actor=controller, day=FRIDAY, kind="report_submitted")
    people = [UserFactory(username=f"p{i}", email=f"p{i}@example.org") for i in range(6)]
    _list_queries(admin_client)  # the first page of the session loads what later pages find cached
    one = _list_queries(admin_client)
    for person in people:
        services.mail_hold_create(actor=controller, day=FRIDAY, user=person)
    services.mail_hold_create(actor=controller, day=MONDAY, kind="digest")
    assert MailHold.objects.count() == 8
    assert _list_queries(admin_client) == one


def test_adding_a_hold_goes_through_the_service_and_holds_the_rows_at_once(
    calendars, executor, controller, admin_client
):
    reported_tasks(executor, controller, 2)
    assert states() == [State.QUEUED, State.QUEUED]
    response = admin_client.post(reverse(ADD), {"day": "2026-05-08", "kind": "report_submitted", "user": ""})
    assert response.status_code == 302
    hold = MailHold.objects.get()
    assert (hold.day, hold.kind, hold.user, hold.created_by) == (FRIDAY, "report_submitted", None, controller)
    assert states() == [State.HELD, State.HELD]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"day": "2026-05-07", "kind": "overdue"}, "Нельзя задержать почту за прошедший день."),
        ({"day": "2026-07-01", "kind": "overdue"}, "Задержать почту можно не более чем на месяц вперёд."),
        ({"day": "2026-05-08"}, "Выберите либо вид писем, либо человека — не то и другое вместе."),
        ({"day": "2026-05-08", "kind": "overdue", "user": "SELF"}, "Выберите либо вид писем, либо человека"),
        ({"day": "2026-05-08", "kind": "report_submitted"}, "Эта почта на этот день уже задержана."),
        ({"day": "2026-05-08", "user": "SELF"}, "Эта почта на этот день уже задержана."),
        ({"day": "2026-05-08", "user": "9" * 25}, "Выберите либо вид писем, либо человека"),
        ({"day": "завтра", "kind": "overdue"}, "Введите правильную дату."),
    ],
)
def test_a_refused_hold_says_why_in_russian_and_changes_nothing(
    calendars, executor, controller, admin_client, data, message
):
    reported_tasks(executor, controller, 1)
    services.mail_hold_create(actor=controller, day=FRIDAY, kind="report_submitted")
    services.mail_hold_create(actor=controller, day=FRIDAY, user=controller)
    before = list(MailHold.objects.order_by("pk").values())
    rows = list(Notification.objects.order_by("pk").values("pk", "state", "next_attempt_at"))
    data = {"kind": "", "user": "", **{k: str(controller.pk) if v == "SELF" else v for k, v in data.items()}}
    response = admin_client.post(reverse(ADD), data)
    assert response.status_code == 200  # the form again, with the reason
    assert message in response.content.decode()
    assert list(MailHold.objects.order_by("pk").values()) == before
    assert list(Notification.objects.order_by("pk").values("pk", "state", "next_attempt_at")) == rows


def test_the_service_refuses_the_same_hold_twice(calendars, controller, daytime):
    services.mail_hold_create(actor=controller, day=MONDAY, kind="digest")
    services.mail_hold_create(actor=controller, day=MONDAY, user=controller)
    for kwargs in ({"kind": "digest"}, {"user": controller}):
        with pytest.raises(ValidationError) as refused:
            services.mail_hold_create(actor=controller, day=MONDAY, **kwargs)
        assert refused.value.messages == ["Эта почта на этот день уже задержана."]
    with pytest.raises(ValidationError) as refused:
        services.mail_hold_create(actor=controller, day=FRIDAY - dt.timedelta(days=1), kind="digest")
    assert refused.value.message_dict == {"day": ["Нельзя задержать почту за прошедший день."]}
    assert MailHold.objects.count() == 2


def test_deleting_a_hold_releases_its_rows(calendars, executor, controller, admin_client):
    reported_tasks(executor, controller, 2)
    hold = services.mail_hold_create(actor=controller, day=FRIDAY, kind="report_submitted")
    url = reverse("admin:notifications_mailhold_delete", args=[hold.pk])
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not MailHold.objects.exists()
    assert states() == [State.QUEUED, State.QUEUED]  # not left held
    assert set(Notification.objects.values_list("next_attempt_at", flat=True)) == {DAYTIME}  # at once: working hours


def test_lifting_holds_by_the_action_releases_their_rows_and_says_how_many(
    calendars, executor, controller, admin_client
):
    reported_tasks(executor, controller, 2)
    by_kind = services.mail_hold_create(actor=controller, day=FRIDAY, kind="report_submitted")
    by_person = services.mail_hold_create(actor=controller, day=FRIDAY, user=controller)
    kept = services.mail_hold_create(actor=controller, day=MONDAY, kind="digest")
    response = admin_client.post(
        reverse(LIST), {"action": "release", ACTION_CHECKBOX_NAME: [by_kind.pk, by_person.pk]}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["2 сообщения повторно поставлены в очередь."]
    assert list(MailHold.objects.all()) == [kept]
    assert states() == [State.QUEUED, State.QUEUED]


def test_lifting_one_of_two_holds_keeps_the_rows_the_other_holds(calendars, executor, controller, admin_client):
    reported_tasks(executor, controller, 2)
    by_kind = services.mail_hold_create(actor=controller, day=FRIDAY, kind="report_submitted")
    services.mail_hold_create(actor=controller, day=FRIDAY, user=controller)
    admin_client.post(reverse(LIST), {"action": "release", ACTION_CHECKBOX_NAME: [by_kind.pk]})
    assert states() == [State.HELD, State.HELD]


@pytest.mark.parametrize("account", ["staff", "head", "kz_secretariat"])
def test_ministries_and_the_kazakh_side_neither_see_nor_add_holds(
    calendars, executor, controller, omsk_agency, client, daytime, account
):
    """As on the morning page (can_preview_mail): refused, and a hold of theirs is not found."""
    user = UserFactory(
        username=account,
        role={"staff": "agency_staff", "head": "agency_head", "kz_secretariat": "kz_secretariat"}[account],
        agency=omsk_agency if account != "kz_secretariat" else None,
        is_staff=True,
    )
    hold = services.mail_hold_create(actor=controller, day=MONDAY, kind="digest")
    client.force_login(user)
    assert client.get(reverse("notifications:morning")).status_code == 403
    assert client.get(reverse(LIST)).status_code == 403
    assert client.get(reverse(ADD)).status_code == 403
    assert client.post(reverse(ADD), {"day": "2026-05-11", "kind": "overdue", "user": ""}).status_code == 403
    for view in ("change", "delete", "history"):
        assert client.get(reverse(f"admin:notifications_mailhold_{view}", args=[hold.pk])).status_code == 404
    delete = reverse("admin:notifications_mailhold_delete", args=[hold.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 404
    assert client.post(reverse(LIST), {"action": "release", ACTION_CHECKBOX_NAME: [hold.pk]}).status_code == 403
    index = client.get(reverse("admin:index"))
    assert "mailhold" not in index.content.decode()
    assert list(MailHold.objects.values_list("pk", "day", "kind")) == [(hold.pk, MONDAY, "digest")]


def test_anonymous_is_sent_to_login(client, calendars, controller, daytime):
    hold = services.mail_hold_create(actor=controller, day=MONDAY, kind="digest")
    for url in (reverse(LIST), reverse(ADD), reverse("admin:notifications_mailhold_delete", args=[hold.pk])):
        response = client.get(url)
        assert (response.status_code, response["Location"].startswith(reverse("admin:login"))) == (302, True)


def _not_found_anywhere(admin_client, object_id: str) -> None:
    """The hold's change, delete and history pages answer 404 to `object_id`, read and posted."""
    bad = quote(object_id, safe="")
    for url in (
        f"/admin/notifications/mailhold/{bad}/change/",
        f"/admin/notifications/mailhold/{bad}/delete/",
        f"/admin/notifications/mailhold/{bad}/history/",
    ):
        assert admin_client.get(url).status_code == 404, url
        assert admin_client.post(url, {"post": "yes"}).status_code == 404, url


HOSTILE = ["abc", "1.5", "-1", "0x10", "١٢", "²", "１２", "9" * 25, str(2**63), " 1", "\x00", "1\n"]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_a_malformed_id_in_the_address_is_not_found(calendars, controller, admin_client, hostile):
    hold = services.mail_hold_create(actor=controller, day=MONDAY, kind="digest")
    _not_found_anywhere(admin_client, hostile)
    assert list(MailHold.objects.all()) == [hold]


def test_the_outbox_shows_a_held_row_as_held_and_until_when(calendars, executor, controller, admin_client):
    reported_tasks(executor, controller, 1)
    outbox = reverse("admin:notifications_notification_changelist")
    queued = admin_client.get(outbox).content.decode()
    assert '<td class="field-state">В очереди</td>' in queued
    assert "(Москва)</td>" in queued  # a queued row: when it goes, in its zone
    services.mail_hold_create(actor=controller, day=FRIDAY, kind="report_submitted")
    services.mail_hold_create(actor=controller, day=MONDAY, user=controller)
    page = admin_client.get(outbox).content.decode()
    assert '<td class="field-state">Задержано</td>' in page
    assert "задержано до конца 11.05 или до снятия задержки" in page  # the later hold keeps it longer
    assert "(Москва)</td>" not in page
    held = admin_client.get(outbox, {"state__exact": "held"})
    assert [row.state for row in held.context["cl"].result_list] == [State.HELD]
    MailHold.objects.all().delete()  # holds gone behind the outbox's back: the next scan queues the row again
    assert "задержано: вернётся в очередь при следующей проверке" in admin_client.get(outbox).content.decode()


@pytest.mark.parametrize("shape", [" {}", "{} ", "{}\n", "+{}", "{}.0", "\t{}"])
def test_the_holds_own_id_written_loosely_is_not_found(calendars, controller, admin_client, shape):
    """Django's lookup reads " 7" or "+7" as 7: the admin answers only to the id itself (whatever the database's
    ids, unlike the list above, whose " 1" names a row only where ids start again at 1)."""
    hold = services.mail_hold_create(actor=controller, day=MONDAY, kind="digest")
    _not_found_anywhere(admin_client, shape.format(hold.pk))
    assert list(MailHold.objects.all()) == [hold]
    assert admin_client.get(f"/admin/notifications/mailhold/{hold.pk}/change/").status_code == 200
