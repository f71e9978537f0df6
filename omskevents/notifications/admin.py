"""Admin: the outbox with filters and retry/cancel actions, the reminder rules, people's preferences."""

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from omskevents.accounts.permissions import is_secretariat
from omskevents.core.admin import GatedAdminMixin

from . import services, wording
from .enums import State
from .models import Notification, NotificationPreference, ReminderSettings


@admin.register(Notification)
class NotificationAdmin(GatedAdminMixin, admin.ModelAdmin):
    gate = staticmethod(is_secretariat)
    list_display = (
        "scheduled_for",
        "goes_at",
        "kind",
        "state",
        "to_email",
        "recipient",
        "agency",
        "task",
        "attempts",
        "last_smtp_code",
        "sent_at",
        "possibly_sent_at",
    )
    list_filter = (
        "state",
        ("possibly_sent_at", admin.EmptyFieldListFilter),
        "kind",
        ("agency", admin.RelatedOnlyFieldListFilter),
        ("recipient", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("to_email", "subject", "recipient__username", "recipient__last_name", "task__title", "message_id")
    date_hierarchy = "scheduled_for"
    list_select_related = ("recipient", "agency", "task")
    actions = ("retry", "cancel")
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("goes at (recipient's time)"))
    def goes_at(self, obj: Notification) -> str:
        """When a queued or held row goes, in its recipient's zone, named: "09:00 (Омск)"."""
        if obj.state not in (State.QUEUED, State.HELD):
            return "—"
        return wording.sending_moment(obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Rows change only through their states (the actions below), never by hand-editing fields.
        return False

    @admin.action(description=_("Send again (failed, cancelled or possibly sent)"), permissions=["view"])
    def retry(self, request: HttpRequest, queryset: QuerySet[Notification]) -> TemplateResponse | None:
        """Asks first: how many rows go again, and how many of them may have reached their recipient."""
        if request.POST.get("confirmed") != "yes":
            retryable = queryset.filter(state__in=services.RETRYABLE)
            context = {
                **self.admin_site.each_context(request),
                "title": _("Send these messages again?"),
                "opts": self.model._meta,
                "selected": queryset.values_list("pk", flat=True),
                "count": retryable.count(),
                "possibly_sent": retryable.filter(state=State.UNCERTAIN).count(),
                "skipped": queryset.exclude(state__in=services.RETRYABLE).count(),
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/notifications/notification/retry_confirmation.html", context)
        count = services.outbox_retry(notifications=queryset)
        self.message_user(
            request,
            ngettext("%(n)d message queued again.", "%(n)d messages queued again.", count) % {"n": count},
            messages.SUCCESS,
        )
        return None

    @admin.action(description=_("Cancel"), permissions=["view"])
    def cancel(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        count = services.outbox_cancel(notifications=queryset)
        self.message_user(
            request,
            ngettext("%(n)d message cancelled.", "%(n)d messages cancelled.", count) % {"n": count},
            messages.SUCCESS,
        )


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(GatedAdminMixin, admin.ModelAdmin):
    gate = staticmethod(is_secretariat)
    list_display = (
        "__str__",
        "deadline_offsets",
        "remind_on_due_day",
        "overdue_head_from_day",
        "overdue_committee_from_day",
        "send_hour",
    )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # One set of rules for the whole committee, kept by the secretariat.
        return self.may_add(request) and not ReminderSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(GatedAdminMixin, admin.ModelAdmin):
    gate = staticmethod(is_secretariat)
    list_display = (
        "user",
        "delivery",
        "assignments_mode",
        "reminders_mode",
        "status_mode",
        "meetings_mode",
        "digests",
        "language",
        "head_copies",
    )
    list_filter = ("delivery", "digests", "head_copies")
    search_fields = ("user__username", "user__last_name", "user__email")
    autocomplete_fields = ()
    raw_id_fields = ("user",)
