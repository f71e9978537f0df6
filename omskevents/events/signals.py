"""Signals the events app sends; apps above it (the order is in docs/architecture.md) register receivers at ready().

event_dates_changed(sender=Event, event, actor)
    Sent by `events.services.event_save` inside its transaction after an event's start or end date changed, so
    that whatever hangs on the dates follows them in the same transaction (the action plan's relative deadlines).
    A receiver returns a short message for the person who made the change, or None.

event_page(sender=Event, event, user)
    Sent by the event page (overview's) while it is rendered. A receiver returns a `core.sections.PageSection`
    (or a list, or None) that the page shows in the slot it names ("after_details"): what apps above events know
    of the event, within what `user` may see (the agreements signed and planned).
"""

from django.dispatch import Signal

event_dates_changed = Signal()
event_page = Signal()
