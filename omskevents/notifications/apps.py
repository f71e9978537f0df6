from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "omskevents.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # The seams of docs/architecture.md: the lower apps announce, the outbox listens.
        from omskevents.committee import signals as committee
        from omskevents.workplan import signals as workplan

        from . import receivers

        workplan.task_assigned.connect(receivers.task_assigned, dispatch_uid="notifications.task_assigned")
        workplan.task_changed.connect(receivers.task_changed, dispatch_uid="notifications.task_changed")
        workplan.task_status_changed.connect(
            receivers.task_status_changed, dispatch_uid="notifications.task_status_changed"
        )
        workplan.report_submitted.connect(receivers.report_submitted, dispatch_uid="notifications.report_submitted")
        workplan.extension_requested.connect(
            receivers.extension_requested, dispatch_uid="notifications.extension_requested"
        )
        workplan.extension_decided.connect(receivers.extension_decided, dispatch_uid="notifications.extension_decided")
        workplan.task_page.connect(receivers.task_page_section, dispatch_uid="notifications.task_page")
        committee.meeting_changed.connect(receivers.meeting_changed, dispatch_uid="notifications.meeting_changed")
        committee.meeting_mail_audience.connect(
            receivers.meeting_mail_audience, dispatch_uid="notifications.meeting_mail_audience"
        )
