"""Every URL of the site × every kind of account × an object of agency A and of agency B: the expected answer.

The list of URLs is read from the URLconf, so a URL without a row in DECISIONS fails
`test_every_url_has_a_decision`: adding a page means deciding who may open it. The admin is walked the
same way, generated from the admin registry, in tests/admin/test_isolation.py; the admin cases that walk
lacks (autocomplete searches and bulk actions aimed at foreign objects) are at the end of this file.

Reading the table: for each URL, `a` builds the URL's arguments for an object of agency A (the own object
of staff_a and head_a, a foreign one for staff_b) and `b` for an object of agency B. Each check names the
method and the answer per account, in the order of ROLES. An integer is an answer that must write
nothing (every row of every model is compared before and after a POST); `W(code)` is an allowed write;
LOGIN is the redirect to the login page with `next` set to the requested address.
"""

import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import openpyxl
import pytest
import time_machine
from django.contrib import admin
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from omskevents.accounts.models import SecurityKey
from omskevents.notifications import links
from omskevents.notifications.models import InboxItem, MailHold, Notification
from omskevents.notifications.selectors import hold_day
from omskevents.workplan.models import ExtensionRequest, Task
from tests.security.conftest import MARK_A, MARK_B, changed_tables, close_response, db_state
from tests.support.db_state import fresh_copy

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(module_world, db):
    """Every test here stands on the same world, made once for the module; each test's writes are rolled back."""
    return fresh_copy(module_world)


# "kz" is the Kazakh secretariat: agency B is Kazakh, agency A Russian, so it steers B's tasks and not A's.
ROLES = ("anon", "staff_a", "head_a", "staff_b", "sec", "kz")
ACCOUNT = {"staff_a": "staff_a", "head_a": "head_a", "staff_b": "staff_b", "sec": "secretariat", "kz": "kz_secretariat"}
LOGIN = "login"


@dataclass(frozen=True)
class W:
    """An allowed write answered with this status."""

    status: int


Expect = int | str | W


def R(*answers: Expect) -> dict[str, Expect]:
    """The answers of anon, staff_a, head_a, staff_b, the secretariat and the Kazakh secretariat, in that order."""
    assert len(answers) == len(ROLES)
    return dict(zip(ROLES, answers, strict=True))


Builder = Callable[[Any], dict[str, Any]]


def _none(world: Any) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Check:
    method: str
    a: dict[str, Expect]
    b: dict[str, Expect] | None = None  # None: the same answers for the agency B object
    data: Builder = _none
    query: Builder = _none


@dataclass(frozen=True)
class Decision:
    checks: tuple[Check, ...]
    a: Builder = _none  # URL kwargs for the agency A object
    b: Builder | None = None  # URL kwargs for the agency B object; None: the URL has no agency object
    # Pages reached with a secret in the address show its owner's data to whoever holds it (tested below).
    bearer: bool = False


def pk(attr: str, name: str = "pk") -> Builder:
    return lambda w: {name: getattr(w, attr).pk}


def both(**builders: Builder) -> Builder:
    return lambda w: {k: v for b in builders.values() for k, v in b(w).items()}


def _token(user_attr: str, task_attr: str, action: str = "report") -> Builder:
    return lambda w: {
        "token": links.task_action_token(user=getattr(w, user_attr), task_id=getattr(w, task_attr).pk, action=action)
    }


def _unsubscribe(user_attr: str) -> Builder:
    return lambda w: {"token": links.unsubscribe_token(user=getattr(w, user_attr), kind="overdue")}


def _security_key(user_attr: str) -> Builder:
    """A security key of the person, made on first use (the ceremonies: tests/accounts/test_security_keys.py)."""

    def build(w: Any) -> dict[str, Any]:
        user = getattr(w, user_attr)
        key, _ = SecurityKey.objects.get_or_create(
            user=user,
            credential_id=f"key-of-{user.pk}",
            defaults={"name": "Ключ", "public_key": b"", "confirmed": True},
        )
        return {"pk": key.pk}

    return build


def _inbox_item(user_attr: str, task_attr: str) -> Builder:
    """An inbox item of the person about the task (with its outbox row), made once per world."""

    def build(w: Any) -> dict[str, Any]:
        user, task = getattr(w, user_attr), getattr(w, task_attr)
        note, _created = Notification.objects.get_or_create(
            kind="assignment",
            item_key=f"task:{task.pk}",
            recipient_key=f"user:{user.pk}",
            occasion="matrix",
            defaults={
                "recipient": user,
                "task": task,
                "scheduled_for": dt.datetime(2026, 5, 8, 3, 0, tzinfo=dt.UTC),
                "next_attempt_at": dt.datetime(2026, 5, 8, 3, 0, tzinfo=dt.UTC),
            },
        )
        item, _created = InboxItem.objects.get_or_create(
            notification=note, defaults={"user": user, "kind": "assignment", "created": note.scheduled_for}
        )
        return {"pk": item.pk}

    return build


def _tomorrow() -> dt.date:
    return hold_day() + dt.timedelta(days=1)


def _hold() -> Builder:
    def build(w: Any) -> dict[str, Any]:
        hold, _created = MailHold.objects.get_or_create(day=_tomorrow(), kind="digest")
        return {"pk": hold.pk}

    return build


def _task_data(w: Any) -> dict[str, Any]:
    return {
        "event": w.event.pk,
        "area": "irtysh_logistics",
        "title": "Организовать встречу делегаций",
        "lead_agency": w.agency_a.pk,
        "deadline_mode": "fixed",
        "deadline": "2026-11-20",
        "priority": "normal",
    }


def _task_data_b(w: Any) -> dict[str, Any]:
    """A task for the Kazakh agency: the Kazakh secretariat may give it (agency A's, above, it may not)."""
    return {**_task_data(w), "lead_agency": w.agency_b.pk}


def _protocol_data(w: Any) -> dict[str, Any]:
    return {
        "event": w.protocol.event.pk,
        "place": "г. Омск",
        "date": "2026-12-11",
        "ru_co_chair": "А. Л. Оверчук",
        "kz_co_chair": "С. М. Жумангарин",
    }


def _item_data(w: Any, proposer: Any) -> dict[str, Any]:
    return {"text_ru": "Стороны договорились развивать перевозки по Иртышу.", "proposer": proposer.pk}


def _agreement_data(w: Any) -> dict[str, Any]:
    return {
        "event": w.event.pk,
        "title": "Соглашение о сотрудничестве в сфере транспорта",
        "kind": "interregional",
        "ru_parties": [w.agency_a.pk],
        "ru_responsible": w.agency_a.pk,
        "kz_parties": [w.agency_b.pk],
        "kz_responsible": w.agency_b.pk,
        "ceremony_day": "1",
    }


def _text_upload(w: Any) -> dict[str, Any]:
    return {"language": "ru", "file": SimpleUploadedFile("проект.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")}


def _meeting_data(w: Any) -> dict[str, Any]:
    return {"committee": w.committee.pk, "title": "Заседание", "starts_at": "2026-11-05T10:00", "place": "Омск"}


def _next_event_data(w: Any) -> dict[str, Any]:
    return {
        "number": "XXIII",
        "start_date": "2027-09-16",
        "end_date": "2027-09-17",
        "host_country": "KZ",
        "city": "Павлодар",
        "time_zone": "Asia/Almaty",
    }


def _absence_data(w: Any) -> dict[str, Any]:
    soon = dt.date.today() + dt.timedelta(days=40)
    return {"start": soon.isoformat(), "end": (soon + dt.timedelta(days=3)).isoformat(), "reason": "leave",
            "deputy": w.head_a.pk}  # fmt: skip


def _absence_for_b(w: Any) -> dict[str, Any]:
    return {**_absence_data(w), "person": w.staff_b.pk, "deputy": w.colleague_b.pk}


def _dates_data(w: Any) -> dict[str, Any]:
    return {"start_date": "2026-12-17", "end_date": "2026-12-18"}


def _dates_apply_data(w: Any) -> dict[str, Any]:
    """The step itself, with the fingerprint of the preview made now (as the preview page would carry it)."""
    from omskevents.events.dates import event_dates_preview_make

    preview = event_dates_preview_make(event=w.event, start_date=dt.date(2026, 12, 17), end_date=dt.date(2026, 12, 18))
    return {**_dates_data(w), "fingerprint": preview.fingerprint}


def _in_a_month() -> str:
    return (dt.date.today() + dt.timedelta(days=30)).isoformat()


