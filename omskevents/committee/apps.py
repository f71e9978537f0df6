from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteeConfig(AppConfig):
    name = "omskevents.committee"
    verbose_name = _("Organising committee")

    def ready(self) -> None:
        # The seam of docs/architecture.md: an event's new dates list the committee's meetings to check.
        from omskevents.events import signals as events

        from . import receivers

        events.event_dates_preview.connect(receivers.meetings_to_check, dispatch_uid="committee.event_dates_preview")
