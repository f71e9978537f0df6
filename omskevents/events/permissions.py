"""Who may see what of events and delegations — the one place that decides.

Event pages, the programme and the list of delegations are open to everyone signed in to the workspace. A
delegate's personal data (Federal Law No. 152-FZ: name, contacts, needs, travel, hotel) is shown only to the
committee secretariat (the host's, which holds the data) and to the people of the agency responsible for
receiving that delegation; the Kazakh secretariat sees the event pages but not the delegates' personal data.
"""

from omskevents.accounts.permissions import is_agency_member, is_kz_secretariat, is_secretariat
from omskevents.accounts.types import AnyUser

from .models import Delegate, Delegation


def can_view_events(user: AnyUser) -> bool:
    return is_secretariat(user) or is_kz_secretariat(user) or is_agency_member(user)


def can_view_delegation(user: AnyUser, delegation: Delegation) -> bool:
    """The delegation's page, with its people: personal data, so the secretariat and the responsible agency."""
    if is_secretariat(user):
        return True
    return is_agency_member(user) and delegation.responsible_agency_id == user.agency_id


def can_view_delegate(user: AnyUser, delegate: Delegate) -> bool:
    return can_view_delegation(user, delegate.delegation)


def can_view_arrivals(user: AnyUser) -> bool:
    """The arrivals board: each person sees the arrivals of the delegations they may see."""
    return can_view_events(user)


def can_export_manifest(user: AnyUser) -> bool:
    return can_view_events(user)


def can_print_badges(user: AnyUser) -> bool:
    return can_view_events(user)


def can_export_delegate_data(user: AnyUser, delegate: Delegate) -> bool:
    """A person's own data on request (152-FZ, art. 14): whoever may see it may hand it over."""
    return can_view_delegate(user, delegate)


def can_purge_delegates(user: AnyUser) -> bool:
    return is_secretariat(user)


def can_change_event_dates(user: AnyUser) -> bool:
    """New dates for an event (with the preview of what moves with them): the committee secretariat."""
    return is_secretariat(user)
