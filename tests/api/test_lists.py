"""The API's lists: read by cursor in a stable order, filtered like the action plan, at a fixed number of queries."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from omskevents.agreements.models import AgreementStage
from omskevents.committee.models import AgendaItem, Decision, Meeting
from tests.api.conftest import make_token
from tests.factories.agencies import AgencyFactory
from tests.factories.agreements import make_agreement
from tests.factories.workplan import ProgressReportFactory, TaskFactory
from tests.security.conftest import _attachment
from tests.support.db_state import fresh_copy

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(module_world, db):
    """Every test here stands on the same world, made once for the module; each test's writes are rolled back."""
    return fresh_copy(module_world)


def _tasks(world, n: int, *, offset: int = 0) -> None:
    co = AgencyFactory()
    for i in range(n):
        task = TaskFactory(
            event=world.event, lead_agency=world.agency_a, responsible=world.staff_a, controller=world.secretariat,
            deadline=dt.date(2026, 11, 1) + dt.timedelta(days=(i + offset) % 20), co_executors=[co],
        )  # fmt: skip
        report = ProgressReportFactory(task=task, author=world.staff_a)
        _attachment(report, f"{i + offset}.pdf")


def _meetings(world, n: int, *, offset: int = 0) -> None:
    for i in range(n):
        meeting = Meeting.objects.create(
            committee=world.committee, number=100 + i + offset, starts_at=dt.datetime(2026, 8, 1, tzinfo=dt.UTC),
            place="Омск", chair=world.secretariat,
        )  # fmt: skip
        AgendaItem.objects.create(meeting=meeting, order=1, title="Вопрос")
        decision = Decision.objects.create(meeting=meeting, number="1", text="Решено", lead_agency=world.agency_a)
        decision.co_executors.set([world.agency_b])


def _agreements(world, n: int, *, offset: int = 0) -> None:
    for i in range(n):
        make_agreement(actor=world.secretariat, event=world.event, ru=world.agency_a, kz=world.agency_b,
                       title=f"Соглашение {i + offset}")  # fmt: skip


LISTS = [
    ("/api/v1/tasks/", _tasks),
    ("/api/v1/tasks/?overdue=1&status=assigned&status=in_progress&q=Поручение", _tasks),
    ("/api/v1/reports/", _tasks),
    ("/api/v1/meetings/", _meetings),
    ("/api/v1/decisions/", _meetings),
    ("/api/v1/agreements/", _agreements),
]


def _count(api, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url)
    assert response.status_code == 200
    return len(queries), len(response.json()["results"])


@pytest.mark.parametrize(("url", "make"), LISTS)
@pytest.mark.parametrize("account", ["staff_a", "sec"])
def test_a_list_costs_the_same_queries_for_3_and_30_items(api, world, url, make, account):
    api.use(make_token(getattr(world, {"sec": "secretariat"}.get(account, account))))
    with time_machine.travel(dt.datetime(2026, 11, 28, 6, tzinfo=dt.UTC), tick=False):
        make(world, 3)
        few, few_rows = _count(api, url)
        make(world, 27, offset=3)
        many, many_rows = _count(api, url)
    assert few_rows >= 3
    assert many_rows >= 30
    assert few == many


def test_the_task_list_takes_a_fixed_number_of_queries(api, world, django_assert_num_queries):
    api.use(make_token(world.staff_a))
    _tasks(world, 30)
    # The token (read, record the use), the page of tasks, its co-executors.
    with django_assert_num_queries(4):
        api.get("/api/v1/tasks/")


def test_the_cursor_walks_every_task_once_in_the_plan_order(api, world):
    api.use(make_token(world.staff_a))
    _tasks(world, 30)
    seen, url = [], "/api/v1/tasks/?page_size=7"
    while url:
        page = api.get(url).json()
        seen += [(row["deadline"], row["id"]) for row in page["results"]]
        url = page["next"]
    assert len(seen) == 32  # 30 and the world's two tasks of agency A
    assert len(set(seen)) == 32
    assert seen == sorted(seen)


