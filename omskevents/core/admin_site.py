"""The admin site: Django's, with the list of apps and models a person may open built once per version.

Every admin page puts that list in its context (the navigation sidebar): Django builds it on every request by
asking each of the ~27 model admins its five permissions and reversing two addresses per model, about a sixth
of a changelist's processor time. What it holds is a function of the person (their role, agency and flags: every
model-level permission here is a predicate of those, see core.admin.PredicateAdminMixin), the language, and of
data that only a write to a watched model changes (the reminder rules' one row decides whether "Add" is offered).
So it is kept per process under the person, the language and the data version (core.cache): any save of a
person, an agency or the rules makes a new key.
"""

import functools
from collections import OrderedDict
from collections.abc import Callable
from threading import Lock
from typing import Any, TypeVar, cast

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.views.main import ERROR_FLAG
from django.http import HttpRequest, HttpResponseBadRequest, HttpResponseBase, HttpResponseRedirect
from django.utils.translation import get_language, gettext

from .cache import data_version

MEMO_SIZE = 512

_View = TypeVar("_View", bound=Callable[..., HttpResponseBase])


class OmskAdminSite(AdminSite):
    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)
        self._app_lists: OrderedDict[tuple[Any, ...], list[dict[str, Any]]] = OrderedDict()
        self._lock = Lock()

    def admin_view(self, view: _View, cacheable: bool = False) -> _View:
        """Every admin page, with a number too large for the database or for a date in its address (a filter's
        id, a year of the date hierarchy: `?event=99999999999999999999`, `?deadline__year=99999999999999999999`)
        answered as Django answers a filter it cannot apply: the list again, with its "incorrect lookup" notice,
        instead of an error page. SQLite cannot bind such an integer at all; a date cannot hold such a year."""
        wrapped = super().admin_view(view, cacheable)

        @functools.wraps(wrapped)
        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            try:
                return wrapped(request, *args, **kwargs)
            except OverflowError:
                if request.method == "GET" and request.GET and ERROR_FLAG not in request.GET:
                    return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
                return HttpResponseBadRequest(gettext("A number in the address is out of range."))

        return cast(_View, inner)

    @staticmethod
    def app_list_key(request: HttpRequest) -> tuple[Any, ...] | None:
        user = request.user
        if not user.is_authenticated:
            return None
        person = (user.pk, user.role, user.agency_id, user.is_active, user.is_staff, user.is_superuser)
        return (person, get_language(), request.META.get("SCRIPT_NAME", ""), data_version())

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[dict[str, Any]]:
        key = self.app_list_key(request) if app_label is None else None
        if key is None:
            return super().get_app_list(request, app_label)
        with self._lock:
            built = self._app_lists.get(key)
            if built is not None:
                self._app_lists.move_to_end(key)
        if built is None:
            built = super().get_app_list(request)
            with self._lock:
                self._app_lists[key] = built
                while len(self._app_lists) > MEMO_SIZE:
                    self._app_lists.popitem(last=False)
        # The sidebar (core.templatetags.admin_nav) caches its HTML under this key when it is given this list.
        request.admin_app_list = (key, built)  # type: ignore[attr-defined]  # a note to the sidebar tag
        return built


class OmskAdminConfig(AdminConfig):
    default_site = "omskevents.core.admin_site.OmskAdminSite"
