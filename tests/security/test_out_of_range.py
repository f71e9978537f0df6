"""Dates a calendar picker offers but no plan can hold (years 1 and 9999), and numbers past a database integer.

A deadline in year 1 was accepted and then broke the timeline and the calendar feed of everyone who could see it;
a meeting at 0001-01-01 00:00 (Omsk) and event dates in year 1 answered 500 when saved; the meetings calendar
answered 500 for `?month=0001-01` and `?month=9999-12`; the admin's lists for a date-hierarchy year past a machine
integer (both databases) and, on SQLite, for a filter's id past a 64-bit integer; the agreement form for such a
party id (SQLite)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from omskevents.committee.models import Meeting
from omskevents.core.validators import validate_plausible_date
from omskevents.events.models import Event
from omskevents.workplan.models import Task
from tests.factories.agencies import AgencyFactory
from tests.factories.committee import CommitteeFactory
from tests.factories.events import EventFactory
from tests.factories.workplan import TaskFactory
from tests.support.web import login_in_english

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
OUT_OF_RANGE = "Enter a date from 01.01.2000 to 31.12.2099."


def test_the_message_reads_in_russian():
    with translation.override("ru"), pytest.raises(ValidationError) as refused:
        validate_plausible_date(dt.date(1, 1, 1))
    assert refused.value.messages == ["Укажите дату с 01.01.2000 по 31.12.2099."]


@pytest.mark.parametrize("deadline", ["0001-01-01", "9999-12-31", "1999-12-31", "2100-01-01"])
def test_a_task_deadline_far_outside_the_plan_is_refused(client, secretariat, deadline):
    event = EventFactory()
    agency = AgencyFactory()
    form = {
        "event": event.pk, "number": "9.9", "area": "transport", "title": "Причал", "lead_agency": agency.pk,
        "deadline_mode": "fixed", "deadline": deadline, "priority": "normal",
    }  # fmt: skip
    response = login_in_english(client, secretariat).post(reverse("workplan:task_create"), form)

    assert response.status_code == 200
    assert OUT_OF_RANGE in response.context["form"].errors["deadline"]
    assert not Task.objects.filter(title="Причал").exists()


def test_the_range_includes_its_first_and_last_days():
    for day in (dt.date(2000, 1, 1), dt.date(2099, 12, 31), dt.datetime(2099, 12, 31, 23, 59, tzinfo=dt.UTC)):
        validate_plausible_date(day)
    for day in (dt.date(1999, 12, 31), dt.date(2100, 1, 1)):
        with pytest.raises(ValidationError):
            validate_plausible_date(day)


@pytest.mark.parametrize("starts_at", ["0001-01-01T00:00", "0001-01-01T07:00", "9999-12-31T23:59"])
def test_a_meeting_at_the_ends_of_the_calendar_is_refused(client, secretariat, starts_at):
    committee = CommitteeFactory()
    response = login_in_english(client, secretariat).post(
        reverse("committee:meeting_create"),
        {"committee": committee.pk, "title": "Заседание", "starts_at": starts_at, "place": "Омск"},
    )

    assert response.status_code == 200
    assert OUT_OF_RANGE in response.context["form"].errors["starts_at"]
    assert Meeting.objects.count() == 0


def test_event_dates_in_year_one_are_refused(client, secretariat):
    event = EventFactory(start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 11))
    response = login_in_english(client, secretariat).post(
        reverse("events:dates", args=[event.pk]), {"start_date": "0001-01-01", "end_date": "0001-01-02"}
    )

    assert response.status_code == 200
    assert OUT_OF_RANGE in response.context["form"].errors["start_date"]
    event.refresh_from_db()
    assert (event.start_date, event.end_date) == (dt.date(2026, 12, 10), dt.date(2026, 12, 11))
    assert Event.objects.count() == 1


@pytest.mark.parametrize("month", ["0001-01", "9999-12", "1999-12", "2100-01", f"{HUGE}-01"])
def test_the_meetings_calendar_shows_this_month_for_a_month_out_of_range(client, staff_a, month):
    response = login_in_english(client, staff_a).get(reverse("committee:meeting_calendar"), {"month": month})

    assert response.status_code == 200
    assert response.context["month"] == dt.date.today().replace(day=1)


@pytest.mark.parametrize(
    "query",
    [f"deadline__year={HUGE}", f"deadline__year=2026&deadline__month={HUGE}", f"event={HUGE}", f"lead_agency={HUGE}"],
)
def test_the_admin_list_answers_a_number_out_of_range_with_its_own_notice(client, secretariat, query):
    TaskFactory()
    client = login_in_english(client, secretariat)

    response = client.get(f"{reverse('admin:workplan_task_changelist')}?{query}", follow=True)

    assert response.status_code == 200
    # Either the filter names nothing (PostgreSQL compares the number and finds no task) or the list comes back
    # with the admin's "?e=1" (SQLite cannot bind it; a date cannot hold such a year) — never an error page.
    final = response.redirect_chain[-1][0] if response.redirect_chain else ""
    assert final.endswith("?e=1") or response.context["cl"].result_count == 0


def test_an_agreement_party_id_out_of_range_is_the_fields_error(client, secretariat):
    event = EventFactory()
    response = login_in_english(client, secretariat).post(
        reverse("agreements:create"),
        {"event": event.pk, "number": "1", "title": "Соглашение", "kind": "interregional", "ru_parties": [HUGE]},
    )

    assert response.status_code == 200
    assert "ru_parties" in response.context["form"].errors
