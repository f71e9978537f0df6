"""The working calendar in the admin: the secretariat reviews rows and re-seeds years from the holidays package."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from omskevents.accounts.permissions import is_secretariat
from omskevents.core.admin import GatedAdminMixin

from .models import SEEDED_COUNTRIES, CalendarDay
from .services import calendar_seed


class SeedYearForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)


@admin.register(CalendarDay)
class CalendarDayAdmin(GatedAdminMixin, admin.ModelAdmin):
    gate = staticmethod(is_secretariat)
    list_display = ("date", "country", "is_working", "name", "source")
    list_filter = ("country", "is_working", "source")
    search_fields = ("name",)
    date_hierarchy = "date"
    actions = ("reseed_years",)
    change_list_template = "admin/calendars/calendarday/change_list.html"

    def get_urls(self) -> list[Any]:
        return [
            path("seed/", self.admin_site.admin_view(self.seed_view), name="calendars_calendarday_seed"),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        extra_context = {**(extra_context or {}), "seed_form": SeedYearForm()}
        return super().changelist_view(request, extra_context)

    def _seed(self, request: HttpRequest, years: list[int]) -> None:
        written = calendar_seed(countries=list(SEEDED_COUNTRIES), years=years)
        self.message_user(
            request,
            gettext("Years %(years)s re-seeded from the holidays package: %(count)d days written.")
            % {"years": ", ".join(str(y) for y in years), "count": written},
            messages.SUCCESS,
        )

    @admin.action(description=_("Re-seed the years of the selected days from the holidays package"))
    def reseed_years(self, request: HttpRequest, queryset: Any) -> None:
        years = sorted({day.year for day in queryset.values_list("date", flat=True)})
        self._seed(request, years)

    def seed_view(self, request: HttpRequest) -> HttpResponse:
        return require_POST(self._seed_view)(request)

    def _seed_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = SeedYearForm(request.POST)
        if form.is_valid():
            self._seed(request, [form.cleaned_data["year"]])
        else:
            for error in form.errors.get("year", []):
                self.message_user(request, str(error), messages.ERROR)
        return HttpResponseRedirect(reverse("admin:calendars_calendarday_changelist"))