EVERYONE = R(200, 200, 200, 200, 200, 200)
LOGGED_IN = R(LOGIN, 200, 200, 200, 200, 200)
SECRETARIAT_PAGE = R(LOGIN, 403, 403, 403, 200, 403)
SECRETARIAT_WRITE = R(LOGIN, 403, 403, 403, W(302), 403)
A_ONLY = R(LOGIN, 200, 200, 404, 200, 404)
B_ONLY = R(LOGIN, 404, 404, 200, 200, 200)
BOTH_SECRETARIATS_PAGE = R(LOGIN, 403, 403, 403, 200, 200)
# Agreements: every one has a Kazakh side, so the Kazakh secretariat sees agency A's too.
A_AND_BOTH_SIDES = R(LOGIN, 200, 200, 404, 200, 200)
# Delegates' personal data: the host's secretariat and the receiving agency, not the Kazakh secretariat.
RECEIVING_AGENCY_B = R(LOGIN, 404, 404, 200, 200, 404)

# Webhooks: managed by an agency's head and the secretariats; agency B has no head in the world.
WEBHOOK_MANAGERS = R(LOGIN, 403, 200, 403, 200, 200)
HEAD_A_ONLY = R(LOGIN, 404, 200, 404, 404, 404)
NOBODY_OF_THE_WORLD = R(LOGIN, 404, 404, 404, 404, 404)


def _webhook_data(w: Any) -> dict[str, Any]:
    return {"url": "http://127.0.0.1:9/hook", "kinds": ["task.assigned", "report.submitted"], "is_active": "on"}


