"""Event pages: an event with its venues and delegations, and its programme by day and venue."""

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.views.generic import TemplateView

from omskevents.core.sections import collect_sections

from .models import Event
from .selectors import event_detail, programme_by_day
from .signals import event_page


class _EventMixin(LoginRequiredMixin):
    kwargs: dict[str, Any]  # set by View, which every user of the mixin also is

    def get_event(self) -> Event:
        try:
            return event_detail(self.kwargs["pk"])
        except Event.DoesNotExist as exc:
            raise Http404 from exc


class EventDetailView(_EventMixin, TemplateView):
    template_name = "events/event_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        event = self.get_event()
        context["event"] = event
        # What apps above events add to the page (the agreements): events.signals.event_page.
        context["sections"] = collect_sections(event_page, sender=Event, event=event, user=self.request.user)
        return context


class ProgrammeView(_EventMixin, TemplateView):
    """Times are shown in the event's own time zone: the programme is read as it will happen on the spot."""

    template_name = "events/programme.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        event = self.get_event()
        context["event"] = event
        context["days"] = programme_by_day(event)
        return context
