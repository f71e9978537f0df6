"""Signals the events app sends; apps above it (the order is in docs/architecture.md) register receivers at ready().

event_dates_changed(sender=Event, event, actor)
    Sent inside the transaction that gives an event new dates (`events.services.event_dates_apply`, and
    `event_save` when a caller changes the dates directly), after the event is saved, so that whatever hangs on
    the dates follows them in the same transaction (the action plan's relative deadlines, the agreements' stage
    deadlines). A receiver returns a short message for the person who made the change, or None. A receiver that
    raises undoes the whole change.

event_dates_preview(sender=Event, event, moved, start_date, end_date)
    Sent while the preview of new dates is made (`events.dates.event_dates_preview_make`), before anything is
    saved. `event` is the event as stored, `moved` an unsaved copy with the new dates. A receiver returns an
    `events.dates.PreviewSection` (or a list, or None): what its `event_dates_changed` receiver would change,
    counted by the same function and WITHOUT writing — or, with `moves=False`, what the person should check by
    hand (the committee's meetings). The preview must list exactly what the step then does: the step makes the
    preview again and refuses to go on when it differs from the one the person saw.

event_page(sender=Event, event, user)
    Sent by the event page (overview's) while it is rendered. A receiver returns a `core.sections.PageSection`
    (or a list, or None) that the page shows in the slot it names ("after_details"): what apps above events know
    of the event, within what `user` may see (the agreements signed and planned).
"""

from django.dispatch import Signal

event_dates_changed = Signal()
event_dates_preview = Signal()
event_page = Signal()
