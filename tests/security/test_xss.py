"""Stored XSS: a script payload in every text field people can edit is escaped on every page, in the admin and in
the HTML mails.

The text fields are found from the models, not listed by hand: every CharField and TextField without choices
(and not an address, a key or a name the system validates) of every object in the world gets the payload.
"""

import datetime as dt

import pytest
import time_machine
from django.contrib import admin
from django.db import models
from django.test import RequestFactory
from django.urls import reverse
from django.utils.html import escape

from omskevents.events.models import Delegation
from omskevents.notifications import emails, links
from omskevents.notifications.enums import Kind
from omskevents.notifications.models import Notification
from tests.security.conftest import changed_tables, db_state

pytestmark = pytest.mark.django_db

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>"\''
ESCAPED = escape(PAYLOAD)
# What must never reach a page unescaped: the script element, the image with its handler, the attribute break-out.
RAW = ('<script>alert("x")', "<img src=x onerror", "onerror=alert(1)>")
# Values the system validates or that are not free text: a payload there is refused, not stored.
NOT_FREE_TEXT = {"username", "password", "time_zone", "key", "content_type", "language", "city", "original_name"}


def _text_fields(obj: models.Model) -> list[models.Field]:
    return [
        f
        for f in obj._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not isinstance(f, models.EmailField | models.URLField | models.SlugField | models.FileField)
        and not f.choices
        and f.name not in NOT_FREE_TEXT
        and (f.max_length is None or f.max_length >= len(PAYLOAD) + 20)
    ]


def fill(obj: models.Model, tag: str) -> list[str]:
    """Put the payload (with a tag that keeps unique fields unique) into every free-text field; returns their names."""
    names = []
    for f in _text_fields(obj):
        setattr(obj, f.attname, f"{PAYLOAD} {tag}")
        names.append(f.name)
    obj.save()
    return names


@pytest.fixture
def hostile(world):
    """The world with the payload in every free-text field of every object."""
    world.delegation = Delegation.objects.create(event=world.event, side="KZ", name="x")
    world.task_a.working_group = world.group
    world.task_a.deadline_note = "x"
    world.task_a.save()
    world.programme = world.event.programme.get()
    world.venue = world.programme.venue
    world.extension_a = world.pending_a.extension_requests.get()
    world.comment_a = world.task_a.comments.get()
    filled = {}
    for name, obj in sorted(vars(world).items()):
        if isinstance(obj, models.Model):
            filled[name] = fill(obj, name[:18])
    # The attachment's name is shown as typed by the uploader.
    world.attachment_a.original_name = f"{PAYLOAD}.pdf"
    world.attachment_a.save()
    world.filled = filled
    return world


def test_every_kind_of_text_the_users_write_is_filled(hostile):
    """The fields the issue names are among those the model walk found (a renamed field would drop out)."""
    filled = hostile.filled
    assert {"title", "description", "deadline_note"} <= set(filled["task_a"])
    assert set(filled["report_a"]) == {"text"}
    assert {"text"} <= set(filled["decision"])
    assert {"name", "short_name", "name_en"} <= set(filled["agency_a"])
    assert {"first_name", "last_name", "patronymic", "position"} <= set(filled["staff_a"])
    assert {"title_ru", "title_en", "short_title", "description"} <= set(filled["event"])
    assert {"title", "description", "moderator"} <= set(filled["programme"])
    assert {"name", "address"} <= set(filled["venue"])
    assert {"title", "place", "minutes"} <= set(filled["meeting"])
    assert {"title", "speaker"} <= set(filled["item"])
    assert {"name", "head", "notes"} <= set(filled["delegation"])
    assert {"reason", "decision_note"} <= set(filled["extension_a"])
    assert set(filled["comment_a"]) == {"text"}
    assert {"name"} <= set(filled["committee"])
    assert {"name"} <= set(filled["group"])
    assert {"last_name", "first_name", "name_alt", "position", "organisation", "accessibility", "diet", "hotel"} <= set(
        filled["delegate_a"]
    )
    assert {"place", "met_by"} <= set(filled["journey_a"])
    assert {"place", "ru_co_chair", "kz_co_chair"} <= set(filled["protocol"])
    assert {"title"} <= set(filled["protocol_section"])
    assert {"text_ru", "text_kk", "struck_note"} <= set(filled["item_a"])
    assert {"title", "ru_organisations", "kz_organisations", "ru_signatory", "kz_signatory", "notes"} <= set(
        filled["agreement_a"]
    )
    assert {"signed_place", "signed_by"} <= set(filled["agreement_a"])
    assert set(filled["version_a"]) == {"comment"}


