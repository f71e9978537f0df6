"""Who may manage which people: the secretariat everyone, an agency head their own agency's staff."""

from typing import TypeGuard

from django.db.models import Q, QuerySet

from .enums import Role
from .models import User
from .types import AnyUser


# Both answer yes only for a signed-in person, so a yes also tells the type checker `user` is a User.
def is_secretariat(user: AnyUser) -> TypeGuard[User]:
    return bool(user.is_authenticated and user.is_secretariat)


def is_kz_secretariat(user: AnyUser) -> TypeGuard[User]:
    """The Kazakh secretariat: manages the Kazakh agencies' tasks; what that covers is each app's rule."""
    return bool(user.is_authenticated and user.is_kz_secretariat)


def is_agency_member(user: AnyUser) -> TypeGuard[User]:
    return bool(user.is_authenticated and user.is_active and user.agency_id)


def users_manageable_by(user: AnyUser) -> QuerySet[User]:
    if is_secretariat(user):
        return User.objects.all()
    if user.is_authenticated and user.is_agency_head and user.agency_id:
        return User.objects.filter(agency_id=user.agency_id).exclude(
            Q(is_superuser=True) | Q(role__in=[Role.SECRETARIAT, Role.KZ_SECRETARIAT])
        )
    return User.objects.none()


def can_manage_user(user: AnyUser, other: User | None = None) -> bool:
    if is_secretariat(user):
        return True
    if not (user.is_authenticated and user.is_agency_head and user.agency_id):
        return False
    if other is None:
        return True
    return (
        other.agency_id == user.agency_id
        and not other.is_superuser
        and other.role not in (Role.SECRETARIAT, Role.KZ_SECRETARIAT)
    )


def roles_grantable_by(user: AnyUser) -> list[str]:
    """The roles this user may give: the secretariat any, an agency head only agency roles."""
    if is_secretariat(user):
        return list(Role.values)
    if can_manage_user(user):
        return [Role.AGENCY_STAFF, Role.AGENCY_HEAD]
    return []


def can_grant_admin_flags(user: AnyUser) -> bool:
    """Superuser and staff flags, groups and Django permissions are the secretariat's to give."""
    return is_secretariat(user)


def must_use_second_factor(user: AnyUser) -> bool:
    """Both secretariats, agency heads and anyone with admin access must sign in with a second factor."""
    return bool(
        user.is_authenticated
        and (
            user.is_superuser or user.is_staff or user.role in (Role.SECRETARIAT, Role.KZ_SECRETARIAT, Role.AGENCY_HEAD)
        )
    )


# Absences and deputies. A person records their own; the secretariat records anyone's, the Kazakh secretariat
# its own side's (people of Kazakh agencies and its own members).


def secretariat_side(person: User) -> str | None:
    """Which secretariat a person belongs to ("ru" the committee's, "kz" the Kazakh one), None for agency people."""
    if person.is_superuser or person.role == Role.SECRETARIAT:
        return "ru"
    if person.role == Role.KZ_SECRETARIAT:
        return "kz"
    return None


def can_manage_absences(user: AnyUser) -> bool:
    """Whether the user records absences for other people (the secretariats)."""
    return is_secretariat(user) or is_kz_secretariat(user)


def absence_people_for(user: AnyUser) -> QuerySet[User]:
    """The people whose absences this user records and withdraws (themselves included)."""
    if is_secretariat(user):
        return User.objects.filter(is_active=True)
    if is_kz_secretariat(user):
        return User.objects.filter(is_active=True).filter(
            Q(agency__country="KZ") | Q(role=Role.KZ_SECRETARIAT, is_superuser=False)
        )
    if user.is_authenticated and user.is_active:
        return User.objects.filter(pk=user.pk)
    return User.objects.none()


def can_record_absence_for(user: AnyUser, person: User) -> bool:
    if not (user.is_authenticated and user.is_active and person.is_active):
        return False
    if user.pk == person.pk or is_secretariat(user):
        return True
    return is_kz_secretariat(user) and (
        (person.agency is not None and person.agency.country == "KZ") or secretariat_side(person) == "kz"
    )


def is_eligible_deputy(person: User, deputy: User) -> bool:
    """A deputy is someone else, active, of the same agency or of the same secretariat."""
    if deputy.pk == person.pk or not deputy.is_active:
        return False
    if person.agency_id is not None and deputy.agency_id == person.agency_id:
        return True
    side = secretariat_side(person)
    return side is not None and secretariat_side(deputy) == side


def eligible_deputies(person: User) -> QuerySet[User]:
    """The people who may stand in for `person` (is_eligible_deputy, as a query)."""
    same = Q(agency_id=person.agency_id) if person.agency_id is not None else Q(pk__in=[])
    side = secretariat_side(person)
    if side == "ru":
        same |= Q(is_superuser=True) | Q(role=Role.SECRETARIAT)
    elif side == "kz":
        same |= Q(role=Role.KZ_SECRETARIAT, is_superuser=False)
    return User.objects.filter(same, is_active=True).exclude(pk=person.pk).order_by("last_name", "first_name", "pk")
