"""Signed links in mails: one-click forms for a task, and unsubscribing from digests. They expire."""

from typing import Any

from django.conf import settings
from django.core import signing
from django.urls import reverse

TASK_ACTION_SALT = "omskevents.notifications.task-action"
UNSUBSCRIBE_SALT = "omskevents.notifications.unsubscribe"
UNSUBSCRIBE_MAX_AGE = 90 * 24 * 3600
ACTIONS = ("report", "extend")


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def task_action_token(*, user_id: int, task_id: int, action: str) -> str:
    if action not in ACTIONS:
        raise ValueError(action)
    return signing.dumps({"u": user_id, "t": task_id, "a": action}, salt=TASK_ACTION_SALT, compress=True)


def task_action_url(*, user_id: int, task_id: int, action: str) -> str:
    token = task_action_token(user_id=user_id, task_id=task_id, action=action)
    return absolute(reverse("notifications:task_action", args=[token]))


def task_action_read(token: str, *, max_age_days: int) -> dict[str, Any]:
    """The payload, or signing.BadSignature (SignatureExpired included) when forged or too old."""
    payload = signing.loads(token, salt=TASK_ACTION_SALT, max_age=max_age_days * 24 * 3600)
    if not isinstance(payload, dict) or payload.get("a") not in ACTIONS:
        raise signing.BadSignature("bad payload")
    return payload


def unsubscribe_url(*, user_id: int) -> str:
    token = signing.dumps({"u": user_id}, salt=UNSUBSCRIBE_SALT)
    return absolute(reverse("notifications:unsubscribe", args=[token]))


def unsubscribe_read(token: str) -> int:
    payload = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    return int(payload["u"])


def preferences_url() -> str:
    return absolute(reverse("notifications:preferences"))
