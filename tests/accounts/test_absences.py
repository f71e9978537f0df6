"""Absences and deputies: the rules of recording one (with clear Russian messages), the pages, the admin and the
security log of absences recorded for someone else."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from omskevents.accounts.models import Absence, SecurityEvent
from omskevents.accounts.permissions import eligible_deputies
from omskevents.accounts.services import absence_record, absence_withdraw
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 5, 13)
CLOCK = dt.datetime(2026, 5, 13, 4, 0, tzinfo=dt.UTC)  # 10:00 in Omsk


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(CLOCK, tick=False):
        yield


@pytest.fixture
def colleague_a(agency_a):
    return UserFactory(username="colleague_a", agency=agency_a, last_name="Петров", first_name="Пётр")


def record(actor, person, deputy, start=TODAY, end=TODAY + dt.timedelta(days=4), reason="leave"):
    return absence_record(actor=actor, person=person, start=start, end=end, reason=reason, deputy=deputy)


STRANGER = "Заместителем может быть только действующий коллега из того же ведомства или того же секретариата."


def messages_of(error: ValidationError) -> dict[str, list[str]]:
    return {field: [str(m) for m in errors] for field, errors in error.message_dict.items()}


def test_deputies_are_colleagues_of_the_same_agency_or_secretariat(staff_a, head_a, colleague_a, staff_b, secretariat):
    other_sec = UserFactory(username="sec2", role="secretariat", agency=None)
    kz_sec = UserFactory(username="kzsec", role="kz_secretariat", agency=None)
    UserFactory(username="gone", agency=staff_a.agency, is_active=False)
    assert set(eligible_deputies(staff_a)) == {head_a, colleague_a}
    assert set(eligible_deputies(secretariat)) == {other_sec}
    assert set(eligible_deputies(kz_sec)) == set()


@pytest.mark.parametrize(
    ("start", "end", "deputy", "expected"),
    [
        (TODAY, TODAY - dt.timedelta(days=1), "colleague",
         {"end": ["Отсутствие не может закончиться раньше, чем начнётся."]}),
        (TODAY - dt.timedelta(days=9), TODAY - dt.timedelta(days=2), "colleague",
         {"end": ["Это отсутствие уже закончилось: укажите сегодняшнюю или более позднюю дату."]}),
        (TODAY, TODAY + dt.timedelta(days=400), "colleague", {"end": ["Отсутствие может длиться не больше года."]}),
        (TODAY + dt.timedelta(days=800), TODAY + dt.timedelta(days=801), "colleague",
         {"start": ["Отсутствие можно записать не более чем на год вперёд."]}),
        (TODAY, TODAY, "self", {"deputy": ["Сотрудник не может быть заместителем самого себя."]}),
        (TODAY, TODAY, "stranger",
         {"deputy": [STRANGER]}),
    ],
)  # fmt: skip
def test_bad_absences_are_refused_with_a_clear_message(staff_a, colleague_a, staff_b, start, end, deputy, expected):
    who = {"colleague": colleague_a, "self": staff_a, "stranger": staff_b}[deputy]
    with pytest.raises(ValidationError) as caught:
        record(staff_a, staff_a, who, start=start, end=end)
    assert messages_of(caught.value) == expected
    assert Absence.objects.count() == 0


def test_overlapping_absences_are_refused(staff_a, colleague_a, head_a):
    record(staff_a, staff_a, colleague_a, start=TODAY, end=TODAY + dt.timedelta(days=4))
    with pytest.raises(ValidationError) as caught:
        record(staff_a, staff_a, head_a, start=TODAY + dt.timedelta(days=4), end=TODAY + dt.timedelta(days=6))
    assert messages_of(caught.value) == {"start": ["Эти даты пересекаются с отсутствием с 13.05.2026 по 17.05.2026."]}
    record(staff_a, staff_a, head_a, start=TODAY + dt.timedelta(days=5), end=TODAY + dt.timedelta(days=6))
    assert Absence.objects.count() == 2


def test_only_the_person_and_the_secretariats_of_their_side_record_it(
    staff_a, colleague_a, head_a, staff_b, secretariat, kz_secretariat
):
    colleague_b = UserFactory(username="colleague_b", agency=staff_b.agency)
    for outsider in (colleague_a, head_a, kz_secretariat):
        with pytest.raises(PermissionDenied):
            record(outsider, staff_a, colleague_a if outsider != colleague_a else head_a)
    record(secretariat, staff_a, colleague_a)
    record(kz_secretariat, staff_b, colleague_b)
    assert Absence.objects.count() == 2


def test_an_absence_recorded_or_withdrawn_for_someone_else_is_in_the_security_log(staff_a, colleague_a, secretariat):
    own = record(staff_a, staff_a, colleague_a, start=TODAY + dt.timedelta(days=20), end=TODAY + dt.timedelta(days=21))
    assert SecurityEvent.objects.count() == 0  # one's own absence is no permission change
    absence = record(secretariat, staff_a, colleague_a)
    absence_withdraw(actor=secretariat, absence=absence)
    rows = list(SecurityEvent.objects.order_by("pk").values_list("event", "username", "details"))
    assert [(event, user) for event, user, _ in rows] == [
        ("absence_recorded", "staff_a"),
        ("absence_withdrawn", "staff_a"),
    ]
    assert rows[0][2] == {
        "by": "sec", "deputy": "colleague_a", "start": "2026-05-13", "end": "2026-05-17", "reason": "leave"
    }  # fmt: skip
    assert Absence.objects.filter(pk=own.pk).exists()


def test_withdrawing_deletes_a_coming_absence_and_ends_a_current_one_yesterday(staff_a, colleague_a):
    coming = record(staff_a, staff_a, colleague_a, start=TODAY + dt.timedelta(days=3), end=TODAY + dt.timedelta(days=4))
    current = record(
        staff_a, staff_a, colleague_a, start=TODAY - dt.timedelta(days=2), end=TODAY + dt.timedelta(days=1)
    )
    assert absence_withdraw(actor=staff_a, absence=coming) is None
    shortened = absence_withdraw(actor=staff_a, absence=current)
    assert shortened is not None
    assert (shortened.start, shortened.end) == (TODAY - dt.timedelta(days=2), TODAY - dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        absence_withdraw(actor=staff_a, absence=shortened)  # over: stays on record
    assert list(Absence.objects.values_list("pk", flat=True)) == [current.pk]


def test_the_own_page_records_an_absence(client, staff_a, colleague_a):
    client.force_login(staff_a)
    page = client.get(reverse("accounts:absences"))
    assert page.status_code == 200
    assert "Петров Пётр" in page.content.decode()
    data = {"start": "2026-05-20", "end": "2026-05-29", "reason": "business_trip", "deputy": colleague_a.pk}
    response = client.post(reverse("accounts:absences"), data)
    assert response.status_code == 302
    absence = Absence.objects.get()
    assert (absence.person, absence.deputy, absence.reason, absence.recorded_by) == (
        staff_a, colleague_a, "business_trip", staff_a
    )  # fmt: skip
    listed = client.get(reverse("accounts:absences")).content.decode()
    assert "20.05.2026 – 29.05.2026" in listed
    assert "Командировка" in listed


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"start": "2026-05-20", "end": "2026-05-19"}, "end", "Отсутствие не может закончиться раньше, чем начнётся."),
        ({"start": "20.05.2026x", "end": "2026-05-29"}, "start", "Введите правильную дату."),
        ({"start": "2026-02-30", "end": "2026-05-29"}, "start", "Введите правильную дату."),
        ({"start": "", "end": ""}, "start", "Обязательное поле."),
        ({"deputy": "99999999999999999999999"}, "deputy", "Выберите заместителя из списка"),
        ({"deputy": "-1"}, "deputy", "Выберите заместителя из списка"),
        ({"deputy": "<script>"}, "deputy", "Выберите заместителя из списка"),
        ({"deputy": "own"}, "deputy", "Выберите заместителя из списка"),
        ({"reason": "holiday'; DROP TABLE"}, "reason", "Выберите корректный вариант"),
        ({"note": "x" * 300}, "note", "не более 255 символов"),
    ],
)
def test_hostile_input_on_the_own_page_gets_a_russian_message_and_changes_nothing(
    client, staff_a, colleague_a, data, field, message
):
    client.force_login(staff_a)
    base = {"start": "2026-05-20", "end": "2026-05-29", "reason": "leave", "deputy": str(colleague_a.pk)}
    if data.get("deputy") == "own":
        data = {"deputy": str(staff_a.pk)}
    response = client.post(reverse("accounts:absences"), {**base, **data})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors
    assert any(message in text for text in errors[field]), errors[field]
    assert Absence.objects.count() == 0


def test_the_secretariat_records_for_someone_and_a_stranger_deputy_is_refused(client, secretariat, staff_a, staff_b):
    client.force_login(secretariat)
    data = {
        "person": staff_a.pk,
        "start": "2026-05-20",
        "end": "2026-05-22",
        "reason": "sick_leave",
        "deputy": staff_b.pk,
    }
    response = client.post(reverse("accounts:absences_manage"), data)
    assert response.status_code == 400
    assert response.context["form"].errors["deputy"] == [
        "Заместителем может быть только действующий коллега из того же ведомства или того же секретариата."
    ]
    colleague = UserFactory(username="colleague_a", agency=staff_a.agency)
    response = client.post(reverse("accounts:absences_manage"), {**data, "deputy": colleague.pk})
    assert response.status_code == 302
    assert Absence.objects.get().recorded_by == secretariat
    page = client.get(reverse("accounts:absences_manage")).content.decode()
    assert "Больничный" in page


def test_the_admin_records_through_the_same_rules(client, secretariat, staff_a, staff_b):
    client.force_login(secretariat)
    url = reverse("admin:accounts_absence_add")
    data = {"person": staff_a.pk, "start": "2026-05-20", "end": "2026-05-22", "reason": "leave", "deputy": staff_b.pk}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Заместителем может быть только действующий коллега" in response.content.decode()
    colleague = UserFactory(username="colleague_a", agency=staff_a.agency)
    response = client.post(url, {**data, "deputy": colleague.pk})
    assert response.status_code == 302
    absence = Absence.objects.get()
    assert (absence.deputy, absence.recorded_by) == (colleague, secretariat)
    assert SecurityEvent.objects.filter(event="absence_recorded", username="staff_a").count() == 1


def test_the_admin_is_closed_to_agency_heads(client, head_a):
    client.force_login(head_a)
    assert client.get(reverse("admin:accounts_absence_changelist")).status_code == 403
