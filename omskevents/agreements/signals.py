"""Signals the agreements app sends; apps above it (the order is in docs/architecture.md) register receivers at ready().

agreement_stage_changed(sender=Agreement, agreement, old_stage, move)
    Sent by `agreements.services.agreement_move` inside its transaction, after the agreement went from
    `old_stage` to `agreement.stage` and the `AgreementMove` row (`move`) was saved. A receiver that writes rows
    (the webhooks' outbox) writes them in the same transaction, so a rolled-back move leaves none.
"""

from django.dispatch import Signal

agreement_stage_changed = Signal()
