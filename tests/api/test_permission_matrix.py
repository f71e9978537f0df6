"""Every API route × every kind of account × an object of agency A and of agency B: the expected answer.

The same table as tests/security/test_permission_matrix.py, for /api/v1/: the six accounts (anonymous, staff and
head of agency A, staff of agency B, the committee secretariat, the Kazakh secretariat), each signed in with a
read-write token of its own. The list of routes is read from the URLconf, so a new endpoint without a row fails
`test_every_api_route_has_a_decision`. An integer is an answer that must write nothing (every row of every model
is compared before and after); `W(code)` is an allowed write. A 200 never shows the other agency's marked text.
"""

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from omskevents.workplan.models import ExtensionRequest
from tests.security.conftest import MARK_A, MARK_B, PDF, changed_tables, close_response, db_state
from tests.support.db_state import fresh_copy

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(module_world, db):
    """Every test here stands on the same world, made once for the module; each test's writes are rolled back."""
    return fresh_copy(module_world)


ROLES = ("anon", "staff_a", "head_a", "staff_b", "sec", "kz")


@dataclass(frozen=True)
class W:
    status: int


def R(*answers: Any) -> dict[str, Any]:
    assert len(answers) == len(ROLES)
    return dict(zip(ROLES, answers, strict=True))


def _none(world: Any) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Check:
    method: str
    a: dict[str, Any]
    b: dict[str, Any] | None = None
    data: Any = _none
    multipart: bool = False


@dataclass(frozen=True)
class Decision:
    checks: tuple[Check, ...]
    a: Any = _none
    b: Any = None


def pk(attr: str) -> Any:
    return lambda w: {"pk": getattr(w, attr).pk}


def extension(attr: str) -> Any:
    return lambda w: {"pk": ExtensionRequest.objects.get(task=getattr(w, attr)).pk}


def _task_data(agency_attr: str) -> Any:
    return lambda w: {
        "event": w.event.pk,
        "title": "Организовать встречу делегаций",
        "area": "irtysh_logistics",
        "lead_agency": getattr(w, agency_attr).pk,
        "deadline": "2026-11-30",
    }


def _report(w: Any) -> dict[str, Any]:
    return {"text": "Работа выполнена", "files": [SimpleUploadedFile("справка.pdf", PDF, "application/pdf")]}


EVERYONE = R(200, 200, 200, 200, 200, 200)
SIGNED_IN = R(401, 200, 200, 200, 200, 200)
A_ONLY = R(401, 200, 200, 404, 200, 404)
B_ONLY = R(401, 404, 404, 200, 200, 200)
A_AND_BOTH_SIDES = R(401, 200, 200, 404, 200, 200)

