"""What the action plan remembers per person: the last filter chosen in its form and whether the panel is open.

Kept on the person (`User.ui_state`, loaded with every request anyway), so the plan costs no query to read it
and follows the person from one browser to another. Written with a queryset update: a person's own view state
is not a change of the names the plan's cached rows show (no cache version moves).
"""

from typing import Any

from django.http import QueryDict

from omskevents.accounts.models import User
from omskevents.accounts.types import AnyUser

FILTERS_KEY = "plan_filters"
OPEN_KEY = "plan_filters_open"
MAX_QUERY_LENGTH = 2000


def _state(user: AnyUser) -> dict[str, Any]:
    state = getattr(user, "ui_state", None)
    return state if isinstance(state, dict) else {}


def saved_filters(user: AnyUser) -> str:
    """The query string of the filter the person last applied in the plan's form ("" when none)."""
    value = _state(user).get(FILTERS_KEY, "")
    return value if isinstance(value, str) else ""


def filters_open(user: AnyUser) -> bool:
    return _state(user).get(OPEN_KEY) is True


def _write(user: AnyUser, key: str, value: Any) -> None:
    if not isinstance(user, User):
        return
    state = dict(_state(user))
    if state.get(key) == value:
        return
    if value in ("", None):
        state.pop(key, None)
    else:
        state[key] = value
    user.ui_state = state
    User.objects.filter(pk=user.pk).update(ui_state=state)


def remember_filters(user: AnyUser, query: QueryDict) -> None:
    encoded = query.urlencode()
    _write(user, FILTERS_KEY, encoded if len(encoded) <= MAX_QUERY_LENGTH else "")


def forget_filters(user: AnyUser) -> None:
    _write(user, FILTERS_KEY, "")


def remember_filters_open(user: AnyUser, *, is_open: bool) -> None:
    _write(user, OPEN_KEY, True if is_open else None)