DECISIONS: dict[str, Decision] = {
    "healthz": Decision(checks=(Check("get", EVERYONE),)),
    "readyz": Decision(checks=(Check("get", EVERYONE),)),  # for orchestrators: names checks, never secrets
    # --- accounts ---
    "accounts:login": Decision(checks=(Check("get", R(200, 302, 302, 302, 302, 302)),)),
    "accounts:logout": Decision(
        checks=(
            Check("get", R(405, 405, 405, 405, 405, 405)),  # logout by POST only
            Check("post", R(W(302), W(302), W(302), W(302), W(302), W(302))),
        )
    ),
    # The password reset: open to all; the same answer for any address; nothing is written before a valid link.
    "accounts:password_reset": Decision(
        checks=(
            Check("get", EVERYONE),
            Check("post", R(302, 302, 302, 302, 302, 302), data=lambda w: {"email": "nobody@example.org"}),
        )
    ),
    "accounts:password_reset_done": Decision(checks=(Check("get", EVERYONE),)),
    # A link that is not valid: the page says so, and a POST changes no password.
    "accounts:password_reset_confirm": Decision(
        checks=(
            Check("get", EVERYONE),
            Check(
                "post",
                EVERYONE,
                data=lambda w: {"new_password1": "x-Long passphrase 1", "new_password2": "x-Long passphrase 1"},
            ),
        ),
        a=lambda w: {"uidb64": "MQ", "token": "set-password"},
        bearer=True,
    ),
    "accounts:password_reset_complete": Decision(checks=(Check("get", EVERYONE),)),
    # One's own sessions: ending a session that is not one's own (or does not exist) changes nothing.
    "accounts:sessions": Decision(
        checks=(
            Check("get", LOGGED_IN),
            Check("post", R(LOGIN, 302, 302, 302, 302, 302), data=lambda w: {"action": "end", "session": "999999"}),
        )
    ),
    # Absences: one's own on one's settings page (the deputy a colleague: head A stands in for staff A only); the
    # secretariats record them for the people of their side; withdrawing another's absence answers 404.
    "accounts:absences": Decision(
        checks=(
            Check("get", LOGGED_IN),
            Check("post", R(LOGIN, W(302), 400, 400, 400, 400), data=_absence_data),
        )
    ),
    "accounts:absences_manage": Decision(
        checks=(
            Check("get", BOTH_SECRETARIATS_PAGE),
            Check("post", R(LOGIN, 403, 403, 403, W(302), W(302)), data=_absence_for_b),
        )
    ),
    "accounts:absence_withdraw": Decision(
        a=pk("absence_a"),
        b=pk("absence_b"),
        checks=(
            Check("get", R(LOGIN, 405, 405, 405, 405, 405)),
            Check("post", R(LOGIN, W(302), 404, 404, W(302), 404), b=R(LOGIN, 404, 404, W(302), W(302), W(302))),
        ),
    ),
    # The second factor (enforcement is off in the suite's settings; tests/accounts/test_second_factor.py turns it
    # on and proves that an unverified session reaches nothing else). Nobody in this world has a device.
    "accounts:second_factor_manage": Decision(
        checks=(
            Check("get", LOGGED_IN),
            # Switching off what one does not have (or must keep): a message, nothing changed.
            Check("post", R(LOGIN, 302, 302, 302, 302, 302), data=lambda w: {"token": "000000"}),
        )
    ),
    "accounts:second_factor_setup": Decision(
        checks=(
            Check("get", LOGGED_IN),
            # A wrong first code: the pending device is kept with its failure counted (the throttle).
            Check("post", R(LOGIN, W(200), W(200), W(200), W(200), W(200)), data=lambda w: {"token": "000000"}),
        )
    ),
    "accounts:second_factor_verify": Decision(
        checks=(
            # Without a device there is nothing to verify: on to the start page.
            Check("get", R(LOGIN, 302, 302, 302, 302, 302)),
            Check("post", R(LOGIN, 302, 302, 302, 302, 302), data=lambda w: {"token": "000000"}),
        )
    ),
    # Security keys: the JSON steps refuse (400, nothing written) a session that has not given its second factor,
    # a person without a key, and a body that is not the key's JSON; removal is for the key's owner only.
    **{
        name: Decision(
            checks=(
                Check("get", R(LOGIN, 405, 405, 405, 405, 405)),
                Check("post", R(LOGIN, 400, 400, 400, 400, 400), data=lambda w: {"name": "Ключ"}),
            )
        )
        for name in (
            "accounts:security_key_add_options",
            "accounts:security_key_add",
            "accounts:security_key_login_options",
            "accounts:security_key_login",
        )
    },
    "accounts:security_key_remove": Decision(
        a=_security_key("staff_a"),
        b=_security_key("staff_b"),
        checks=(
            Check("get", R(LOGIN, 200, 404, 404, 404, 404), R(LOGIN, 404, 404, 200, 404, 404)),
            # A wrong code: the form again, the failure in the security log, the key kept.
            Check(
                "post",
                R(LOGIN, W(200), 404, 404, 404, 404),
                R(LOGIN, 404, 404, W(200), 404, 404),
                data=lambda w: {"token": "000000"},
            ),
        ),
    ),
    "accounts:password_change": Decision(
        checks=(
            Check("get", LOGGED_IN),
            # A wrong current password: the form again, nothing changed.
            Check(
                "post",
                LOGGED_IN,
                data=lambda w: {"old_password": "wrong", "new_password1": "x" * 20, "new_password2": "x" * 20},
            ),
        )
    ),
    "calendar:settings": Decision(
        checks=(
            Check("get", LOGGED_IN),
            Check("post", R(LOGIN, W(302), W(302), W(302), W(302), W(302)), data=lambda w: {"action": "issue"}),
        )
    ),
    "calendar:feed": Decision(
        a=lambda w: {"key": w.feed_a.key},
        b=lambda w: {"key": w.feed_b.key},
        checks=(Check("get", EVERYONE),),
        bearer=True,
    ),
    # Personal API tokens: one's own only; revoking a token that is not one's own (or none) is a 404.
    "api_tokens:list": Decision(
        checks=(
            Check("get", LOGGED_IN),
            Check(
                "post",
                R(LOGIN, W(200), W(200), W(200), W(200), W(200)),
                data=lambda w: {"name": "Документооборот", "scope": "read", "expires_on": _in_a_month()},
            ),
            # No name: the form again with the error, nothing written.
            Check(
                "post", R(LOGIN, 400, 400, 400, 400, 400), data=lambda w: {"scope": "read", "expires_on": _in_a_month()}
            ),
        )
    ),
    "api_tokens:revoke": Decision(
        a=pk("api_token_a"),
        b=pk("api_token_b"),
        checks=(
            Check("get", R(LOGIN, 405, 405, 405, 405, 405)),
            Check("post", R(LOGIN, W(302), 404, 404, 404, 404), R(LOGIN, 404, 404, W(302), 404, 404)),
        ),
    ),
    # --- agencies, events, dashboard ---
    "agencies:list": Decision(checks=(Check("get", LOGGED_IN),)),
    "agencies:detail": Decision(a=pk("agency_a"), b=pk("agency_b"), checks=(Check("get", A_ONLY, B_ONLY),)),
    "event_pages:list": Decision(checks=(Check("get", LOGGED_IN),)),
    "event_pages:detail": Decision(a=pk("event"), checks=(Check("get", LOGGED_IN),)),
    # A delegation's people are personal data (152-FZ): the secretariat and the responsible agency only; the board,
    # the manifest and the badges answer everyone signed in but hold only the delegations the reader may see.
    "events:delegation": Decision(
        a=both(e=pk("event"), d=pk("delegation_a", "delegation_pk")),
        b=both(e=pk("event"), d=pk("delegation_b", "delegation_pk")),
        checks=(Check("get", A_ONLY, RECEIVING_AGENCY_B),),
    ),
    "events:arrivals": Decision(a=pk("event"), checks=(Check("get", LOGGED_IN),)),
    "events:manifest": Decision(a=pk("event"), checks=(Check("get", LOGGED_IN),)),
    "events:badges": Decision(
        a=pk("event"),
        checks=(
            Check("get", LOGGED_IN),
            Check("get", R(LOGIN, 400, 400, 400, 400, 400), query=lambda w: {"layout": "a3"}),
        ),
    ),
    "events:delegate_data": Decision(
        a=pk("delegate_a", "delegate_pk"),
        b=pk("delegate_b", "delegate_pk"),
        checks=(Check("get", A_ONLY, RECEIVING_AGENCY_B),),
    ),
    "events:programme": Decision(a=pk("event"), checks=(Check("get", LOGGED_IN),)),
    # New dates: the secretariat's; the preview (a POST without the fingerprint) writes nothing, the step writes.
    "events:dates": Decision(
        a=pk("event"),
        checks=(
            Check("get", SECRETARIAT_PAGE),
            Check("post", R(LOGIN, 403, 403, 403, 200, 403), data=_dates_data),
            Check("post", SECRETARIAT_WRITE, data=_dates_apply_data),
        ),
    ),
    "dashboard:home": Decision(checks=(Check("get", LOGGED_IN),)),
    # The discipline report over the tasks each may see: the form, or with a period the workbook.
    "dashboard:discipline": Decision(
        checks=(
            Check("get", LOGGED_IN),
            Check("get", LOGGED_IN, query=lambda w: {"date_from": "2026-01-01", "date_to": "2026-12-31"}),
            Check("get", R(LOGIN, 400, 400, 400, 400, 400), query=lambda w: {"date_to": "2026-13-45"}),
        )
    ),
    # --- meetings: every agency reads every meeting (the minutes go to all members); the secretariat runs them ---
    "committee:meeting_list": Decision(checks=(Check("get", LOGGED_IN),)),
    "committee:meeting_calendar": Decision(checks=(Check("get", LOGGED_IN),)),
    "committee:meeting_create": Decision(
        checks=(Check("get", SECRETARIAT_PAGE), Check("post", SECRETARIAT_WRITE, data=_meeting_data))
    ),
    "committee:meeting_detail": Decision(a=pk("meeting"), checks=(Check("get", LOGGED_IN),)),
    "committee:meeting_update": Decision(
        a=pk("meeting"),
        checks=(Check("get", SECRETARIAT_PAGE), Check("post", SECRETARIAT_WRITE, data=_meeting_data)),
    ),
    # Cancelling asks first: the page (GET or a POST without the confirmation) writes nothing.
    "committee:meeting_cancel": Decision(
        a=pk("meeting"),
        checks=(
            Check("get", SECRETARIAT_PAGE),
            Check("post", SECRETARIAT_PAGE),
            Check("post", SECRETARIAT_WRITE, data=lambda w: {"confirm": "yes"}),
        ),
    ),
    # The world's meeting is not cancelled: the restore is refused with a message, nothing written.
    "committee:meeting_restore": Decision(
        a=pk("meeting"),
        checks=(Check("get", R(LOGIN, 403, 403, 403, 405, 403)), Check("post", R(LOGIN, 403, 403, 403, 302, 403))),
    ),
    "committee:meeting_print": Decision(a=pk("meeting"), checks=(Check("get", LOGGED_IN),)),
    "committee:meeting_close": Decision(
        a=pk("meeting"),
        checks=(
            Check("get", SECRETARIAT_PAGE),
            Check("post", SECRETARIAT_WRITE, data=lambda w: {"minutes": "Заслушали, решили."}),
        ),
    ),
    "committee:minutes_docx": Decision(a=pk("meeting"), checks=(Check("get", LOGGED_IN),)),
    "committee:meeting_ics": Decision(a=pk("meeting"), checks=(Check("get", LOGGED_IN),)),
    "committee:agenda_add": Decision(
        a=pk("meeting"),
        checks=(
            Check("get", R(LOGIN, 403, 403, 403, 405, 403)),
            Check("post", SECRETARIAT_WRITE, data=lambda w: {"agenda-title": "О логистике"}),
        ),
    ),
    # The B variant names an item of another meeting under this meeting's address.
    "committee:agenda_delete": Decision(
        a=both(m=pk("meeting"), i=pk("item", "item_pk")),
        b=both(m=pk("meeting"), i=pk("other_item", "item_pk")),
        checks=(
            Check("get", SECRETARIAT_PAGE, R(LOGIN, 403, 403, 403, 404, 403)),
            Check("post", SECRETARIAT_PAGE, R(LOGIN, 403, 403, 403, 404, 403)),
            Check("post", SECRETARIAT_WRITE, R(LOGIN, 403, 403, 403, 404, 403), data=lambda w: {"confirm": "yes"}),
        ),
    ),
    "committee:attendance_set": Decision(
        a=pk("meeting"),
        checks=(
            Check(
                "post",
                SECRETARIAT_WRITE,
                data=lambda w: {"attendance-user": w.staff_b.pk, "attendance-status": "present"},
            ),
        ),
    ),
    "committee:invite_group": Decision(
        a=pk("meeting"),
        checks=(
            Check("get", R(LOGIN, 403, 403, 403, 405, 403)),
            Check("post", SECRETARIAT_WRITE, data=lambda w: {"invite-group": f"group-{w.group.pk}"}),
        ),
    ),
    "committee_pages:list": Decision(checks=(Check("get", LOGGED_IN),)),
    "committee_pages:detail": Decision(a=pk("committee"), checks=(Check("get", LOGGED_IN),)),
    "committee:decision_add": Decision(
        a=pk("meeting"),
        checks=(Check("post", SECRETARIAT_WRITE, data=lambda w: {"decision-text": "Утвердить программу"}),),
    ),
    "committee:decision_delete": Decision(
        a=both(m=pk("meeting"), d=pk("decision", "decision_pk")),
        b=both(m=pk("meeting"), d=pk("other_decision", "decision_pk")),
        checks=(
            Check("get", SECRETARIAT_PAGE, R(LOGIN, 403, 403, 403, 404, 403)),
            Check("post", SECRETARIAT_PAGE, R(LOGIN, 403, 403, 403, 404, 403)),
            Check("post", SECRETARIAT_WRITE, R(LOGIN, 403, 403, 403, 404, 403), data=lambda w: {"confirm": "yes"}),
        ),
    ),
    "workplan:decisions_to_tasks": Decision(
        a=pk("meeting"),
        checks=(
            Check(
                "post",
                SECRETARIAT_WRITE,
                data=lambda w: {"task-event": w.event.pk, "task-area": "organisation"},
            ),
        ),
    ),
    # --- the commission protocol: read by all; items proposed by an agency for itself, or by a secretariat for its
    # side; each side's agreement recorded by its secretariat (the Omsk one may record both); tasks by the Omsk one ---
    "protocol:list": Decision(checks=(Check("get", LOGGED_IN),)),
    "protocol:create": Decision(
        checks=(
            Check("get", BOTH_SECRETARIATS_PAGE),
            # The world's only session already has its protocol: the form again, nothing written.
            Check("post", R(LOGIN, 403, 403, 403, 400, 400), data=_protocol_data),
        )
    ),
    "protocol:detail": Decision(a=pk("protocol"), checks=(Check("get", LOGGED_IN),)),
    "protocol:section_add": Decision(
        a=pk("protocol"),
        checks=(
            Check("get", R(LOGIN, 403, 403, 403, 405, 405)),
            Check(
                "post",
                R(LOGIN, 403, 403, 403, W(302), W(302)),
                data=lambda w: {"title": "Энергетика", "area": "petrochemicals"},
            ),
        ),
    ),
    "protocol:docx": Decision(a=pk("protocol"), checks=(Check("get", BOTH_SECRETARIATS_PAGE),)),
    "protocol:make_tasks": Decision(
        a=pk("protocol"),
        checks=(Check("get", R(LOGIN, 405, 405, 405, 405, 405)), Check("post", R(LOGIN, 403, 403, 403, W(302), 403))),
    ),
    "protocol:item_add": Decision(
        a=pk("protocol_section"),
        checks=(
            Check("get", LOGGED_IN),
            Check("post", R(LOGIN, W(302), W(302), 400, W(302), 400), data=lambda w: _item_data(w, w.agency_a)),
            Check("post", R(LOGIN, 400, 400, W(302), W(302), W(302)), data=lambda w: _item_data(w, w.agency_b)),
        ),
    ),
    "protocol:item_edit": Decision(
        a=pk("item_a"),
        b=pk("item_b"),
        checks=(
            Check("get", R(LOGIN, 200, 200, 403, 200, 403), R(LOGIN, 403, 403, 200, 200, 200)),
            Check(
                "post",
                R(LOGIN, W(302), W(302), 403, W(302), 403),
                R(LOGIN, 403, 403, 400, W(302), 400),
                data=lambda w: _item_data(w, w.agency_a),
            ),
        ),
    ),
    "protocol:item_agree": Decision(
        a=pk("item_a"),
        b=pk("item_b"),
        checks=(
            Check("post", R(LOGIN, 403, 403, 403, W(302), 403), data=lambda w: {"side": "RU"}),
            Check("post", R(LOGIN, 403, 403, 403, W(302), W(302)), data=lambda w: {"side": "KZ"}),
            # A made-up side: back to the page with the message, nothing recorded.
            Check("post", R(LOGIN, 302, 302, 302, 302, 302), data=lambda w: {"side": "XX"}),
        ),
    ),
    "protocol:item_strike": Decision(
        a=pk("item_a"),
        b=pk("item_b"),
        checks=(
            Check("post", R(LOGIN, 403, 403, 403, W(302), W(302)), data=lambda w: {"note": "Снят по согласованию"}),
            Check("post", R(LOGIN, 403, 403, 403, 302, 302), data=lambda w: {"note": ""}),
        ),
    ),
    # --- notifications: preferences, and the signed links in mails ---
    "notifications:preferences": Decision(
        checks=(
            Check("get", LOGGED_IN),
            Check(
                "post",
                R(LOGIN, W(302), W(302), W(302), W(302), W(302)),
                data=lambda w: {
                    "assignments_mode": "mail",
                    "reminders_mode": "digest",
                    "status_mode": "app",
                    "meetings_mode": "mail",
                    "delivery": "daily",
                    "language": "ru",
                },
            ),
        )
    ),
    # The inbox: everyone their own; another person's item is 404 (opening one's own marks it read).
    "notifications:inbox": Decision(checks=(Check("get", LOGGED_IN, query=lambda w: {"kind": "report_submitted"}),)),
    "notifications:inbox_open": Decision(
        a=_inbox_item("staff_a", "task_a"),
        b=_inbox_item("staff_b", "task_b"),
        checks=(Check("get", R(LOGIN, 302, 404, 404, 404, 404), R(LOGIN, 404, 404, 302, 404, 404)),),
    ),
    "notifications:inbox_read_all": Decision(
        checks=(Check("post", R(LOGIN, W(302), W(302), W(302), W(302), W(302)), data=lambda w: {"kind": ""}),)
    ),
    # The next working morning's mail and the holds: the secretariat.
    "notifications:morning": Decision(
        checks=(
            Check("get", SECRETARIAT_PAGE),
            Check("post", SECRETARIAT_WRITE, data=lambda w: {"day": str(_tomorrow()), "kind": "overdue"}),
        )
    ),
    "notifications:hold_release": Decision(a=_hold(), checks=(Check("post", R(LOGIN, 404, 404, 404, W(302), 404)),)),
    # A link sent to staff_a about task A (and to staff_b about task B) works without logging in; a browser
    # logged in as someone else is refused, so that nothing is recorded in one person's name by another.
    "notifications:task_action": Decision(
        a=_token("staff_a", "task_a"),
        b=_token("staff_b", "task_b"),
        checks=(
            Check("get", R(200, 200, 403, 403, 403, 403), R(200, 403, 403, 200, 403, 403)),
            Check(
                "post",
                R(W(200), W(200), 403, 403, 403, 403),
                R(W(200), 403, 403, W(200), 403, 403),
                data=lambda w: {"text": "Сделано по ссылке из письма"},
            ),
        ),
        bearer=True,
    ),
    # One-click unsubscribing (RFC 8058) is posted by mail programs without cookies: the token alone decides.
    "notifications:unsubscribe": Decision(
        a=_unsubscribe("staff_a"),
        b=_unsubscribe("staff_b"),
        checks=(Check("get", EVERYONE), Check("post", R(W(200), W(200), W(200), W(200), W(200), W(200)))),
        bearer=True,
    ),
    # --- webhooks: an agency's head manages the agency's endpoints, each secretariat its own; someone with none
    # to manage is refused the list and the form, and every endpoint not their own is not found (as a missing one).
    "webhooks:list": Decision(checks=(Check("get", WEBHOOK_MANAGERS),)),
    "webhooks:create": Decision(
        checks=(
            Check("get", WEBHOOK_MANAGERS),
            # The answer to a registration is the page with the secret (200), never a redirect that could carry it.
            Check("post", R(LOGIN, 403, W(200), 403, W(200), W(200)), data=_webhook_data),
        )
    ),
    "webhooks:detail": Decision(
        a=pk("endpoint_a"), b=pk("endpoint_b"), checks=(Check("get", HEAD_A_ONLY, NOBODY_OF_THE_WORLD),)
    ),
    "webhooks:update": Decision(
        a=pk("endpoint_a"),
        b=pk("endpoint_b"),
        checks=(
            Check("get", HEAD_A_ONLY, NOBODY_OF_THE_WORLD),
            Check("post", R(LOGIN, 404, W(302), 404, 404, 404), NOBODY_OF_THE_WORLD, data=_webhook_data),
        ),
    ),
    "webhooks:delete": Decision(
        a=pk("endpoint_a"),
        b=pk("endpoint_b"),
        checks=(
            Check("get", HEAD_A_ONLY, NOBODY_OF_THE_WORLD),
            Check("post", R(LOGIN, 404, W(302), 404, 404, 404), NOBODY_OF_THE_WORLD),
        ),
    ),
    "webhooks:secret": Decision(
        a=pk("endpoint_a"),
        b=pk("endpoint_b"),
        checks=(Check("post", R(LOGIN, 404, W(200), 404, 404, 404), NOBODY_OF_THE_WORLD),),
    ),
    "webhooks:retry": Decision(
        a=pk("delivery_a"),
        b=pk("delivery_b"),
        checks=(Check("post", R(LOGIN, 404, W(302), 404, 404, 404), NOBODY_OF_THE_WORLD),),
    ),
    # --- agreements to sign: the secretariat manages all; agency staff act on those their agency takes part in ---
    "agreements:register": Decision(checks=(Check("get", LOGGED_IN),)),
    "agreements:create": Decision(
        checks=(Check("get", SECRETARIAT_PAGE), Check("post", SECRETARIAT_WRITE, data=_agreement_data))
    ),
    # A tampered filter naming the other agency: the file holds no row the reader may not see.
    "agreements:export_xlsx": Decision(checks=(Check("get", LOGGED_IN, query=lambda w: {"agency": w.agency_b.pk}),)),
    "agreements:signing_order": Decision(a=pk("event", "event_pk"), checks=(Check("get", SECRETARIAT_PAGE),)),
    "agreements:detail": Decision(
        a=pk("agreement_a"), b=pk("agreement_b"), checks=(Check("get", A_AND_BOTH_SIDES, B_ONLY),)
    ),
    "agreements:update": Decision(
        a=pk("agreement_a"),
        b=pk("agreement_b"),
        checks=(Check("get", SECRETARIAT_PAGE), Check("post", SECRETARIAT_WRITE, data=_agreement_data)),
    ),
    # Drafting is the Russian side's move: agency B, the Kazakh partner of agreement B, is refused on the page.
    "agreements:move": Decision(
        a=pk("agreement_a"),
        b=pk("agreement_b"),
        checks=(
            Check(
                "post",
                # The Kazakh secretariat moves as the Kazakh side: drafting is not its move (the form again).
                R(LOGIN, W(302), W(302), 404, W(302), 400),
                R(LOGIN, 404, 404, 400, W(302), 400),
                data=lambda w: {"stage": "draft_ready", "comment": "Проект готов"},
            ),
        ),
    ),
    "agreements:version_add": Decision(
        a=pk("agreement_a"),
        b=pk("agreement_b"),
        checks=(
            Check(
                "post",
                R(LOGIN, W(302), W(302), 404, W(302), W(302)),
                R(LOGIN, 404, 404, W(302), W(302), W(302)),
                data=_text_upload,
            ),
        ),
    ),
    "agreements:version_download": Decision(
        a=pk("version_a"), b=pk("version_b"), checks=(Check("get", A_AND_BOTH_SIDES, B_ONLY),)
    ),
    # --- the action plan ---
    "workplan:task_list": Decision(checks=(Check("get", LOGGED_IN),)),
    "workplan:timeline": Decision(checks=(Check("get", LOGGED_IN),)),
    # The Kazakh secretariat creates tasks for Kazakh agencies only: a Russian lead is the form again with the error.
    "workplan:task_create": Decision(
        checks=(
            Check("get", BOTH_SECRETARIATS_PAGE),
            Check("post", R(LOGIN, 403, 403, 403, W(302), 200), data=_task_data),
            Check("post", R(LOGIN, 403, 403, 403, W(302), W(302)), data=_task_data_b),
        )
    ),
    # A tampered filter naming the other agency: the file holds no row the reader may not see (and see below).
    "workplan:task_export_xlsx": Decision(
        checks=(Check("get", LOGGED_IN, query=lambda w: {"agency": w.agency_b.pk}),),
    ),
    "workplan:task_export_excel_csv": Decision(
        checks=(
            Check("get", LOGGED_IN, query=lambda w: {"agency": w.agency_b.pk}),
            Check("post", LOGGED_IN, data=lambda w: {"id": [w.task_a.pk, w.task_b.pk]}),
        ),
    ),
    "workplan:task_list_print": Decision(checks=(Check("get", LOGGED_IN, query=lambda w: {"agency": w.agency_b.pk}),)),
    "workplan:task_print": Decision(a=pk("task_a"), b=pk("task_b"), checks=(Check("get", A_ONLY, B_ONLY),)),
    # Not cancelled: the restore is refused with a message on the task page; a task out of sight answers 404.
    "workplan:task_restore": Decision(
        a=pk("task_a"),
        b=pk("task_b"),
        checks=(Check("post", R(LOGIN, 302, 302, 404, 302, 404), R(LOGIN, 404, 404, 302, 302, 302)),),
    ),
    "workplan:task_export_csv": Decision(
        checks=(
            Check("get", LOGGED_IN, query=lambda w: {"agency": w.agency_b.pk}),
            Check("post", LOGGED_IN, data=lambda w: {"id": [w.task_a.pk, w.task_b.pk]}),
        ),
    ),
    "workplan:task_bulk": Decision(
        checks=(
            Check("get", R(LOGIN, 403, 403, 403, 405, 405)),
            # Task A is not the Kazakh secretariat's to choose: the batch is refused whole, with a message.
            Check(
                "post",
                R(LOGIN, 403, 403, 403, W(302), 302),
                data=lambda w: {
                    "action": "shift",
                    "id": [w.task_a.pk, w.task_b.pk],
                    "days": "1",
                    "reason": "Перенос",
                    "confirm": "yes",
                },
            ),
            Check(
                "post",
                R(LOGIN, 403, 403, 403, W(302), W(302)),
                data=lambda w: {
                    "action": "shift",
                    "id": [w.task_b.pk],
                    "days": "1",
                    "reason": "Перенос",
                    "confirm": "yes",
                },
            ),
            # Without the confirmation: the page saying what would change, nothing written.
            Check(
                "post",
                R(LOGIN, 403, 403, 403, 200, 200),
                data=lambda w: {"action": "shift", "id": [w.task_b.pk], "days": "1", "reason": "Перенос"},
            ),
        ),
    ),
    "workplan:task_import": Decision(
        checks=(
            Check("get", SECRETARIAT_PAGE),
            # No file: the form again with the error (the import itself is fuzzed in test_fuzz_forms.py).
            Check(
                "post",
                R(LOGIN, 403, 403, 403, 400, 403),
                data=lambda w: {"event": w.event.pk, "area": "organisation"},
            ),
        ),
    ),
    "workplan:task_import_confirm": Decision(
        checks=(Check("post", R(LOGIN, 403, 403, 403, 302, 403), data=lambda w: {"token": "forged"}),),
    ),
    # Prepare the next Forum: the form and its preview write nothing; the confirmed step makes the event and plan.
    "workplan:next_event": Decision(
        a=pk("event"),
        checks=(
            Check("get", SECRETARIAT_PAGE),
            Check("post", R(LOGIN, 403, 403, 403, 200, 403), data=lambda w: _next_event_data(w)),
            Check("post", SECRETARIAT_WRITE, data=lambda w: {**_next_event_data(w), "confirm": "True"}),
        ),
    ),
    # Whether the person keeps the plan's filter panel open: their own preference, nothing else changes.
    "workplan:filter_panel": Decision(
        checks=(
            Check("get", R(LOGIN, 405, 405, 405, 405, 405)),
            Check("post", R(LOGIN, W(204), W(204), W(204), W(204), W(204)), data=lambda w: {"open": "1"}),
        )
    ),
    "workplan:people_search": Decision(checks=(Check("get", BOTH_SECRETARIATS_PAGE, query=lambda w: {"q": "Ив"}),)),
    # The task form's pickers: of the tasks the secretariat may see (the Kazakh one: its side's).
    "workplan:task_choices": Decision(
        checks=(Check("get", BOTH_SECRETARIATS_PAGE, query=lambda w: {"q": "1", "exclude": w.task_a.pk}),)
    ),
    "workplan:attachment_download": Decision(
        a=pk("attachment_a"), b=pk("attachment_b"), checks=(Check("get", A_ONLY, B_ONLY),)
    ),
    "workplan:task_detail": Decision(a=pk("task_a"), b=pk("task_b"), checks=(Check("get", A_ONLY, B_ONLY),)),
    # Each secretariat edits its side's tasks; the Kazakh one cannot hand a Kazakh task to a Russian agency.
    "workplan:task_update": Decision(
        a=pk("task_a"),
        b=pk("task_b"),
        checks=(
            Check("get", R(LOGIN, 403, 403, 404, 200, 404), R(LOGIN, 404, 404, 403, 200, 200)),
            Check(
                "post",
                R(LOGIN, 403, 403, 404, W(302), 404),
                R(LOGIN, 404, 404, 403, W(302), 200),
                data=_task_data,
            ),
            Check(
                "post",
                R(LOGIN, 403, 403, 404, W(302), 404),
                R(LOGIN, 404, 404, 403, W(302), W(302)),
                data=_task_data_b,
            ),
        ),
    ),
    "workplan:task_status": Decision(
        a=pk("task_a"),
        b=pk("task_b"),
        checks=(
            Check(
                "post",
                R(LOGIN, W(302), W(302), 404, W(302), 404),
                R(LOGIN, 404, 404, W(302), W(302), W(302)),
                data=lambda w: {"status": "in_progress"},
            ),
        ),
    ),
    # The secretariat is not an executor: its report is refused with a message on the task page.
    "workplan:task_report": Decision(
        a=pk("task_a"),
        b=pk("task_b"),
        checks=(
            Check(
                "post",
                R(LOGIN, W(302), W(302), 404, 302, 404),
                R(LOGIN, 404, 404, W(302), 302, 302),
                data=lambda w: {"text": "Работа выполнена"},
            ),
        ),
    ),
    "workplan:task_comment": Decision(
        a=pk("task_a"),
        b=pk("task_b"),
        checks=(
            Check(
                "post",
                R(LOGIN, W(302), W(302), 404, W(302), 404),
                R(LOGIN, 404, 404, W(302), W(302), W(302)),
                data=lambda w: {"text": "Уточните сроки"},
            ),
        ),
    ),
    "workplan:task_extension_request": Decision(
        a=pk("task_a"),
        b=pk("task_b"),
        checks=(
            Check(
                "post",
                R(LOGIN, W(302), W(302), 404, 302, 404),
                R(LOGIN, 404, 404, W(302), 302, 302),
                data=lambda w: {"new_deadline": "2026-12-05", "reason": "Согласование с казахстанской стороной"},
            ),
        ),
    ),
    # The pairing form's picker: as the pairing itself, a task out of sight first (404), then pairing (403).
    "workplan:task_pair_choices": Decision(
        a=pk("task_a"),
        b=pk("task_b"),
        checks=(
            Check(
                "get", R(LOGIN, 403, 403, 404, 200, 404), R(LOGIN, 404, 404, 403, 200, 403), query=lambda w: {"q": "1"}
            ),
        ),
    ),
    # Pairing touches both sides' plans: the committee secretariat's alone.
    "workplan:task_pair": Decision(
        a=pk("task_a"),
        b=pk("task_b"),
        checks=(
            Check("get", R(LOGIN, 405, 405, 405, 405, 405)),
            Check(
                "post",
                # Visibility before permission: a task the person may not see is not there (404).
                R(LOGIN, 403, 403, 404, W(302), 404),
                # Task B named its own counterpart: not a choice (the same side), the form again.
                R(LOGIN, 404, 404, 403, 400, 403),
                data=lambda w: {"counterpart": w.task_b.pk},
            ),
        ),
    ),
    "workplan:extension_decide": Decision(
        a=pk("pending_a"),
        b=pk("pending_b"),
        checks=(
            Check(
                "post",
                R(LOGIN, 302, 302, 404, W(302), 404),
                R(LOGIN, 404, 404, 302, W(302), W(302)),
                data=lambda w: {"approve": "1"},
            ),
        ),
    ),
}

