from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkplanConfig(AppConfig):
    name = "omskevents.workplan"
    verbose_name = _("Action plan")

    def ready(self) -> None:
        # The seams of docs/architecture.md: events and the committee announce, the action plan listens.
        from omskevents.committee import signals as committee
        from omskevents.events import signals as events

        from . import receivers

        events.event_dates_changed.connect(receivers.deadlines_follow_event, dispatch_uid="workplan.event_dates")
        events.event_dates_preview.connect(receivers.deadlines_preview, dispatch_uid="workplan.event_dates_preview")
        committee.meeting_page.connect(receivers.meeting_page_sections, dispatch_uid="workplan.meeting_page")