DECISIONS: dict[str, Decision] = {
    "api:schema": Decision(checks=(Check("get", EVERYONE),)),
    "api:docs": Decision(checks=(Check("get", EVERYONE),)),
    # Any other address under /api/v1/: a JSON 404 for everyone.
    "api:not-found": Decision(checks=(Check("get", R(404, 404, 404, 404, 404, 404)),)),
    "api:me": Decision(checks=(Check("get", SIGNED_IN),)),
    "api:event-list": Decision(checks=(Check("get", SIGNED_IN),)),
    "api:event-detail": Decision(a=pk("event"), checks=(Check("get", SIGNED_IN),)),
    "api:agency-list": Decision(checks=(Check("get", SIGNED_IN),)),
    "api:agency-detail": Decision(a=pk("agency_a"), b=pk("agency_b"), checks=(Check("get", A_ONLY, B_ONLY),)),
    # The secretariats give tasks, each to its side: the Kazakh one refuses a Russian lead (a field error).
    "api:task-list": Decision(
        checks=(
            Check("get", SIGNED_IN),
            Check("post", R(401, 403, 403, 403, W(201), 400), data=_task_data("agency_a")),
            Check("post", R(401, 403, 403, 403, W(201), W(201)), data=_task_data("agency_b")),
        )
    ),
    "api:task-detail": Decision(
        a=pk("task_a"),
        b=pk("task_b"),
        checks=(
            Check("get", A_ONLY, B_ONLY),
            Check(
                "patch",
                R(401, 403, 403, 404, W(200), 404),
                R(401, 404, 404, 403, W(200), W(200)),
                data=lambda w: {"title": "Новая формулировка", "reason": "Уточнение"},
            ),
        ),
    ),
    "api:task-status": Decision(
        a=pk("task_a"),
        b=pk("task_b"),
        checks=(
            Check(
                "post",
                R(401, W(200), W(200), 404, W(200), 404),
                R(401, 404, 404, W(200), W(200), W(200)),
                data=lambda w: {"status": "in_progress"},
            ),
            # Accepting is the secretariat's move, never the executor's: a field error, nothing written.
            Check(
                "post",
                R(401, 400, 400, 404, 400, 404),
                R(401, 404, 404, 400, 400, 400),
                data=lambda w: {"status": "accepted"},
            ),
        ),
    ),
    # The secretariat is not an executor: it reads the reports but does not write them.
    "api:task-reports": Decision(
        a=pk("task_a"),
        b=pk("task_b"),
        checks=(
            Check("get", A_ONLY, B_ONLY),
            Check(
                "post",
                R(401, W(201), W(201), 404, 403, 404),
                R(401, 404, 404, W(201), 403, 403),
                data=_report,
                multipart=True,
            ),
        ),
    ),
    "api:task-extension-requests": Decision(
        a=pk("task_a"),
        b=pk("task_b"),
        checks=(
            Check(
                "post",
                R(401, W(201), W(201), 404, 403, 404),
                R(401, 404, 404, W(201), 403, 403),
                data=lambda w: {"new_deadline": "2026-12-05", "reason": "Согласование с казахстанской стороной"},
            ),
        ),
    ),
    "api:report-list": Decision(checks=(Check("get", SIGNED_IN),)),
    "api:report-detail": Decision(a=pk("report_a"), b=pk("report_b"), checks=(Check("get", A_ONLY, B_ONLY),)),
    "api:attachment-download": Decision(
        a=pk("attachment_a"), b=pk("attachment_b"), checks=(Check("get", A_ONLY, B_ONLY),)
    ),
    "api:extension-request-list": Decision(checks=(Check("get", SIGNED_IN),)),
    "api:extension-request-detail": Decision(
        a=extension("pending_a"), b=extension("pending_b"), checks=(Check("get", A_ONLY, B_ONLY),)
    ),
    "api:extension-request-decide": Decision(
        a=extension("pending_a"),
        b=extension("pending_b"),
        checks=(
            Check(
                "post",
                R(401, 403, 403, 404, W(200), 404),
                R(401, 404, 404, 403, W(200), W(200)),
                data=lambda w: {"approve": True, "note": "Согласовано"},
            ),
        ),
    ),
    # Every member agency reads the committee's meetings and decisions (the minutes go to all of them).
    "api:meeting-list": Decision(checks=(Check("get", SIGNED_IN),)),
    "api:meeting-detail": Decision(a=pk("meeting"), checks=(Check("get", SIGNED_IN),)),
    "api:decision-list": Decision(checks=(Check("get", SIGNED_IN),)),
    "api:decision-detail": Decision(a=pk("decision"), checks=(Check("get", SIGNED_IN),)),
    # Every agreement has a Kazakh side: the Kazakh secretariat reads agency A's too.
    "api:agreement-list": Decision(checks=(Check("get", SIGNED_IN),)),
    "api:agreement-detail": Decision(
        a=pk("agreement_a"), b=pk("agreement_b"), checks=(Check("get", A_AND_BOTH_SIDES, B_ONLY),)
    ),
    # Webhooks: an agency's head manages the agency's endpoints, each secretariat its own; agency staff have none
    # (403 on the list, 404 on an endpoint). The world's endpoints are agency A's and agency B's (B has no head).
    "api:webhook-list": Decision(
        checks=(
            Check("get", R(401, 403, 200, 403, 200, 200)),
            Check(
                "post",
                R(401, 403, W(201), 403, W(201), W(201)),
                data=lambda w: {"url": "http://127.0.0.1:8999/hooks/dms", "kinds": ["task.assigned"]},
            ),
        )
    ),
    "api:webhook-detail": Decision(
        a=pk("endpoint_a"),
        b=pk("endpoint_b"),
        checks=(
            Check("get", R(401, 404, 200, 404, 404, 404), R(401, 404, 404, 404, 404, 404)),
            Check(
                "patch",
                R(401, 404, W(200), 404, 404, 404),
                R(401, 404, 404, 404, 404, 404),
                data=lambda w: {"kinds": ["task.status_changed"]},
            ),
            Check("delete", R(401, 404, W(204), 404, 404, 404), R(401, 404, 404, 404, 404, 404)),
        ),
    ),
    "api:webhook-secret": Decision(
        a=pk("endpoint_a"),
        b=pk("endpoint_b"),
        checks=(Check("post", R(401, 404, W(200), 404, 404, 404), R(401, 404, 404, 404, 404, 404)),),
    ),
    "api:webhook-deliveries": Decision(
        a=pk("endpoint_a"),
        b=pk("endpoint_b"),
        checks=(Check("get", R(401, 404, 200, 404, 404, 404), R(401, 404, 404, 404, 404, 404)),),
    ),
    "api:webhook-delivery-detail": Decision(
        a=pk("delivery_a"),
        b=pk("delivery_b"),
        checks=(Check("get", R(401, 404, 200, 404, 404, 404), R(401, 404, 404, 404, 404, 404)),),
    ),
    "api:webhook-delivery-retry": Decision(
        a=pk("delivery_a"),
        b=pk("delivery_b"),
        checks=(Check("post", R(401, 404, W(200), 404, 404, 404), R(401, 404, 404, 404, 404, 404)),),
    ),
}

