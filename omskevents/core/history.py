"""Who made a change and why, handed to django-simple-history for the historical row of the next save."""

from typing import Protocol, cast

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Model


class _HistoryNotes(Protocol):
    # simple-history reads these two attributes off the instance when it writes the historical row; they
    # are not fields, so the model types do not declare them.
    _history_user: AbstractBaseUser
    _change_reason: str | None


def history_user_set(instance: Model, user: AbstractBaseUser) -> None:
    """The person the historical row of the instance's next save names (instead of the request's user)."""
    cast(_HistoryNotes, instance)._history_user = user


def history_reason_set(instance: Model, reason: str | None) -> None:
    """The change reason the historical row of the instance's next save carries."""
    cast(_HistoryNotes, instance)._change_reason = reason