def test_my_agencys_overdue_tasks(api, world):
    api.use(make_token(world.staff_a))
    late = TaskFactory(event=world.event, lead_agency=world.agency_a, deadline=dt.date(2026, 10, 1), title="Просрочено")
    TaskFactory(event=world.event, lead_agency=world.agency_a, deadline=dt.date(2026, 10, 1), status="accepted")
    TaskFactory(event=world.event, lead_agency=world.agency_b, deadline=dt.date(2026, 10, 1))
    with time_machine.travel(dt.datetime(2026, 11, 28, 6, tzinfo=dt.UTC), tick=False):
        rows = api.get(f"/api/v1/tasks/?overdue=1&agency={world.agency_a.pk}").json()["results"]
    assert [row["id"] for row in rows] == [late.pk]


def test_filters_by_status_deadline_range_event_and_search(api, world):
    api.use(make_token(world.secretariat))
    one = TaskFactory(event=world.event, lead_agency=world.agency_a, deadline=dt.date(2026, 11, 10), status="returned",
                      title="Причал на Иртыше")  # fmt: skip
    TaskFactory(event=world.event, lead_agency=world.agency_a, deadline=dt.date(2026, 11, 20), status="returned")
    query = "status=returned&status=reported&due_from=2026-11-05&due_to=2026-11-15"
    assert [r["id"] for r in api.get(f"/api/v1/tasks/?{query}").json()["results"]] == [one.pk]
    assert [r["id"] for r in api.get("/api/v1/tasks/?q=иртыш").json()["results"]] == [one.pk]
    assert api.get(f"/api/v1/tasks/?event={world.event.pk + 999}").status_code == 400


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=done", "status"),
        ("due_from=2026-13-01", "due_from"),
        ("due_from=2026-12-01&due_to=2026-11-01", "due_to"),
        ("overdue=maybe", "overdue"),
        ("event=abc", "event"),
        ("area=mars", "area"),
        ("cursor=garbage", "detail"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(api, world, query, field):
    api.use(make_token(world.staff_a))
    response = api.get(f"/api/v1/tasks/?{query}")
    assert response.status_code in (400, 404)
    assert field in response.json()


def test_a_foreign_agency_filter_answers_as_a_missing_agency(api, world):
    api.use(make_token(world.staff_a))
    foreign = api.get(f"/api/v1/tasks/?agency={world.agency_b.pk}")
    missing = api.get("/api/v1/tasks/?agency=999999")
    assert foreign.status_code == missing.status_code == 400
    assert foreign.json()["agency"][0].replace(str(world.agency_b.pk), "N") == missing.json()["agency"][0].replace(
        "999999", "N"
    )


def test_agreements_carry_their_stages(api, world):
    api.use(make_token(world.staff_a))
    row = api.get(f"/api/v1/agreements/{world.agreement_a.pk}/").json()
    assert [s["stage"] for s in row["stages"]] == list(
        AgreementStage.objects.filter(agreement=world.agreement_a)
        .order_by("deadline", "pk")
        .values_list("stage", flat=True)
    )
    assert row["versions"][0]["language"] == "ru"


def test_a_file_not_found_answers_in_the_callers_language(api, world):
    """Another agency's file and a file that does not exist answer the same 404, with the API's own "not found"
    in the caller's language (not the ORM's English "No Attachment matches the given query.")."""
    api.use(make_token(world.staff_a))
    for pk in (world.attachment_b.pk, 999_999):
        url = f"/api/v1/attachments/{pk}/download/"
        english = api.get(url, HTTP_ACCEPT_LANGUAGE="en")
        russian = api.get(url, HTTP_ACCEPT_LANGUAGE="ru")
        assert (english.status_code, english.json()) == (404, {"detail": "Not found."})
        assert (russian.status_code, russian.json()) == (404, {"detail": "Не найдено."})