# Reads only of everyone's own rights: the mark of the other agency may appear to the Kazakh secretariat in
# agreements (all of them have a Kazakh side).
FORBIDDEN = {"anon": (MARK_A, MARK_B), "staff_a": (MARK_B,), "head_a": (MARK_B,), "staff_b": (MARK_A,), "kz": (MARK_A,)}


def _walk(resolver: URLResolver, namespace: str = "") -> list[str]:
    names: list[str] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names += _walk(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.append(f"{namespace}{entry.name}")
    return names


API_ROUTES = sorted({name for name in _walk(get_resolver()) if name.startswith("api:")})


def test_every_api_route_has_a_decision():
    assert sorted(DECISIONS) == API_ROUTES


def _state() -> dict[str, Any]:
    # A token's last use is recorded on every request: an intended write of every call, tested in test_tokens.py.
    state = db_state()
    state.pop("api.ApiToken", None)
    return state


def call(api, method: str, path: str, data: dict[str, Any], *, multipart: bool = False):
    if method in ("get", "delete"):
        return getattr(api, method)(path)
    return getattr(api, method)(path, data, format="multipart" if multipart else "json")


def _cell(api, tokens, world, url_name: str, decision: Decision, check: Check, role: str, side: str) -> list[str]:
    builder = decision.a if side == "a" else decision.b
    expected = (check.a if side == "a" or check.b is None else check.b)[role]
    path = reverse(url_name, kwargs=builder(world) or None)
    where = f"{check.method.upper()} {url_name} [{side}] as {role}"
    api.use(tokens.get(role))
    with transaction.atomic():
        before = _state() if check.method != "get" else None
        response = call(api, check.method, path, check.data(world), multipart=check.multipart)
        after = _state() if check.method != "get" else None
        transaction.set_rollback(True)
    problems = []
    status = expected.status if isinstance(expected, W) else expected
    if response.status_code != status:
        problems.append(f"{where}: {response.status_code} instead of {status}: {getattr(response, 'data', '')}")
    if before is not None and not isinstance(expected, W) and before != after:
        problems.append(f"{where}: a refused {check.method.upper()} changed {changed_tables(before, after)}")
    if response.status_code == 200 and not getattr(response, "streaming", False):
        body = response.content.decode()
        exempt = role == "kz" and url_name.startswith("api:agreement")
        for mark in () if exempt else FORBIDDEN.get(role, ()):
            if mark in body:
                problems.append(f"{where}: the answer shows {mark!r}")
    close_response(response)
    return problems


@pytest.mark.parametrize("url_name", API_ROUTES)
def test_api_route_answers_every_account_as_decided(api, tokens, world, url_name):
    decision = DECISIONS[url_name]
    problems = []
    for check in decision.checks:
        for side in ("a", "b") if decision.b is not None else ("a",):
            for role in ROLES:
                problems += _cell(api, tokens, world, url_name, decision, check, role, side)
    assert problems == []


OBJECT_ROUTES = sorted(name for name, decision in DECISIONS.items() if decision.a is not _none)


@pytest.mark.parametrize("url_name", OBJECT_ROUTES)
def test_a_foreign_object_answers_exactly_as_a_missing_one(api, tokens, world, url_name):
    """Where the table says 404, the answer is byte for byte the one for an id that does not exist; and a missing
    id is 404 for every signed-in account, whatever it may do with existing objects."""
    decision = DECISIONS[url_name]
    compared = 0
    for check in decision.checks:
        for side, builder in (("a", decision.a), ("b", decision.b)):
            if builder is None:
                continue
            expected = check.a if side == "a" or check.b is None else check.b
            kwargs = builder(world)
            missing = {key: value + 1_000_000 for key, value in kwargs.items()}
            for role in ROLES[1:]:
                api.use(tokens[role])
                with transaction.atomic():
                    absent = call(api, check.method, reverse(url_name, kwargs=missing), check.data(world),
                                  multipart=check.multipart)  # fmt: skip
                    transaction.set_rollback(True)
                assert absent.status_code == 404, (url_name, role, check.method)
                if expected[role] != 404:
                    continue
                with transaction.atomic():
                    seen = call(api, check.method, reverse(url_name, kwargs=kwargs), check.data(world),
                                multipart=check.multipart)  # fmt: skip
                    transaction.set_rollback(True)
                assert (seen.status_code, seen.content) == (absent.status_code, absent.content), (side, role)
                compared += 1
    if url_name in {"api:task-detail", "api:attachment-download", "api:agreement-detail"}:
        assert compared > 0


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/tasks/abc/",
        "/api/v1/tasks/-1/",
        "/api/v1/tasks/%D9%A3/",
        "/api/v1/tasks/99999999999999999999/",
        "/api/v1/tasks/9223372036854775808/",
    ],
)
def test_malformed_ids_are_404_never_500(api, tokens, world, path):
    api.use(tokens["sec"])
    assert api.get(path).status_code == 404
