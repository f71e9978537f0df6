"""Malformed ids in addresses, query strings and forms: a clear refusal (404, 400, or nothing selected), never a 500.

Each hostile id is one a person or a scanner can type: letters, signs, hexadecimal, Arabic-Indic, superscript and
full-width digits (Python's int() and str.isdigit() accept some of them), numbers past a 64-bit integer,
whitespace and control characters.
"""

import csv
import io
from urllib.parse import quote

import pytest
from django.contrib import admin
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from tests.security.conftest import changed_tables, db_state
from tests.support.db_state import fresh_copy

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(module_world, db):
    """Every test here stands on the same world, made once for the module; each test's writes are rolled back."""
    return fresh_copy(module_world)


HOSTILE_IDS = [
    "abc",
    "1.5",
    "-1",
    "0x10",
    "1e3",
    "١٢",  # Arabic-Indic digits: int() reads them as 12
    "²",  # a superscript two: str.isdigit() says yes, int() raises
    "１２",  # full-width digits
    "9" * 25,
    str(2**63),
    " 1",
    "1 ",
    "\x00",
    "1\n",
]

HISTORY_MODELS = sorted(
    model._meta.label_lower
    for model, model_admin in admin.site._registry.items()
    if isinstance(model_admin, SimpleHistoryAdmin)
)


def _admin_history_urls(label: str, valid: int) -> list[str]:
    app_label, model_name = label.split(".")
    base = f"/admin/{app_label}/{model_name}"
    urls = []
    for hostile in HOSTILE_IDS:
        bad = quote(hostile, safe="")
        urls += [f"{base}/{bad}/history/", f"{base}/{valid}/history/{bad}/", f"{base}/{bad}/history/{valid}/"]
    return urls


def test_the_sweep_covers_every_model_with_a_history_admin():
    assert HISTORY_MODELS == [
        "agencies.agency",
        "agreements.agreement",
        "workplan.extensionrequest",
        "workplan.progressreport",
        "workplan.task",
    ]


@pytest.mark.parametrize("label", HISTORY_MODELS)
@pytest.mark.parametrize("account", ["secretariat", "staff_a"])
def test_admin_history_with_a_malformed_id_is_not_found(client, world, label, account):
    client.force_login(getattr(world, account))
    answers = {url: client.get(url).status_code for url in _admin_history_urls(label, valid=1)}
    assert {url: status for url, status in answers.items() if status != 404} == {}


def test_admin_history_revert_posted_with_a_malformed_version_changes_nothing(client, world):
    client.force_login(world.secretariat)
    before = db_state()
    for hostile in HOSTILE_IDS:
        url = f"/admin/workplan/task/{world.task_a.pk}/history/{quote(hostile, safe='')}/"
        assert client.post(url, {"title": "Откат"}).status_code == 404, hostile
    assert changed_tables(before, db_state()) == []


def _csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))[1:]


@pytest.mark.parametrize("hostile", HOSTILE_IDS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_export_with_a_malformed_ticked_id_selects_nothing(client, world, hostile, method):
    """A ticked row that is not an id matches no task: the file has its heading and no rows — never the whole
    plan, never a server error."""
    client.force_login(world.secretariat)
    response = getattr(client, method)(reverse("workplan:task_export_csv"), {"id": hostile})
    assert response.status_code == 200
    assert _csv_rows(response) == []


def test_export_with_one_good_and_one_malformed_id_holds_the_good_row(client, world):
    client.force_login(world.secretariat)
    response = client.get(reverse("workplan:task_export_csv"), {"id": [str(world.task_a.pk), "²", "9" * 25]})
    assert [row[2] for row in _csv_rows(response)] == [world.task_a.title]


@pytest.mark.parametrize("hostile", HOSTILE_IDS)
def test_xlsx_export_with_a_malformed_id_is_a_file(client, world, hostile):
    client.force_login(world.secretariat)
    response = client.get(reverse("workplan:task_export_xlsx"), {"id": hostile})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("hostile", HOSTILE_IDS)
def test_bulk_action_with_a_malformed_id_is_refused_with_a_message(client, world, hostile):
    client.force_login(world.secretariat)
    before = db_state()
    response = client.post(
        reverse("workplan:task_bulk"),
        {"action": "shift", "id": [str(world.task_a.pk), hostile], "days": "1", "reason": "Перенос"},
        follow=True,
    )
    assert response.status_code == 200
    assert changed_tables(before, db_state()) == []
    assert [str(m) for m in response.context["messages"]] == [f"“{hostile}” является неверным значением."]


@pytest.mark.parametrize("hostile", HOSTILE_IDS)
def test_task_form_with_a_malformed_co_executor_or_dependency_shows_the_field_error(client, world, hostile):
    client.force_login(world.secretariat)
    data = {
        "event": world.event.pk,
        "area": "organisation",
        "title": "Проверка",
        "lead_agency": world.agency_a.pk,
        "deadline_mode": "fixed",
        "deadline": "2026-11-20",
        "priority": "normal",
        "co_executors": [hostile],
        "depends_on": [hostile],
    }
    before = db_state()
    response = client.post(reverse("workplan:task_create"), data)
    assert response.status_code == 200
    assert changed_tables(before, db_state()) == []
    assert set(response.context["form"].errors) == {"co_executors", "depends_on"}


@pytest.mark.parametrize("hostile", HOSTILE_IDS)
def test_making_a_task_from_a_malformed_decision_id_is_not_found(client, world, hostile):
    client.force_login(world.secretariat)
    before = db_state()
    response = client.post(
        reverse("workplan:decisions_to_tasks", args=[world.meeting.pk]),
        {"decision": hostile, "task-event": world.event.pk, "task-area": "organisation"},
    )
    assert response.status_code == 404
    assert changed_tables(before, db_state()) == []


@pytest.mark.parametrize("hostile", HOSTILE_IDS)
def test_admin_bulk_action_with_a_malformed_selected_id_changes_nothing(client, world, hostile):
    client.force_login(world.secretariat)
    before = db_state()
    response = client.post(
        reverse("admin:workplan_extensionrequest_changelist"),
        {"action": "reject", "_selected_action": [hostile], "index": "0"},
    )
    assert response.status_code in (200, 302)
    assert changed_tables(before, db_state()) == []
