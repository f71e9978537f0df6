"""Demo seeding of the plan: the committee's meetings and decisions, and the tasks played through their stories.

Each task is created and moved through the workplan services (reports, extensions, acceptance), then its
history is spread back over the weeks before today so the past looks like a past.
"""

import datetime as dt
import random
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from omskevents.accounts.models import User
from omskevents.agencies.enums import Country
from omskevents.agencies.models import Agency
from omskevents.calendars.services import calendar_country, next_working_day
from omskevents.committee.enums import Attendance, MeetingStatus
from omskevents.committee.models import AgendaItem, Committee, Decision, Meeting, MeetingAttendance, WorkingGroup
from omskevents.committee.services import agenda_item_add, meeting_create
from omskevents.events.enums import EventKind
from omskevents.events.models import Event
from omskevents.workplan.enums import DeadlineAnchor, TaskSource, TaskStatus
from omskevents.workplan.models import Attachment, ExtensionRequest, ProgressReport, Task, TaskComment
from omskevents.workplan.services import (
    extension_decide,
    task_change_status,
    task_create,
    task_create_from_decision,
    task_report_progress,
    task_request_extension,
    task_update,
)

from .blocks import SeedReport, at, fit_deadline, minimal_pdf
from .data_agencies import COMMITTEE_MEMBERS, COMMITTEE_ROLES, PEOPLE, REPORTERS
from .data_plan import (
    DECISIONS,
    HELD_MEETINGS,
    MEETING_AGENDA,
    MEETING_TITLES,
    MINUTES,
    PLANNED_MEETING,
    TASKS,
    TaskSpec,
)

# ---------------------------------------------------------------------------------------------------------------
# Meetings and decisions


def _spec_event(spec: TaskSpec, forum: Event, session: Event) -> Event:
    return forum if spec.event == EventKind.FORUM else session


def _spec_deadline(spec: TaskSpec, event: Event, agencies: dict[str, Agency], today: dt.date) -> dt.date:
    """The spec's deadline as a working day of the lead's country, inside the event unless a follow-up."""
    country = calendar_country(agencies[spec.lead])
    if spec.anchor_days is not None:
        return fit_deadline(country, event.start_date + dt.timedelta(days=spec.anchor_days), event.end_date)
    if spec.follow_up:
        return fit_deadline(country, event.end_date + dt.timedelta(days=spec.due), None)
    return fit_deadline(country, today + dt.timedelta(days=spec.due), event.end_date)


def seed_meetings(
    committee: Committee,
    forum: Event,
    session: Event,
    agencies: dict[str, Agency],
    users: dict[str, User],
    today: dt.date,
    report: SeedReport,
) -> dict[tuple[int, str], Decision]:
    """Two past meetings with minutes and decisions (a past state, written directly) and one planned meeting."""
    chair, secretary = users["khotsenko"], users["secretariat"]
    invitees = [users[u] for u in [*COMMITTEE_ROLES, *COMMITTEE_MEMBERS]]
    task_specs = {spec.decision: spec for spec in TASKS if spec.decision}
    decisions: dict[tuple[int, str], Decision] = {}
    for number, (days, place, link) in HELD_MEETINGS.items():
        meeting = Meeting.objects.filter(committee=committee, number=number).first()
        if meeting is None:
            day = fit_deadline(Country.RU, today + dt.timedelta(days=days), None)
            meeting = Meeting(
                committee=committee,
                event=forum,
                number=number,
                title=MEETING_TITLES[number],
                starts_at=at(day, 15),
                ends_at=at(day, 17),
                place=place,
                video_link=link,
                chair=chair,
                status=MeetingStatus.HELD,
                minutes=MINUTES[number],
            )
            meeting.full_clean()
            meeting.save()
            report.add("meetings")
            for order, (title, speaker) in enumerate(MEETING_AGENDA[number], start=1):
                AgendaItem.objects.create(meeting=meeting, order=order, title=title, speaker=speaker)
            for index, user in enumerate(invitees):
                # Most came; a few joined by video or could not.
                status = (
                    Attendance.ABSENT
                    if index % 9 == 8
                    else Attendance.REMOTE
                    if index % 4 == 3
                    else (Attendance.PRESENT)
                )
                MeetingAttendance.objects.create(meeting=meeting, user=user, status=status)
            for dnum, text, lead, co, due in DECISIONS[number]:
                spec = task_specs.get((number, dnum))
                deadline = None
                if spec is not None:
                    text, lead, co = spec.title, spec.lead, spec.co
                    deadline = _spec_deadline(spec, _spec_event(spec, forum, session), agencies, today)
                elif due is not None and lead is not None:
                    deadline = fit_deadline(
                        calendar_country(agencies[lead]), today + dt.timedelta(days=due), forum.end_date
                    )
                decision = Decision(
                    meeting=meeting,
                    number=dnum,
                    text=text,
                    lead_agency=agencies[lead] if lead else None,
                    deadline=deadline,
                )
                decision.full_clean()
                decision.save()
                decision.co_executors.set([agencies[a] for a in co])
                report.add("decisions")
        for decision in meeting.decisions.all():
            decisions[(number, decision.number)] = decision
    number, days, place = PLANNED_MEETING
    if not Meeting.objects.filter(committee=committee, number=number).exists():
        day = fit_deadline(Country.RU, today + dt.timedelta(days=days), None)
        meeting = meeting_create(
            actor=secretary,
            committee=committee,
            number=number,
            chair=chair,
            title=MEETING_TITLES[number],
            starts_at=at(day, 15),
            ends_at=at(day, 17),
            place=place,
            invitees=invitees,
            event=forum,
        )
        for title, speaker in MEETING_AGENDA[number]:
            agenda_item_add(actor=secretary, meeting=meeting, title=title, speaker=speaker)
        report.add("meetings")
    return decisions


