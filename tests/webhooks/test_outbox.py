"""Events become delivery rows in the transaction of the change, only for endpoints whose owner may see the object."""

import datetime as dt

import pytest
from django.db import transaction

from omskevents.agreements import services as agreements
from omskevents.committee import services as committee
from omskevents.webhooks.enums import DeliveryState, EventKind
from omskevents.webhooks.models import Delivery
from omskevents.workplan import services as workplan
from omskevents.workplan.models import TaskComment
from tests.factories.agencies import AgencyFactory
from tests.factories.agreements import make_agreement
from tests.factories.committee import CommitteeFactory

from .conftest import bodies, kinds_of, make_task, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def endpoints(head_a, secretariat, kz_secretariat):
    return {
        "a": register(head_a, "http://127.0.0.1:9/a")[0],
        "sec": register(secretariat, "http://127.0.0.1:9/sec")[0],
        "kz": register(kz_secretariat, "http://127.0.0.1:9/kz")[0],
    }


def test_task_assigned_reaches_the_lead_agency_and_the_secretariat_not_the_kazakh_one(
    endpoints, secretariat, event, agency_a
):
    task = make_task(secretariat, event, agency_a)

    assert kinds_of(endpoints["a"]) == [EventKind.TASK_ASSIGNED]
    assert kinds_of(endpoints["sec"]) == [EventKind.TASK_ASSIGNED]
    assert kinds_of(endpoints["kz"]) == []  # agency A is Russian: the Kazakh secretariat does not steer it
    body = bodies(endpoints["a"])[0]
    assert set(body) == {"id", "kind", "occurred_at", "data"}
    assert body["kind"] == "task.assigned"
    assert body["occurred_at"].endswith("Z")
    assert body["data"]["task"]["id"] == task.pk
    assert body["data"]["task"]["lead_agency"] == {"id": agency_a.pk, "name": agency_a.short_name}
    # One event, one id: the same for every endpoint, unique per endpoint.
    rows = Delivery.objects.filter(kind=EventKind.TASK_ASSIGNED)
    assert rows.values("event_id").distinct().count() == 1
    assert rows.count() == 2


def test_a_ministry_endpoint_never_hears_of_a_foreign_task(endpoints, secretariat, event, agency_b, staff_b):
    task = make_task(secretariat, event, agency_b, title="Чужое поручение")
    workplan.task_report_progress(actor=staff_b, task=task, text="Сделано наполовину")
    workplan.task_update(actor=secretariat, task=task, deadline=dt.date(2026, 11, 25))

    assert kinds_of(endpoints["a"]) == []
    assert sorted(kinds_of(endpoints["kz"])) == sorted(
        [
            EventKind.TASK_ASSIGNED,
            EventKind.TASK_STATUS_CHANGED,
            EventKind.REPORT_SUBMITTED,
            EventKind.TASK_DEADLINE_CHANGED,
        ]
    )


def test_a_co_executor_hears_of_the_task_without_its_comments(
    endpoints, secretariat, event, agency_a, agency_b, staff_b
):
    task = make_task(secretariat, event, agency_b, co=[agency_a])
    TaskComment.objects.create(task=task, author=staff_b, text="Внутреннее замечание Б")
    workplan.task_report_progress(actor=staff_b, task=task, text="Отчёт ведомства Б")

    sent = bodies(endpoints["a"])
    assert [b["kind"] for b in sent] == ["task.assigned", "task.status_changed", "report.submitted"]
    assert sent[0]["data"]["task"]["co_executors"] == [{"id": agency_a.pk, "name": agency_a.short_name}]
    assert all("Внутреннее замечание" not in str(b) for b in sent)
    assert sent[2]["data"]["report"]["text"] == "Отчёт ведомства Б"
    assert sent[2]["data"]["task"]["status"] == "in_progress"  # as saved by the report, not a stale copy


def test_deadline_changed_only_when_the_deadline_changes(endpoints, secretariat, event, agency_a):
    task = make_task(secretariat, event, agency_a)
    workplan.task_update(actor=secretariat, task=task, title="Новое название")
    workplan.task_update(actor=secretariat, task=task, deadline=dt.date(2026, 11, 27))

    sent = bodies(endpoints["a"])
    assert [b["kind"] for b in sent] == ["task.assigned", "task.deadline_changed"]
    assert (sent[1]["data"]["old_deadline"], sent[1]["data"]["deadline"]) == ("2026-11-20", "2026-11-27")


