"""Agencies in the admin: the secretariat keeps the register, an agency head their own contacts."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from omskevents.core.admin import PredicateAdminMixin, ScopedHistoryMixin

from .models import Agency
from .permissions import (
    CONTACT_FIELDS,
    agencies_visible_to,
    can_edit_agency_contacts,
    can_manage_agencies,
    can_view_agency,
)

FIELDS = (
    "name",
    "name_kk",
    "name_en",
    "short_name",
    "short_name_kk",
    "short_name_en",
    "country",
    "level",
    "time_zone",
    "parent",
    "head",
    "email",
    "phone",
    "is_active",
)


@admin.register(Agency)
class AgencyAdmin(ScopedHistoryMixin, PredicateAdminMixin, SimpleHistoryAdmin):
    list_display = ("short_name", "name", "country", "level", "time_zone", "parent", "head", "email", "is_active")
    list_filter = ("country", "level", "time_zone", "is_active")
    search_fields = ("short_name", "name", "name_en", "email")
    list_select_related = ("parent", "head")
    autocomplete_fields = ("parent", "head")
    fields = FIELDS

    def scope(self, request: HttpRequest) -> Any:
        return agencies_visible_to(request.user)

    def may_view(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_view_agency(request.user, obj)

    def may_add(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_manage_agencies(request.user)

    def may_change(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_edit_agency_contacts(request.user, obj)

    def may_delete(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_manage_agencies(request.user)

    def may_revert(self, request: HttpRequest, obj: Any) -> bool:
        return can_manage_agencies(request.user)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if can_manage_agencies(request.user):
            return ()
        return [f for f in FIELDS if f not in CONTACT_FIELDS]
