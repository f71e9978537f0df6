"""Tasks made from committee decisions: "make a task" / "make tasks from all decisions" on the meeting page."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from omskevents.accounts.types import AuthenticatedHttpRequest
from omskevents.committee.models import Decision, Meeting
from omskevents.committee.selectors import meetings_visible_to
from omskevents.core.ids import parse_id

from . import permissions, services
from .forms import DecisionTaskForm


class DecisionsToTasksView(LoginRequiredMixin, View):
    """Posted from the meeting page (workplan's section of it); back to the page with the outcome."""

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        # Visibility before permission: a meeting the person may not see answers 404 like a missing one.
        meeting = meetings_visible_to(request.user).select_related("committee").filter(pk=pk).first()
        if meeting is None:
            raise Http404
        if not permissions.can_make_tasks_from_decisions(request.user):
            raise PermissionDenied
        back = meeting.get_absolute_url() + "#decision-tasks"
        form = DecisionTaskForm(request.POST, prefix="task", meeting=meeting)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, str(error))
            return HttpResponseRedirect(back)
        try:
            messages.success(request, self.act(request, meeting, form))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return HttpResponseRedirect(back)

    def act(self, request: AuthenticatedHttpRequest, meeting: Meeting, form: DecisionTaskForm) -> str:
        actor = request.user
        one = request.POST.get("decision", "")
        if one:
            found = Decision.objects.filter(pk=parse_id(one) or 0, meeting=meeting).first()
            if found is None:
                raise Http404
            if permissions.decision_has_task(found):
                return _("This decision is already a task.")
            task = services.task_create_from_decision(actor=actor, decision=found, **form.cleaned_data)
            return _("Task “%(task)s” was created from decision %(number)s.") % {
                "task": task,
                "number": found.number,
            }
        created, skipped = services.meeting_decisions_to_tasks(actor=actor, meeting=meeting, **form.cleaned_data)
        message = ngettext("%(count)d task was created.", "%(count)d tasks were created.", len(created)) % {
            "count": len(created)
        }
        if skipped:
            message += " " + ngettext(
                "%(count)d decision has no lead executor or deadline and was skipped.",
                "%(count)d decisions have no lead executor or deadline and were skipped.",
                skipped,
            ) % {"count": skipped}
        return message
