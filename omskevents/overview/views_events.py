"""The list of events and an event's page: dates, host, venues, programme, delegations, meetings, readiness."""

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.views.generic import ListView, TemplateView

from omskevents.committee.selectors import meetings_for_event
from omskevents.core.sections import collect_sections
from omskevents.events import permissions as event_permissions
from omskevents.events.models import Event
from omskevents.events.selectors import event_detail, event_list, programme_by_day
from omskevents.events.signals import event_page
from omskevents.workplan.permissions import can_prepare_next_event
from omskevents.workplan.selectors import dashboard_readiness, tasks_visible_to


class EventsAccessMixin(LoginRequiredMixin):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and not event_permissions.can_view_events(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class EventListView(EventsAccessMixin, ListView):
    template_name = "overview/event_list.html"
    context_object_name = "events"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Event]:
        return event_list()


class EventDetailView(EventsAccessMixin, TemplateView):
    """Printable: the print stylesheet (static/css/print.css) hides the navigation and the buttons."""

    template_name = "overview/event_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        try:
            event = event_detail(self.kwargs["pk"])
        except Event.DoesNotExist as exc:
            raise Http404 from exc
        delegations = list(event.delegations.all())
        context.update(
            event=event,
            days=programme_by_day(event),
            delegations=[(d, event_permissions.can_view_delegation(user, d)) for d in delegations],
            meetings=list(meetings_for_event(user, event.pk)),
            can_prepare_next=can_prepare_next_event(user),
            can_change_dates=event_permissions.can_change_event_dates(user),
            readiness=dashboard_readiness(tasks_visible_to(user).filter(event=event), [event])[0],
            # What the apps above events add (the agreements signed and planned): events.signals.event_page.
            sections=collect_sections(event_page, sender=Event, event=event, user=user),
        )
        return context
