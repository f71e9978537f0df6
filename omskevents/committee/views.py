"""Meeting pages: list, month calendar, a meeting with its agenda, attendance, minutes and decisions."""

import calendar
import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from omskevents.accounts.types import AuthenticatedHttpRequest
from omskevents.core.confirm import UNDO_WINDOW, Confirmation, confirm_page, is_confirmed
from omskevents.core.forms import apply_service_errors
from omskevents.core.protection import protected_pks
from omskevents.core.sections import collect_sections
from omskevents.core.validators import EARLIEST_DATE, LATEST_DATE

from . import permissions, selectors, services, signals
from .enums import MemberRole
from .exports import minutes_docx, minutes_filename
from .forms import AgendaItemForm, AttendanceForm, DecisionForm, InviteGroupForm, MeetingForm, MinutesForm
from .ical import meeting_ics
from .models import AgendaItem, Committee, Decision, Meeting


class MeetingsAccessMixin(LoginRequiredMixin):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and not permissions.can_view_meetings(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class SecretariatMixin(LoginRequiredMixin):
    """The secretariat's pages. On a meeting's address the meeting is looked up among those the person may see
    first: one they may not see answers 404 exactly like one that does not exist, and only a meeting they may
    see is refused with 403."""

    meeting: Meeting

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            if "pk" in kwargs:
                visible = selectors.meetings_visible_to(request.user).select_related("committee")
                self.meeting = get_object_or_404(visible, pk=kwargs["pk"])
            if not permissions.can_manage_meetings(request.user):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class MeetingListView(MeetingsAccessMixin, ListView):
    template_name = "committee/meeting_list.html"
    context_object_name = "meetings"
    paginate_by = 25

    def get_queryset(self) -> QuerySet[Meeting]:
        return selectors.meeting_list(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_manage"] = permissions.can_manage_meetings(self.request.user)
        return context


def _month_from(value: str | None, today: dt.date) -> dt.date:
    """The first day of the month asked for as YYYY-MM; this month when it is missing, malformed or outside the
    dates a meeting may have (the grid's first and last weeks reach into the months around it)."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        first = dt.date(year, month, 1)
    except (ValueError, OverflowError):
        return today.replace(day=1)
    return first if EARLIEST_DATE <= first <= LATEST_DATE else today.replace(day=1)


class MeetingCalendarView(MeetingsAccessMixin, TemplateView):
    """A month grid, Monday first, in the reader's time zone."""

    template_name = "committee/meeting_calendar.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        first = _month_from(self.request.GET.get("month"), today)
        weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
        zone = timezone.get_current_timezone()
        start = dt.datetime.combine(weeks[0][0], dt.time.min, tzinfo=zone)
        end = dt.datetime.combine(weeks[-1][-1] + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        by_day: dict[dt.date, list[Meeting]] = {}
        for meeting in selectors.meetings_between(self.request.user, start, end):
            by_day.setdefault(timezone.localtime(meeting.starts_at).date(), []).append(meeting)
        context["month"] = first
        context["weeks"] = [
            [
                {
                    "date": day,
                    "in_month": day.month == first.month,
                    "today": day == today,
                    "meetings": by_day.get(day, []),
                }
                for day in week
            ]
            for week in weeks
        ]
        context["weekdays"] = list(weeks[0])
        context["previous_month"] = (first - dt.timedelta(days=1)).strftime("%Y-%m")
        context["next_month"] = (first + dt.timedelta(days=32)).replace(day=1).strftime("%Y-%m")
        context["can_manage"] = permissions.can_manage_meetings(self.request.user)
        return context


class MeetingDetailView(MeetingsAccessMixin, TemplateView):
    """The meeting page; the secretariat's forms post to the views below, which re-render it on errors."""

    template_name = "committee/meeting_detail.html"

    def get_meeting(self) -> Meeting:
        try:
            return selectors.meeting_detail(self.request.user, self.kwargs["pk"])
        except Meeting.DoesNotExist as exc:
            raise Http404 from exc

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        meeting = kwargs.get("meeting") or self.get_meeting()
        context.update(
            meeting=meeting,
            can_edit=permissions.can_edit_meeting(user, meeting),
            can_cancel=permissions.can_cancel_meeting(user, meeting),
            can_restore=permissions.can_restore_meeting(user, meeting, now=timezone.now()),
            # What apps above the committee add to the page (the tasks made from decisions, the previous
            # meeting's instructions): committee.signals.meeting_page.
            sections=collect_sections(
                signals.meeting_page, sender=Meeting, meeting=meeting, user=user, forms=kwargs.get("forms", {})
            ),
        )
        if context["can_edit"]:
            # Decisions an app above keeps (a task made from one) cannot be deleted: no button for them.
            context["kept_decisions"] = protected_pks(meeting.decisions.all())
            context.setdefault("agenda_form", AgendaItemForm(prefix="agenda"))
            context.setdefault("attendance_form", AttendanceForm(prefix="attendance"))
            context.setdefault("decision_form", DecisionForm(prefix="decision"))
            context.setdefault("invite_form", InviteGroupForm(prefix="invite", meeting=meeting))
        return context


class _MeetingPostView(SecretariatMixin, MeetingDetailView):
    """A form on the meeting page: valid → one service call → back to the page; invalid → the page with errors."""

    request: AuthenticatedHttpRequest
    http_method_names = ["post"]
    form_class: type[Form]
    form_name: str
    anchor = ""

    def make_form(self, meeting: Meeting) -> Form:
        return self.form_class(self.request.POST, prefix=self.form_name.removesuffix("_form"))

    def act(self, meeting: Meeting, form: Form) -> str:
        raise NotImplementedError

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        meeting = self.get_meeting()
        form = self.make_form(meeting)
        if form.is_valid():
            try:
                message = self.act(meeting, form)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, message)
                return HttpResponseRedirect(meeting.get_absolute_url() + self.anchor)
        meeting = self.get_meeting()
        return self.render_to_response(self.get_context_data(meeting=meeting, **{self.form_name: form}))


class AgendaItemAddView(_MeetingPostView):
    form_class = AgendaItemForm
    form_name = "agenda_form"
    anchor = "#agenda"

    def act(self, meeting: Meeting, form: Form) -> str:
        services.agenda_item_add(actor=self.request.user, meeting=meeting, **form.cleaned_data)
        return _("The item was added to the agenda.")


class AttendanceSetView(_MeetingPostView):
    form_class = AttendanceForm
    form_name = "attendance_form"
    anchor = "#attendance"

    def act(self, meeting: Meeting, form: Form) -> str:
        services.attendance_set(actor=self.request.user, meeting=meeting, **form.cleaned_data)
        return _("The attendance list was updated.")


class InviteGroupView(_MeetingPostView):
    """The whole committee or a working group on the attendance list in one step."""

    form_class = InviteGroupForm
    form_name = "invite_form"
    anchor = "#attendance"

    def make_form(self, meeting: Meeting) -> Form:
        return InviteGroupForm(self.request.POST, prefix="invite", meeting=meeting)

    def act(self, meeting: Meeting, form: Form) -> str:
        added = services.meeting_invite_group(
            actor=self.request.user, meeting=meeting, group=form.cleaned_data["group"]
        )
        return ngettext(
            "%(count)d person was added to the attendance list.",
            "%(count)d people were added to the attendance list.",
            added,
        ) % {"count": added}


class DecisionAddView(_MeetingPostView):
    form_class = DecisionForm
    form_name = "decision_form"
    anchor = "#decisions"

    def act(self, meeting: Meeting, form: Form) -> str:
        services.decision_add(actor=self.request.user, meeting=meeting, **form.cleaned_data)
        return _("The decision was recorded.")


def _audience_lines(people: list[Any]) -> list[str]:
    return [f"{person} <{person.email}>" if person.email else str(person) for person in people]


def _mail_audience(meeting: Meeting, change: str) -> list[Any]:
    """Who would get mail about the change: the outbox answers (after preferences), else the meeting's own list."""
    for _receiver, people in signals.meeting_mail_audience.send(sender=Meeting, meeting=meeting, change=change):
        if people is not None:
            return list(people)
    return selectors.meeting_mail_audience(meeting)


class AgendaItemDeleteView(SecretariatMixin, View):
    """GET or an unconfirmed POST: the confirmation page; a confirmed POST removes the item."""

    def _item(self, pk: int, item_pk: int) -> AgendaItem:
        return get_object_or_404(AgendaItem, pk=item_pk, meeting_id=pk)

    def _confirmation(self, request: HttpRequest, item: AgendaItem) -> HttpResponse:
        meeting = self.meeting
        return confirm_page(
            request,
            Confirmation(
                title=_("Remove an item from the agenda?"),
                consequences=[
                    _("Item %(number)s «%(title)s» is removed from the agenda of %(meeting)s.")
                    % {"number": item.order, "title": item.title, "meeting": meeting},
                    _("The items after it move up one place."),
                ],
                button=_("Remove the item"),
                action_url=reverse("committee:agenda_delete", args=[meeting.pk, item.pk]),
                back_url=meeting.get_absolute_url() + "#agenda",
            ),
        )

    def get(self, request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
        return self._confirmation(request, self._item(pk, item_pk))

    def post(self, request: AuthenticatedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
        item = self._item(pk, item_pk)
        if not is_confirmed(request):
            return self._confirmation(request, item)
        try:
            services.agenda_item_delete(actor=request.user, item=item)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The item was removed from the agenda."))
        return HttpResponseRedirect(reverse("committee:meeting_detail", args=[pk]) + "#agenda")


class DecisionDeleteView(SecretariatMixin, View):
    """GET or an unconfirmed POST: the confirmation page; a confirmed POST deletes the decision."""

    def _decision(self, pk: int, decision_pk: int) -> Decision:
        return get_object_or_404(Decision.objects.select_related("meeting"), pk=decision_pk, meeting_id=pk)

    def _confirmation(self, request: HttpRequest, decision: Decision) -> HttpResponse:
        meeting = self.meeting
        return confirm_page(
            request,
            Confirmation(
                title=_("Delete a decision?"),
                consequences=[
                    _("Decision %(number)s of %(meeting)s is deleted: «%(text)s».")
                    % {"number": decision.number, "meeting": meeting, "text": decision.text[:300]},
                    _("This cannot be undone: the decision would have to be written again."),
                ],
                button=_("Delete the decision"),
                action_url=reverse("committee:decision_delete", args=[meeting.pk, decision.pk]),
                back_url=meeting.get_absolute_url() + "#decisions",
            ),
        )

    def get(self, request: HttpRequest, pk: int, decision_pk: int) -> HttpResponse:
        return self._confirmation(request, self._decision(pk, decision_pk))

    def post(self, request: AuthenticatedHttpRequest, pk: int, decision_pk: int) -> HttpResponse:
        decision = self._decision(pk, decision_pk)
        if not is_confirmed(request):
            return self._confirmation(request, decision)
        try:
            services.decision_delete(actor=request.user, decision=decision)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The decision was deleted."))
        return HttpResponseRedirect(reverse("committee:meeting_detail", args=[pk]) + "#decisions")


class MeetingCancelView(SecretariatMixin, View):
    """GET or an unconfirmed POST: what the cancellation does and who is mailed; a confirmed POST cancels."""

    def _confirmation(self, request: HttpRequest) -> HttpResponse:
        meeting = self.meeting
        if not permissions.can_cancel_meeting(request.user, meeting):
            messages.error(request, _("Only a planned meeting can be cancelled."))
            return HttpResponseRedirect(meeting.get_absolute_url())
        minutes = int(UNDO_WINDOW.total_seconds() // 60)
        return confirm_page(
            request,
            Confirmation(
                title=_("Cancel %(meeting)s?") % {"meeting": meeting},
                consequences=[
                    _(
                        "The meeting is marked cancelled; its agenda, attendance and decisions "
                        "can no longer be changed."
                    ),
                    _("Reminders of the meeting that have not gone yet are withdrawn."),
                ],
                recipients=_audience_lines(_mail_audience(meeting, "cancelled")),
                mail_note=_("a cancellation with a calendar update removing the meeting."),
                undo_note=ngettext(
                    "For %(minutes)d minute after this you can undo the cancellation; the mail goes only after that.",
                    "For %(minutes)d minutes after this you can undo the cancellation; the mail goes only after that.",
                    minutes,
                )
                % {"minutes": minutes},
                button=_("Cancel the meeting"),
                action_url=reverse("committee:meeting_cancel", args=[meeting.pk]),
                back_url=meeting.get_absolute_url(),
            ),
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._confirmation(request)

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        meeting = self.meeting
        if not is_confirmed(request):
            return self._confirmation(request)
        try:
            services.meeting_cancel(actor=request.user, meeting=meeting)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The meeting was cancelled. You can undo this for a few minutes."))
        return HttpResponseRedirect(meeting.get_absolute_url())


class MeetingRestoreView(SecretariatMixin, View):
    """Undo a cancellation within the undo window (a single POST: it only puts things back)."""

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        meeting = self.meeting
        try:
            services.meeting_restore(actor=request.user, meeting=meeting)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The cancellation was undone: the meeting is planned again."))
        return HttpResponseRedirect(meeting.get_absolute_url())


class MeetingCreateView(SecretariatMixin, FormView):
    """A new meeting starts with its committee chosen (the only one, or ?committee=), that committee's members
    invited and its event preselected (?event= when it is one of the committee's, else its next event)."""

    request: AuthenticatedHttpRequest
    template_name = "committee/meeting_form.html"
    form_class = MeetingForm

    def _committee(self) -> Committee | None:
        committees = selectors.committees_all()
        wanted = self.request.GET.get("committee", "")
        if wanted.isdigit():
            return committees.filter(pk=int(wanted)).first()
        return committees.first() if committees.count() == 1 else None

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        committee = self._committee()
        if committee is None:
            return initial
        wanted = self.request.GET.get("event", "")
        event = committee.events.filter(pk=int(wanted)).first() if wanted.isdigit() else None
        chair = selectors.committee_officer(committee, MemberRole.CHAIR)
        initial.update(
            committee=committee,
            chair=chair.user if chair is not None else None,
            event=event or selectors.committee_default_event(committee),
            invitees=selectors.invitation_group_people(committee),
        )
        return initial

    def form_valid(self, form: MeetingForm) -> HttpResponse:
        try:
            meeting = services.meeting_create(actor=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("%(meeting)s was scheduled.") % {"meeting": meeting})
        return HttpResponseRedirect(meeting.get_absolute_url())


class MeetingUpdateView(SecretariatMixin, FormView):
    request: AuthenticatedHttpRequest
    template_name = "committee/meeting_form.html"
    form_class = MeetingForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["meeting"] = self.meeting
        kwargs["initial"] = {name: getattr(self.meeting, name) for name in services.MEETING_FIELDS}
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(meeting=self.meeting, **kwargs)

    def form_valid(self, form: MeetingForm) -> HttpResponse:
        try:
            meeting = services.meeting_update(actor=self.request.user, meeting=self.meeting, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The meeting was saved."))
        return HttpResponseRedirect(meeting.get_absolute_url())


class MeetingCloseView(SecretariatMixin, FormView):
    """Record the minutes: the meeting becomes "held"."""

    request: AuthenticatedHttpRequest

    template_name = "committee/meeting_close.html"
    form_class = MinutesForm

    def get_initial(self) -> dict[str, Any]:
        return {"minutes": self.meeting.minutes}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(meeting=self.meeting, **kwargs)

    def form_valid(self, form: MinutesForm) -> HttpResponse:
        try:
            services.meeting_close(actor=self.request.user, meeting=self.meeting, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The minutes were saved and the meeting is marked as held."))
        return HttpResponseRedirect(self.meeting.get_absolute_url())


class MinutesDocxView(MeetingsAccessMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            meeting = selectors.meeting_detail(request.user, pk)
        except Meeting.DoesNotExist as exc:
            raise Http404 from exc
        response = HttpResponse(
            minutes_docx(meeting),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        response["Content-Disposition"] = f'attachment; filename="{minutes_filename(meeting)}"'
        return response


class MeetingPrintView(MeetingDetailView):
    """The meeting's agenda, invitees and decisions on an A4 sheet: the same visibility as the meeting page."""

    template_name = "committee/meeting_print.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {"meeting": self.get_meeting()}


class MeetingIcsView(MeetingsAccessMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = get_object_or_404(selectors.meetings_visible_to(request.user).select_related("committee"), pk=pk)
        response = HttpResponse(meeting_ics(meeting), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.number}.ics"'
        return response
