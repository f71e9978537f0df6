"""Who may do what with the protocol — the one place that decides.

Everyone signed in reads the protocol (both sides draft it together). An agency's people propose items for
their own agency and edit them while they are proposed. The Omsk secretariat manages every item and records
either side's agreement (the partner's may reach it on paper); the Kazakh secretariat manages the items its
agencies propose and records the Kazakh side's agreement. Either side's secretariat may strike an item.
"""

from omskevents.accounts.permissions import is_agency_member, is_kz_secretariat, is_secretariat
from omskevents.accounts.types import AnyUser
from omskevents.agencies.enums import Country
from omskevents.agencies.models import Agency

from .enums import ItemState
from .models import ProtocolItem


def can_view_protocol(user: AnyUser) -> bool:
    return is_secretariat(user) or is_kz_secretariat(user) or is_agency_member(user)


def can_manage_protocol(user: AnyUser) -> bool:
    """Start a protocol, write its header and sections, compile the draft: either secretariat."""
    return is_secretariat(user) or is_kz_secretariat(user)


def can_propose_for(user: AnyUser, agency: Agency) -> bool:
    """Whether the user may put an item in this agency's name."""
    if is_secretariat(user):
        return True
    if is_kz_secretariat(user):
        return agency.country == Country.KZ
    return is_agency_member(user) and user.agency_id == agency.pk


def can_propose(user: AnyUser) -> bool:
    return can_view_protocol(user)


def can_edit_item(user: AnyUser, item: ProtocolItem) -> bool:
    if item.state == ItemState.STRUCK or item.task_id is not None:
        return False
    if is_secretariat(user) or is_kz_secretariat(user):
        return can_propose_for(user, item.proposer)
    return item.state == ItemState.PROPOSED and can_propose_for(user, item.proposer)


def sides_to_agree(user: AnyUser, item: ProtocolItem) -> list[str]:
    """The sides whose agreement this user may record on the item now."""
    if item.state != ItemState.PROPOSED:
        return []
    sides: list[str] = []
    if is_secretariat(user) and item.agreed_ru_by_id is None:
        sides.append(Country.RU)
    if (is_secretariat(user) or is_kz_secretariat(user)) and item.agreed_kz_by_id is None:
        sides.append(Country.KZ)
    return sides


def can_agree_item(user: AnyUser, item: ProtocolItem, side: str) -> bool:
    return side in sides_to_agree(user, item)


def can_strike_item(user: AnyUser, item: ProtocolItem) -> bool:
    return item.state != ItemState.STRUCK and item.task_id is None and can_manage_protocol(user)


def can_make_tasks(user: AnyUser) -> bool:
    """The commission's decisions become tasks of the plan through the committee secretariat."""
    return is_secretariat(user)
