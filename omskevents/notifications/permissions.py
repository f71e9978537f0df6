"""Who may do what with the outbox's pages (one predicate per thing)."""

from omskevents.accounts.permissions import is_secretariat
from omskevents.accounts.types import AnyUser


def can_preview_mail(user: AnyUser) -> bool:
    """The morning preview and the holds: the secretariat, who answers for the committee's mail."""
    return is_secretariat(user)
