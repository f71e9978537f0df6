"""Who may see and edit agencies: the secretariat all of them, the Kazakh secretariat the Kazakh ones, agency
people their own."""

from django.db.models import QuerySet

from omskevents.accounts.permissions import is_agency_member, is_kz_secretariat, is_secretariat
from omskevents.accounts.types import AnyUser

from .enums import Country
from .models import Agency

# What an agency head may keep up to date about their own agency.
CONTACT_FIELDS = ("email", "phone")


def agencies_visible_to(user: AnyUser) -> QuerySet[Agency]:
    """In the admin: every agency for the secretariat, one's own agency for agency people."""
    if is_secretariat(user):
        return Agency.objects.all()
    if is_kz_secretariat(user):
        return Agency.objects.filter(country=Country.KZ)
    if is_agency_member(user) and user.agency_id is not None:
        return Agency.objects.filter(pk=user.agency_id)
    return Agency.objects.none()


def can_view_agency(user: AnyUser, agency: Agency | None = None) -> bool:
    if is_secretariat(user):
        return True
    if is_kz_secretariat(user):
        return agency is None or agency.country == Country.KZ
    if not is_agency_member(user):
        return False
    return agency is None or agency.pk == user.agency_id


def can_manage_agencies(user: AnyUser) -> bool:
    """Create, rename, re-parent and delete agencies."""
    return is_secretariat(user)


def can_edit_agency_contacts(user: AnyUser, agency: Agency | None = None) -> bool:
    if is_secretariat(user):
        return True
    if not (is_agency_member(user) and user.is_agency_head):
        return False
    return agency is None or agency.pk == user.agency_id


def can_view_agency_people(user: AnyUser, agency: Agency) -> bool:
    """The list of an agency's people: the secretariat's, and the agency head's for their own agency."""
    if is_secretariat(user):
        return True
    return bool(is_agency_member(user) and user.is_agency_head and agency.pk == user.agency_id)
