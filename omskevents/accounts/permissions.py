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