# What the walk leaves out, and why.
SKIPPED_NAMESPACES = {
    "admin": "walked model by model from admin.site._registry in tests/admin/test_isolation.py",
    "api": "the REST API: route by route, with tokens of the same six accounts, in tests/api/test_permission_matrix.py",
}
SKIPPED_NAMES = {
    "set_language": "Django's language switch: a POST that only sets a cookie, open to everyone by design",
}
UNNAMED_ROUTES = {
    "favicon.ico": "a static redirect for browsers that ask for /favicon.ico",
}


def _walk(resolver: URLResolver, namespace: str = "", route: str = "") -> list[tuple[str | None, str]]:
    found: list[tuple[str | None, str]] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += _walk(entry, inner, route + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            found.append((f"{namespace}{entry.name}" if entry.name else None, route + str(entry.pattern)))
    return found


PATTERNS = _walk(get_resolver())
URL_NAMES = sorted({name for name, _ in PATTERNS if name and name not in SKIPPED_NAMES})


def test_every_url_has_a_decision():
    assert sorted(DECISIONS) == URL_NAMES


def test_every_unnamed_url_is_accounted_for():
    assert sorted(route for name, route in PATTERNS if name is None) == sorted(UNNAMED_ROUTES)


def test_the_walk_sees_the_whole_site():
    """The walk itself cannot silently lose an app: every app namespace has URLs in the table."""
    namespaces = {name.split(":")[0] for name in URL_NAMES if ":" in name}
    assert namespaces == {
        "accounts",
        "api_tokens",
        "agreements",
        "agencies",
        "calendar",
        "committee",
        "committee_pages",
        "dashboard",
        "event_pages",
        "events",
        "notifications",
        "protocol",
        "webhooks",
        "workplan",
    }


def _login_location(path: str) -> str:
    return f"/accounts/login/?next={quote(path, safe='/')}"


def _text(response) -> str | None:
    """The body of a text answer (HTML, JSON, CSV, iCalendar), None for files such as XLSX, DOCX, PDF."""
    kind = response.get("Content-Type", "")
    if getattr(response, "streaming", False) or not any(t in kind for t in ("text/", "application/json", "javascript")):
        return None
    body = response.content.decode()
    if "application/json" in kind:
        body = json.dumps(json.loads(body), ensure_ascii=False)
    return body


def _request(client, method: str, path: str, *, data: dict[str, Any], query: dict[str, Any]):
    if method == "get":
        return client.get(path, query)
    return client.post(f"{path}?{urlencode(query, doseq=True)}" if query else path, data)


def _run_cell(client, world, url_name: str, decision: Decision, check: Check, role: str, side: str) -> list[str]:
    """One request; returns what went wrong (empty when the answer is the expected one)."""
    builder = decision.a if side == "a" else decision.b
    expected = (check.a if side == "a" or check.b is None else check.b)[role]
    assert builder is not None
    path = reverse(url_name, kwargs=builder(world) or None)
    query = check.query(world)
    full_path = f"{path}?{urlencode(query, doseq=True)}" if query else path
    where = f"{check.method.upper()} {url_name} [{side}] as {role}"
    problems = []
    client.logout()
    if role != "anon":
        client.force_login(getattr(world, ACCOUNT[role]))
    with transaction.atomic():
        before = db_state() if check.method == "post" else None
        response = _request(client, check.method, path, data=check.data(world), query=query)
        after = db_state() if check.method == "post" else None
        transaction.set_rollback(True)
    if expected == LOGIN:
        if response.status_code != 302 or response["Location"] != _login_location(full_path):
            problems.append(f"{where}: {response.status_code} {response.get('Location')} instead of the login page")
    else:
        status = expected.status if isinstance(expected, W) else expected
        if response.status_code != status:
            problems.append(f"{where}: {response.status_code} instead of {status}")
    if before is not None and not isinstance(expected, W) and before != after:
        problems.append(f"{where}: a refused POST changed {changed_tables(before, after)}")
    if response.status_code == 200 and not decision.bearer:
        body = _text(response)
        forbidden = {
            "anon": (MARK_A, MARK_B),
            "staff_a": (MARK_B,),
            "head_a": (MARK_B,),
            "staff_b": (MARK_A,),
            # Agreements all have a Kazakh side: the Kazakh secretariat reads agency A's agreement on purpose.
            "kz": () if url_name.startswith("agreements:") else (MARK_A,),
        }
        for mark in forbidden.get(role, ()) if body is not None else ():
            if mark in body:
                problems.append(f"{where}: the answer shows {mark!r}")
    close_response(response)
    return problems


@pytest.mark.parametrize("url_name", URL_NAMES)
def test_url_answers_every_account_as_decided(client, world, url_name):
    decision = DECISIONS[url_name]
    problems = []
    for check in decision.checks:
        sides = ("a", "b") if decision.b is not None else ("a",)
        for side in sides:
            for role in ROLES:
                problems += _run_cell(client, world, url_name, decision, check, role, side)
    assert problems == []


# --- Existence probes: what a user may not see answers exactly as what does not exist ----------------------

MISSING = 1_000_000


def _object_urls() -> list[str]:
    """Every URL that names objects by integer ids (token and key addresses are tested above and below)."""
    names = []
    for name, decision in DECISIONS.items():
        if decision.bearer or decision.a is _none:
            continue
        names.append(name)
    return sorted(names)


def _answer(client, world, user, method: str, path: str, data: dict[str, Any]):
    client.logout()
    client.force_login(user)
    with transaction.atomic():
        before = db_state()
        response = _request(client, method, path, data=data, query={})
        after = db_state()
        transaction.set_rollback(True)
    close_response(response)
    assert before == after, f"{method.upper()} {path} wrote {changed_tables(before, after)}"
    return response


@pytest.mark.parametrize("url_name", _object_urls())
def test_missing_object_is_404_for_every_account(client, world, url_name):
    """Ids that do not exist answer 404 to everyone logged in, whatever they may do with existing objects —
    a refusal (403) is only ever given about an object the person may see."""
    decision = DECISIONS[url_name]
    kwargs = {key: MISSING + value for key, value in decision.a(world).items()}
    path = reverse(url_name, kwargs=kwargs)
    problems = []
    for check in decision.checks:
        for role in ROLES[1:]:
            if check.a[role] == 405:
                continue  # a method the view does not answer at all, whatever the id
            response = _answer(client, world, getattr(world, ACCOUNT[role]), check.method, path, check.data(world))
            if response.status_code != 404:
                problems.append(f"{check.method.upper()} {url_name} as {role}: {response.status_code}")
    assert problems == []


@pytest.mark.parametrize("url_name", _object_urls())
def test_object_a_person_may_not_see_answers_exactly_as_a_missing_one(client, world, url_name):
    """Where the table says 404 (the person may not see the object), the answer is byte for byte the one for an
    id that does not exist: status and body alike."""
    decision = DECISIONS[url_name]
    compared = 0
    for check in decision.checks:
        for side, builder in (("a", decision.a), ("b", decision.b)):
            if builder is None:
                continue
            expected = check.a if side == "a" or check.b is None else check.b
            for role in ROLES[1:]:
                if expected[role] != 404:
                    continue
                user = getattr(world, ACCOUNT[role])
                kwargs = builder(world)
                missing = {key: MISSING + value for key, value in kwargs.items()}
                data = check.data(world)
                seen = _answer(client, world, user, check.method, reverse(url_name, kwargs=kwargs), data)
                absent = _answer(client, world, user, check.method, reverse(url_name, kwargs=missing), data)
                assert (seen.status_code, seen.content) == (absent.status_code, absent.content), (side, role)
                compared += 1
    if url_name in {"workplan:task_update", "workplan:task_detail", "workplan:attachment_download"}:
        assert compared > 0  # the comparison itself is exercised


# --- Exports with tampered filters and posted ids -----------------------------------------------------


def _xlsx_text(response) -> str:
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    return "\n".join(
        str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row
    )


@pytest.mark.parametrize("account", ["staff_a", "head_a"])
def test_xlsx_export_with_a_foreign_agency_filter_holds_no_foreign_row(client, world, account):
    client.force_login(getattr(world, account))
    response = client.get(reverse("workplan:task_export_xlsx"), {"agency": world.agency_b.pk})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    text = _xlsx_text(response)
    assert MARK_B not in text
    # Agency B is not among the agencies agency A may filter by (it is on none of A's tasks): the tampered
    # filter is not a valid choice and is left out, so the file holds A's own rows and nothing else.
    assert f"{MARK_A}: поручение" in text


def test_xlsx_export_of_foreign_ticked_rows_holds_only_own_rows(client, world):
    client.force_login(world.staff_a)
    response = client.post(
        reverse("workplan:task_export_xlsx"), {"id": [world.task_a.pk, world.task_b.pk, world.pending_b.pk]}
    )
    text = _xlsx_text(response)
    assert world.task_a.title in text
    assert MARK_B not in text


def test_xlsx_export_for_the_secretariat_holds_both_agencies(client, world):
    """The same file for the secretariat does carry both agencies, so the checks above can fail."""
    client.force_login(world.secretariat)
    text = _xlsx_text(client.get(reverse("workplan:task_export_xlsx")))
    assert world.task_a.title in text
    assert world.task_b.title in text


def test_csv_export_with_a_foreign_agency_filter_answers_as_for_a_missing_agency(client, world):
    """Agency A is not a choice agency B's people may filter by: the file is the one a missing agency id gives
    (the filter left out), so nothing tells an agency that is there from one that is not, and no foreign row."""
    client.force_login(world.staff_b)
    query = {"event": world.event.pk, "q": "Секрет"}
    url = reverse("workplan:task_export_csv")
    foreign = client.get(url, {"agency": world.agency_a.pk, **query}).content.decode()
    missing = client.get(url, {"agency": 999_999, **query}).content.decode()
    assert foreign == missing
    assert MARK_A not in foreign
    assert [line.split(",")[2] for line in foreign.splitlines()[1:]] == [
        f'"{MARK_B}: поручение"',
        f'"{MARK_B}: перенос срока"',
    ]


# --- File downloads --------------------------------------------------------------------------------


def test_own_attachment_is_served_as_a_download_with_its_name(client, world):
    client.force_login(world.staff_a)
    response = client.get(reverse("workplan:attachment_download", args=[world.attachment_a.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")
    close_response(response)


@pytest.mark.parametrize("account", ["staff_a", "head_a"])
def test_foreign_and_missing_attachments_look_the_same(client, world, account):
    """A foreign file's id answers exactly like an id that does not exist: nothing tells them apart."""
    client.force_login(getattr(world, account))
    foreign = client.get(reverse("workplan:attachment_download", args=[world.attachment_b.pk]))
    missing = client.get(reverse("workplan:attachment_download", args=[world.attachment_b.pk + 1000]))
    assert (foreign.status_code, missing.status_code) == (404, 404)
    assert foreign.content == missing.content


# --- Bulk actions with foreign ids -----------------------------------------------------------------


def test_bulk_action_with_a_nonexistent_id_changes_nothing(client, world):
    client.force_login(world.secretariat)
    before = db_state()
    response = client.post(
        reverse("workplan:task_bulk"),
        {"action": "shift", "id": [world.task_a.pk, 999_999], "days": "3", "reason": "Перенос"},
    )
    assert response.status_code == 302
    assert changed_tables(before, db_state()) == []


@pytest.mark.parametrize("account", ["staff_a", "head_a", "staff_b"])
def test_bulk_action_by_agency_people_with_foreign_ids_is_forbidden(client, world, account):
    client.force_login(getattr(world, account))
    before = db_state()
    response = client.post(
        reverse("workplan:task_bulk"),
        {"action": "reassign", "id": [world.task_a.pk, world.task_b.pk], "new_lead_agency": world.agency_a.pk},
    )
    assert response.status_code == 403
    assert changed_tables(before, db_state()) == []


def test_bulk_reassign_by_the_secretariat_does_change_the_rows(client, world):
    """The positive case of the two above: the same POST by the secretariat moves both tasks."""
    client.force_login(world.secretariat)
    client.post(
        reverse("workplan:task_bulk"),
        {
            "action": "reassign",
            "id": [world.task_a.pk, world.task_b.pk],
            "new_lead_agency": world.agency_a.pk,
            "confirm": "yes",
        },
    )
    assert set(
        Task.objects.filter(pk__in=[world.task_a.pk, world.task_b.pk]).values_list("lead_agency", flat=True)
    ) == {world.agency_a.pk}


# --- iCalendar feed tokens -------------------------------------------------------------------------


def test_feed_token_shows_its_owners_tasks_whoever_is_logged_in(client, world):
    client.force_login(world.secretariat)
    response = client.get(reverse("calendar:feed", args=[world.feed_a.key]))
    body = response.content.decode()
    assert response.status_code == 200
    assert MARK_A in body  # the key's owner's tasks ...
    assert MARK_B not in body  # ... and never the logged-in secretariat's wider view


@pytest.mark.parametrize("key", ["a" * 39, "A" * 40, "z" * 40, "0"])
def test_feed_with_an_unknown_key_is_not_found(client, world, key):
    assert client.get(reverse("calendar:feed", args=[key])).status_code == 404


def test_feed_token_revoked_no_longer_works(client, world):
    client.force_login(world.staff_a)
    url = reverse("calendar:feed", args=[world.feed_a.key])
    client.post(reverse("calendar:settings"), {"action": "revoke"})
    client.logout()
    assert client.get(url).status_code == 404


def test_feed_token_regenerated_replaces_the_old_address(client, world):
    client.force_login(world.staff_a)
    old = reverse("calendar:feed", args=[world.feed_a.key])
    client.post(reverse("calendar:settings"), {"action": "issue"})
    world.feed_a.refresh_from_db()
    assert client.get(old).status_code == 404
    assert client.get(reverse("calendar:feed", args=[world.feed_a.key])).status_code == 200


def test_feed_of_a_deactivated_person_stops_working(client, world):
    world.staff_a.is_active = False
    world.staff_a.save()
    assert client.get(reverse("calendar:feed", args=[world.feed_a.key])).status_code == 404


# --- Signed links in mails -------------------------------------------------------------------------


def _action_url(world, *, user=None, task=None, action="report") -> str:
    token = links.task_action_token(user=user or world.staff_a, task_id=(task or world.task_a).pk, action=action)
    return reverse("notifications:task_action", args=[token])


def test_signed_link_expired_is_refused_and_writes_nothing(client, world):
    url = _action_url(world)
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(days=400)):
        before = db_state()
        response = client.post(url, {"text": "Поздно"}, HTTP_ACCEPT_LANGUAGE="en")
        assert changed_tables(before, db_state()) == []
    assert response.status_code == 400
    assert "This link has expired." in response.content.decode()


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # the signature
        lambda t: "x" + t,  # the payload
        lambda t: t.split(":")[0],  # the signature dropped
    ],
)
def test_signed_link_tampered_is_refused_and_writes_nothing(client, world, tamper):
    token = links.task_action_token(user=world.staff_a, task_id=world.task_a.pk, action="report")
    before = db_state()
    response = client.post(reverse("notifications:task_action", args=[tamper(token)]), {"text": "Подделка"})
    assert response.status_code == 400
    assert changed_tables(before, db_state()) == []


def test_signed_link_re_signed_for_a_foreign_task_under_another_salt_is_refused(client, world):
    """A token signed for another purpose (the unsubscribe salt) cannot stand in for a task link."""
    forged = signing.dumps({"u": world.staff_a.pk, "t": world.task_b.pk, "a": "report"}, salt=links.UNSUBSCRIBE_SALT)
    before = db_state()
    response = client.post(reverse("notifications:task_action", args=[forged]), {"text": "Подделка"})
    assert response.status_code == 400
    assert changed_tables(before, db_state()) == []


def test_signed_link_for_a_task_outside_the_persons_agency_is_refused(client, world):
    before = db_state()
    response = client.post(_action_url(world, user=world.staff_a, task=world.task_b), {"text": "Чужое"})
    assert response.status_code == 403
    assert changed_tables(before, db_state()) == []


@pytest.mark.parametrize("account", ["staff_b", "head_a", "secretariat"])
def test_signed_link_used_by_another_logged_in_person_is_refused(client, world, account):
    client.force_login(getattr(world, account))
    before = db_state()
    response = client.post(_action_url(world), {"text": "Не от того человека"})
    assert response.status_code == 403
    assert changed_tables(before, db_state()) == []


def test_signed_link_used_by_its_own_person_logged_in_records_the_report(client, world):
    client.force_login(world.staff_a)
    response = client.post(_action_url(world), {"text": "Сделано"})
    assert response.status_code == 200
    assert world.task_a.reports.filter(text="Сделано", author=world.staff_a).count() == 1


def test_signed_extension_link_by_another_person_leaves_no_request(client, world):
    client.force_login(world.head_a)
    response = client.post(
        _action_url(world, action="extend"), {"new_deadline": "2026-12-05", "reason": "Не от того человека"}
    )
    assert response.status_code == 403
    assert not ExtensionRequest.objects.filter(task=world.task_a).exists()


# --- Admin: what tests/admin/test_isolation.py does not walk ---------------------------------------


def _autocomplete(client, app_label: str, model_name: str, field_name: str, term: str):
    return client.get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term},
    )


