"""Who manages which people, and which agencies each account sees."""

import pytest
from django.contrib.auth.models import AnonymousUser

from omskevents.accounts import permissions as p
from omskevents.agencies import permissions as agency_p

pytestmark = pytest.mark.django_db


def test_secretariat_manages_everyone(secretariat, staff_a, staff_b):
    assert set(p.users_manageable_by(secretariat)) == {secretariat, staff_a, staff_b}
    assert p.can_manage_user(secretariat, staff_b) is True


def test_head_manages_only_own_agency_people(head_a, staff_a, staff_b, secretariat):
    assert set(p.users_manageable_by(head_a)) == {head_a, staff_a}
    assert [p.can_manage_user(head_a, u) for u in (staff_a, staff_b, secretariat)] == [True, False, False]


def test_head_cannot_manage_a_superuser_of_their_agency(head_a, staff_a):
    staff_a.is_superuser = True
    staff_a.save()
    assert p.can_manage_user(head_a, staff_a) is False
    assert staff_a not in set(p.users_manageable_by(head_a))


def test_staff_and_anonymous_manage_nobody(staff_a, head_a):
    assert list(p.users_manageable_by(staff_a)) == []
    assert p.can_manage_user(staff_a, head_a) is False
    assert p.can_manage_user(AnonymousUser()) is False


def test_roles_grantable(secretariat, head_a, staff_a, kz_secretariat):
    assert p.roles_grantable_by(secretariat) == ["secretariat", "kz_secretariat", "agency_head", "agency_staff"]
    assert p.roles_grantable_by(head_a) == ["agency_staff", "agency_head"]
    assert p.roles_grantable_by(staff_a) == []
    assert p.roles_grantable_by(kz_secretariat) == []
    assert (p.can_grant_admin_flags(secretariat), p.can_grant_admin_flags(head_a)) == (True, False)


def test_agencies_visible(secretariat, staff_a, staff_b, agency_a, agency_b, kz_secretariat):
    assert set(agency_p.agencies_visible_to(kz_secretariat)) == {agency_b}
    assert (agency_p.can_view_agency(kz_secretariat, agency_a), agency_p.can_view_agency(kz_secretariat, agency_b)) == (
        False,
        True,
    )
    assert set(agency_p.agencies_visible_to(secretariat)) == {agency_a, agency_b}
    assert list(agency_p.agencies_visible_to(staff_a)) == [agency_a]
    assert list(agency_p.agencies_visible_to(AnonymousUser())) == []
    assert [agency_p.can_view_agency(staff_b, a) for a in (agency_a, agency_b)] == [False, True]


def test_only_heads_edit_their_agency_contacts(head_a, staff_a, secretariat, agency_a, agency_b):
    assert agency_p.can_edit_agency_contacts(head_a, agency_a) is True
    assert agency_p.can_edit_agency_contacts(head_a, agency_b) is False
    assert agency_p.can_edit_agency_contacts(staff_a, agency_a) is False
    assert agency_p.can_edit_agency_contacts(secretariat, agency_b) is True
    assert (agency_p.can_manage_agencies(secretariat), agency_p.can_manage_agencies(head_a)) == (True, False)
