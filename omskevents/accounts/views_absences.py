"""Absences and deputies: a person's own (their settings page) and everyone's for the secretariats."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from omskevents.core.forms import apply_service_errors
from omskevents.core.ids import parse_id

from . import selectors, services
from .forms import AbsenceForm
from .models import Absence
from .permissions import absence_people_for, can_manage_absences, eligible_deputies
from .types import AuthenticatedHttpRequest


class OwnAbsencesView(LoginRequiredMixin, View):
    """The person's own absences and the form to record one, with a deputy among their colleagues."""

    template_name = "accounts/absences.html"
    request: AuthenticatedHttpRequest

    def _form(self, data: Any = None) -> AbsenceForm:
        return AbsenceForm(data, people=None, deputies=eligible_deputies(self.request.user))

    def _render(self, form: AbsenceForm, status: int = 200) -> HttpResponse:
        context = {
            "form": form,
            "absences": selectors.absences_of(self.request.user),
            "today": timezone.localdate(),
            "can_manage": can_manage_absences(self.request.user),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._render(self._form())

    def post(self, request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self._form(request.POST)
        if not form.is_valid():
            return self._render(form, status=400)
        try:
            services.absence_record(actor=request.user, person=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
            return self._render(form, status=400)
        messages.success(request, _("Your absence is recorded; your deputy receives your reminders meanwhile."))
        return redirect("accounts:absences")


class ManagedAbsencesView(LoginRequiredMixin, View):
    """The secretariats record absences for the people of their side and see the current and coming ones."""

    template_name = "accounts/absences_manage.html"
    request: AuthenticatedHttpRequest

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and not can_manage_absences(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def _form(self, data: Any = None) -> AbsenceForm:
        people = absence_people_for(self.request.user)
        return AbsenceForm(data, people=people, deputies=people)

    def _render(self, form: AbsenceForm, status: int = 200) -> HttpResponse:
        today = timezone.localdate()
        context = {"form": form, "absences": selectors.absences_managed_by(self.request.user, today=today)}
        context["today"] = today
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._render(self._form())

    def post(self, request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self._form(request.POST)
        if not form.is_valid():
            return self._render(form, status=400)
        try:
            services.absence_record(actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
            return self._render(form, status=400)
        except PermissionDenied as error:
            form.add_error(None, str(error))
            return self._render(form, status=403)
        messages.success(request, _("The absence is recorded."))
        return redirect("accounts:absences_manage")


class AbsenceWithdrawView(LoginRequiredMixin, View):
    """Take back an absence (one's own, or one of one's side for a secretariat): 404 for any other."""

    request: AuthenticatedHttpRequest

    def post(self, request: AuthenticatedHttpRequest, pk: int, *args: Any, **kwargs: Any) -> HttpResponse:
        if parse_id(pk) is None:
            raise Http404
        absence = Absence.objects.filter(pk=pk, person__in=absence_people_for(request.user)).first()
        if absence is None:
            raise Http404
        try:
            services.absence_withdraw(actor=request.user, absence=absence, request=request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The absence is withdrawn."))
        if absence.person_id == request.user.pk:
            return redirect("accounts:absences")
        return redirect("accounts:absences_manage")
