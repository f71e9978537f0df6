"""Who may register and manage webhook endpoints, and whose eyes an endpoint sees through — the one place that decides.

An endpoint belongs to an agency or to one of the two secretariats. An agency's endpoints are managed by the
agency's head (the person who answers for what leaves the agency; the staff see the agency's tasks but do not
decide where they are sent); a secretariat's by any member of that secretariat. Nobody else sees an endpoint:
another agency's endpoint, and an agency's endpoint to a secretariat, is simply not found.

An endpoint receives what a plain member of its owner may see (`viewer_of`): an agency's endpoint what an
agency staff member sees (the tasks it leads or co-executes, the agreements it takes part in, the committee's
meetings), a secretariat's what that secretariat sees.
"""

from omskevents.accounts.enums import Role
from omskevents.accounts.models import User
from omskevents.accounts.permissions import is_kz_secretariat, is_secretariat
from omskevents.accounts.types import AnyUser

from .enums import Owner
from .models import Delivery, Endpoint


def _agency_head_of(user: AnyUser) -> int | None:
    """The agency whose head the user is, or None."""
    if user.is_authenticated and user.is_agency_head and user.agency_id:
        return user.agency_id
    return None


def owner_of(user: AnyUser) -> tuple[str, int | None] | None:
    """The owner an endpoint this user registers belongs to (owner, agency id), or None: they may not register."""
    if is_secretariat(user):
        return Owner.SECRETARIAT, None
    if is_kz_secretariat(user):
        return Owner.KZ_SECRETARIAT, None
    agency_id = _agency_head_of(user)
    return (Owner.AGENCY, agency_id) if agency_id is not None else None


def can_manage_webhooks(user: AnyUser) -> bool:
    """Whether the user has webhook endpoints to manage at all (the workspace pages, the admin)."""
    return owner_of(user) is not None


def can_manage_endpoint(user: AnyUser, endpoint: Endpoint) -> bool:
    """See, edit, delete the endpoint and its delivery log, and send a delivery again."""
    owner = owner_of(user)
    return owner is not None and owner == (endpoint.owner, endpoint.agency_id)


def can_retry_delivery(user: AnyUser, delivery: Delivery) -> bool:
    return can_manage_endpoint(user, delivery.endpoint)


def viewer_of(endpoint: Endpoint) -> User:
    """An unsaved person standing for the endpoint's owner, for the apps' own visibility rules and selectors."""
    if endpoint.owner == Owner.SECRETARIAT:
        return User(role=Role.SECRETARIAT, agency_id=None, is_active=True)
    if endpoint.owner == Owner.KZ_SECRETARIAT:
        return User(role=Role.KZ_SECRETARIAT, agency_id=None, is_active=True)
    return User(role=Role.AGENCY_STAFF, agency_id=endpoint.agency_id, is_active=True)