# ---------------------------------------------------------------------------------------------------------------
# Tasks


def _reporter(spec: TaskSpec, users: dict[str, User]) -> User:
    username = REPORTERS.get(spec.lead) or next(p.username for p in PEOPLE if p.heads_agency and p.agency == spec.lead)
    return users[username]


def _report_text(spec: TaskSpec, final: bool) -> str:
    if final:
        return (
            "Поручение выполнено. Подготовленные материалы направлены в секретариат оргкомитета; "
            "итоговая справка приложена."
        )
    if spec.co:
        return "Проведено рабочее совещание с соисполнителями, подготовлен проект материалов, идёт согласование."
    return "Работа ведётся по графику: собраны исходные данные, готовится проект документа."


def _pdf_upload(spec: TaskSpec) -> SimpleUploadedFile:
    content = minimal_pdf(f"Omsk 2026 - progress report on task {spec.number}")
    return SimpleUploadedFile(f"spravka-{spec.number}.pdf", content, content_type="application/pdf")


def _play_story(
    spec: TaskSpec,
    task: Task,
    users: dict[str, User],
    event: Event,
    today: dt.date,
) -> None:
    """Move a new task to where the spec says it is now, through the workplan services."""
    secretary, executor = users["secretariat"], _reporter(spec, users)
    country = calendar_country(task.lead_agency)
    if spec.story == "started":
        task_change_status(actor=executor, task=task, status=TaskStatus.IN_PROGRESS)
    if spec.story in ("progress", "reported", "accepted", "returned"):
        task_report_progress(actor=executor, task=task, text=_report_text(spec, final=False))
    if spec.extension:
        task.refresh_from_db()
        new = fit_deadline(country, max(task.deadline, today) + dt.timedelta(days=12), event.end_date)
        request = task_request_extension(
            actor=executor,
            task=task,
            new_deadline=new,
            reason="Требуется дополнительное согласование с казахстанской стороной.",
        )
        if spec.extension == "approved":
            extension_decide(actor=secretary, request=request, approve=True, note="Согласовано председателем.")
        elif spec.extension == "rejected":
            extension_decide(
                actor=secretary,
                request=request,
                approve=False,
                note="Срок связан с приёмной кампанией, перенос невозможен.",
            )
    if spec.story in ("reported", "accepted", "returned"):
        files = [_pdf_upload(spec)] if spec.pdf else []
        task_report_progress(actor=executor, task=task, text=_report_text(spec, final=True), files=files, is_final=True)
    if spec.story == "accepted":
        task_change_status(actor=secretary, task=task, status=TaskStatus.ACCEPTED)
    elif spec.story == "returned":
        task_change_status(actor=secretary, task=task, status=TaskStatus.RETURNED, note=spec.note)
    elif spec.story == "cancelled":
        task_change_status(actor=secretary, task=task, status=TaskStatus.CANCELLED, note=spec.note)


