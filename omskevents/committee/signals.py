"""Signals the committee app sends; apps above it (the order is in docs/architecture.md) register receivers at ready().

meeting_changed(sender=Meeting, meeting, change)
    Sent by `committee.services` inside its transaction after a meeting was scheduled (change="created"), moved
    (change="updated") or cancelled (change="cancelled"): the invitees must learn of it. A receiver that writes
    rows (the outbox's invitations) writes them in the same transaction as the meeting.

meeting_page(sender=Meeting, meeting, user, forms)
    Sent while the meeting page renders; a receiver returns a `core.sections.PageSection` (or a list, or None).
    `forms` holds forms posted back with errors, by name, for the receiver that owns them. Slots on the page:
    "before_agenda" and "after_decisions".
"""

from django.dispatch import Signal

meeting_changed = Signal()
meeting_page = Signal()
