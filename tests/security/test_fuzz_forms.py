"""Hostile input on every form people submit, and on the Excel import: never a 500, never a partial write.

Each example is one POST through the test client inside a transaction that is rolled back afterwards, so the
examples do not depend on one another. When the answer is an error (a form shown again, or a message), every
row of every model must be as before, and a form shown again must say which field is wrong.
Hypothesis runs derandomized (a fixed seed) with a modest number of examples, so CI is deterministic and fast.
"""

import io
import zipfile
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils.html import escape
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from omskevents.notifications import links
from tests.security.conftest import changed_tables, db_state

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

HOSTILE = [
    "",
    " ",
    "\x00",
    "до\x00после",
    "\x07\x08\x1b[31m",
    "\u202eRTL\u200f override\u200e",
    "\ufeffBOM",
    "😀🇷🇺🇰🇿" * 20,
    "Поручение: подготовить причал на Иртыше",
    "Ё ё Қазақстан Өскемен",
    '<script>alert("x")</script>',
    '=HYPERLINK("http://evil.example","x")',
    "'; DROP TABLE workplan_task; --",
    "\r\nBcc: attacker@evil.example",
    "x" * 30_000,
    "9" * 40,
    "-1",
    "1e309",
    "NaN",
]
TEXT = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=60))
DATES = st.one_of(
    st.sampled_from(
        ["2026-02-30", "2026-13-01", "0000-00-00", "9999-12-31", "0001-01-01", "31.12.2026", "2026-11-20", "\x00"]
    ),
    st.dates().map(str),
    TEXT,
)
DATETIMES = st.one_of(
    st.sampled_from(
        ["2026-11-05T10:00", "2026-11-05T25:61", "2026-02-30T10:00", "9999-12-31T23:59", "0001-01-01T00:00", "T"]
    ),
    st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M")),
    TEXT,
)
BOOL = st.sampled_from(["on", "", "0", "1", "true", "\x00"])
MISSING = object()  # a field left out of the POST


def ids(*known: int) -> st.SearchStrategy:
    """Ids of the world (own and foreign), ids that do not exist, and things that are not ids at all."""
    return st.one_of(
        st.sampled_from([str(k) for k in known] + ["0", "-1", "999999", "99999999999999999999999", "1.5", "1e3"]),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        TEXT,
    )