def _assert_escaped(body: str, where: str) -> None:
    for fragment in RAW:
        assert fragment not in body, f"{where}: unescaped {fragment!r}"
    assert ESCAPED in body, f"{where}: the escaped payload is missing (the page shows none of the text?)"


def _pages(w) -> list[tuple[str, str]]:
    """(account, path) of every page that shows what people wrote."""
    token = links.task_action_token(user=w.staff_a, task_id=w.task_a.pk, action="report")
    extend = links.task_action_token(user=w.staff_a, task_id=w.pending_a.pk, action="extend")
    month = w.meeting.starts_at.strftime("%Y-%m")
    common = [
        reverse("dashboard:home"),
        reverse("workplan:task_list"),
        reverse("workplan:task_list") + "?q=script",
        reverse("workplan:timeline"),
        reverse("workplan:task_detail", args=[w.task_a.pk]),
        reverse("workplan:task_detail", args=[w.pending_a.pk]),
        reverse("agencies:list"),
        reverse("agencies:detail", args=[w.agency_a.pk]),
        reverse("event_pages:list"),
        reverse("event_pages:detail", args=[w.event.pk]),
        reverse("events:delegation", args=[w.event.pk, w.delegation_a.pk]),
        reverse("events:arrivals", args=[w.event.pk]),
        reverse("events:programme", args=[w.event.pk]),
        reverse("committee:meeting_list"),
        reverse("committee_pages:list"),
        reverse("committee_pages:detail", args=[w.committee.pk]),
        reverse("committee:meeting_calendar") + f"?month={month}",
        reverse("committee:meeting_detail", args=[w.meeting.pk]),
        reverse("calendar:settings"),
        reverse("notifications:preferences"),
        reverse("protocol:list"),
        reverse("protocol:detail", args=[w.protocol.pk]),
        reverse("agreements:register"),
        reverse("agreements:register") + f"?event={w.event.pk}&stage=proposed",
        reverse("agreements:detail", args=[w.agreement_a.pk]),
    ]
    secretariat_only = [
        reverse("protocol:item_edit", args=[w.item_a.pk]),
        reverse("agreements:update", args=[w.agreement_a.pk]),
        reverse("agreements:create") + f"?event={w.event.pk}",
        reverse("workplan:task_update", args=[w.task_a.pk]),
        reverse("workplan:task_create") + f"?event={w.event.pk}",
        reverse("committee:meeting_update", args=[w.meeting.pk]),
        reverse("committee:meeting_close", args=[w.meeting.pk]),
        reverse("committee:meeting_create"),
        reverse("workplan:next_event", args=[w.event.pk]),
    ]
    anonymous = [
        reverse("notifications:task_action", args=[token]),
        reverse("notifications:task_action", args=[extend]),
    ]
    return (
        [("secretariat", p) for p in common + secretariat_only]
        + [("staff_a", p) for p in common]
        + [("head_a", p) for p in common[:1]]
        + [(None, p) for p in anonymous]
    )


def test_pages_escape_the_payload(client, hostile):
    for account, path in _pages(hostile):
        client.logout()
        if account:
            client.force_login(getattr(hostile, account))
        response = client.get(path)
        assert response.status_code == 200, (account, path)
        _assert_escaped(response.content.decode(), f"{account} {path}")


def test_form_errors_echo_the_payload_escaped(client, hostile):
    """A refused form shows the typed value back: escaped, and nothing stored."""
    client.force_login(hostile.secretariat)
    before = db_state()
    response = client.post(
        reverse("workplan:task_create"),
        {"title": PAYLOAD, "description": PAYLOAD, "deadline_mode": "fixed", "number": PAYLOAD[:20]},
    )
    assert response.status_code == 200
    _assert_escaped(response.content.decode(), "task form with errors")
    assert changed_tables(before, db_state()) == []


