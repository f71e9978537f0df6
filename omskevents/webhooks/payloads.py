"""The `data` of each event kind, built from the object as the endpoint's owner sees it (docs/webhooks.md, "Payloads").

Every builder takes the owner's stand-in (`permissions.viewer_of`) and is called only after the visibility check
of `visibility.py` said yes. What is never sent: comments on tasks, the moves' comments of agreements, files
(only their names and sizes), the video link of a meeting, people's contacts. Names of people are sent as on
the pages (the responsible person of a task, the author of a report).
"""

import datetime as dt
from typing import Any

from django.conf import settings

from omskevents.agreements.models import Agreement
from omskevents.committee.models import Meeting
from omskevents.events.models import Event
from omskevents.workplan.models import ExtensionRequest, ProgressReport, Task


def _url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _moment(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z") if value is not None else None


def _event(event: Event) -> dict[str, Any]:
    return {"id": event.pk, "title": event.short_title}


def task_data(task: Task) -> dict[str, Any]:
    """A task as every viewer of it sees it on its page (no comments, no history)."""
    return {
        "id": task.pk,
        "number": task.number,
        "title": task.title,
        "description": task.description,
        "event": _event(task.event),
        "area": task.area,
        "status": task.status,
        "priority": task.priority,
        "deadline": _date(task.deadline),
        "lead_agency": {"id": task.lead_agency_id, "name": task.lead_agency.short_name},
        "co_executors": [{"id": a.pk, "name": a.short_name} for a in task.co_executors.order_by("short_name")],
        "responsible": str(task.responsible) if task.responsible_id is not None else None,
        "url": _url(task.get_absolute_url()),
    }


def report_data(report: ProgressReport) -> dict[str, Any]:
    return {
        "id": report.pk,
        "is_final": report.is_final,
        "text": report.text,
        "author": str(report.author),
        "submitted_at": _moment(report.created),
        "files": [
            {"name": a.original_name, "size": a.size, "content_type": a.content_type}
            for a in report.attachments.order_by("pk")
        ],
    }


def extension_data(request: ExtensionRequest) -> dict[str, Any]:
    return {
        "id": request.pk,
        "status": request.status,
        "old_deadline": _date(request.old_deadline),
        "new_deadline": _date(request.new_deadline),
        "reason": request.reason,
        "decision_note": request.decision_note,
        "decided_at": _moment(request.decided_at),
    }


def meeting_data(meeting: Meeting) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "number": meeting.number,
        "title": meeting.title,
        "committee": meeting.committee.name,
        "event": _event(meeting.event) if meeting.event is not None else None,
        "starts_at": _moment(meeting.starts_at),
        "ends_at": _moment(meeting.ends_at),
        "place": meeting.place,
        "status": meeting.status,
        "url": _url(meeting.get_absolute_url()),
    }


def agreement_data(agreement: Agreement, *, old_stage: str) -> dict[str, Any]:
    return {
        "id": agreement.pk,
        "number": agreement.number,
        "title": agreement.title,
        "kind": agreement.kind,
        "event": _event(agreement.event),
        "old_stage": old_stage,
        "stage": agreement.stage,
        "next_stage": agreement.next_stage,
        "next_deadline": _date(agreement.next_deadline),
        "signed_on": _date(agreement.signed_on),
        "url": _url(agreement.get_absolute_url()),
    }