def _backdate(task: Task, start: dt.datetime, end: dt.datetime) -> None:
    """Spread everything the story wrote over [start, end], keeping its order, so the past looks like a past.

    The task's creation maps to `start` (and so does anything stamped a moment before it, such as
    status_changed_at), the last thing written to `end`.
    """
    real_start = Task.objects.values_list("created", flat=True).get(pk=task.pk)
    real_end = timezone.now()
    span = max((real_end - real_start).total_seconds(), 1e-6)

    def shift(moment: dt.datetime | None) -> dt.datetime | None:
        if moment is None:
            return None
        if moment <= real_start:
            return start
        return start + (end - start) * ((moment - real_start).total_seconds() / span)

    def move(queryset: Any, *names: str) -> None:
        for row in queryset.values("pk", *names):
            queryset.model.objects.filter(pk=row["pk"]).update(**{n: shift(row[n]) for n in names})

    move(Task.objects.filter(pk=task.pk), "created", "updated", "status_changed_at")
    move(Task.history.filter(id=task.pk), "history_date")
    reports = ProgressReport.objects.filter(task=task)
    move(reports, "created", "updated")
    move(ProgressReport.history.filter(task_id=task.pk), "history_date")
    move(Attachment.objects.filter(report__in=reports), "created", "updated")
    move(ExtensionRequest.objects.filter(task=task), "created", "updated", "decided_at")
    move(ExtensionRequest.history.filter(task_id=task.pk), "history_date", "decided_at")
    move(TaskComment.objects.filter(task=task), "created", "updated")


def _story_window(spec: TaskSpec, deadline: dt.date, assigned: dt.datetime, now: dt.datetime) -> dt.datetime:
    """When the task reached its current state: done around its deadline, open work recently."""
    if spec.story == "new":
        return assigned
    rng = random.Random(f"{spec.event}{spec.number}")  # noqa: S311 - demo timestamps, not security
    if spec.story in ("accepted", "returned", "reported", "cancelled") and deadline < now.date():
        end = at(deadline, 11) - dt.timedelta(days=rng.randint(0, 3))
    else:
        end = now - dt.timedelta(hours=rng.randint(2, 96))
    return min(max(end, assigned + dt.timedelta(hours=2)), now - dt.timedelta(minutes=5))


def seed_tasks(
    forum: Event,
    session: Event,
    agencies: dict[str, Agency],
    users: dict[str, User],
    groups: dict[str, WorkingGroup],
    decisions: dict[tuple[int, str], Decision],
    today: dt.date,
    report: SeedReport,
) -> None:
    secretary = users["secretariat"]
    now = timezone.now()
    by_key: dict[tuple[str, str], Task] = {}
    for spec in TASKS:
        event = _spec_event(spec, forum, session)
        key = (spec.event, spec.number)
        existing = Task.objects.filter(event=event, number=spec.number).first()
        if existing is None and spec.decision:
            existing = Task.objects.filter(source_decision=decisions[spec.decision]).first()
        if existing is not None:
            by_key[key] = existing
            continue
        lead = agencies[spec.lead]
        deadline = _spec_deadline(spec, event, agencies, today)
        common: dict[str, Any] = {
            "number": spec.number,
            "priority": spec.priority,
            "working_group": groups.get(spec.group) if spec.group else None,
            "responsible": _reporter(spec, users),
            "parent": by_key[(spec.event, spec.parent)] if spec.parent else None,
        }
        if spec.decision:
            decision = decisions[spec.decision]
            task = task_create_from_decision(actor=secretary, decision=decision, event=event, area=spec.area)
            task = task_update(actor=secretary, task=task, **common)
            assigned = decision.meeting.starts_at + dt.timedelta(days=1)
        else:
            anchored = _anchored_deadline(spec, event, lead)
            task = task_create(
                actor=secretary,
                event=event,
                title=spec.title,
                area=spec.area,
                lead_agency=lead,
                deadline=None if anchored else deadline,
                deadline_anchor=DeadlineAnchor.EVENT_START if anchored else "",
                deadline_offset_days=spec.anchor_days if anchored else None,
                co_executors=[agencies[a] for a in spec.co],
                depends_on=[by_key[(spec.event, d)] for d in spec.depends],
                is_follow_up=spec.follow_up,
                source=TaskSource.ACTION_PLAN,
                **common,
            )
            # The plan was approved at the first meeting; the tasks were assigned the day after.
            first = Meeting.objects.filter(number=1, committee__events=event).first()
            assigned = (first.starts_at if first else now - dt.timedelta(days=56)) + dt.timedelta(days=1)
        _play_story(spec, task, users, event, today)
        task.refresh_from_db()
        _backdate(task, assigned, _story_window(spec, task.deadline, assigned, now))
        by_key[key] = task
        report.add("tasks")


def _anchored_deadline(spec: TaskSpec, event: Event, lead: Agency) -> bool:
    """Use a deadline relative to the event only where it lands on a working day inside the event."""
    if spec.anchor_days is None:
        return False
    day = next_working_day(calendar_country(lead), event.start_date + dt.timedelta(days=spec.anchor_days))
    return day <= event.end_date