def maybe(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(st.just(MISSING), strategy)


def post_data(draw: Callable, fields: dict[str, st.SearchStrategy]) -> dict[str, Any]:
    data = {}
    for name, strategy in fields.items():
        value = draw(maybe(strategy))
        if value is not MISSING:
            data[name] = value
    return data


def _form_errors(response) -> dict[str, list[str]]:
    """The errors of every bound form the answer shows again."""
    errors: dict[str, list[str]] = {}
    for context in response.context or []:
        for value in context.flatten().values() if hasattr(context, "flatten") else []:
            if hasattr(value, "errors") and hasattr(value, "is_bound") and value.is_bound and value.errors:
                for name, messages in value.errors.items():
                    errors.setdefault(name, []).extend(messages)
                    assert name == "__all__" or name in value.fields, f"an error on a field the form lacks: {name}"
    return errors


def submit(client, user, path: str, data: dict[str, Any], *, ok: tuple[int, ...] = (302,)) -> None:
    """POST inside a rolled-back transaction; an error answer must leave every row as it was and say why."""
    client.logout()
    if user is not None:
        client.force_login(user)
    with transaction.atomic():
        before = db_state()
        response = client.post(path, data)
        after = db_state()
        transaction.set_rollback(True)
    assert response.status_code != 500
    errors = _form_errors(response) if response.status_code in (200, 400) and response.context else {}
    refused = [m for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
    if response.status_code not in ok or errors or refused:
        assert changed_tables(before, after) == [], (response.status_code, errors, [str(m) for m in refused])
    if response.status_code == 400 and response.get("Content-Type", "").startswith("text/html"):
        explained = errors or refused or "notifications/link_invalid.html" in [t.name for t in response.templates]
        assert explained, "an error answer that does not say what is wrong"
        body = response.content.decode()
        for messages in errors.values():
            for message in messages:
                assert escape(message) in body, f"the error {message!r} is not shown"


# --- the action plan ---------------------------------------------------------------------------------


def _task_fields(w) -> dict[str, st.SearchStrategy]:
    return {
        "event": ids(w.event.pk),
        "number": TEXT,
        "area": st.one_of(st.sampled_from(["irtysh_logistics", "organisation"]), TEXT),
        "title": TEXT,
        "description": TEXT,
        "lead_agency": ids(w.agency_a.pk, w.agency_b.pk),
        "co_executors": st.lists(ids(w.agency_a.pk, w.agency_b.pk), max_size=3),
        "responsible": ids(w.staff_a.pk, w.staff_b.pk),
        "controller": ids(w.secretariat.pk),
        "deadline_mode": st.one_of(st.sampled_from(["fixed", "relative"]), TEXT),
        "deadline": DATES,
        "relative_anchor": st.one_of(st.sampled_from(["event_start", "event_end"]), TEXT),
        "days_before": ids(45, -3, 800),
        "is_follow_up": BOOL,
        "priority": st.one_of(st.sampled_from(["normal", "high"]), TEXT),
        "parent": ids(w.task_a.pk, w.task_b.pk),
        "depends_on": st.lists(ids(w.task_a.pk, w.task_b.pk), max_size=3),
    }


@FUZZ
@given(data=st.data())
def test_task_create_survives_hostile_input(client, world, data):
    fields = post_data(data.draw, _task_fields(world))
    submit(client, world.secretariat, reverse("workplan:task_create"), fields)


@FUZZ
@given(data=st.data())
def test_task_edit_survives_hostile_input(client, world, data):
    fields = post_data(data.draw, _task_fields(world))
    submit(client, world.secretariat, reverse("workplan:task_update", args=[world.task_a.pk]), fields)


@FUZZ
@given(data=st.data())
def test_task_page_forms_survive_hostile_input(client, world, data):
    """Status, report, comment, extension request and decision, by the people who may use each."""
    w = world
    kind = data.draw(st.sampled_from(["status", "report", "comment", "extension", "decide", "pair"]))
    if kind == "status":
        user, name = w.staff_a, "workplan:task_status"
        fields = {"status": st.one_of(st.sampled_from(["in_progress", "reported", "accepted"]), TEXT), "note": TEXT}
    elif kind == "report":
        user, name, fields = w.staff_a, "workplan:task_report", {"text": TEXT, "is_final": BOOL}
    elif kind == "comment":
        user, name, fields = w.head_a, "workplan:task_comment", {"text": TEXT}
    elif kind == "extension":
        user, name, fields = w.staff_a, "workplan:task_extension_request", {"new_deadline": DATES, "reason": TEXT}
    elif kind == "pair":
        user, name, fields = w.secretariat, "workplan:task_pair", {"counterpart": ids(w.task_a.pk, w.task_b.pk)}
    else:
        user, name, fields = w.secretariat, "workplan:extension_decide", {"approve": TEXT, "note": TEXT}
    task = w.pending_a if kind == "decide" else w.task_a
    submit(client, user, reverse(name, args=[task.pk]), post_data(data.draw, fields))


@FUZZ
@given(data=st.data())
def test_report_with_hostile_files_survives(client, world, data):
    name = data.draw(
        st.one_of(st.sampled_from(["справка.pdf", "x.exe", "../../etc/passwd", "a\x00.pdf", ".pdf"]), TEXT)
    )
    content = data.draw(st.one_of(st.binary(max_size=200), st.just(b"%PDF-1.4\n%%EOF\n"), st.just(b"MZ\x90\x00")))
    upload = SimpleUploadedFile(name or "empty", content, content_type="application/pdf")
    submit(
        client,
        world.staff_a,
        reverse("workplan:task_report", args=[world.task_a.pk]),
        {"text": "Отчёт", "files": upload},
    )


@FUZZ
@given(data=st.data())
def test_bulk_actions_survive_hostile_input(client, world, data):
    w = world
    fields = {
        "action": st.one_of(st.sampled_from(["reassign", "shift"]), TEXT),
        "id": st.lists(ids(w.task_a.pk, w.task_b.pk, w.pending_b.pk), max_size=4),
        "new_lead_agency": ids(w.agency_a.pk, w.agency_b.pk),
        "new_responsible": ids(w.staff_a.pk, w.staff_b.pk),
        "days": ids(1, -1, 366),
        "reason": TEXT,
        # Half the batches confirmed (they act), half not (the confirmation page, which must write nothing).
        "confirm": st.one_of(st.just("yes"), TEXT),
    }
    submit(client, w.secretariat, reverse("workplan:task_bulk"), post_data(data.draw, fields))


@FUZZ
@given(data=st.data())
def test_task_list_filters_survive_hostile_input(client, world, data):
    w = world
    fields = {
        "q": TEXT,
        "event": ids(w.event.pk),
        "area": TEXT,
        "agency": ids(w.agency_a.pk, w.agency_b.pk),
        "status": st.lists(TEXT, max_size=2),
        "responsible": ids(w.staff_b.pk),
        "due_from": DATES,
        "due_to": DATES,
        "overdue": BOOL,
        "sort": st.one_of(st.sampled_from(["-deadline", "lead", "title"]), TEXT),
        "page": ids(1, 2),
    }
    query = post_data(data.draw, fields)
    client.force_login(w.staff_a)
    for name in ("workplan:task_list", "workplan:task_export_csv"):
        response = client.get(reverse(name), query)
        assert response.status_code == 200
        assert "Секрет-Б" not in response.content.decode()


# --- meetings ----------------------------------------------------------------------------------------


def _meeting_fields(w) -> dict[str, st.SearchStrategy]:
    return {
        "committee": ids(w.committee.pk),
        "event": ids(w.event.pk),
        "title": TEXT,
        "starts_at": DATETIMES,
        "ends_at": DATETIMES,
        "place": TEXT,
        "video_link": st.one_of(st.sampled_from(["javascript:alert(1)", "https://example.org/x", "//x"]), TEXT),
        "chair": ids(w.secretariat.pk, w.staff_b.pk),
        "invitees": st.lists(ids(w.staff_a.pk, w.staff_b.pk), max_size=3),
    }


@FUZZ
@given(data=st.data())
def test_meeting_create_and_edit_survive_hostile_input(client, world, data):
    edit = data.draw(st.booleans())
    path = reverse("committee:meeting_update", args=[world.meeting.pk]) if edit else reverse("committee:meeting_create")
    submit(client, world.secretariat, path, post_data(data.draw, _meeting_fields(world)))


@FUZZ
@given(data=st.data())
def test_meeting_page_forms_survive_hostile_input(client, world, data):
    w = world
    kind = data.draw(st.sampled_from(["agenda", "attendance", "decision", "minutes", "tasks", "invite"]))
    forms = {
        "agenda": ("committee:agenda_add", {"agenda-title": TEXT, "agenda-speaker": TEXT}),
        "attendance": (
            "committee:attendance_set",
            {"attendance-user": ids(w.staff_a.pk, w.staff_b.pk), "attendance-status": TEXT},
        ),
        "decision": (
            "committee:decision_add",
            {
                "decision-number": TEXT,
                "decision-text": TEXT,
                "decision-lead_agency": ids(w.agency_a.pk, w.agency_b.pk),
                "decision-co_executors": st.lists(ids(w.agency_a.pk, w.agency_b.pk), max_size=3),
                "decision-deadline": DATES,
            },
        ),
        "minutes": ("committee:meeting_close", {"minutes": TEXT}),
        "invite": (
            "committee:invite_group",
            {
                "invite-group": st.one_of(
                    st.sampled_from(["committee", f"group-{w.group.pk}", "group-0", "group-"]), TEXT
                )
            },
        ),
        "tasks": (
            "workplan:decisions_to_tasks",
            {"task-event": ids(w.event.pk), "task-area": TEXT, "decision": ids(w.decision.pk, w.other_decision.pk)},
        ),
    }
    name, fields = forms[kind]
    submit(client, w.secretariat, reverse(name, args=[w.meeting.pk]), post_data(data.draw, fields))


# --- prepare the next Forum ---------------------------------------------------------------------------


@FUZZ
@given(data=st.data())
def test_next_event_form_survives_hostile_input(client, world, data):
    fields = {
        "number": st.one_of(st.sampled_from(["XXIII", "XXII"]), TEXT),
        "start_date": DATES,
        "end_date": DATES,
        "host_country": st.one_of(st.sampled_from(["RU", "KZ", "XX"]), TEXT),
        "city": TEXT,
        "time_zone": st.one_of(st.sampled_from(["Asia/Almaty", "Mars/Olympus"]), TEXT),
        "copy_venues": BOOL,
        "confirm": BOOL,
    }
    submit(
        client, world.secretariat, reverse("workplan:next_event", args=[world.event.pk]), post_data(data.draw, fields)
    )


# --- the commission protocol ---------------------------------------------------------------------------


def _item_fields(w) -> dict[str, st.SearchStrategy]:
    return {
        "text_ru": TEXT,
        "text_kk": TEXT,
        "proposer": ids(w.agency_a.pk, w.agency_b.pk),
        "counterpart": ids(w.agency_a.pk, w.agency_b.pk),
        "asks_action": BOOL,
        "deadline": DATES,
    }


# --- the event pages' filters (GET: never a 500, and never another agency's delegates) ----------------


@FUZZ
@given(data=st.data())
def test_arrivals_and_badges_filters_survive_hostile_input(client, world, data):
    w = world
    query = post_data(
        data.draw,
        {
            "direction": TEXT,
            "layout": st.one_of(st.sampled_from(["a4", "a6"]), TEXT),
            "delegation": ids(w.delegation_b.pk),
        },
    )
    client.force_login(w.staff_a)
    arrivals = client.get(reverse("events:arrivals", args=[w.event.pk]), query)
    assert arrivals.status_code == 200
    assert "Секрет-Б" not in arrivals.content.decode()
    badges = client.get(reverse("events:badges", args=[w.event.pk]), query)
    assert badges.status_code in (200, 400)


# --- agreements to sign --------------------------------------------------------------------------------


def _agreement_fields(w) -> dict[str, st.SearchStrategy]:
    agencies = (w.agency_a.pk, w.agency_b.pk, w.other_ru.pk)
    return {
        "event": ids(w.event.pk),
        "number": TEXT,
        "title": TEXT,
        "kind": st.one_of(st.sampled_from(["interregional", "business"]), TEXT),
        "ru_parties": st.lists(ids(*agencies), max_size=3),
        "ru_organisations": TEXT,
        "ru_responsible": ids(*agencies),
        "ru_signatory": TEXT,
        "ru_seat": TEXT,
        "kz_parties": st.lists(ids(*agencies), max_size=3),
        "kz_organisations": TEXT,
        "kz_responsible": ids(*agencies),
        "kz_signatory": TEXT,
        "kz_seat": TEXT,
        "ceremony_day": ids(1, 2, 3, 0),
        "signing_order": ids(1, 2, 0),
        "notes": TEXT,
    }


@FUZZ
@given(data=st.data())
def test_agreement_create_and_edit_survive_hostile_input(client, world, data):
    edit = data.draw(st.booleans())
    path = reverse("agreements:update", args=[world.agreement_b.pk]) if edit else reverse("agreements:create")
    submit(client, world.secretariat, path, post_data(data.draw, _agreement_fields(world)))


@FUZZ
@given(data=st.data())
def test_agreement_page_forms_survive_hostile_input(client, world, data):
    """The move (by the secretariat and by a party) and a new text with hostile names and contents."""
    w = world
    kind = data.draw(st.sampled_from(["move", "move_party", "text"]))
    if kind == "text":
        name = data.draw(st.one_of(st.sampled_from(["проект.pdf", "x.exe", "../../etc/passwd", ".pdf"]), TEXT))
        content = data.draw(st.one_of(st.binary(max_size=200), st.just(b"%PDF-1.4\n%%EOF\n")))
        fields = post_data(data.draw, {"language": st.one_of(st.sampled_from(["ru", "kk"]), TEXT), "comment": TEXT})
        fields["file"] = SimpleUploadedFile(name or "empty", content, content_type="application/pdf")
        submit(client, w.staff_a, reverse("agreements:version_add", args=[w.agreement_a.pk]), fields)
        return
    stages = st.one_of(st.sampled_from(["draft_ready", "signed", "withdrawn", "ready"]), TEXT)
    fields = post_data(
        data.draw,
        {"stage": stages, "comment": TEXT, "signed_on": DATES, "signed_place": TEXT, "signed_by": TEXT},
    )
    user = w.secretariat if kind == "move" else w.staff_a
    submit(client, user, reverse("agreements:move", args=[w.agreement_a.pk]), fields)


@FUZZ
@given(data=st.data())
def test_protocol_item_forms_survive_hostile_input(client, world, data):
    """Proposing and editing items, by an agency's staff, the Omsk and the Kazakh secretariat."""
    w = world
    user = data.draw(st.sampled_from([w.staff_b, w.secretariat, w.kz_secretariat]))
    if data.draw(st.booleans()):
        path = reverse("protocol:item_add", args=[w.protocol_section.pk])
    else:
        path = reverse("protocol:item_edit", args=[w.item_b.pk])
    submit(client, user, path, post_data(data.draw, _item_fields(w)), ok=(302, 403))


@FUZZ
@given(data=st.data())
def test_protocol_page_forms_survive_hostile_input(client, world, data):
    w = world
    kind = data.draw(st.sampled_from(["create", "section", "agree", "strike"]))
    forms = {
        "create": (
            reverse("protocol:create"),
            {
                "event": ids(w.protocol.event.pk, w.event.pk),
                "place": TEXT,
                "date": DATES,
                "ru_co_chair": TEXT,
                "kz_co_chair": TEXT,
            },
        ),
        "section": (
            reverse("protocol:section_add", args=[w.protocol.pk]),
            {"title": TEXT, "area": st.one_of(st.sampled_from(["agriculture", "education"]), TEXT)},
        ),
        "agree": (
            reverse("protocol:item_agree", args=[w.item_b.pk]),
            {"side": st.one_of(st.sampled_from(["RU", "KZ"]), TEXT)},
        ),
        "strike": (reverse("protocol:item_strike", args=[w.item_a.pk]), {"note": TEXT}),
    }
    path, fields = forms[kind]
    user = data.draw(st.sampled_from([w.secretariat, w.kz_secretariat]))
    submit(client, user, path, post_data(data.draw, fields), ok=(302, 403))


@FUZZ
@given(data=st.data())
def test_agreement_register_filters_survive_hostile_input(client, world, data):
    w = world
    fields = {
        "event": ids(w.event.pk),
        "kind": TEXT,
        "stage": TEXT,
        "agency": ids(w.agency_a.pk, w.agency_b.pk),
        "overdue": BOOL,
        "page": ids(1, 2),
    }
    query = post_data(data.draw, fields)
    client.force_login(w.staff_a)
    for name in ("agreements:register", "agreements:export_xlsx"):
        response = client.get(reverse(name), query)
        assert response.status_code == 200
    assert "Секрет-Б" not in client.get(reverse("agreements:register"), query).content.decode()


# --- people's own settings and the one-click forms -----------------------------------------------------


@FUZZ
@given(data=st.data())
def test_preferences_calendar_and_one_click_forms_survive_hostile_input(client, world, data):
    w = world
    kind = data.draw(st.sampled_from(["preferences", "calendar", "report", "extend", "unsubscribe"]))
    if kind == "preferences":
        fields = dict.fromkeys(("digests", "head_copies"), BOOL)
        fields |= dict.fromkeys(("assignments_mode", "reminders_mode", "status_mode", "meetings_mode"), TEXT)
        fields |= {"delivery": TEXT, "language": TEXT}
        submit(client, w.head_a, reverse("notifications:preferences"), post_data(data.draw, fields))
    elif kind == "calendar":
        action = data.draw(st.one_of(st.sampled_from(["issue", "revoke"]), TEXT))
        submit(client, w.staff_a, reverse("calendar:settings"), {"action": action})
    elif kind == "unsubscribe":
        token = data.draw(st.one_of(TEXT.filter(lambda t: "/" not in t and t.strip()), st.just("x:y:z")))
        submit(client, None, reverse("notifications:unsubscribe", args=[token]), {}, ok=(200,))
    else:
        token = links.task_action_token(user=w.staff_a, task_id=w.task_a.pk, action=kind)
        fields = {"text": TEXT, "is_final": BOOL} if kind == "report" else {"new_deadline": DATES, "reason": TEXT}
        submit(
            client, None, reverse("notifications:task_action", args=[token]), post_data(data.draw, fields), ok=(200,)
        )


# --- the second factor ----------------------------------------------------------------------------------


def _malformed_code(text: str) -> bool:
    """Not a code at all (a well-formed wrong code is a counted failure, tested in tests/accounts)."""
    token = "".join(text.split())
    return not (token.isascii() and token.isalnum() and 0 < len(token) <= 32)


@FUZZ
@given(data=st.data())
def test_second_factor_forms_survive_hostile_input(client, world, data, settings):
    settings.SECOND_FACTOR_ENFORCED = True
    w = world
    kind = data.draw(st.sampled_from(["setup", "verify", "manage", "sessions"]))
    if kind == "sessions":
        fields = {"action": st.one_of(st.just("end"), TEXT), "session": ids(1, 2)}
        submit(client, w.staff_a, reverse("accounts:sessions"), post_data(data.draw, fields))
        return
    token = data.draw(maybe(TEXT.filter(_malformed_code)))
    fields = {} if token is MISSING else {"token": token, "next": data.draw(TEXT)}
    if kind == "setup":
        # A head must enrol; the pending device exists before the example, so the page writes nothing new.
        TOTPDevice.objects.get_or_create(user=w.head_a, confirmed=False, defaults={"name": "authenticator"})
        submit(client, w.head_a, reverse("accounts:second_factor_setup"), fields)
    else:
        TOTPDevice.objects.get_or_create(user=w.staff_a, confirmed=True, defaults={"name": "authenticator"})
        submit(client, w.staff_a, reverse(f"accounts:second_factor_{kind}"), fields)


@FUZZ
@given(data=st.data())
def test_password_reset_forms_survive_hostile_input(client, world, data):
    w = world
    if data.draw(st.booleans()):
        fields = {"email": st.one_of(TEXT, st.just(w.staff_a.email), TEXT.map(lambda t: f"{t}@example.org"))}
        submit(client, None, reverse("accounts:password_reset"), post_data(data.draw, fields))
    else:
        token = data.draw(st.one_of(TEXT.filter(lambda t: "/" not in t and t.strip()), st.just("set-password")))
        fields = {"new_password1": TEXT, "new_password2": TEXT}
        path = reverse("accounts:password_reset_confirm", args=["MQ", token])
        submit(client, None, path, post_data(data.draw, fields), ok=(200,))


# --- the Excel import --------------------------------------------------------------------------------


def _xlsx(rows: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["№", "Поручение", "Ответственный исполнитель", "Соисполнители", "Срок исполнения"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


CELL = st.one_of(
    TEXT.map(lambda t: ILLEGAL_CHARACTERS_RE.sub("", t)),  # openpyxl itself refuses control characters in cells
    st.sampled_from(["=1+1", '=HYPERLINK("http://evil.example")', "@SUM(A1)", "+7", "-2", "31.02.2026", "01.11.2026"]),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(),
    st.none(),
)


def _import(client, world, content: bytes, name: str = "plan.xlsx"):
    client.force_login(world.secretariat)
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    with transaction.atomic():
        before = db_state()
        response = client.post(
            reverse("workplan:task_import"), {"event": world.event.pk, "area": "organisation", "file": upload}
        )
        after = db_state()
        transaction.set_rollback(True)
    assert response.status_code in (200, 400)
    # The upload step only checks: nothing is written before the confirmation.
    assert changed_tables(before, after) == []
    return response


@FUZZ
@given(content=st.one_of(st.binary(max_size=2000), st.just(b""), st.just(b"PK\x03\x04" + b"\x00" * 50)))
def test_import_of_random_bytes_is_refused_with_a_message(client, world, content):
    response = _import(client, world, content)
    assert response.status_code == 400
    assert "file" in response.context["form"].errors


@FUZZ
@given(cut=st.integers(min_value=1, max_value=4000))
def test_import_of_a_truncated_workbook_is_refused_with_a_message(client, world, cut):
    whole = _xlsx([["1", "Подготовить причал", world.agency_a.short_name, "", "01.11.2026"]])
    response = _import(client, world, whole[: min(cut, len(whole) - 1)])
    assert response.status_code == 400
    assert "file" in response.context["form"].errors


@FUZZ
@given(rows=st.lists(st.lists(CELL, min_size=5, max_size=7), min_size=1, max_size=6))
def test_import_of_workbooks_with_random_cells_explains_each_row(client, world, rows):
    response = _import(client, world, _xlsx(rows))
    form = response.context["form"]
    if response.status_code == 400 and "file" in form.errors:
        return  # the file as a whole is refused, with the reason on the file field
    checked = response.context["rows"]
    if response.status_code == 400:
        assert any(row.errors for row in checked)
    else:
        assert not any(row.errors for row in checked)
        assert response.context["token"]


def test_import_of_a_zip_that_is_not_a_workbook_is_refused(client, world):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<x/>")
        archive.writestr("xl/workbook.xml", "<not-a-workbook")
    response = _import(client, world, out.getvalue())
    assert response.status_code == 400
    assert response.context["form"].errors["file"]


def test_import_of_a_formula_cell_names_the_column(client, world):
    response = _import(
        client, world, _xlsx([["1", '=HYPERLINK("http://evil.example")', world.agency_a.short_name, "", "01.11.2026"]])
    )
    assert response.status_code == 400
    errors = [e for row in response.context["rows"] for e in row.errors]
    assert any("formula" in str(e) or "формул" in str(e) for e in errors), errors


# --- absences and deputies ------------------------------------------------------------------------------


@FUZZ
@given(data=st.data())
def test_absence_forms_survive_hostile_input(client, world, data):
    w = world
    fields = {
        "start": DATES,
        "end": DATES,
        "reason": st.one_of(st.sampled_from(["leave", "business_trip", "sick_leave", "other"]), TEXT),
        "deputy": ids(w.head_a.pk, w.staff_b.pk, w.staff_a.pk, w.colleague_b.pk),
        "note": TEXT,
    }
    if data.draw(st.booleans()):
        submit(client, w.staff_a, reverse("accounts:absences"), post_data(data.draw, fields))
    else:
        fields["person"] = ids(w.staff_a.pk, w.staff_b.pk, w.secretariat.pk)
        who = data.draw(st.sampled_from([w.secretariat, w.kz_secretariat]))
        submit(client, who, reverse("accounts:absences_manage"), post_data(data.draw, fields))