@pytest.mark.parametrize("account", ["staff_a", "head_a"])
def test_admin_autocomplete_searching_for_a_foreign_object_finds_nothing(client, world, account):
    """Searching for agency B's task by its title, number or id from a field agency A may use."""
    client.force_login(getattr(world, account))
    for term in (world.task_b.title, str(world.task_b.pk), MARK_B):
        response = _autocomplete(client, "workplan", "task", "parent", term)
        if response.status_code == 200:
            assert json.loads(response.content)["results"] == [], term
        else:
            assert response.status_code == 403, term


@pytest.mark.parametrize("account", ["staff_a", "head_a"])
def test_admin_autocomplete_for_agencies_offers_only_the_own_agency(client, world, account):
    client.force_login(getattr(world, account))
    response = _autocomplete(client, "accounts", "user", "agency", world.agency_b.short_name)
    if response.status_code == 200:
        assert json.loads(response.content)["results"] == []
    else:
        assert response.status_code == 403


def test_admin_autocomplete_for_the_secretariat_finds_the_foreign_task(client, world):
    """The same search by the secretariat finds agency B's task: the searches above could find it."""
    client.force_login(world.secretariat)
    response = _autocomplete(client, "workplan", "task", "parent", MARK_B)
    ids = {int(row["id"]) for row in json.loads(response.content)["results"]}
    assert world.task_b.pk in ids


