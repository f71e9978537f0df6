"""Paired tasks: a Russian agency's task and a Kazakh agency's on the same item, ready only together."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from omskevents.workplan import pairs, services
from omskevents.workplan.models import Task
from tests.factories.agencies import AgencyFactory
from tests.factories.events import EventFactory
from tests.factories.workplan import ProgressReportFactory, TaskFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 10)


@pytest.fixture
def event():
    return EventFactory(start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 11))


@pytest.fixture
def pair(secretariat, event, agency_a, agency_b):
    russian = TaskFactory(event=event, lead_agency=agency_a, number="3.1", title="Открыть рейс Омск — Павлодар")
    kazakh = TaskFactory(event=event, lead_agency=agency_b, number="3.1-К", title="Открыть рейс Павлодар — Омск")
    services.task_pair(actor=secretariat, task=russian, counterpart=kazakh)
    russian.refresh_from_db()
    kazakh.refresh_from_db()
    return russian, kazakh


def test_task_pair_is_symmetric(pair):
    russian, kazakh = pair
    assert (russian.counterpart, kazakh.counterpart) == (kazakh, russian)


def test_task_unpair_clears_both_sides(secretariat, pair):
    _russian, kazakh = pair
    services.task_unpair(actor=secretariat, task=kazakh)
    assert list(Task.objects.filter(counterpart__isnull=False)) == []


def test_pair_on_the_same_side_is_refused(english, secretariat, event, agency_a):
    other = AgencyFactory(short_name="Минтранс России", country="RU")
    one = TaskFactory(event=event, lead_agency=agency_a)
    two = TaskFactory(event=event, lead_agency=other)
    with pytest.raises(ValidationError) as error:
        services.task_pair(actor=secretariat, task=one, counterpart=two)
    assert error.value.message_dict == {
        "counterpart": ["A pair joins a Russian agency's task and a Kazakh agency's task."]
    }
    assert Task.objects.filter(counterpart__isnull=False).count() == 0


def test_pair_across_events_is_refused(english, secretariat, event, agency_a, agency_b):
    one = TaskFactory(event=event, lead_agency=agency_a)
    two = TaskFactory(event=EventFactory(kind="commission"), lead_agency=agency_b)
    with pytest.raises(ValidationError) as error:
        services.task_pair(actor=secretariat, task=one, counterpart=two)
    assert error.value.message_dict == {"counterpart": ["The counterpart must be a task of the same event."]}


def test_a_task_in_a_pair_cannot_join_another(secretariat, pair, event, agency_b):
    russian, _kazakh = pair
    third = TaskFactory(event=event, lead_agency=agency_b)
    with pytest.raises(ValidationError):
        services.task_pair(actor=secretariat, task=russian, counterpart=third)
    third.refresh_from_db()
    assert third.counterpart is None


def test_pairing_is_the_committee_secretariats(kz_secretariat, staff_a, event, agency_a, agency_b):
    one = TaskFactory(event=event, lead_agency=agency_a)
    two = TaskFactory(event=event, lead_agency=agency_b)
    for user in (kz_secretariat, staff_a):
        with pytest.raises(PermissionDenied):
            services.task_pair(actor=user, task=one, counterpart=two)


def test_moving_a_paired_task_to_the_other_side_is_refused(secretariat, pair, agency_b):
    russian, _kazakh = pair
    with pytest.raises(ValidationError):
        services.task_update(actor=secretariat, task=russian, lead_agency=agency_b)
    russian.refresh_from_db()
    assert russian.lead_agency.country == "RU"


@pytest.mark.parametrize(
    ("russian", "kazakh", "state"),
    [
        (("accepted", dt.date(2026, 11, 1)), ("accepted", dt.date(2026, 11, 1)), "ready"),
        (("accepted", dt.date(2026, 11, 1)), ("in_progress", dt.date(2026, 11, 1)), "out_of_step"),
        (("in_progress", dt.date(2026, 11, 20)), ("in_progress", dt.date(2026, 11, 1)), "out_of_step"),
        (("in_progress", dt.date(2026, 11, 1)), ("reported", dt.date(2026, 11, 1)), "in_work"),
        (("accepted", dt.date(2026, 11, 1)), ("in_progress", dt.date(2026, 11, 20)), "in_work"),
        (("cancelled", dt.date(2026, 11, 1)), ("in_progress", dt.date(2026, 11, 20)), "in_work"),
    ],
)
def test_pair_state(event, agency_a, agency_b, russian, kazakh, state):
    one = TaskFactory(event=event, lead_agency=agency_a, status=russian[0], deadline=russian[1])
    two = TaskFactory(event=event, lead_agency=agency_b, status=kazakh[0], deadline=kazakh[1])
    assert pairs.pair_state(one, two, today=TODAY) == state


def test_pairs_visible_and_joint_readiness(secretariat, staff_b, kz_secretariat, event, agency_a, agency_b):
    for ru_status, kz_status in [("accepted", "accepted"), ("accepted", "in_progress")]:
        ru = TaskFactory(event=event, lead_agency=agency_a, status=ru_status, deadline=dt.date(2026, 11, 1))
        kz = TaskFactory(event=event, lead_agency=agency_b, status=kz_status, deadline=dt.date(2026, 11, 1))
        services.task_pair(actor=secretariat, task=ru, counterpart=kz)
    for user in (secretariat, staff_b, kz_secretariat):
        found = pairs.pairs_visible_to(user, today=TODAY)
        assert [p.state for p in found] == ["ready", "out_of_step"], user
        readiness = pairs.pair_readiness_by_area(found)
        assert [(r.key, r.accepted, r.total, r.percent) for r in readiness] == [("irtysh_logistics", 1, 2, 50)]
        assert [p.overdue for p in pairs.pairs_out_of_step(found)] == [(False, True)]


def test_task_page_shows_the_counterpart_summary_but_not_its_reports(client, staff_b, pair, staff_a):
    russian, kazakh = pair
    ProgressReportFactory(task=russian, author=staff_a, text="Отчёт российской стороны")
    client.force_login(staff_b)
    response = client.get(reverse("workplan:task_detail", args=[kazakh.pk]))
    body = response.content.decode()
    assert response.context["counterpart"] == russian
    assert response.context["counterpart_visible"] is False
    assert "3.1. Открыть рейс Омск — Павлодар" in body
    assert str(russian.lead_agency) in body
    assert "Отчёт российской стороны" not in body
    assert reverse("workplan:task_detail", args=[russian.pk]) not in body
    assert client.get(reverse("workplan:task_detail", args=[russian.pk])).status_code == 404


def test_task_page_links_the_counterpart_for_the_secretariat(client, secretariat, pair):
    russian, kazakh = pair
    client.force_login(secretariat)
    body = client.get(reverse("workplan:task_detail", args=[kazakh.pk])).content.decode()
    assert f'href="{reverse("workplan:task_detail", args=[russian.pk])}"' in body


def test_pair_form_on_the_page_pairs_and_unpairs(client, secretariat, event, agency_a, agency_b):
    one = TaskFactory(event=event, lead_agency=agency_a)
    two = TaskFactory(event=event, lead_agency=agency_b)
    client.force_login(secretariat)
    url = reverse("workplan:task_pair", args=[one.pk])
    assert client.post(url, {"counterpart": two.pk}).status_code == 302
    two.refresh_from_db()
    assert two.counterpart == one
    client.post(url, {"counterpart": ""})
    two.refresh_from_db()
    assert two.counterpart is None


def test_pair_form_with_a_same_side_task_shows_the_error(client, secretariat, event, agency_a):
    one = TaskFactory(event=event, lead_agency=agency_a)
    two = TaskFactory(event=event, lead_agency=AgencyFactory(short_name="Минтранс России", country="RU"))
    client.force_login(secretariat)
    response = client.post(reverse("workplan:task_pair", args=[one.pk]), {"counterpart": two.pk})
    assert response.status_code == 400
    assert "counterpart" in response.context["pair_form"].errors
    assert Task.objects.filter(counterpart__isnull=False).count() == 0


def test_dashboard_lists_pairs_out_of_step(client, secretariat, event, agency_a, agency_b):
    ru = TaskFactory(event=event, lead_agency=agency_a, status="accepted", deadline=dt.date(2020, 1, 10))
    kz = TaskFactory(event=event, lead_agency=agency_b, title="Причал в Павлодаре", deadline=dt.date(2020, 1, 10))
    services.task_pair(actor=secretariat, task=ru, counterpart=kz)
    client.force_login(secretariat)
    response = client.get(reverse("dashboard:home"))
    body = response.content.decode()
    assert 'id="pairs"' in body
    assert "Причал в Павлодаре" in body
