"""People in the admin: the secretariat manages everyone, an agency head their own agency's people."""

import csv
import datetime as dt
import json
from typing import Any

import axes.admin  # noqa: F401 - registers the login-attempt admins now, so they can be re-registered below
import django_otp.plugins.otp_static.admin
import django_otp.plugins.otp_totp.admin  # noqa: F401 - registered now, re-registered below
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from omskevents.core.admin import GatedAdminMixin, PredicateAdminMixin

from .audit import log_event, log_export
from .enums import Role
from .models import Absence, SecurityEvent, SecurityKey, User
from .permissions import can_grant_admin_flags, can_manage_user, is_secretariat, roles_grantable_by, users_manageable_by
from .services import absence_problems, absence_record, user_links_revoke
from .sessions import user_sessions_end_all
from .types import admin_user

PERSON_FIELDS = ("last_name", "first_name", "patronymic", "email", "phone", "position")
ADMIN_FLAGS = ("is_staff", "is_superuser", "groups", "user_permissions")
# Changes of these are permission changes, written to the security log.
ACCESS_FIELDS = ("role", "is_staff", "is_superuser", "is_active", "agency_id")


@admin.register(User)
class UserAdmin(PredicateAdminMixin, DjangoUserAdmin):
    list_display = ("username", "last_name", "first_name", "agency", "role", "position", "email", "is_active")
    list_filter = ("role", "is_active", ("agency", admin.RelatedOnlyFieldListFilter))
    search_fields = ("username", "last_name", "first_name", "email", "agency__short_name")
    list_select_related = ("agency",)
    autocomplete_fields = ("agency",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": PERSON_FIELDS}),
        (_("Agency and role"), {"fields": ("agency", "role")}),
        (_("Preferences"), {"fields": ("time_zone", "language")}),
        (_("Access"), {"fields": ("is_active", *ADMIN_FLAGS)}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "usable_password", "password1", "password2")}),
        (_("Person"), {"fields": PERSON_FIELDS}),
        (_("Agency and role"), {"fields": ("agency", "role")}),
        (_("Preferences"), {"fields": ("time_zone", "language")}),
    )

    actions = ["end_all_sessions"]

    def scope(self, request: HttpRequest) -> Any:
        return users_manageable_by(request.user)

    @admin.action(description=_("End all sessions (and void mailed links)"))
    def end_all_sessions(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        ended = 0
        for person in queryset:
            if can_manage_user(request.user, person):
                ended += user_sessions_end_all(request=request, user=person, by=admin_user(request))
        self.message_user(request, _("Sessions ended: %(count)d.") % {"count": ended})

    def may_view(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_manage_user(request.user, obj)

    def may_add(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_manage_user(request.user)

    def may_change(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_manage_user(request.user, obj)

    def may_delete(self, request: HttpRequest, obj: Any = None) -> bool:
        # People are deactivated, not deleted: their reports and history must keep their author.
        return is_secretariat(request.user)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if can_grant_admin_flags(request.user):
            return fieldsets
        # An agency head neither sees nor sets the admin flags, and the agency is always their own.
        hidden = {"is_superuser", "groups", "user_permissions", "agency"} if obj is None else set(ADMIN_FLAGS[1:])
        return [(name, {**opts, "fields": [f for f in opts["fields"] if f not in hidden]}) for name, opts in fieldsets]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = ["last_login", "date_joined"]
        if not can_grant_admin_flags(request.user):
            readonly += ["agency", "is_staff"]
        return readonly

    def formfield_for_choice_field(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "role":
            allowed = roles_grantable_by(request.user)
            kwargs["choices"] = [(value, label) for value, label in Role.choices if value in allowed]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        before = User.objects.filter(pk=obj.pk).values(*ACCESS_FIELDS).first() if change else None
        self._save_model(request, obj, form, change)
        after = {name: getattr(obj, name) for name in ACCESS_FIELDS}
        changed = {
            name: f"{(before or {}).get(name)!r}->{after[name]!r}"
            for name in ACCESS_FIELDS
            if (before or {}).get(name) != after[name]
        }
        if changed and (change or obj.is_staff or obj.is_superuser or obj.role != Role.AGENCY_STAFF):
            log_event(
                "permissions_changed",
                username=obj.get_username(),
                agency=obj.agency.short_name if obj.agency is not None else "-",
                request=request,
                by=admin_user(request).get_username(),
                **changed,
            )

    def _save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if not can_grant_admin_flags(request.user):
            # Whatever was posted, a head's people stay in the head's agency with agency roles; the
            # staff flag only opens the admin, where the predicates still scope everything.
            obj.agency_id = admin_user(request).agency_id
            if obj.role not in roles_grantable_by(request.user):
                obj.role = Role.AGENCY_STAFF
            obj.is_superuser = False
            if not change:
                obj.is_staff = True
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            # A deactivated person's mailed links die with the account, even if it is taken back on later.
            user_links_revoke(user=obj)


# Access is decided by the predicates, never by groups and Django permissions: groups have no use here.
admin.site.unregister(Group)


class LoginRecordsAdminMixin(GatedAdminMixin):
    """Login attempts and lockouts: the secretariat reads them and deletes an attempt to lift a lockout."""

    gate = staticmethod(is_secretariat)

    def may_add(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def may_change(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


for _model in (AccessAttempt, AccessLog, AccessFailureLog):
    _original = type(admin.site._registry[_model])
    admin.site.unregister(_model)
    admin.site.register(_model, type(_original.__name__, (LoginRecordsAdminMixin, _original), {}))


class SecondFactorDeviceAdminMixin(GatedAdminMixin):
    """Authenticators and recovery codes: the secretariat sees them (never their secrets: OTP_ADMIN_HIDE_SENSITIVE_DATA)
    and deletes a lost phone's device, after which the person enrols again at the next login."""

    gate = staticmethod(is_secretariat)

    def may_add(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def may_change(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def _log_removed(self, request: HttpRequest, devices: Any) -> None:
        for device in devices:
            log_event(
                "second_factor_removed",
                username=device.user.get_username(),
                agency=device.user.agency.short_name if device.user.agency is not None else "-",
                request=request,
                by=admin_user(request).get_username(),
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self._log_removed(request, [obj])
        super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._log_removed(request, queryset.select_related("user__agency"))
        super().delete_queryset(request, queryset)  # type: ignore[misc]


for _model in (TOTPDevice, StaticDevice):
    _original = type(admin.site._registry[_model])
    admin.site.unregister(_model)
    admin.site.register(_model, type(_original.__name__, (SecondFactorDeviceAdminMixin, _original), {}))


@admin.register(SecurityKey)
class SecurityKeyAdmin(SecondFactorDeviceAdminMixin, admin.ModelAdmin):
    """Security keys: the secretariat removes a lost key (its removal is logged as a second-factor removal)."""

    list_display = ("name", "user", "created_at", "last_used_at")
    search_fields = ("name", "user__username")
    list_select_related = ("user",)
    readonly_fields = ("user", "name", "created_at", "last_used_at")


@admin.register(SecurityEvent)
class SecurityEventAdmin(GatedAdminMixin, admin.ModelAdmin):
    """The security log for the security officer (the secretariat): read, filter, export as CSV; never changed."""

    gate = staticmethod(is_secretariat)
    list_display = ("at", "event", "username", "agency", "ip", "details")
    list_filter = ("event",)
    search_fields = ("username", "agency", "ip", "event")
    date_hierarchy = "at"
    actions = ["export_csv"]

    def may_add(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def may_change(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def may_delete(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Export the selected events as CSV"))
    def export_csv(self, request: HttpRequest, queryset: QuerySet[SecurityEvent]) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="security-events.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(["time_utc", "event", "user", "agency", "ip", "details"])
        rows = 0
        for event in queryset.order_by("at", "pk").iterator():
            details = json.dumps(event.details, ensure_ascii=False, sort_keys=True)
            cells = [
                event.at.astimezone(dt.UTC).isoformat(),
                event.event,
                event.username,
                event.agency,
                event.ip or "",
                details,
            ]
            # A cell that a spreadsheet would read as a formula is quoted (CSV injection).
            writer.writerow(["'" + c if c[:1] in ("=", "+", "-", "@", "\t", "\r") else c for c in map(str, cells)])
            rows += 1
        log_export(request, kind="security_events_csv", rows=rows)
        return response


class AbsenceAdminForm(forms.ModelForm):
    class Meta:
        model = Absence
        fields = ("person", "start", "end", "reason", "deputy", "note")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        person, start, end, deputy = data.get("person"), data.get("start"), data.get("end"), data.get("deputy")
        if person is not None and deputy is not None and start is not None and end is not None:
            for field, messages in absence_problems(person=person, start=start, end=end, deputy=deputy).items():
                for message in messages:
                    self.add_error(field, message)
        return data


@admin.register(Absence)
class AbsenceAdmin(GatedAdminMixin, admin.ModelAdmin):
    """The secretariat records absences for anyone (through the same service as the site: checked, logged);
    a record is not edited afterwards: it is withdrawn on the site, or deleted here."""

    gate = staticmethod(is_secretariat)
    form = AbsenceAdminForm
    list_display = ("person", "start", "end", "reason", "deputy", "recorded_by")
    list_filter = ("reason",)
    search_fields = ("person__last_name", "person__username", "deputy__last_name", "deputy__username")
    date_hierarchy = "start"
    list_select_related = ("person", "deputy", "recorded_by")
    raw_id_fields = ("person", "deputy")

    def may_change(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Absence, form: Any, change: bool) -> None:
        recorded = absence_record(
            actor=admin_user(request),
            person=obj.person,
            start=obj.start,
            end=obj.end,
            reason=obj.reason,
            deputy=obj.deputy,
            note=obj.note,
            request=request,
        )
        obj.pk = recorded.pk