def _changelist_action(client, label: str, action: str, ids: list[int]):
    app_label, model_name = label.split(".")
    return client.post(
        reverse(f"admin:{app_label}_{model_name}_changelist"),
        {"action": action, "_selected_action": [str(i) for i in ids], "index": "0"},
    )


ADMIN_ACTIONS = sorted(
    (model._meta.label_lower, name)
    for model, model_admin in admin.site._registry.items()
    for name in (model_admin.actions or ())
)


def test_admin_actions_are_known():
    """A new admin bulk action must be added to the cases below."""
    assert ADMIN_ACTIONS == [
        ("accounts.securityevent", "export_csv"),
        ("accounts.user", "end_all_sessions"),
        ("axes.accessattempt", "cleanup_expired_attempts"),
        ("calendars.calendarday", "reseed_years"),
        ("committee.meeting", "cancel"),
        ("notifications.mailhold", "release"),
        ("notifications.notification", "cancel"),
        ("notifications.notification", "retry"),
        ("webhooks.delivery", "retry"),
        ("webhooks.endpoint", "deactivate"),
        ("workplan.extensionrequest", "approve"),
        ("workplan.extensionrequest", "reject"),
    ]


@pytest.mark.parametrize("account", ["staff_a", "head_a", "staff_b", "sec", "kz"])
def test_admin_webhook_actions_with_foreign_ids_change_nothing(client, world, account):
    """Agency B's endpoint and delivery, ticked by hand: nobody of the world owns them, nothing changes."""
    client.force_login(getattr(world, ACCOUNT[account]))
    for label, action, pk_ in (
        ("webhooks.endpoint", "deactivate", world.endpoint_b.pk),
        ("webhooks.delivery", "retry", world.delivery_b.pk),
    ):
        before = db_state()
        response = _changelist_action(client, label, action, [pk_])
        assert response.status_code in (200, 302, 403), (label, account)
        assert changed_tables(before, db_state()) == [], (label, account)