def test_extension_decided(endpoints, secretariat, event, agency_a, staff_a):
    task = make_task(secretariat, event, agency_a)
    request = workplan.task_request_extension(
        actor=staff_a, task=task, new_deadline=dt.date(2026, 11, 30), reason="Ждём ответа партнёра"
    )
    workplan.extension_decide(actor=secretariat, request=request, approve=True, note="Согласовано")

    sent = bodies(endpoints["a"])
    assert [b["kind"] for b in sent] == ["task.assigned", "task.deadline_changed", "extension.decided"]
    assert sent[2]["data"]["extension"]["status"] == "approved"
    assert sent[2]["data"]["extension"]["new_deadline"] == "2026-11-30"
    assert sent[2]["data"]["task"]["deadline"] == "2026-11-30"


def test_meeting_scheduled_reaches_every_owner_once(endpoints, secretariat, event):
    meeting = committee.meeting_create(
        actor=secretariat,
        committee=CommitteeFactory(),
        starts_at=dt.datetime(2026, 11, 5, 5, 0, tzinfo=dt.UTC),
        place="Омск, ул. Ленина, 1",
        video_link="https://video.example.org/secret-room",
    )
    committee.meeting_update(actor=secretariat, meeting=meeting, place="Омск, ул. Ленина, 2")

    for key in ("a", "sec", "kz"):
        sent = bodies(endpoints[key])
        assert [b["kind"] for b in sent] == ["meeting.scheduled"]
        assert sent[0]["data"]["meeting"]["starts_at"] == "2026-11-05T05:00:00Z"
        assert "secret-room" not in str(sent[0])


def test_agreement_stage_changed_reaches_its_parties(endpoints, secretariat, event, agency_a, head_a):
    other = AgencyFactory(short_name="Минтранс", country="RU")
    ours = make_agreement(actor=secretariat, event=event, ru=agency_a, kz=None)
    theirs = make_agreement(actor=secretariat, event=event, ru=other, kz=None, title="Чужое соглашение")
    agreements.agreement_move(actor=head_a, agreement=ours, stage="draft_ready", comment="Проект готов")
    agreements.agreement_move(actor=secretariat, agreement=theirs, stage="draft_ready", comment="Тайный комментарий")

    sent = bodies(endpoints["a"])
    assert [(b["kind"], b["data"]["agreement"]["id"]) for b in sent] == [("agreement.stage_changed", ours.pk)]
    assert (sent[0]["data"]["agreement"]["old_stage"], sent[0]["data"]["agreement"]["stage"]) == (
        "proposed",
        "draft_ready",
    )
    assert len(bodies(endpoints["sec"])) == 2
    assert "Тайный комментарий" not in str(bodies(endpoints["sec"]))


def test_only_subscribed_kinds_and_active_endpoints(head_a, secretariat, event, agency_a):
    from omskevents.webhooks import services

    status_only, _ = register(head_a, "http://127.0.0.1:9/status", kinds=[EventKind.TASK_STATUS_CHANGED])
    off, _ = register(head_a, "http://127.0.0.1:9/off")
    services.endpoint_deactivate(actor=head_a, endpoint=off)
    make_task(secretariat, event, agency_a)

    assert kinds_of(status_only) == []
    assert kinds_of(off) == []


def test_a_rolled_back_change_leaves_no_delivery(endpoints, secretariat, event, agency_a):
    def change_then_fail() -> None:
        with transaction.atomic():
            make_task(secretariat, event, agency_a)
            assert Delivery.objects.count() == 2  # written in the change's transaction …
            raise RuntimeError

    with pytest.raises(RuntimeError):
        change_then_fail()
    assert Delivery.objects.count() == 0  # … and gone with it


def test_rows_wait_pending_for_the_worker(endpoints, secretariat, event, agency_a):
    make_task(secretariat, event, agency_a)
    rows = Delivery.objects.filter(endpoint=endpoints["a"])
    assert list(rows.values_list("state", "attempts")) == [(DeliveryState.PENDING, 0)]
