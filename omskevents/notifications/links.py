"""Signed links in mails: one-click forms for a task, and the one-click unsubscribe of bulk mail. They expire.

A task link is a single-use pass for one person: its signed payload names the person, the task, the action and
a random nonce, and carries a keyed digest of the person's password hash and "links revoked" stamp. A password
change, signing out everywhere or deactivation changes what the digest must be, so every link sent before stops
working; a used link is recorded under its nonce and refused the second time.
"""

import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from .models import UsedActionLink

TASK_ACTION_SALT = "omskevents.notifications.task-action"
UNSUBSCRIBE_SALT = "omskevents.notifications.unsubscribe"
# A mail kept in the inbox must still unsubscribe when it is a year old (RFC 8058: the provider follows the
# header whenever the reader clicks); the worst a found link can do is switch one kind of mail off.
UNSUBSCRIBE_MAX_AGE = 400 * 24 * 3600
ACTIONS = ("report", "extend")


class LinkAlreadyUsed(Exception):
    """The link has already recorded what it was sent for."""


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _owner_key(user: Any, nonce: str) -> str:
    """What ties a link to its person as they are now: the password hash and the "links revoked" stamp."""
    revoked = user.links_revoked_at.isoformat() if user.links_revoked_at else ""
    value = f"{user.pk}|{user.password}|{revoked}|{nonce}"
    return salted_hmac(f"{TASK_ACTION_SALT}.owner", value, algorithm="sha256").hexdigest()[:32]


def task_action_token(*, user: Any, task_id: int, action: str) -> str:
    if action not in ACTIONS:
        raise ValueError(action)
    nonce = secrets.token_urlsafe(16)
    payload = {"u": user.pk, "t": task_id, "a": action, "n": nonce, "k": _owner_key(user, nonce)}
    return signing.dumps(payload, salt=TASK_ACTION_SALT, compress=True)


def task_action_url(*, user: Any, task_id: int, action: str) -> str:
    token = task_action_token(user=user, task_id=task_id, action=action)
    return absolute(reverse("notifications:task_action", args=[token]))


def task_action_read(token: str, *, max_age_days: int) -> dict[str, Any]:
    """The payload, or signing.BadSignature (SignatureExpired included) when forged or too old."""
    payload = signing.loads(token, salt=TASK_ACTION_SALT, max_age=max_age_days * 24 * 3600)
    if (
        not isinstance(payload, dict)
        or payload.get("a") not in ACTIONS
        or not isinstance(payload.get("n"), str)
        or not isinstance(payload.get("k"), str)
    ):
        raise signing.BadSignature("bad payload")
    return payload


def task_action_belongs_to(payload: dict[str, Any], user: Any) -> bool:
    """Whether the link was sent to this person as they are now (same password, links not revoked since)."""
    return constant_time_compare(payload["k"], _owner_key(user, payload["n"]))


def task_action_is_used(payload: dict[str, Any]) -> bool:
    return UsedActionLink.objects.filter(nonce=payload["n"]).exists()


def task_action_redeem(*, payload: dict[str, Any], user: Any, act: Callable[[], Any]) -> Any:
    """Record the link as used and do what it was sent for, in one transaction: if `act` fails (a validation
    error, a refusal) the link stays usable; if the link was used already, LinkAlreadyUsed and nothing is done."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                UsedActionLink.objects.create(nonce=payload["n"], user=user, task_id=payload["t"], action=payload["a"])
        except IntegrityError as error:
            raise LinkAlreadyUsed from error
        return act()


def unsubscribe_token(*, user: Any, kind: str) -> str:
    """A signed token naming one person and one kind of mail: what its one-click unsubscribe switches off."""
    return signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(*, user: Any, kind: str) -> str:
    return absolute(reverse("notifications:unsubscribe", args=[unsubscribe_token(user=user, kind=kind)]))


def unsubscribe_read(token: str) -> tuple[int, str]:
    """(person id, kind), or signing.BadSignature (SignatureExpired included) when forged, altered or too old."""
    payload = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int) or not isinstance(payload.get("k"), str):
        raise signing.BadSignature("bad payload")
    return payload["u"], payload["k"]


def preferences_url() -> str:
    return absolute(reverse("notifications:preferences"))
