"""The organising committee in the admin: the secretariat's alone; meetings are changed through the services."""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from omskevents.accounts.types import admin_user
from omskevents.core.admin import GatedAdminMixin, ServiceFormMixin, adopt, call_service

from . import services
from .models import AgendaItem, Committee, CommitteeMember, Decision, Meeting, MeetingAttendance, WorkingGroup
from .permissions import can_manage_meetings


class CommitteeMemberInline(GatedAdminMixin, admin.TabularInline):
    gate = staticmethod(can_manage_meetings)
    model = CommitteeMember
    extra = 0
    autocomplete_fields = ("user",)


class WorkingGroupInline(GatedAdminMixin, admin.TabularInline):
    gate = staticmethod(can_manage_meetings)
    model = WorkingGroup
    extra = 0
    fields = ("kind", "name", "name_kk", "name_en", "lead", "members")
    autocomplete_fields = ("lead", "members")


@admin.register(Committee)
class CommitteeAdmin(GatedAdminMixin, admin.ModelAdmin):
    gate = staticmethod(can_manage_meetings)
    list_display = ("name",)
    search_fields = ("name",)
    filter_horizontal = ("events",)
    inlines = (CommitteeMemberInline, WorkingGroupInline)


class AgendaItemInline(GatedAdminMixin, admin.TabularInline):
    """New items go to the end of the agenda (agenda_item_add); removing one renumbers the rest."""

    gate = staticmethod(can_manage_meetings)
    model = AgendaItem
    extra = 0
    fields = ("order", "title", "speaker")
    readonly_fields = ("order",)

    def may_change(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AttendanceInline(GatedAdminMixin, admin.TabularInline):
    gate = staticmethod(can_manage_meetings)
    model = MeetingAttendance
    extra = 0
    fields = ("user", "status")
    autocomplete_fields = ("user",)
    can_delete = False


class DecisionInline(GatedAdminMixin, admin.StackedInline):
    gate = staticmethod(can_manage_meetings)
    model = Decision
    extra = 0
    fields = ("number", "text", "lead_agency", "co_executors", "deadline")
    autocomplete_fields = ("lead_agency", "co_executors")

    def may_change(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Meeting)
class MeetingAdmin(ServiceFormMixin, GatedAdminMixin, admin.ModelAdmin):
    gate = staticmethod(can_manage_meetings)
    list_display = ("number", "title", "committee", "starts_at", "place", "status")
    list_filter = ("status", "committee")
    search_fields = ("title", "place", "minutes")
    date_hierarchy = "starts_at"
    list_select_related = ("committee",)
    autocomplete_fields = ("chair",)
    fields = (
        "committee",
        "number",
        "title",
        "starts_at",
        "ends_at",
        "place",
        "video_link",
        "chair",
        "status",
        "minutes",
        "sequence",
    )
    readonly_fields = ("status", "sequence")
    inlines = (AgendaItemInline, AttendanceInline, DecisionInline)
    actions = ("cancel",)

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "video_link":
            kwargs["assume_scheme"] = "https"  # video links are https; Django 6 makes it the default
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return (*self.readonly_fields, "minutes")
        return (*self.readonly_fields, "committee", "number")

    def save_model(self, request: HttpRequest, obj: Meeting, form: Any, change: bool) -> None:
        data = {name: form.cleaned_data[name] for name in services.MEETING_FIELDS if name in form.cleaned_data}
        if not change:
            meeting = call_service(
                services.meeting_create,
                actor=request.user,
                committee=form.cleaned_data["committee"],
                number=form.cleaned_data.get("number"),
                **data,
            )
        else:
            meeting = call_service(services.meeting_update, actor=request.user, meeting=obj, **data)
            if "minutes" in form.changed_data and form.cleaned_data["minutes"].strip():
                meeting = call_service(
                    services.meeting_close, actor=request.user, meeting=meeting, minutes=form.cleaned_data["minutes"]
                )
        adopt(obj, meeting)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        meeting = form.instance
        # The admin's change message reads these lists, which formset.save() would have filled.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.forms:
            if not hasattr(row, "cleaned_data") or not row.cleaned_data:
                continue
            data = row.cleaned_data
            if formset._should_delete_form(row) and row.instance.pk:
                if formset.model is AgendaItem:
                    call_service(services.agenda_item_delete, actor=request.user, item=row.instance)
                elif formset.model is Decision:
                    call_service(services.decision_delete, actor=request.user, decision=row.instance)
                continue
            if not row.has_changed():
                continue
            if formset.model is AgendaItem and row.instance.pk is None:
                call_service(
                    services.agenda_item_add,
                    actor=request.user,
                    meeting=meeting,
                    title=data["title"],
                    speaker=data.get("speaker", ""),
                )
            elif formset.model is MeetingAttendance:
                call_service(
                    services.attendance_set,
                    actor=request.user,
                    meeting=meeting,
                    user=row.instance.user if row.instance.pk else data["user"],
                    status=data["status"],
                )
            elif formset.model is Decision and row.instance.pk is None:
                call_service(
                    services.decision_add,
                    actor=request.user,
                    meeting=meeting,
                    text=data["text"],
                    number=data.get("number", ""),
                    lead_agency=data.get("lead_agency"),
                    co_executors=list(data.get("co_executors") or ()),
                    deadline=data.get("deadline"),
                )

    @admin.action(description=_("Cancel the selected meetings"))
    def cancel(self, request: HttpRequest, queryset: Any) -> None:
        done = 0
        for meeting in queryset:
            try:
                services.meeting_cancel(actor=admin_user(request), meeting=meeting)
            except ValidationError as error:
                self.message_user(request, f"{meeting}: {'; '.join(error.messages)}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext("%(count)d meeting cancelled.", "%(count)d meetings cancelled.", done) % {"count": done},
                messages.SUCCESS,
            )
        else:
            self.message_user(request, gettext("No meeting was cancelled."), messages.WARNING)
