"""The admin's view of agreements: read-only, held to the same scope as the pages.

Agreements are registered, edited and moved on their own pages (every write through `services.py`, with
the parties' countries, the stage plan and the history kept); the admin lists them, with their stages,
moves, texts and history, for whoever may see them.
"""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from omskevents.accounts.types import admin_user
from omskevents.core.admin import PredicateAdminMixin, ScopedHistoryMixin

from . import permissions, selectors
from .models import Agreement, AgreementMove, AgreementStage, AgreementVersion


class _ReadOnlyInline(PredicateAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False

    def scope(self, request: HttpRequest) -> QuerySet[Any]:
        visible = selectors.agreements_visible_to(admin_user(request)).values("pk")
        return self.model._default_manager.filter(agreement__in=visible)

    def may_view(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or permissions.can_view_agreement(admin_user(request), obj)


class StageInline(_ReadOnlyInline):
    model = AgreementStage
    fields = readonly_fields = ("stage", "side", "deadline", "deadline_note", "reached_at")


class MoveInline(_ReadOnlyInline):
    model = AgreementMove
    fields = readonly_fields = ("created", "from_stage", "to_stage", "actor", "comment")


class VersionInline(_ReadOnlyInline):
    model = AgreementVersion
    fields = readonly_fields = ("language", "version", "original_name", "size", "comment", "uploaded_by", "created")


@admin.register(Agreement)
class AgreementAdmin(ScopedHistoryMixin, PredicateAdminMixin, SimpleHistoryAdmin):
    list_display = ("title", "event", "kind", "stage", "next_deadline", "ru_responsible", "kz_responsible")
    list_filter = ("event", "kind", "stage")
    search_fields = ("title", "number", "ru_signatory", "kz_signatory")
    list_select_related = ("event", "ru_responsible", "kz_responsible")
    inlines = (StageInline, MoveInline, VersionInline)
    readonly_fields = tuple(
        f.name for f in Agreement._meta.get_fields() if f.concrete and f.name not in ("id", "history")
    )

    def scope(self, request: HttpRequest) -> QuerySet[Agreement]:
        return selectors.agreements_visible_to(admin_user(request))

    def may_view(self, request: HttpRequest, obj: Any = None) -> bool:
        user = admin_user(request)
        return permissions.can_see_register(user) if obj is None else permissions.can_view_agreement(user, obj)
