"""Who may do what with API tokens, and what a token's scope allows — the one place that decides.

What a caller may see and do through the API is decided by each app's own permissions and selectors, exactly as
on the pages: this module only adds the token's own rules.
"""

from omskevents.accounts.types import AnyUser

from .models import ApiToken


def can_manage_tokens(user: AnyUser) -> bool:
    """Every active person may hold tokens of their own: a token acts with its owner's rights, no more."""
    return bool(user.is_authenticated and user.is_active)


def can_revoke_token(user: AnyUser, token: ApiToken) -> bool:
    return can_manage_tokens(user) and token.user_id == user.pk


def token_allows(token: ApiToken, *, write: bool) -> bool:
    """A read token reads; a read-write token also does what its owner may do in the workflow."""
    return token.is_live and (not write or token.can_write)