@pytest.mark.parametrize("account", ["staff_a", "head_a", "staff_b"])
@pytest.mark.parametrize("action", ["approve", "reject"])
def test_admin_extension_action_by_agency_people_with_foreign_ids_changes_nothing(client, world, account, action):
    client.force_login(getattr(world, account))
    ids = list(ExtensionRequest.objects.values_list("pk", flat=True))
    before = db_state()
    response = _changelist_action(client, "workplan.extensionrequest", action, ids)
    assert response.status_code in (200, 302)  # the changelist again: the action is not offered to them
    assert changed_tables(before, db_state()) == []
    assert set(ExtensionRequest.objects.values_list("status", flat=True)) == {"pending"}


def test_admin_extension_action_by_the_secretariat_decides_both(client, world):
    client.force_login(world.secretariat)
    ids = list(ExtensionRequest.objects.values_list("pk", flat=True))
    _changelist_action(client, "workplan.extensionrequest", "reject", ids)
    assert set(ExtensionRequest.objects.values_list("status", flat=True)) == {"rejected"}


def test_admin_extension_action_by_the_kz_secretariat_decides_only_the_kazakh_one(client, world):
    """Both ids posted: agency A's request is not on its changelist and stays pending."""
    client.force_login(world.kz_secretariat)
    ids = list(ExtensionRequest.objects.values_list("pk", flat=True))
    _changelist_action(client, "workplan.extensionrequest", "reject", ids)
    statuses = dict(ExtensionRequest.objects.values_list("task__lead_agency__country", "status"))
    assert statuses == {"RU": "pending", "KZ": "rejected"}