def _admin_pages(w) -> list[str]:
    """The admin index, every changelist, and the change and history pages of the objects the secretariat's admin
    lists (all of every model but the webhooks' endpoints and deliveries, which are their owners' alone)."""
    paths = [reverse("admin:index")]
    request = RequestFactory().get("/admin/")
    request.user = w.secretariat
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        paths.append(reverse("admin:{}_{}_changelist".format(*info)))
        for obj in model_admin.get_queryset(request).order_by("pk")[:5]:
            paths.append(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
            paths.append(reverse("admin:{}_{}_history".format(*info), args=[obj.pk]))
    return paths


# Admin pages that show no free text of the world (the escaping is still checked on them).
ADMIN_WITHOUT_TEXT = {
    "axes_accessattempt",
    "axes_accesslog",
    "axes_accessfailurelog",
    "calendars_calendarday",
    "notifications_remindersettings",
    "notifications_notificationpreference",
    "notifications_notification",
}


def test_admin_pages_escape_the_payload(client, hostile):
    client.force_login(hostile.secretariat)
    for path in _admin_pages(hostile):
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        if any(f"/{label.replace('_', '/')}/" in path for label in ADMIN_WITHOUT_TEXT):
            for fragment in RAW:
                assert fragment not in body, path
        else:
            _assert_escaped(body, path)


def test_admin_search_echoes_the_payload_escaped(client, hostile):
    client.force_login(hostile.secretariat)
    response = client.get(reverse("admin:workplan_task_changelist"), {"q": PAYLOAD})
    _assert_escaped(response.content.decode(), "admin search")


def test_admin_pages_of_an_agency_head_escape_the_payload(client, hostile):
    client.force_login(hostile.head_a)
    for path in (
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_change", args=[hostile.staff_a.pk]),
        reverse("admin:workplan_task_changelist"),
        reverse("admin:workplan_task_change", args=[hostile.task_a.pk]),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        _assert_escaped(response.content.decode(), path)


# --- HTML mail ------------------------------------------------------------------------------------------


def _row(w, kind: str, **fields) -> Notification:
    now = dt.datetime(2026, 5, 8, 3, 0, tzinfo=dt.UTC)
    return Notification.objects.create(
        kind=kind,
        item_key="x",
        recipient_key=f"user:{w.staff_a.pk}",
        occasion=kind,
        recipient=fields.pop("recipient", w.staff_a),
        agency=w.agency_a,
        to_email="exec@example.org",
        scheduled_for=now,
        next_attempt_at=now,
        **fields,
    )


def _mail_rows(w) -> list[Notification]:
    report = {"report": w.report_a.pk}
    extension = {"extension": w.extension_a.pk}
    task_kinds = {
        Kind.ASSIGNMENT: {},
        Kind.DEADLINE: {"offset": 3},
        Kind.OVERDUE: {"day": 2},
        Kind.REPORT_SUBMITTED: report,
        Kind.REPORT_ACCEPTED: report,
        Kind.REPORT_RETURNED: report,
        Kind.EXTENSION_REQUESTED: extension,
        Kind.EXTENSION_DECIDED: extension,
        Kind.PAIR_MISMATCH: {"counterpart": w.task_b.pk},
        Kind.AWAITING_ACCEPTANCE: {"day": 4},
    }
    rows = [_row(w, kind, task=w.task_a, context=context) for kind, context in task_kinds.items()]
    rows += [
        _row(w, kind, meeting=w.meeting)
        for kind in (Kind.MEETING_INVITATION, Kind.MEETING_REMINDER, Kind.MEETING_UPDATE, Kind.MEETING_CANCELLED)
    ]
    rows.append(
        _row(
            w,
            Kind.AGREEMENT_DEADLINE,
            deadline=w.agreement_a.next_deadline,
            context={"agreement": w.agreement_a.pk, "stage": "draft_ready", "offset": 1},
        )
    )
    rows.append(_row(w, Kind.DIGEST, context={"period": "2026-11-20"}))
    rows.append(_row(w, Kind.AGENCY_DIGEST, context={"period": "2026-11-20", "agency": w.agency_a.pk}))
    rows.append(
        _row(w, Kind.READINESS, recipient=w.secretariat, context={"period": "2026-11-20", "committee": w.committee.pk})
    )
    rows.append(_row(w, Kind.DISCIPLINE_REPORT, recipient=w.secretariat, context={"period": "week:2026-W47"}))
    return rows


def test_every_mail_kind_is_checked(hostile):
    assert {row.kind for row in _mail_rows(hostile)} == set(Kind.values)


def test_html_mails_escape_the_payload(hostile):
    # The digests list the tasks due soon: the clock stands a few weeks before the deadlines of the world.
    with time_machine.travel(dt.datetime(2026, 11, 20, 3, 0, tzinfo=dt.UTC), tick=False):
        for row in _mail_rows(hostile):
            message = emails.build_message(row, message_id="<x@example.org>")
            html = message.alternatives[0][0]
            _assert_escaped(html, f"mail {row.kind}")
            assert "\n" not in message.subject, row.kind
