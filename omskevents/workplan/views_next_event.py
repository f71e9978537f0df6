"""Prepare the next Forum: the form, the preview, then the one atomic step (workplan.next_event)."""

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from omskevents.accounts.types import AuthenticatedHttpRequest
from omskevents.core.forms import apply_service_errors
from omskevents.events.enums import Side
from omskevents.events.models import Event
from omskevents.events.services import NextEventSpec, event_next_number

from . import permissions
from .next_event import next_event_create, next_event_preview

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ZONES = [
    ("Asia/Omsk", gettext_lazy("Omsk (UTC+6)")),
    ("Asia/Almaty", gettext_lazy("Kazakhstan (UTC+5)")),
    ("Europe/Moscow", gettext_lazy("Moscow (UTC+3)")),
    ("Asia/Novosibirsk", gettext_lazy("Novosibirsk (UTC+7)")),
    ("Asia/Yekaterinburg", gettext_lazy("Yekaterinburg (UTC+5)")),
]
HOST_ZONES = {Side.RU: "Asia/Omsk", Side.KZ: "Asia/Almaty"}


class NextEventForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("Number"), max_length=20)
    start_date = forms.DateField(label=gettext_lazy("Start date"), widget=DATE_WIDGET)
    end_date = forms.DateField(label=gettext_lazy("End date"), widget=DATE_WIDGET)
    host_country = forms.ChoiceField(label=gettext_lazy("Host country"), choices=Side.choices)
    city = forms.CharField(label=gettext_lazy("City"), max_length=100)
    time_zone = forms.ChoiceField(label=gettext_lazy("Time zone"), choices=ZONES)
    copy_venues = forms.BooleanField(
        label=gettext_lazy("Take the venues along"),
        required=False,
        help_text=gettext_lazy("Leave unticked for a blank set when the Forum moves to the other country."),
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return data

    def spec(self) -> NextEventSpec:
        data = self.cleaned_data
        return NextEventSpec(
            number=data["number"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            city=data["city"],
            host_country=data["host_country"],
            time_zone=data["time_zone"],
            copy_venues=data["copy_venues"],
        )


class NextEventView(LoginRequiredMixin, FormView):
    """GET: the form, prefilled (the next number, a year later on the same weekday, the other country hosts).
    POST: the preview; POST with confirm: the step, then the new event's page."""

    request: AuthenticatedHttpRequest
    template_name = "workplan/next_event.html"
    form_class = NextEventForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            # Existence before permission here is no probe: every signed-in person sees every event's page.
            try:
                self.source = Event.objects.get(pk=kwargs["pk"])
            except Event.DoesNotExist as exc:
                raise Http404 from exc
            if not permissions.can_prepare_next_event(request.user):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        source = self.source
        host = Side.KZ if source.host_country == Side.RU else Side.RU
        shift = dt.timedelta(weeks=52)  # a year later, on the same weekday
        return {
            "number": event_next_number(source.number),
            "start_date": source.start_date + shift,
            "end_date": source.end_date + shift,
            "host_country": host,
            "time_zone": HOST_ZONES.get(host, source.time_zone),
            "copy_venues": host == source.host_country,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(source=self.source, **kwargs)

    def form_valid(self, form: NextEventForm) -> HttpResponse:
        spec = form.spec()
        try:
            if form.cleaned_data["confirm"]:
                event = next_event_create(actor=self.request.user, source=self.source, spec=spec)
            else:
                preview = next_event_preview(source=self.source, spec=spec)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        if form.cleaned_data["confirm"]:
            messages.success(
                self.request,
                _("%(event)s was prepared from %(source)s.") % {"event": event, "source": self.source},
            )
            return HttpResponseRedirect(event.get_absolute_url())
        confirm_form = NextEventForm(initial={**form.cleaned_data, "confirm": True})
        return self.render_to_response(self.get_context_data(form=confirm_form, preview=preview))
