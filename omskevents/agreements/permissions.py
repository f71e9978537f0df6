"""Who may see and do what with agreements to sign — the one place that decides.

The secretariat sees and manages every agreement; the Kazakh secretariat sees every agreement (each has a Kazakh
side) and moves it as the Kazakh side; agency staff see and act on the agreements their agency takes part in (as a
party or as the responsible agency of a side); nobody else sees any.
"""

from omskevents.accounts.permissions import is_agency_member, is_kz_secretariat, is_secretariat
from omskevents.accounts.types import AnyUser

from .enums import Side
from .models import Agreement, AgreementVersion
from .workflow import Actor, allowed_targets


def side_agency_ids(agreement: Agreement, side: str) -> set[int]:
    """The agencies of one side: its parties and its responsible agency (parties come prefetched on pages)."""
    if side == Side.RU:
        return {agreement.ru_responsible_id, *(a.pk for a in agreement.ru_parties.all())}
    ids = {a.pk for a in agreement.kz_parties.all()}
    if agreement.kz_responsible_id is not None:
        ids.add(agreement.kz_responsible_id)
    return ids


def takes_part(user: AnyUser, agreement: Agreement) -> bool:
    if not is_agency_member(user):
        return False
    return user.agency_id in side_agency_ids(agreement, Side.RU) | side_agency_ids(agreement, Side.KZ)


def can_view_agreement(user: AnyUser, agreement: Agreement) -> bool:
    return is_secretariat(user) or is_kz_secretariat(user) or takes_part(user, agreement)


def can_manage_agreements(user: AnyUser) -> bool:
    """Creating and editing agreements, exports of the whole register and the order of signing."""
    return is_secretariat(user)


def can_see_register(user: AnyUser) -> bool:
    return is_secretariat(user) or is_kz_secretariat(user) or is_agency_member(user)


def actors_for(user: AnyUser, agreement: Agreement) -> set[Actor]:
    actors: set[Actor] = set()
    if is_secretariat(user):
        actors.add(Actor.SECRETARIAT)
    if is_kz_secretariat(user):
        actors.add(Actor.KZ)
    if is_agency_member(user):
        if user.agency_id in side_agency_ids(agreement, Side.RU):
            actors.add(Actor.RU)
        if user.agency_id in side_agency_ids(agreement, Side.KZ):
            actors.add(Actor.KZ)
    return actors


def stage_targets(user: AnyUser, agreement: Agreement) -> list[str]:
    """The stages this user may move the agreement to now."""
    return allowed_targets(agreement.stage, actors_for(user, agreement))


def can_move(user: AnyUser, agreement: Agreement, stage: str) -> bool:
    return stage in stage_targets(user, agreement)


def can_upload_version(user: AnyUser, agreement: Agreement) -> bool:
    """A new text of a language version: the secretariat or a party, until the agreement is closed."""
    return can_view_agreement(user, agreement) and not agreement.is_closed


def can_download_version(user: AnyUser, version: AgreementVersion) -> bool:
    return can_view_agreement(user, version.agreement)
