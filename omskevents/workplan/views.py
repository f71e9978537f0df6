"""Views of the action plan: the task table, bulk changes, a task's page and its actions (files, printouts and
import in views_files.py; creating and editing in views_edit.py)."""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm, Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.template.backends.utils import csrf_input
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from omskevents.accounts.types import AnyUser, AuthenticatedHttpRequest
from omskevents.core.cache import cached_fragment, cached_rows
from omskevents.core.confirm import UNDO_WINDOW, Confirmation, confirm_page, is_confirmed
from omskevents.core.forms import apply_service_errors
from omskevents.core.pagination import DeferredJoinPaginator
from omskevents.core.sections import collect_sections
from omskevents.events.enums import Area

from . import history, pairs, permissions, plan_state, selectors, services, signals
from .enums import TaskStatus
from .forms import (
    BulkActionForm,
    ChoicesOnce,
    CommentForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    PairForm,
    ReportForm,
    StatusForm,
    TaskFilterForm,
)
from .models import Task
from .rows import row_names, task_row, task_table_rows
from .workflow import action_buttons, next_step

PAGE_SIZE = 50
# Where the CSRF token goes in a cached fragment: the token is per visitor and is never stored.
CSRF_SLOT = "<!--csrf-token-->"
IMPORT_SESSION_KEY = "workplan_plan_import"
# Service errors name model fields; the form shows the relative deadline under its own field.
FORM_FIELD_FOR = {"deadline_offset_days": "days_before", "deadline_anchor": "relative_anchor"}


def _add_errors(form: BaseForm, error: ValidationError) -> None:
    apply_service_errors(form, error, field_for=FORM_FIELD_FOR)


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


class SecretariatRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Either secretariat (each keeps to its side through the forms' choices and the services' checks)."""

    request: HttpRequest  # set by View, which every user of the mixin also is

    def test_func(self) -> bool:
        return permissions.can_create_task(self.request.user)


class ImportPermissionMixin(LoginRequiredMixin, UserPassesTestMixin):
    request: HttpRequest

    def test_func(self) -> bool:
        return permissions.can_import_tasks(self.request.user)


def _filter_form(request: HttpRequest) -> TaskFilterForm:
    form = TaskFilterForm(request.GET or None, user=request.user)
    if request.GET:
        form.is_valid()
    return form


# Where the person's own state of the filter panel (open or closed) goes in the cached page.
FILTERS_OPEN_SLOT = "<!--filters-open-->"
# Bumped when the row markup changes: rows cached under the old markup are never served with the new page.
ROW_LAYOUT = 5
# The columns a reader may sort by from the table's header, and the sort each one starts with.
HEADER_SORTS = {"number": "number", "title": "title", "lead": "lead", "deadline": "deadline", "status": "status"}


def _plan_params(request: HttpRequest) -> QueryDict:
    """Only the parameters the page reads, without empty values (nor the default sort): made-up ones neither fill the
    cache with copies nor travel into a page someone else is served, and `?q=` is the same page as none."""
    params = QueryDict(mutable=True)
    for name in (*TaskFilterForm.base_fields, "page"):
        values = [value for value in request.GET.getlist(name) if value.strip()]
        if name == "sort" and values == ["deadline"]:
            continue  # the default order, which the form's sort list always submits
        if values:
            params.setlist(name, values)
    return params


def _active_filters(form: TaskFilterForm) -> list[str]:
    """What the filter narrows the plan to, in words, for the closed panel's summary."""
    if not form.is_bound or not form.is_valid():
        return []
    data = form.cleaned_data
    labels: list[str] = []
    if data.get("q"):
        labels.append(f"«{data['q']}»")
    for name in ("event", "agency", "responsible", "controller"):
        if data.get(name) is not None:
            labels.append(f"{form.fields[name].label}: {data[name]}")
    if data.get("area"):
        labels.append(f"{form.fields['area'].label}: {Area(data['area']).label}")
    if data.get("status"):
        names = ", ".join(str(TaskStatus(s).label) for s in data["status"])
        labels.append(f"{form.fields['status'].label}: {names}")
    if data.get("due_from"):
        labels.append(f"{form.fields['due_from'].label}: {data['due_from']:%d.%m.%Y}")
    if data.get("due_to"):
        labels.append(f"{form.fields['due_to'].label}: {data['due_to']:%d.%m.%Y}")
    if data.get("overdue"):
        labels.append(str(form.fields["overdue"].label))
    return labels


