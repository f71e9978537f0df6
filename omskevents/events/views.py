"""Pages of the events app: the programme by day and venue, a delegation with its people, the arrivals board,
the manifest (Excel), the badges (PDF) and one person's data on request. The event page itself, which combines
apps, is in the overview app."""

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from omskevents.accounts.types import AuthenticatedHttpRequest
from omskevents.core.forms import apply_service_errors

from . import permissions, selectors
from .dates import DatesPreview, event_dates_preview_make
from .exports import XLSX_CONTENT_TYPE, badges_pdf, manifest_filename, manifest_xlsx
from .forms import ArrivalsFilterForm, BadgesForm, EventDatesForm
from .models import Delegate, Delegation, Event
from .services import StaleDatesPreview, event_dates_apply


class EventsAccessMixin(LoginRequiredMixin):
    kwargs: dict[str, Any]  # set by View, which every user of the mixin also is

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and not permissions.can_view_events(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_event(self) -> Event:
        try:
            return Event.objects.get(pk=self.kwargs["pk"])
        except Event.DoesNotExist as exc:
            raise Http404 from exc


class ProgrammeView(EventsAccessMixin, TemplateView):
    """Times are shown in the event's own time zone: the programme is read as it will happen on the spot."""

    template_name = "events/programme.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        event = self.get_event()
        context["event"] = event
        context["days"] = selectors.programme_by_day(event)
        return context


class DelegationView(EventsAccessMixin, TemplateView):
    """A delegation's people: only for the secretariat and the responsible agency (404 for others)."""

    template_name = "events/delegation.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        try:
            delegation = selectors.delegation_page(self.request.user, self.kwargs["pk"], self.kwargs["delegation_pk"])
        except Delegation.DoesNotExist as exc:
            raise Http404 from exc
        context.update(delegation=delegation, event=delegation.event, delegates=list(delegation.delegates.all()))
        return context


class ArrivalsBoardView(EventsAccessMixin, TemplateView):
    """Who arrives when and who meets them, day by day, in the time of the city of arrival."""

    template_name = "events/arrivals.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        event = self.get_event()
        form = ArrivalsFilterForm(self.request.GET or None)
        direction = form.direction_value()
        context.update(
            event=event,
            form=form,
            direction=direction,
            days=selectors.arrivals_board(self.request.user, event, direction=direction),
        )
        return context


class ManifestView(EventsAccessMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not permissions.can_export_manifest(request.user):
            raise PermissionDenied
        event = self.get_event()
        delegates = list(selectors.event_delegates(request.user, event))
        today = timezone.localdate()
        response = HttpResponse(manifest_xlsx(event, delegates), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{manifest_filename(event, today)}"'
        return response


class BadgesView(EventsAccessMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not permissions.can_print_badges(request.user):
            raise PermissionDenied
        event = self.get_event()
        form = BadgesForm(request.GET)
        if not form.is_valid():
            return HttpResponse(
                " ".join(str(e) for errors in form.errors.values() for e in errors),
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        delegates = list(selectors.event_delegates(request.user, event, form.cleaned_data.get("delegation")))
        response = HttpResponse(
            badges_pdf(event, delegates, layout=form.cleaned_data["layout"]), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'inline; filename="badges-{event.kind}-{event.number}.pdf"'
        return response


class DelegateDataView(EventsAccessMixin, View):
    """Everything stored about one person, as JSON, to hand over on their request (152-FZ, art. 14)."""

    def get(self, request: HttpRequest, delegate_pk: int) -> HttpResponse:
        try:
            delegate = selectors.delegate_for(request.user, delegate_pk)
        except Delegate.DoesNotExist as exc:
            raise Http404 from exc
        if not permissions.can_export_delegate_data(request.user, delegate):
            raise Http404
        body = json.dumps(selectors.delegate_personal_data(delegate), ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="delegate-{delegate.pk}.json"'
        response["Cache-Control"] = "no-store"
        return response


class EventDatesView(EventsAccessMixin, View):
    """New dates for an event: GET the form; POST the preview of what moves (the programme, the deadlines) and what
    to check (the meetings); POST with the preview's fingerprint: the one atomic step, then the event's page."""

    request: AuthenticatedHttpRequest
    template_name = "events/event_dates.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            # Existence before permission here is no probe: every signed-in person sees every event's page.
            self.get_event()
            if not permissions.can_change_event_dates(request.user):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def render(self, event: Event, form: EventDatesForm, preview: DatesPreview | None = None) -> HttpResponse:
        return render(self.request, self.template_name, {"event": event, "form": form, "preview": preview})

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = self.get_event()
        form = EventDatesForm(initial={"start_date": event.start_date, "end_date": event.end_date})
        return self.render(event, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = self.get_event()
        form = EventDatesForm(request.POST)
        if not form.is_valid():
            return self.render(event, form)
        start, end, fingerprint = (form.cleaned_data[k] for k in ("start_date", "end_date", "fingerprint"))
        try:
            if not fingerprint:
                return self.preview(event, form, event_dates_preview_make(event=event, start_date=start, end_date=end))
            notes = event_dates_apply(
                actor=self.request.user, event=event, start_date=start, end_date=end, fingerprint=fingerprint
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.render(event, form)
        except StaleDatesPreview as stale:
            messages.warning(
                request,
                _(
                    "The event or what hangs on its dates changed since the preview. Nothing was saved: check the new "
                    "preview and apply again."
                ),
            )
            return self.preview(event, form, stale.preview)
        messages.success(request, _("The event's dates were changed."))
        for note in notes:
            messages.info(request, note)
        return HttpResponseRedirect(event.get_absolute_url())

    def preview(self, event: Event, form: EventDatesForm, preview: DatesPreview) -> HttpResponse:
        data = {"start_date": preview.start_date, "end_date": preview.end_date, "fingerprint": preview.fingerprint}
        return self.render(preview.event, EventDatesForm(initial=data), preview)
