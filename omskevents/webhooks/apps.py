from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "omskevents.webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        # The seams of docs/architecture.md: the lower apps announce, the webhooks' outbox listens.
        from omskevents.agreements import signals as agreements
        from omskevents.committee import signals as committee
        from omskevents.workplan import signals as workplan

        from . import receivers

        workplan.task_assigned.connect(receivers.task_assigned, dispatch_uid="webhooks.task_assigned")
        workplan.task_changed.connect(receivers.task_changed, dispatch_uid="webhooks.task_changed")
        workplan.task_status_changed.connect(receivers.task_status_changed, dispatch_uid="webhooks.task_status_changed")
        workplan.report_submitted.connect(receivers.report_submitted, dispatch_uid="webhooks.report_submitted")
        workplan.extension_decided.connect(receivers.extension_decided, dispatch_uid="webhooks.extension_decided")
        committee.meeting_changed.connect(receivers.meeting_changed, dispatch_uid="webhooks.meeting_changed")
        agreements.agreement_stage_changed.connect(
            receivers.agreement_stage_changed, dispatch_uid="webhooks.agreement_stage_changed"
        )