class TaskListView(LoginRequiredMixin, TemplateView):
    """The action plan, built from parts cached apart so that a page nobody asked before is cheap:

    - the page query reads only the rows' ids, stamps and sort keys (selectors.task_table_keys);
    - each row's HTML is cached under its task's `updated` stamp and the names version
      (omskevents.core.cache.cached_rows): a write to one task re-renders one row, not every page;
    - the filter form and the bulk form are cached per names version and language;
    - the page as a whole is cached per data version as well, for the same page asked again.
    Only the CSRF token and the person's own panel state (open or closed) are put in per request.

    The filter applied from the page's form is remembered for the person (plan_state): /tasks/ without a
    query opens on it, "Reset" forgets it. Links from elsewhere (the dashboard's "overdue") leave it alone.
    """

    template_name = "workplan/task_list.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "reset" in request.GET:
            plan_state.forget_filters(request.user)
            return redirect("workplan:task_list")
        params = _plan_params(request)
        if "remember" in request.GET:
            if _filter_form(request).is_valid():
                params.pop("page", None)
                plan_state.remember_filters(request.user, params)
                return redirect(f"{request.path}?{params.urlencode()}" if params else request.path)
        elif not request.GET:
            saved = plan_state.saved_filters(request.user)
            if saved:
                return redirect(f"{request.path}?{saved}")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        request = self.request
        today = timezone.localdate()
        can_manage = permissions.can_create_task(request.user)
        params = _plan_params(request)
        full_path = f"{request.path}?{params.urlencode()}" if params else request.path
        query = params.copy()
        query.pop("page", None)
        sort_query = query.copy()
        sort_query.pop("sort", None)
        parts = (
            selectors.task_scope_key(request.user), can_manage, get_language(), today, sorted(params.lists()),
        )  # fmt: skip

        def render_page() -> str:
            form = _filter_form(request)
            flt = form.to_filter()
            language = get_language()
            scope = selectors.task_scope_key(request.user)
            choices = ChoicesOnce(request.user)  # the viewer's own lists, read once for both forms

            def render_filters() -> str:
                choices.apply(form)
                context = {
                    "filter_form": form,
                    "active_filters": _active_filters(form),
                    "filters_open_slot": mark_safe(FILTERS_OPEN_SLOT),  # noqa: S308 - a constant marker
                }
                return render_to_string("workplan/_task_filters.html", context, request)

            def render_bulk() -> str:
                bulk_form = BulkActionForm(
                    tasks=Task.objects.none(), lead_agencies=selectors.lead_agencies_for(request.user)
                )
                choices.apply(bulk_form)
                context = {"bulk_form": bulk_form, "querystring": query.urlencode()}
                return render_to_string("workplan/_task_bulk_form.html", context, request)

            # The forms' lists are the viewer's own: cached per viewer scope, never shared between scopes.
            filter_parts = (scope, language, sorted((name, params.getlist(name)) for name in form.fields))
            filters_html = cached_fragment("task-filters", filter_parts, render_filters)
            bulk_html = ""
            if can_manage:
                bulk_parts = (scope, language, query.urlencode())
                bulk_html = cached_fragment("task-bulk-form", bulk_parts, render_bulk)
            keys = selectors.task_table_keys(request.user, flt, today=today)
            page = DeferredJoinPaginator(keys, PAGE_SIZE).get_page(request.GET.get("page"))
            rows = [{"task": t, "state": selectors.task_deadline_state(t, today=today)} for t in page.object_list]
            row_html = _task_rows_html(request, rows, can_manage=can_manage, today=today)
            fragment = {
                "filters_html": mark_safe(filters_html),  # noqa: S308 - rendered just above
                "bulk_html": mark_safe(bulk_html),  # noqa: S308 - rendered just above
                "page": page, "rows": rows, "rows_html": [mark_safe(row_html[r["task"].pk]) for r in rows],  # noqa: S308
                "querystring": query.urlencode(), "sort_query": sort_query.urlencode(),
                "sorts": _header_sorts(flt.sort),
                "can_manage": can_manage, "current_sort": flt.sort, "csrf_slot": mark_safe(CSRF_SLOT),  # noqa: S308
                "full_path": full_path, "has_query": bool(query),
            }  # fmt: skip
            return render_to_string("workplan/_task_page.html", fragment, request)

        html = cached_fragment("task-page", parts, render_page).replace(CSRF_SLOT, str(csrf_input(request)), 1)
        html = html.replace(FILTERS_OPEN_SLOT, " open" if plan_state.filters_open(request.user) else "", 1)
        context["page_html"] = mark_safe(html)  # noqa: S308 - rendered from our template, the token by Django
        return context


