"""Writes of webhooks: register, edit, deactivate and delete an endpoint, replace its secret, send a delivery again.

Every function checks its permission (PermissionDenied) and its input (ValidationError with a message per field,
nothing written); the workspace pages, the admin and the API call these and nothing else.
"""

from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from omskevents.accounts.models import User

from . import outbox, permissions, ssrf
from .enums import DeliveryState, EventKind
from .models import Delivery, Endpoint
from .signing import secret_new

T = TypeVar("T")

URL_MAX_LENGTH = 500
DESCRIPTION_MAX_LENGTH = 200


def _check_url(url: str) -> str:
    url = url.strip()
    if not url:
        raise ValidationError({"url": _("Give the address of your receiver.")})
    if len(url) > URL_MAX_LENGTH:
        raise ValidationError({"url": _("The address is longer than %(max)d characters.") % {"max": URL_MAX_LENGTH}})
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError({"url": _("Enter a valid address, e.g. https://example.org/hooks/omskevents.")}) from None
    try:
        ssrf.check_url(url)
    except ValidationError as exc:
        raise ValidationError({"url": exc.messages}) from None
    return url


def _check_kinds(kinds: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(str(k) for k in kinds))
    if not chosen:
        raise ValidationError({"kinds": _("Choose at least one kind of event.")})
    unknown = [k for k in chosen if k not in EventKind.values]
    if unknown:
        raise ValidationError({"kinds": _("Unknown kind of event: %(kinds)s.") % {"kinds": ", ".join(unknown)}})
    return [k for k in EventKind.values if k in chosen]  # in the order of the list, whatever the input's


def _check_description(description: str) -> str:
    description = description.strip()
    if len(description) > DESCRIPTION_MAX_LENGTH:
        raise ValidationError(
            {"description": _("The description is longer than %(max)d characters.") % {"max": DESCRIPTION_MAX_LENGTH}}
        )
    return description


def _collect(errors: dict[str, list[str]], check: Callable[[], T]) -> T | None:
    """Run a check; its messages go into `errors` by field (so that one answer names every wrong field)."""
    try:
        return check()
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
        return None


def _owned(owner: str, agency_id: int | None) -> QuerySet[Endpoint]:
    return (
        Endpoint.objects.filter(owner=owner, agency__isnull=True)
        if agency_id is None
        else Endpoint.objects.filter(owner=owner, agency_id=agency_id)
    )


def _require_endpoint(actor: User, endpoint: Endpoint) -> None:
    if not permissions.can_manage_endpoint(actor, endpoint):
        raise PermissionDenied(_("You cannot manage this webhook."))


@transaction.atomic
def endpoint_register(
    *, actor: User, url: str, kinds: Iterable[str], description: str = "", is_active: bool = True
) -> tuple[Endpoint, str]:
    """Register an endpoint for the actor's agency (an agency head) or secretariat.

    Returns the endpoint and its secret: the only time the secret is given out (it is never shown again;
    `endpoint_secret_rotate` makes a new one)."""
    owner = permissions.owner_of(actor)
    if owner is None:
        raise PermissionDenied(_("You cannot register webhooks."))
    errors: dict[str, list[str]] = {}
    clean_url = _collect(errors, lambda: _check_url(url))
    clean_kinds = _collect(errors, lambda: _check_kinds(kinds))
    clean_description = _collect(errors, lambda: _check_description(description))
    kind, agency_id = owner
    if _owned(kind, agency_id).count() >= settings.WEBHOOKS_MAX_ENDPOINTS:
        errors.setdefault("__all__", []).append(
            _("You already have %(max)d webhooks: delete one you no longer need first.")
            % {"max": settings.WEBHOOKS_MAX_ENDPOINTS}
        )
    if errors or clean_url is None or clean_kinds is None or clean_description is None:
        raise ValidationError(errors)
    secret = secret_new()
    endpoint = Endpoint(
        owner=kind,
        agency_id=agency_id,
        url=clean_url,
        kinds=clean_kinds,
        description=clean_description,
        is_active=is_active,
        secret=secret,
        created_by=actor,
    )
    endpoint.full_clean(exclude=["url"])  # the URL was checked above, more strictly than URLField does
    endpoint.save()
    return endpoint, secret


@transaction.atomic
def endpoint_update(
    *,
    actor: User,
    endpoint: Endpoint,
    url: str | None = None,
    kinds: Iterable[str] | None = None,
    description: str | None = None,
    is_active: bool | None = None,
) -> Endpoint:
    """Change what is given (None: unchanged). A new URL is checked as at registration."""
    _require_endpoint(actor, endpoint)
    endpoint = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    errors: dict[str, list[str]] = {}
    if url is not None and (clean_url := _collect(errors, lambda: _check_url(url))) is not None:
        endpoint.url = clean_url
    if kinds is not None and (clean_kinds := _collect(errors, lambda: _check_kinds(kinds))) is not None:
        endpoint.kinds = clean_kinds
    if description is not None and (clean := _collect(errors, lambda: _check_description(description))) is not None:
        endpoint.description = clean
    if errors:
        raise ValidationError(errors)
    if is_active is not None:
        endpoint.is_active = is_active
    endpoint.full_clean(exclude=["url"])
    endpoint.save()
    return endpoint


def endpoint_deactivate(*, actor: User, endpoint: Endpoint) -> Endpoint:
    """Stop sending: no new deliveries are written, waiting ones are cancelled when their turn comes."""
    return endpoint_update(actor=actor, endpoint=endpoint, is_active=False)


@transaction.atomic
def endpoint_secret_rotate(*, actor: User, endpoint: Endpoint) -> str:
    """Replace the secret; returns the new one (shown once). Deliveries from now on are signed with it."""
    _require_endpoint(actor, endpoint)
    secret = secret_new()
    Endpoint.objects.filter(pk=endpoint.pk).update(secret=secret)
    endpoint.secret = secret
    return secret


@transaction.atomic
def endpoint_delete(*, actor: User, endpoint: Endpoint) -> None:
    """Delete the endpoint with its delivery log; a worker that holds one of its rows finds it gone and stops."""
    _require_endpoint(actor, endpoint)
    Endpoint.objects.filter(pk=endpoint.pk).delete()


@transaction.atomic
def delivery_retry(*, actor: User, delivery: Delivery) -> Delivery:
    """Send a delivery again now, with the same event id and body and a fresh retry window (a delivered one too:
    the receiver drops it by its id if it has it). A delivery being sent right now cannot be retried."""
    _require_endpoint(actor, delivery.endpoint)
    delivery = Delivery.objects.select_for_update().select_related("endpoint").get(pk=delivery.pk)
    if delivery.state == DeliveryState.SENDING:
        raise ValidationError(_("This delivery is being sent right now."))
    if not delivery.endpoint.is_active:
        raise ValidationError(_("The webhook is inactive: activate it first."))
    outbox.requeue(delivery)
    delivery.refresh_from_db()
    return delivery
