"""Admin: the outbox with filters and retry/cancel actions, the holds of mail for a day, the reminder rules,
people's preferences."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils import formats
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from omskevents.accounts.permissions import is_secretariat
from omskevents.accounts.types import admin_user
from omskevents.core.admin import GatedAdminMixin, ServiceFormMixin, adopt, call_service

from . import holds, selectors, services, wording
from .enums import State
from .models import MailHold, Notification, NotificationPreference, ReminderSettings
from .permissions import can_preview_mail


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

    def get_queryset(self, request: HttpRequest) -> QuerySet[Notification]:
        return selectors.rows_with_hold_day(super().get_queryset(request))

    @admin.display(description=_("goes at (recipient's time)"))
    def goes_at(self, obj: Notification) -> str:
        """When a queued row goes, in its recipient's zone, named: "09:00 (Омск)"; a held row: until when it is held."""
        if obj.state == State.HELD:
            held_until = getattr(obj, "held_until", None)
            if held_until is None:
                return gettext("on hold: queued again by the next scan")
            return gettext("on hold to the end of %(day)s, or until the hold is lifted") % {
                "day": formats.date_format(held_until, "d.m")
            }
        if obj.state != State.QUEUED:
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


class MailHoldAdminForm(forms.ModelForm):
    """A hold for a day: the same rules as the morning page's form (holds.hold_problems), then the service's."""

    class Meta:
        model = MailHold
        fields = ("day", "kind", "user")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, user = data.get("kind") or "", data.get("user")
        problems = holds.hold_problems(day=data.get("day"), kind=kind, user=user, today=selectors.hold_day())
        for field, message in problems.items():
            self.add_error(field, message)
        return data


@admin.register(MailHold)
class MailHoldAdmin(ServiceFormMixin, GatedAdminMixin, admin.ModelAdmin):
    """Holds of a kind of mail, or of a person's mail, for a day: whoever may use the morning page (the secretariat).

    Made through `mail_hold_create` (the rows wait at once); lifted — deleted, or "Lift the hold" — through
    `mail_hold_release`, which queues the rows again. A hold is never edited: lift it and hold again."""

    gate = staticmethod(can_preview_mail)
    form = MailHoldAdminForm
    list_display = ("day", "kind", "user", "created_by", "created", "held_now")
    list_filter = ("day", "kind")
    list_select_related = ("user", "created_by")
    raw_id_fields = ("user",)
    date_hierarchy = "day"
    actions = ("release",)

    def may_change(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[MailHold]:
        return selectors.holds_with_held_count(super().get_queryset(request))

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # "Lift the hold" does it, and says how many rows go again
        return actions

    @admin.display(description=_("held now"), ordering="held_now")
    def held_now(self, obj: MailHold) -> int:
        return int(getattr(obj, "held_now", 0))

    def save_model(self, request: HttpRequest, obj: MailHold, form: Any, change: bool) -> None:
        data = form.cleaned_data
        hold = call_service(
            services.mail_hold_create,
            actor=admin_user(request),
            day=data["day"],
            kind=data.get("kind") or "",
            user=data.get("user"),
        )
        adopt(obj, hold)

    def delete_model(self, request: HttpRequest, obj: MailHold) -> None:
        services.mail_hold_release(hold=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[MailHold]) -> None:
        for hold in queryset:
            services.mail_hold_release(hold=hold)

    @admin.action(description=_("Lift the hold"), permissions=["delete"])
    def release(self, request: HttpRequest, queryset: QuerySet[MailHold]) -> None:
        count = sum(services.mail_hold_release(hold=hold) for hold in queryset)
        self.message_user(
            request,
            ngettext("%(n)d message queued again.", "%(n)d messages queued again.", count) % {"n": count},
            messages.SUCCESS,
        )
