"""Reads of committee meetings: lists, the month calendar, a meeting page, the previous meeting."""

import datetime as dt

from django.db.models import Case, Count, IntegerField, Prefetch, QuerySet, Value, When
from django.utils import timezone

from omskevents.accounts.models import User
from omskevents.accounts.permissions import is_secretariat
from omskevents.accounts.types import AnyUser
from omskevents.events.models import Event

from .enums import MeetingStatus, MemberRole
from .models import Committee, CommitteeMember, Decision, Meeting, MeetingAttendance, WorkingGroup
from .permissions import can_view_meetings


def meetings_visible_to(user: AnyUser) -> QuerySet[Meeting]:
    if can_view_meetings(user):
        return Meeting.objects.all()
    return Meeting.objects.none()


def meeting_list(user: AnyUser) -> QuerySet[Meeting]:
    """Meetings as the list shows them, newest first, with their counts in the same query."""
    return (
        meetings_visible_to(user)
        .select_related("committee", "chair")
        .annotate(
            agenda_count=Count("agenda", distinct=True),
            decision_count=Count("decisions", distinct=True),
        )
        .order_by("-starts_at")
    )


def meetings_between(user: AnyUser, start: dt.datetime, end: dt.datetime) -> QuerySet[Meeting]:
    return meetings_visible_to(user).filter(starts_at__gte=start, starts_at__lt=end).order_by("starts_at")


def meeting_next(user: AnyUser, *, now: dt.datetime) -> Meeting | None:
    """The next planned meeting (for the dashboard)."""
    return (
        meetings_visible_to(user)
        .filter(status=MeetingStatus.PLANNED, starts_at__gte=now)
        .select_related("committee")
        .order_by("starts_at")
        .first()
    )


def meeting_detail(user: AnyUser, pk: int) -> Meeting:
    """One meeting with everything its page shows; raises Meeting.DoesNotExist when not visible."""
    return (
        meetings_visible_to(user)
        .select_related("committee", "chair", "event")
        .prefetch_related(
            "agenda",
            Prefetch(
                "attendance",
                queryset=MeetingAttendance.objects.select_related("user__agency").order_by(
                    "user__last_name", "user__first_name"
                ),
            ),
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("lead_agency").prefetch_related("co_executors").order_by("pk"),
            ),
            "committee__events",
        )
        .get(pk=pk)
    )


def meeting_previous(meeting: Meeting) -> Meeting | None:
    """The committee's last meeting before this one that was not cancelled."""
    return (
        Meeting.objects.filter(committee_id=meeting.committee_id, starts_at__lt=meeting.starts_at)
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("-starts_at")
        .first()
    )


def committee_next_number(committee: Committee) -> int:
    last = Meeting.objects.filter(committee=committee).order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def committees_all() -> QuerySet[Committee]:
    return Committee.objects.order_by("name")


def meetings_for_feed(user: User) -> QuerySet[Meeting]:
    """Meetings a person's calendar feed carries: the ones they are invited to, and every one for the secretariat."""
    qs = meetings_visible_to(user).select_related("committee").prefetch_related("agenda")
    if is_secretariat(user):
        return qs
    return qs.filter(attendance__user=user).distinct()


def committee_officer(committee: Committee, role: str) -> CommitteeMember | None:
    """The committee's chair or secretary, for the signature lines of the minutes."""
    return CommitteeMember.objects.filter(committee=committee, role=role).select_related("user").first()


def meetings_for_event(user: AnyUser, event_id: int) -> QuerySet[Meeting]:
    """The committee's meetings held to prepare an event, in date order."""
    return meetings_visible_to(user).filter(event_id=event_id).select_related("committee").order_by("starts_at")


# The committee's people in protocol order: the chair, the deputies, the secretary, then the members.
ROLE_ORDER = Case(
    *(When(role=role, then=Value(n)) for n, role in enumerate(MemberRole.values)),
    default=Value(len(MemberRole.values)),
    output_field=IntegerField(),
)


def _people() -> QuerySet[User]:
    return User.objects.select_related("agency").order_by("last_name", "first_name")


def committee_list() -> QuerySet[Committee]:
    return Committee.objects.annotate(
        member_count=Count("members", distinct=True), group_count=Count("working_groups", distinct=True)
    ).order_by("name")


def committee_page(pk: int) -> Committee:
    """A committee with its members in protocol order and its working groups with their people; raises
    Committee.DoesNotExist."""
    return Committee.objects.prefetch_related(
        Prefetch(
            "members",
            queryset=CommitteeMember.objects.select_related("user__agency")
            .annotate(role_order=ROLE_ORDER)
            .order_by("role_order", "user__last_name", "user__first_name"),
        ),
        Prefetch(
            "working_groups",
            queryset=WorkingGroup.objects.select_related("lead__agency")
            .prefetch_related(Prefetch("members", queryset=_people()))
            .order_by("name"),
        ),
        Prefetch("events", queryset=Event.objects.order_by("start_date")),
    ).get(pk=pk)


def invitation_group_people(group: Committee | WorkingGroup) -> list[User]:
    """Who "invite the whole committee" or "invite the working group" invites: its active people (a group's lead
    too)."""
    if isinstance(group, Committee):
        people = User.objects.filter(committee_roles__committee=group)
    else:
        ids = set(group.members.values_list("pk", flat=True))
        if group.lead_id is not None:
            ids.add(group.lead_id)
        people = User.objects.filter(pk__in=ids)
    return list(people.filter(is_active=True).distinct().order_by("last_name", "first_name", "pk"))


def invitation_groups(committee: Committee) -> list[WorkingGroup]:
    return list(WorkingGroup.objects.filter(committee=committee).order_by("name"))


def committee_default_event(committee: Committee) -> Event | None:
    """The event a new meeting of the committee most likely prepares: its next one not yet over."""
    today = timezone.localdate()
    events = committee.events.order_by("start_date")
    return events.filter(end_date__gte=today).first() or events.last()


def meeting_mail_audience(meeting: Meeting) -> list[User]:
    """Who a change of the meeting is mailed to: every person on its attendance list and the chair (the outbox
    writes one notice to each of them, notifications.notices.meeting_notify), by name."""
    people = {a.user.pk: a.user for a in meeting.attendance.select_related("user__agency")}
    if meeting.chair is not None:
        people.setdefault(meeting.chair.pk, meeting.chair)
    return sorted(people.values(), key=lambda p: (p.last_name, p.first_name, p.pk))
