"""Signals the committee app sends; apps above it (the order is in docs/architecture.md) register receivers at ready().

meeting_changed(sender=Meeting, meeting, change)
    Sent by `committee.services` inside its transaction after a meeting was scheduled (change="created"), moved
    (change="updated"), cancelled (change="cancelled") or restored within the undo window (change="restored"): the
    invitees must learn of it. A receiver that writes rows (the outbox's invitations) writes them in the same
    transaction as the meeting. With change="cancelled" the keyword `send_after` (an aware datetime) is the end of
    the undo window: the cancellation must not reach anyone before it; change="restored" withdraws what the
    cancellation queued.

meeting_mail_audience(sender=Meeting, meeting, change)
    Sent by the confirmation page of a change (change="cancelled"): a receiver returns the people who would get
    mail about it (a list of users), after their preferences. Without a receiver the page falls back to the
    meeting's own attendance list and chair (`committee.selectors.meeting_mail_audience`).

meeting_page(sender=Meeting, meeting, user, forms)
    Sent while the meeting page renders; a receiver returns a `core.sections.PageSection` (or a list, or None).
    `forms` holds forms posted back with errors, by name, for the receiver that owns them. Slots on the page:
    "before_agenda" and "after_decisions".
"""

from django.dispatch import Signal

meeting_changed = Signal()
meeting_page = Signal()
meeting_mail_audience = Signal()