def test_bulk_reassign_by_the_kz_secretariat_to_a_russian_agency_changes_nothing(client, world):
    client.force_login(world.kz_secretariat)
    before = db_state()
    response = client.post(
        reverse("workplan:task_bulk"),
        {"action": "reassign", "id": [world.task_b.pk], "new_lead_agency": world.agency_a.pk},
    )
    assert response.status_code == 302
    assert changed_tables(before, db_state()) == []


@pytest.mark.parametrize("account", ["staff_a", "head_a", "staff_b", "kz_secretariat"])
@pytest.mark.parametrize(
    ("label", "action", "ids"),
    [
        ("committee.meeting", "cancel", lambda w: [w.meeting.pk, w.other_meeting.pk]),
        ("notifications.notification", "retry", lambda w: [1, 2, 3]),
        ("notifications.notification", "cancel", lambda w: [1, 2, 3]),
        ("notifications.mailhold", "release", lambda w: [1, 2, 3]),
        ("calendars.calendarday", "reseed_years", lambda w: [1]),
        ("axes.accessattempt", "cleanup_expired_attempts", lambda w: [1]),
        ("accounts.securityevent", "export_csv", lambda w: [1, 2, 3]),
    ],
)
def test_admin_secretariat_actions_posted_by_agency_people_change_nothing(client, world, account, label, action, ids):
    client.force_login(getattr(world, account))
    before = db_state()
    response = _changelist_action(client, label, action, ids(world))
    assert response.status_code == 403
    assert changed_tables(before, db_state()) == []


@pytest.mark.parametrize("account", ["staff_a", "head_a", "staff_b"])
def test_admin_end_all_sessions_of_people_out_of_reach_changes_nothing(client, world, account):
    foreign = world.staff_b if account != "staff_b" else world.staff_a
    Client().force_login(foreign)
    client.force_login(getattr(world, account))
    before = db_state()
    response = _changelist_action(client, "accounts.user", "end_all_sessions", [foreign.pk, world.secretariat.pk])
    assert response.status_code in (200, 302, 403)
    assert changed_tables(before, db_state()) == []


def test_admin_user_added_by_an_agency_head_into_a_foreign_agency_lands_in_their_own(client, world):
    """The agency is not on an agency head's form: a posted foreign agency id is ignored, never obeyed."""
    client.force_login(world.head_a)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "intruder",
            "usable_password": "false",
            "last_name": "Новиков",
            "first_name": "Пётр",
            "agency": world.agency_b.pk,
            "role": "agency_staff",
            "time_zone": "Asia/Omsk",
            "language": "ru",
        },
    )
    assert response.status_code == 302
    from omskevents.accounts.models import User

    assert User.objects.get(username="intruder").agency_id == world.agency_a.pk


def test_admin_head_cannot_raise_a_foreign_person(client, world):
    client.force_login(world.head_a)
    before = db_state()
    response = client.post(
        reverse("admin:accounts_user_change", args=[world.staff_b.pk]),
        {"username": "staff_b", "role": "agency_head", "is_active": "on"},
    )
    assert response.status_code == 404
    assert changed_tables(before, db_state()) == []
