from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "omskevents.agreements"
    verbose_name = _("Agreements to sign")

    def ready(self) -> None:
        # The seam of docs/architecture.md: an event's new dates move the agreements' stage deadlines.
        from omskevents.events import signals as events

        from . import receivers

        events.event_dates_changed.connect(receivers.deadlines_follow_event, dispatch_uid="agreements.event_dates")
        events.event_dates_preview.connect(receivers.deadlines_preview, dispatch_uid="agreements.event_dates_preview")
        events.event_page.connect(receivers.event_page_section, dispatch_uid="agreements.event_page")
