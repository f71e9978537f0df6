"""Signals the workplan app sends; apps above it (the order is in docs/architecture.md) register receivers at ready().

Every change signal is sent by a `workplan.services` function inside its transaction, after the change is saved:
a receiver that writes rows (the outbox's notices) writes them in the same transaction, so a crash after the commit
cannot lose them and a rolled-back change leaves none.

task_assigned(sender=Task, task)
    A task was created: its executors must learn of it.
task_changed(sender=Task, task, old_responsible_id, old_deadline)
    A task was edited (or its relative deadline followed the event): a new responsible person must learn of it,
    reminders of an old deadline are void.
task_status_changed(sender=Task, task)
    A task moved in the workflow (accepted, returned, cancelled …).
report_submitted(sender=ProgressReport, report)
extension_requested(sender=ExtensionRequest, request)
extension_decided(sender=ExtensionRequest, request)

task_page(sender=Task, task, user)
    Sent while the task page renders; a receiver returns a `core.sections.PageSection` (or a list, or None) to
    show on it — e.g. what the outbox sent about the task.
"""

from django.dispatch import Signal

task_assigned = Signal()
task_changed = Signal()
task_status_changed = Signal()
report_submitted = Signal()
extension_requested = Signal()
extension_decided = Signal()

task_page = Signal()
