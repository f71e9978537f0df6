"""Events, venues, programme and delegations in the admin: the secretariat's alone."""

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from omskevents.accounts.permissions import is_secretariat
from omskevents.accounts.types import admin_user
from omskevents.core.admin import GatedAdminMixin

from .models import Delegate, Delegation, Event, Journey, ProgrammeItem, Venue
from .services import event_save


class ProgrammeItemInline(GatedAdminMixin, admin.TabularInline):
    gate = staticmethod(is_secretariat)
    model = ProgrammeItem
    extra = 0
    fields = ("kind", "area", "title", "title_kk", "title_en", "starts_at", "ends_at", "venue", "moderator")
    autocomplete_fields = ("venue",)


@admin.register(Event)
class EventAdmin(GatedAdminMixin, admin.ModelAdmin):
    gate = staticmethod(is_secretariat)
    list_display = ("short_title", "kind", "number", "city", "host_country", "start_date", "end_date", "status")
    list_filter = ("kind", "status")
    search_fields = ("short_title", "title_ru", "title_kk", "title_en", "number", "city")
    date_hierarchy = "start_date"
    filter_horizontal = ("venues",)
    inlines = (ProgrammeItemInline,)

    def get_readonly_fields(self, request: HttpRequest, obj: Event | None = None) -> Any:
        # An existing event gets new dates on its own page, with the preview of what moves with them
        # (events.dates); a new event has nothing hanging on its dates yet.
        if obj is not None and obj.pk:
            return ("start_date", "end_date", "change_dates")
        return ()

    @admin.display(description=_("New dates"))
    def change_dates(self, obj: Event) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse("events:dates", args=[obj.pk]), _("Change the dates (with a preview)")
        )

    def save_model(self, request: HttpRequest, obj: Event, form: Any, change: bool) -> None:
        # Dates are read-only here for an existing event; event_save still sends event_dates_changed should a
        # caller change them.
        for message in event_save(actor=admin_user(request), event=obj, changed=form.changed_data if change else ()):
            self.message_user(request, message, messages.INFO)


@admin.register(Venue)
class VenueAdmin(GatedAdminMixin, admin.ModelAdmin):
    gate = staticmethod(is_secretariat)
    list_display = ("name", "name_kk", "name_en", "city", "address", "capacity")
    search_fields = ("name", "name_kk", "name_en", "address", "city")


class DelegateInline(GatedAdminMixin, admin.TabularInline):
    gate = staticmethod(is_secretariat)
    model = Delegate
    extra = 0
    fields = ("precedence", "role", "last_name", "first_name", "patronymic", "position", "badge_status", "consent_at")
    show_change_link = True


@admin.register(Delegation)
class DelegationAdmin(GatedAdminMixin, admin.ModelAdmin):
    gate = staticmethod(is_secretariat)
    list_display = ("name", "event", "side", "head", "size", "responsible_agency")
    list_filter = ("event", "side")
    search_fields = ("name", "head")
    list_select_related = ("event", "responsible_agency")
    autocomplete_fields = ("responsible_agency",)
    inlines = (DelegateInline,)


class JourneyInline(GatedAdminMixin, admin.TabularInline):
    gate = staticmethod(is_secretariat)
    model = Journey
    extra = 0
    fields = ("direction", "transport", "number", "at", "city", "time_zone", "place", "met_by")


@admin.register(Delegate)
class DelegateAdmin(GatedAdminMixin, admin.ModelAdmin):
    """Personal data (152-FZ): in the admin for the secretariat only; agencies see theirs on the delegation page."""

    gate = staticmethod(is_secretariat)
    list_display = ("__str__", "delegation", "role", "precedence", "badge_status", "consent_at")
    list_filter = ("delegation__event", "role", "badge_status", "needs_interpreter")
    search_fields = ("last_name", "first_name", "name_alt", "organisation")
    list_select_related = ("delegation",)
    inlines = (JourneyInline,)