def _header_sorts(current: str) -> dict[str, dict[str, str]]:
    """Per sortable column: the sort its header link asks for (the other direction when it is the current one)
    and its aria-sort state."""
    result = {}
    for column, sort in HEADER_SORTS.items():
        if current == sort:
            result[column] = {"next": f"-{sort}", "aria": "ascending"}
        elif current == f"-{sort}":
            result[column] = {"next": sort, "aria": "descending"}
        else:
            result[column] = {"next": sort, "aria": ""}
    return result


class TaskFilterPanelView(LoginRequiredMixin, View):
    """Remembers whether the person keeps the plan's filter panel open (posted by tasks.js on each toggle)."""

    def post(self, request: HttpRequest) -> HttpResponse:
        plan_state.remember_filters_open(request.user, is_open=request.POST.get("open") == "1")
        return HttpResponse(status=204)


def _task_rows_html(
    request: HttpRequest, rows: list[dict[str, Any]], *, can_manage: bool, today: dt.date
) -> dict[int, str]:
    """Each row's HTML from the row cache; the rows missing are loaded in two queries and written (rows.py)."""
    language = get_language()
    keys = {
        row["task"].pk: (
            row["task"].pk,
            row["task"].updated.isoformat(),
            row["state"],
            language,
            can_manage,
            ROW_LAYOUT,
        )
        for row in rows
    }

    def render(ids: list[int]) -> dict[int, str]:
        tasks = task_table_rows(ids)
        names = row_names()
        states = {row["task"].pk: row["state"] for row in rows}
        # A task deleted since the page query has no row: an empty one (its key is never asked again).
        return {pk: task_row(tasks[pk], names, states[pk], can_manage=can_manage) if pk in tasks else "" for pk in ids}

    return cached_rows("task", keys, render)


class TaskBulkView(SecretariatRequiredMixin, View):
    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        back = _safe_next(request, reverse("workplan:task_list"))
        form = BulkActionForm(
            request.POST,
            tasks=selectors.tasks_visible_to(request.user),
            lead_agencies=selectors.lead_agencies_for(request.user),
        )
        if not form.is_valid():
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, str(message))
            return HttpResponseRedirect(back)
        data = form.cleaned_data
        tasks = list(data["id"])
        if not is_confirmed(request):
            return confirm_page(request, _bulk_confirmation(data, tasks, back=back))
        try:
            if data["action"] == BulkActionForm.REASSIGN:
                count = services.task_bulk_reassign(
                    actor=request.user,
                    tasks=tasks,
                    lead_agency=data["new_lead_agency"],
                    responsible=data["new_responsible"],
                )
                messages.success(request, _("Reassigned tasks: %(count)s.") % {"count": count})
            else:
                count = services.task_bulk_shift_deadline(
                    actor=request.user, tasks=tasks, days=data["days"], reason=data["reason"]
                )
                messages.success(request, _("Deadlines moved: %(count)s.") % {"count": count})
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return HttpResponseRedirect(back)


def _bulk_confirmation(data: dict[str, Any], tasks: list[Task], *, back: str) -> Confirmation:
    """What a bulk change does, task by task, and who is mailed: a new responsible person gets an assignment
    notice per task and the co-executors' contact addresses a copy (notifications.notices.task_assignment_notify);
    a deadline move mails nobody (the reminders follow the new deadline)."""
    count = len(tasks)
    listed = [str(task) for task in tasks[:20]]
    if count > len(listed):
        listed.append(_("… and %(count)d more") % {"count": count - len(listed)})
    recipients: list[str] = []
    if data["action"] == BulkActionForm.REASSIGN:
        what = ngettext("%(count)d task gets a new executor:", "%(count)d tasks get a new executor:", count) % {
            "count": count
        }
        changes = []
        if data["new_lead_agency"]:
            changes.append(_("lead executor: %(agency)s") % {"agency": data["new_lead_agency"]})
        if data["new_responsible"]:
            changes.append(_("responsible person: %(person)s") % {"person": data["new_responsible"]})
            person = data["new_responsible"]
            if person.email:
                recipients.append(f"{person} <{person.email}>")
            co_executors = selectors.co_executor_contacts(tasks)
            recipients += [f"{agency} <{agency.email}>" for agency in co_executors]
        what = f"{what} {'; '.join(changes)}."
        title, button, mail_note = _("Reassign the tasks?"), _("Reassign"), _("a notice of the assignment.")
    else:
        days = data["days"]
        what = ngettext(
            "The deadline of %(count)d task moves by %(days)s.",
            "The deadlines of %(count)d tasks move by %(days)s.",
            count,
        ) % {"count": count, "days": ngettext("%(n)d day", "%(n)d days", abs(days)) % {"n": days}}
        title, button, mail_note = _("Move the deadlines?"), _("Move the deadlines"), ""
    return Confirmation(
        title=title,
        consequences=[what, *listed],
        recipients=recipients,
        mail_note=mail_note,
        button=button,
        action_url=reverse("workplan:task_bulk"),
        back_url=back,
    )


