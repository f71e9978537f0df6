"""Turning an outbox row into a mail: text and HTML from templates/emails/, in the recipient's language."""

import datetime as dt
import functools
import hashlib
import hmac
from email.generator import BytesGenerator
from email.message import Message
from email.mime.text import MIMEText
from email.policy import Compat32
from email.utils import parseaddr
from io import BytesIO
from typing import Any, cast

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import sanitize_address
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from omskevents.accounts.enums import AbsenceReason
from omskevents.accounts.models import User
from omskevents.calendars.services import add_working_days, calendar_country
from omskevents.committee.ical import meeting_invitation_ics
from omskevents.workplan import permissions
from omskevents.workplan.discipline import discipline_report
from omskevents.workplan.discipline_xlsx import discipline_xlsx
from omskevents.workplan.exports import XLSX_CONTENT_TYPE
from omskevents.workplan.models import ExtensionRequest, ProgressReport, Task
from omskevents.workplan.selectors import tasks_visible_to

from . import links, selectors, wording
from .enums import BULK_KINDS, MEETING_KINDS, Kind
from .models import Notification, NotificationPreference
from .planning_agreements import agreement_mail_context


def _mail_domain() -> str:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "omskevents.local"


@functools.lru_cache(maxsize=4096)
def encoded_address(address: str, encoding: str) -> str:
    """Django's sanitize_address, once per process and address: the From header (its Cyrillic name encoded), MAIL
    FROM and RCPT TO. The email package's parser took 0.05–0.15 ms a call, several calls a mail, for the same
    sender every time and the same person for each of their mails."""
    return sanitize_address(address, encoding)


class _Compat32ShortHeaders(Compat32):
    """Python's compat32 policy, the one Django's messages are made with, with a short cut for the headers most of
    a mail consists of: a one-line printable ASCII value that fits the line is written as it stands. compat32 builds
    an email.header.Header for every header to find that out (19 a mail, a third of a millisecond in all); for such
    a value its output is the same, byte for byte (tests/security/test_mail_conventions.py compares every kind of
    mail)."""

    def fold_binary(self, name: str, value: Any) -> bytes:
        if (
            isinstance(value, str)
            and value.isascii()
            and value.isprintable()
            and value == value.strip()
            and "  " not in value
            and len(name) + 2 + len(value) <= (self.max_line_length or 78)
        ):
            return f"{name}: {value}{self.linesep}".encode("ascii")
        return super().fold_binary(name, value)


SHORT_HEADERS_CRLF = _Compat32ShortHeaders(linesep="\r\n")


def message_bytes(message: EmailMultiAlternatives) -> bytes:
    """The message as the SMTP server receives it (CRLF line ends): what Django's `message().as_bytes(linesep=
    "\r\n")` gives, written with SHORT_HEADERS_CRLF."""
    return mime_bytes(message.message())


def mime_bytes(mime: Message) -> bytes:
    """A MIME message's bytes with CRLF line ends, as `message_bytes` writes them."""
    out = BytesIO()
    BytesGenerator(out, mangle_from_=False, policy=SHORT_HEADERS_CRLF).flatten(mime)
    return out.getvalue()


