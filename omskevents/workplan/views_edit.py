"""Creating and editing tasks (the secretariat), and the searches of the task form's and the pairing form's pickers."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from omskevents.accounts.models import User
from omskevents.accounts.types import AuthenticatedHttpRequest
from omskevents.core.ids import parse_id

from . import permissions, selectors, services
from .forms import (
    TaskForm,
)
from .models import Task
from .views import SecretariatRequiredMixin, _add_errors


class TaskFormMixin(SecretariatRequiredMixin):
    # Typed as FormMixin and TemplateResponseMixin declare them, which the views add beside this mixin.
    form_class: type[TaskForm] | None = TaskForm
    template_name: str | None = "workplan/task_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        user = self.request.user
        kwargs: dict[str, Any] = super().get_form_kwargs()  # type: ignore[misc]  # FormMixin's, beside this mixin
        return {**kwargs, "lead_agencies": selectors.lead_agencies_for(user), "tasks": selectors.tasks_visible_to(user)}

    def after_save(self, task: Task, created: bool) -> HttpResponse:
        if task.deadline_note:
            messages.warning(self.request, task.deadline_note)
        messages.success(
            self.request,
            _("The task has been created.") if created else _("The task has been saved."),
        )
        return redirect(task)


class TaskCreateView(TaskFormMixin, FormView):
    request: AuthenticatedHttpRequest

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        for name in ("event", "parent", "area"):
            if self.request.GET.get(name):
                initial[name] = self.request.GET[name]
        return initial

    def form_valid(self, form: TaskForm) -> HttpResponse:
        try:
            task = services.task_create(actor=self.request.user, **form.service_kwargs())
        except ValidationError as error:
            _add_errors(form, error)
            return self.form_invalid(form)
        return self.after_save(task, created=True)


class TaskUpdateView(TaskFormMixin, FormView):
    request: AuthenticatedHttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # Visibility before permission: a task the person may not see answers 404 exactly like a missing one;
        # only one they may see is refused (403) by the secretariat check that follows.
        if request.user.is_authenticated:
            visible = selectors.tasks_visible_to(request.user).select_related("event", "lead_agency")
            self.task = get_object_or_404(visible, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def test_func(self) -> bool:
        return permissions.can_edit_task(self.request.user, self.task)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.task}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "task": self.task}

    def form_valid(self, form: TaskForm) -> HttpResponse:
        try:
            task = services.task_update(actor=self.request.user, task=self.task, **form.service_kwargs())
        except ValidationError as error:
            _add_errors(form, error)
            return self.form_invalid(form)
        return self.after_save(task, created=False)


def _choices(tasks: list[Task]) -> JsonResponse:
    return JsonResponse({"results": [{"id": task.pk, "text": str(task)} for task in tasks]})


SEARCH_TEXT = forms.CharField(required=False, max_length=100)


def _search_text(request: HttpRequest) -> str:
    """What the person typed into a picker, at most 100 characters; ValidationError for what no text field holds
    (a NUL character), which the views answer with 400 and the message."""
    return str(SEARCH_TEXT.clean(request.GET.get("q", "")[:100]))


def _refused(error: ValidationError) -> JsonResponse:
    return JsonResponse({"results": [], "error": " ".join(error.messages)}, status=400)


class TaskChoicesView(SecretariatRequiredMixin, View):
    """The tasks the task form's "parent" and "depends on" pickers offer for what the person types, when the plan
    is too long to list them all in the page (forms.searched_when_long): of the tasks this person may see, the
    task being edited (`exclude`) left out."""

    LIMIT = 30

    def get(self, request: HttpRequest) -> JsonResponse:
        try:
            query = _search_text(request)
        except ValidationError as error:
            return _refused(error)
        exclude = parse_id(request.GET.get("exclude", ""))
        tasks = selectors.task_link_choices(selectors.tasks_visible_to(request.user), exclude=exclude)
        return _choices(selectors.task_choice_search(tasks, query, limit=self.LIMIT))


class TaskPairChoicesView(LoginRequiredMixin, View):
    """The tasks the pairing form's picker offers for what the person types: of the task's event, led on the
    other side. A task the person may not see answers 404, as its page does; pairing is the secretariat's (403)."""

    LIMIT = 30

    def get(self, request: HttpRequest, pk: int) -> JsonResponse:
        task = selectors.task_for_action(request.user, pk)
        if task is None:
            raise Http404
        if not permissions.can_pair_tasks(request.user):
            raise PermissionDenied
        try:
            query = _search_text(request)
        except ValidationError as error:
            return _refused(error)
        return _choices(selectors.task_choice_search(selectors.pair_candidates(task), query, limit=self.LIMIT))


class PeopleSearchView(SecretariatRequiredMixin, View):
    """A small JSON list of people for the responsible-person search box."""

    LIMIT = 20

    def get(self, request: HttpRequest) -> JsonResponse:
        try:
            query = _search_text(request).strip()
        except ValidationError as error:
            return _refused(error)
        people = User.objects.filter(is_active=True).select_related("agency")
        if query:
            condition = Q()
            for variant in {query, query.lower(), query.capitalize()}:
                condition |= (
                    Q(last_name__icontains=variant)
                    | Q(first_name__icontains=variant)
                    | Q(username__icontains=variant)
                    | Q(agency__short_name__icontains=variant)
                )
            people = people.filter(condition)
        results = [
            {"id": p.pk, "text": f"{p} ({p.agency})" if p.agency_id else str(p)}
            for p in people.order_by("last_name", "first_name")[: self.LIMIT]
        ]
        return JsonResponse({"results": results})