def _task_or_404(request: HttpRequest, pk: int) -> Task:
    task = selectors.task_for_page(request.user, pk)
    if task is None:
        raise Http404
    return task


def _task_to_act_on(request: HttpRequest, pk: int) -> Task:
    """The task a posted form acts on: found as the page finds it (404 outside the person's scope), without what
    only the page shows (reports, comments, history: most of the page's queries)."""
    task = selectors.task_for_action(request.user, pk)
    if task is None:
        raise Http404
    return task


def task_page_context(request: HttpRequest, task: Task, **forms: Form) -> dict[str, Any]:
    """Everything the task page shows; the forms passed in (bound, with errors) replace the blank ones."""
    user = request.user
    today = timezone.localdate()
    pending = [r for r in task.extension_requests.all() if r.status == "pending"]
    context: dict[str, Any] = {
        "task": task,
        "state": selectors.task_deadline_state(task, today=today),
        "status_buttons": action_buttons(task.status, permissions.status_targets(user, task)),
        "next_step": next_step(task.status, permissions.actors_for(user, task)),
        "can_restore": permissions.can_restore_task(user, task, now=timezone.now()),
        "can_edit": permissions.can_edit_task(user, task),
        "can_report": permissions.can_report_progress(user, task),
        "can_request_extension": permissions.can_request_extension(user, task) and not pending,
        "can_decide_extension": bool(pending) and permissions.can_decide_extension(user, pending[0]),
        "pending_extension": pending[0] if pending else None,
        "history": history.task_history(task, viewer=user),
        **_pair_context(user, task, today=today, form=forms.get("pair_form")),
        # What apps above the action plan add to the page (the outbox): workplan.signals.task_page.
        "sections": collect_sections(signals.task_page, sender=Task, task=task, user=user),
        "status_form": forms.get("status_form") or StatusForm(),
        "report_form": forms.get("report_form") or ReportForm(),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "extension_form": forms.get("extension_form") or ExtensionRequestForm(),
        "decision_form": forms.get("decision_form") or ExtensionDecisionForm(),
    }
    return context


def _pair_context(user: AnyUser, task: Task, *, today: dt.date, form: Form | None) -> dict[str, Any]:
    """The counterpart's number, title, agency, deadline and status, whoever sees this task; a link to it only
    for those who may open it; the pairing form for those who pair."""
    counterpart = pairs.counterpart_summary(task)
    context: dict[str, Any] = {"counterpart": counterpart, "pair_state": None, "counterpart_visible": False}
    if counterpart is not None:
        context["pair_state"] = pairs.pair_state(task, counterpart, today=today)
        context["counterpart_overdue"] = pairs.is_overdue(counterpart, today=today)
        context["counterpart_visible"] = selectors.tasks_visible_to(user).filter(pk=counterpart.pk).exists()
    if permissions.can_pair_tasks(user):
        context["pair_form"] = form or PairForm(task=task)
    return context


class TaskDetailView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        task = _task_or_404(request, pk)
        return render(request, "workplan/task_detail.html", task_page_context(request, task))