def message_id_for(row: Notification) -> str:
    """Deterministic per row: a re-sent message carries the same Message-ID and is recognisable."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"outbox-{row.pk}".encode(), hashlib.sha256).hexdigest()[:16]
    return f"<outbox-{row.pk}-{digest}@{_mail_domain()}>"


def one_line(text: str) -> str:
    """Collapse every run of whitespace, CR and LF included: nothing can start a new header line."""
    return " ".join(text.split())


def _language(row: Notification, pref: NotificationPreference | None) -> str:
    if row.recipient is not None:
        if pref is None:
            pref = selectors.preference_for(row.recipient)
        return pref.language or row.recipient.language or settings.LANGUAGE_CODE
    return settings.LANGUAGE_CODE


def _time_zone(row: Notification) -> str:
    if row.recipient is not None:
        return row.recipient.time_zone
    if row.agency is not None:
        return selectors.recipient_for_agency(row.agency).time_zone
    return settings.TIME_ZONE


def _task_links(row: Notification, task: Task | None) -> dict[str, str]:
    user = row.recipient
    if user is None or task is None:
        return {}
    found: dict[str, str] = {}
    if permissions.can_report_progress(user, task):
        found["report_url"] = links.task_action_url(user=user, task_id=task.pk, action="report")
    if permissions.can_request_extension(user, task):
        found["extension_url"] = links.task_action_url(user=user, task_id=task.pk, action="extend")
    return found


def _digest_items(row: Notification, today: dt.date) -> dict[str, Any]:
    rules = selectors.reminder_settings_get()
    country = calendar_country(row.recipient.agency if row.recipient is not None else row.agency)
    soon = add_working_days(country, today, max(rules.offsets, default=7))
    if row.kind == Kind.AGENCY_DIGEST and row.agency is not None:
        tasks = list(selectors.agency_digest_tasks(row.agency))
    else:
        # A personal digest is always made for a person: its row has a recipient.
        tasks = list(selectors.personal_digest_tasks(cast(User, row.recipient)))
    groups = selectors.split_by_urgency(tasks, today=today, soon=soon)
    entries = {
        name: [{"task": t, "url": links.absolute(t.get_absolute_url())} for t in items]
        for name, items in groups.items()
    }
    return {"groups": entries, "count": len(tasks), "events": sorted({t.event.short_title for t in tasks})}


def context_for(row: Notification, *, now: dt.datetime) -> dict[str, Any]:
    task, meeting = row.task, row.meeting
    today = timezone.localdate(now)
    ctx: dict[str, Any] = {
        "row": row,
        "kind": row.kind,
        "recipient": row.recipient,
        "recipient_name": str(row.recipient) if row.recipient is not None else (row.agency.name if row.agency else ""),
        "task": task,
        "meeting": meeting,
        "site_url": settings.SITE_URL,
        "preferences_url": links.preferences_url(),
        "today": today,
        **row.context,
    }
    if task is not None:
        ctx["event"] = task.event
        ctx["item_url"] = links.absolute(task.get_absolute_url())
        ctx.update(_task_links(row, task))
    if meeting is not None:
        ctx["event"] = meeting.committee.events.order_by("start_date").first()
        ctx["item_url"] = links.absolute(meeting.get_absolute_url())
        ctx["agenda"] = list(meeting.agenda.all())
    if "report" in row.context:
        ctx["report"] = ProgressReport.objects.filter(pk=row.context["report"]).select_related("author").first()
    if "counterpart" in row.context:
        ctx["counterpart"] = Task.objects.filter(pk=row.context["counterpart"]).select_related("lead_agency").first()
    if "extension" in row.context:
        ctx["extension"] = ExtensionRequest.objects.filter(pk=row.context["extension"]).first()
    if row.kind in (Kind.DIGEST, Kind.AGENCY_DIGEST):
        ctx.update(_digest_items(row, today))
    if row.kind == Kind.AGREEMENT_DEADLINE:
        ctx.update(agreement_mail_context(row))
    if row.kind == Kind.READINESS:
        ctx["summary"] = selectors.readiness_summary(committee_id=row.context["committee"], today=today)
    if row.kind == Kind.DISCIPLINE_REPORT and row.recipient is not None:
        ctx["discipline"] = discipline_report(tasks_visible_to(row.recipient), date_from=None, date_to=today, now=now)
    if row.kind in BULK_KINDS and row.recipient is not None:
        ctx["unsubscribe_url"] = links.unsubscribe_url(user=row.recipient, kind=row.kind)
        ctx["kind_label"] = Kind(row.kind).label
    if "deputy_for_name" in row.context:
        ctx["deputy_note"] = deputy_note(row.context)
    ctx["expected"] = wording.expected_action(row.kind, recipient_id=row.recipient_id, task=task)
    if row.context.get("gathered"):
        ctx["items"] = gathered_items(row)
    return ctx


def deputy_note(context: dict[str, Any]) -> str:
    """ "You receive this as a deputy: Иванов И.И. is on leave until 12.12." (a name in the nominative: no cases)."""
    name = context["deputy_for_name"]
    end = dt.date.fromisoformat(context["absence_end"]).strftime("%d.%m.%Y")
    reason = context.get("absence_reason")
    if reason == AbsenceReason.LEAVE:
        return _("You receive this as a deputy: %(name)s is on leave until %(end)s.") % {"name": name, "end": end}
    if reason == AbsenceReason.BUSINESS_TRIP:
        return _("You receive this as a deputy: %(name)s is on a business trip until %(end)s.") % {
            "name": name,
            "end": end,
        }
    if reason == AbsenceReason.SICK_LEAVE:
        return _("You receive this as a deputy: %(name)s is on sick leave until %(end)s.") % {"name": name, "end": end}
    return _("You receive this as a deputy: %(name)s is away until %(end)s.") % {"name": name, "end": end}


def gathered_items(row: Notification) -> list[dict[str, Any]]:
    """The notices a gathered mail lists: its own row first, then those gathered into it, each with its
    task (or meeting), link and what it expects of the reader."""
    ids = [row.pk, *row.context.get("gathered", [])]
    rows = Notification.objects.filter(pk__in=ids).select_related("task__event", "task__lead_agency", "meeting")
    by_id = {r.pk: r for r in rows}
    items = []
    for pk in ids:
        one = by_id.get(pk)
        if one is None:
            continue
        thing = one.task or one.meeting
        items.append(
            {
                "row": one,
                "kind": one.get_kind_display(),
                "thing": thing,
                "url": links.absolute(thing.get_absolute_url()) if thing is not None else settings.SITE_URL,
                "expected": wording.expected_action(one.kind, recipient_id=one.recipient_id, task=one.task),
                "day": one.context.get("day"),
            }
        )
    return items


def _prefix(ctx: dict[str, Any]) -> str:
    event = ctx.get("event")
    if event is not None:
        return f"[{one_line(event.short_title)}] "
    events = ctx.get("events") or [e["event"].short_title for e in ctx.get("summary", [])]
    if events:
        return f"[{one_line(', '.join(events[:2]))}] "
    return ""


def build_message(
    row: Notification, *, message_id: str, preference: NotificationPreference | None = None
) -> EmailMultiAlternatives:
    """The mail of a row. `preference` is the recipient's, when the caller loaded it with a batch."""
    now = timezone.now()
    tz = selectors.zone(_time_zone(row))
    with translation.override(_language(row, preference)), timezone.override(tz):
        ctx = context_for(row, now=now)
        if "items" in ctx:
            # One mail listing every notice gathered into this row.
            ctx["headline"] = wording.gathered_headline([item["row"].kind for item in ctx["items"]])
            events = sorted({item["thing"].event.short_title for item in ctx["items"] if item["row"].task})
            subject = (f"[{one_line(', '.join(events[:2]))}] " if events else "") + one_line(ctx["headline"])
            text = render_to_string("emails/gathered.txt", ctx)
            html = render_to_string("emails/gathered.html", ctx)
        else:
            subject = _prefix(ctx) + one_line(render_to_string(f"emails/{row.kind}_subject.txt", ctx))
            text = render_to_string(f"emails/{row.kind}.txt", ctx)
            html = render_to_string(f"emails/{row.kind}.html", ctx)
        if "discipline" in ctx:
            title = _("Discipline report")
            workbook = discipline_xlsx(ctx["discipline"], title=str(title))
            workbook_name = f"discipline-{timezone.localdate(now):%Y-%m-%d}.xlsx"
    headers = {"Message-ID": message_id, "X-Omskevents-Outbox": str(row.pk)}
    if "unsubscribe_url" in ctx:
        # RFC 8058: the mail provider POSTs "List-Unsubscribe=One-Click" to the address; no cookie, no form.
        headers["List-Unsubscribe"] = f"<{ctx['unsubscribe_url']}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=subject[:900],
        body=text,
        from_email=encoded_address(settings.DEFAULT_FROM_EMAIL, settings.DEFAULT_CHARSET),
        to=[row.to_email],
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    if "discipline" in ctx:
        message.attach(workbook_name, workbook, XLSX_CONTENT_TYPE)
    if row.kind in MEETING_KINDS and row.kind != Kind.MEETING_REMINDER and row.meeting is not None:
        ics = meeting_invitation_ics(
            row.meeting, attendee_email=row.to_email, attendee_name=ctx["recipient_name"], now=now
        ).decode()
        part = MIMEText(ics, "calendar", "utf-8")
        part.set_param("method", "CANCEL" if row.kind == Kind.MEETING_CANCELLED else "REQUEST")
        part.add_header("Content-Disposition", "attachment", filename="meeting.ics")
        message.attach(part)
    return message
