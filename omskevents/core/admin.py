"""Admin mixins with no domain rules: permissions asked of predicates, service errors shown as form errors.

The admin never consults Django's auth Permission rows. Each app's admin names the predicates of its
`permissions.py` module and the selectors that scope its querysets; these mixins only wire them into the
hooks Django's admin calls.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .cache import cached_value
from .forms import apply_service_errors
from .ids import StrictModelMultipleChoiceField, parse_id

if TYPE_CHECKING:
    from django.contrib.admin.options import BaseModelAdmin, ModelAdmin

    # The mixins below are only ever combined with the admin classes; the type checker sees them as such.
    _BaseAdmin = BaseModelAdmin[Any]
    _ModelAdmin = ModelAdmin[Any]
else:
    _BaseAdmin = _ModelAdmin = object


class ServiceRejected(Exception):
    """A service refused the change; carries its ValidationError back to the form."""

    def __init__(self, error: ValidationError) -> None:
        super().__init__(error)
        self.error = error


def call_service(service: Callable[..., Any], /, **kwargs: Any) -> Any:
    """Call a service from a save hook; its ValidationError becomes ServiceRejected (handled by the view)."""
    try:
        return service(**kwargs)
    except ValidationError as error:
        raise ServiceRejected(error) from error


def adopt(target: Model, saved: Model) -> None:
    """Make the admin's unsaved instance stand for the row a service saved (pk, values, state)."""
    for field in saved._meta.concrete_fields:
        setattr(target, field.attname, getattr(saved, field.attname))
    target._state.adding = False
    target._state.db = saved._state.db


def _form_with_errors(form_class: type, error: ValidationError) -> type:
    class RejectedForm(form_class):
        def clean(self) -> Any:
            cleaned = super().clean()
            apply_service_errors(self, error)
            return cleaned

    RejectedForm.__name__ = form_class.__name__
    return RejectedForm


class ServiceFormMixin(_ModelAdmin):
    """Save hooks call services; when a service refuses, nothing is kept and the form shows why.

    The first pass runs inside the change view's transaction; ServiceRejected rolls it back. The view is
    then rendered again from the same POST with the service's messages added to the form, so the user
    sees their input and the reason instead of a server error.
    """

    def changeform_view(
        self, request: HttpRequest, object_id: str | None = None, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceRejected as rejected:
            request._service_error = rejected.error  # type: ignore[attr-defined]  # a note to get_form on this request
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        error = getattr(request, "_service_error", None)
        return _form_with_errors(form, error) if error is not None else form


class PredicateAdminMixin(_BaseAdmin):
    """has_*_permission and get_queryset answered by the app's predicates and selectors.

    Subclasses implement `scope` (what the user may see at all) and the `may_*` hooks. Every hook
    defaults to "no", so an admin that forgets a decision grants nothing.
    """

    def scope(self, request: HttpRequest) -> QuerySet:
        raise NotImplementedError(f"{type(self).__name__} must define scope()")

    def may_view(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def may_add(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def may_change(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def may_delete(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    # Django's hooks -------------------------------------------------------------------------------
    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.may_view(request) or self.may_change(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.may_view(request, obj) or self.may_change(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.may_add(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.may_change(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.may_delete(request, obj)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = self.scope(request)
        ordering = self.get_ordering(request)
        return qs.order_by(*ordering) if ordering else qs

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Any:
        """An object outside the user's scope is simply not found (404), never a redirect that names it; nor is
        one named by anything but a well-formed id (Django's own lookup reads " 1" as 1)."""
        if from_field is None and parse_id(object_id) is None:
            raise Http404(_("Not found."))
        obj = super().get_object(request, object_id, from_field)  # type: ignore[misc]  # ModelAdmin's; inlines never call it
        if obj is None:
            raise Http404(_("Not found."))
        return obj

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        kwargs.setdefault("form_class", StrictModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def response_action(
        self, request: HttpRequest, queryset: QuerySet[Any], *args: Any, **kwargs: Any
    ) -> HttpResponse | None:
        """A bulk action whose ticked ids are not all well-formed does nothing (the changelist says so)."""
        if any(parse_id(value) is None for value in request.POST.getlist(ACTION_CHECKBOX_NAME)):
            messages.warning(request, _("The selection holds an invalid id: nothing was done."))
            return None
        return super().response_action(request, queryset, *args, **kwargs)  # type: ignore[misc]  # ModelAdmin's, not BaseModelAdmin's


class GatedAdminMixin(PredicateAdminMixin):
    """All or nothing: whoever passes `gate(user)` may do everything, everyone else nothing."""

    gate: Callable[[Any], bool]

    def _open(self, request: HttpRequest) -> bool:
        return bool(type(self).gate(request.user))

    def scope(self, request: HttpRequest) -> QuerySet:
        manager = self.model._default_manager
        return manager.all() if self._open(request) else manager.none()

    def may_view(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._open(request)

    def may_add(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._open(request)

    def may_change(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._open(request)

    def may_delete(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._open(request)


class ScopedHistoryMixin(_ModelAdmin):
    """simple-history's views held to the same scope as the change page.

    simple-history 3.x looks the object up through get_queryset in `history_view` but falls back to the
    last historical record when that fails, and `history_form_view` (revert) never consults
    get_queryset. Both are checked here first: an object outside the scope is not found, and a revert
    (POST) needs `may_revert`.
    """

    def may_revert(self, request: HttpRequest, obj: Any) -> bool:
        return False

    def has_change_history_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is not None and self.may_revert(request, obj)

    def _visible_or_404(self, request: HttpRequest, object_id: str) -> Any:
        # Every model with a history admin has an integer key; anything but a well-formed id names nothing.
        pk = parse_id(unquote(object_id))
        obj = self.get_queryset(request).filter(pk=pk).first() if pk is not None else None
        if obj is None or not self.has_view_permission(request, obj):
            raise Http404(_("Not found."))
        return obj

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> HttpResponse:
        self._visible_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        obj = self._visible_or_404(request, object_id)
        if parse_id(unquote(version_id)) is None:
            raise Http404(_("Not found."))
        if request.method == "POST" and not self.has_change_history_permission(request, obj):
            raise PermissionDenied
        # Save hooks may need to know they restore an old version rather than edit the current one.
        request._history_revert = True  # type: ignore[attr-defined]  # a note to the save hooks on this request
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return super().history_form_view(request, object_id, version_id, extra_context)  # type: ignore[misc]  # SimpleHistoryAdmin's (untyped)
        except ServiceRejected as rejected:
            request._service_error = rejected.error  # type: ignore[attr-defined]  # a note to get_form on this request
            return super().history_form_view(request, object_id, version_id, extra_context)  # type: ignore[misc]  # SimpleHistoryAdmin's (untyped)


class NamesFilter(admin.RelatedFieldListFilter):
    """A related filter over a model whose saves change the names version (agencies, people, events; see
    settings.CACHE_NAMES_MODELS): its choices (every object, by name) are read once per names version and
    language instead of on every changelist request."""

    def field_choices(self, field: Any, request: HttpRequest, model_admin: Any) -> Any:
        parts = (
            "admin-filter",
            field.model._meta.label,
            field.name,
            self.field_admin_ordering(field, request, model_admin),
            get_language(),
        )
        return list(cached_value(parts, lambda: super(NamesFilter, self).field_choices(field, request, model_admin)))