class TaskActionView(LoginRequiredMixin, View):
    """A form posted from the task page: valid → service → back to the page; invalid → the page with errors."""

    form_class: type[Form]
    form_name: str
    success_message = ""

    def act(self, request: AuthenticatedHttpRequest, task: Task, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def make_form(self, request: HttpRequest) -> Form:
        return self.form_class(request.POST)

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        task = _task_to_act_on(request, pk)
        form = self.make_form(request)
        if form.is_valid():
            try:
                self.act(request, task, form.cleaned_data)
            except ValidationError as error:
                _add_errors(form, error)
            except PermissionDenied as error:
                messages.error(request, str(error) or _("You cannot do this with this task."))
                return redirect(task)
            else:
                if self.success_message:
                    messages.success(request, self.success_message)
                return redirect(task)
        task = _task_or_404(request, pk)
        context = task_page_context(request, task, **{self.form_name: form})
        return render(request, "workplan/task_detail.html", context, status=400)


class TaskStatusView(TaskActionView):
    """A status move; cancelling first answers with a confirmation page (and can be undone for a few minutes)."""

    form_class = StatusForm
    form_name = "status_form"

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        if request.POST.get("status") == TaskStatus.CANCELLED and not is_confirmed(request):
            task = _task_to_act_on(request, pk)
            if not permissions.can_change_status(request.user, task, TaskStatus.CANCELLED):
                messages.error(request, _("You cannot do this with this task."))
                return redirect(task)
            return confirm_page(request, _cancel_confirmation(task))
        return super().post(request, pk)

    def act(self, request: AuthenticatedHttpRequest, task: Task, data: dict[str, Any]) -> None:
        services.task_change_status(actor=request.user, task=task, status=data["status"], note=data["note"])
        messages.success(request, _("Status: %(status)s.") % {"status": TaskStatus(data["status"]).label})


def _cancel_confirmation(task: Task) -> Confirmation:
    minutes = int(UNDO_WINDOW.total_seconds() // 60)
    return Confirmation(
        title=_("Cancel task %(task)s?") % {"task": task},
        consequences=[
            _("The task leaves the open tasks of the plan; its executors can no longer report on it."),
            _("Reminders of its deadline stop."),
        ],
        undo_note=ngettext(
            "For %(minutes)d minute after this you can undo the cancellation.",
            "For %(minutes)d minutes after this you can undo the cancellation.",
            minutes,
        )
        % {"minutes": minutes},
        button=_("Cancel the task"),
        action_url=reverse("workplan:task_status", args=[task.pk]),
        back_url=task.get_absolute_url(),
    )


class TaskRestoreView(LoginRequiredMixin, View):
    """Undo a cancellation within the undo window."""

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        task = _task_to_act_on(request, pk)
        try:
            services.task_restore(actor=request.user, task=task)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDenied:
            messages.error(request, _("You cannot do this with this task."))
        else:
            messages.success(request, _("The cancellation was undone."))
        return redirect(task)


class TaskReportView(TaskActionView):
    form_class = ReportForm
    form_name = "report_form"

    def make_form(self, request: HttpRequest) -> Form:
        return ReportForm(request.POST, request.FILES)

    def act(self, request: AuthenticatedHttpRequest, task: Task, data: dict[str, Any]) -> None:
        services.task_report_progress(
            actor=request.user, task=task, text=data["text"], files=data["files"], is_final=data["is_final"]
        )
        messages.success(request, _("The report has been saved."))


class TaskCommentView(TaskActionView):
    form_class = CommentForm
    form_name = "comment_form"

    def act(self, request: AuthenticatedHttpRequest, task: Task, data: dict[str, Any]) -> None:
        services.task_comment_add(actor=request.user, task=task, text=data["text"])


class TaskExtensionRequestView(TaskActionView):
    form_class = ExtensionRequestForm
    form_name = "extension_form"

    def act(self, request: AuthenticatedHttpRequest, task: Task, data: dict[str, Any]) -> None:
        services.task_request_extension(
            actor=request.user, task=task, new_deadline=data["new_deadline"], reason=data["reason"]
        )
        messages.success(request, _("The extension request has been sent to the secretariat."))


class ExtensionDecideView(TaskActionView):
    form_class = ExtensionDecisionForm
    form_name = "decision_form"

    def act(self, request: AuthenticatedHttpRequest, task: Task, data: dict[str, Any]) -> None:
        pending = selectors.extension_requests_visible_to(request.user).filter(task=task, status="pending").first()
        if pending is None:
            raise ValidationError(_("This request has already been decided."))
        services.extension_decide(actor=request.user, request=pending, approve=data["approve"], note=data["note"])
        messages.success(request, _("Extension approved.") if data["approve"] else _("Extension rejected."))


class TaskPairView(TaskActionView):
    form_name = "pair_form"

    def make_form(self, request: HttpRequest) -> Form:
        return PairForm(request.POST, task=_task_to_act_on(request, self.kwargs["pk"]))

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        _task_to_act_on(request, pk)  # a task the person may not see answers 404 like a missing one, before the 403
        if not permissions.can_pair_tasks(request.user):
            raise PermissionDenied
        return super().post(request, pk)

    def act(self, request: AuthenticatedHttpRequest, task: Task, data: dict[str, Any]) -> None:
        if data["counterpart"] is None:
            services.task_unpair(actor=request.user, task=task)
        else:
            services.task_pair(actor=request.user, task=task, counterpart=data["counterpart"])
        messages.success(request, _("The pair has been saved."))
