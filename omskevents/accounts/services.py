"""Writes to a person's account: the calendar feed token, revoking the one-click links mailed to them, absences."""

import datetime as dt
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import log_event
from .models import Absence, CalendarFeedToken, User
from .permissions import can_record_absence_for, is_eligible_deputy

# Only touch the "last used" time this often: calendar apps poll the feed every few minutes.
LAST_USED_RESOLUTION_SECONDS = 3600


@transaction.atomic
def calendar_token_issue(*, user: User) -> CalendarFeedToken:
    """Give the person a new feed address; the old one, if any, stops working at once."""
    token, _created = CalendarFeedToken.objects.select_for_update().get_or_create(
        user=user, defaults={"key": secrets.token_urlsafe(32)}
    )
    if not _created:
        token.key = secrets.token_urlsafe(32)
        token.created = timezone.now()
        token.last_used = None
        token.save(update_fields=["key", "created", "last_used"])
    return token


@transaction.atomic
def calendar_token_revoke(*, user: User) -> bool:
    """Switch the feed off. Returns whether there was one."""
    deleted, _ = CalendarFeedToken.objects.filter(user=user).delete()
    return bool(deleted)


def calendar_token_touch(*, token: CalendarFeedToken) -> None:
    now = timezone.now()
    if token.last_used is None or (now - token.last_used).total_seconds() > LAST_USED_RESOLUTION_SECONDS:
        CalendarFeedToken.objects.filter(pk=token.pk).update(last_used=now)


def user_links_revoke(*, user: User) -> None:
    """End every one-click link mailed to this person so far (on signing out everywhere, on deactivation)."""
    now = timezone.now()
    User.objects.filter(pk=user.pk).update(links_revoked_at=now)
    user.links_revoked_at = now


# An absence is recorded for at most a year ahead and lasts at most a year: a typo (2062 for 2026) is refused.
ABSENCE_MAX_DAYS = 366


def _agency_name(person: User) -> str:
    return person.agency.short_name if person.agency is not None else "-"


def _log_for_someone_else(
    event: str, *, actor: User, absence: Absence, request: HttpRequest | None, **extra: object
) -> None:
    """An absence recorded or withdrawn for someone else hands their mail to another person: a permission-like
    change, written to the security log (one's own absence is not)."""
    if actor.pk == absence.person_id:
        return
    log_event(
        event,
        username=absence.person.get_username(),
        agency=_agency_name(absence.person),
        request=request,
        by=actor.get_username(),
        deputy=absence.deputy.get_username(),
        start=absence.start.isoformat(),
        end=absence.end.isoformat(),
        **extra,
    )


def absence_problems(*, person: User, start: dt.date, end: dt.date, deputy: User) -> dict[str, list[str]]:
    """What is wrong with recording this absence, by field (empty: nothing). The admin's form asks it too."""
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if end < start:
        errors.setdefault("end", []).append(_("The absence cannot end before it starts."))
    elif (end - start).days >= ABSENCE_MAX_DAYS:
        errors.setdefault("end", []).append(_("An absence can last a year at most."))
    elif end < today:
        errors.setdefault("end", []).append(_("The absence has already ended: give today or a later date."))
    if (start - today).days > ABSENCE_MAX_DAYS:
        errors.setdefault("start", []).append(_("An absence can be recorded a year ahead at most."))
    if deputy.pk == person.pk:
        errors.setdefault("deputy", []).append(_("A person cannot be their own deputy."))
    elif not is_eligible_deputy(person, deputy):
        errors.setdefault("deputy", []).append(
            _("The deputy must be an active colleague from the same agency or the same secretariat.")
        )
    if not errors:
        clash = Absence.objects.filter(person=person, start__lte=end, end__gte=start).order_by("start").first()
        if clash is not None:
            errors.setdefault("start", []).append(
                _("These dates overlap the absence from %(start)s to %(end)s.")
                % {"start": f"{clash.start:%d.%m.%Y}", "end": f"{clash.end:%d.%m.%Y}"}
            )
    return errors


@transaction.atomic
def absence_record(
    *,
    actor: User,
    person: User,
    start: dt.date,
    end: dt.date,
    reason: str,
    deputy: User,
    note: str = "",
    request: HttpRequest | None = None,
) -> Absence:
    """Record that `person` is away from `start` to `end` (both included) and `deputy` acts for them.

    The person's row is locked first, so two absences recorded at once cannot overlap."""
    person = User.objects.select_for_update(of=("self",)).select_related("agency").get(pk=person.pk)
    if not can_record_absence_for(actor, person):
        raise PermissionDenied(_("You cannot record an absence for this person."))
    errors = absence_problems(person=person, start=start, end=end, deputy=deputy)
    if errors:
        raise ValidationError(errors)
    absence = Absence(
        person=person,
        start=start,
        end=end,
        reason=reason,
        deputy=deputy,
        note=note.strip(),
        recorded_by=actor,
    )
    absence.full_clean()
    absence.save()
    _log_for_someone_else("absence_recorded", actor=actor, absence=absence, request=request, reason=reason)
    return absence


@transaction.atomic
def absence_withdraw(*, actor: User, absence: Absence, request: HttpRequest | None = None) -> Absence | None:
    """Take back an absence: one not yet begun is deleted; one under way ends yesterday (today the person is back).

    Returns the shortened absence, or None when it was deleted. A past absence stays as it was: it tells who
    received whose mail then."""
    absence = (
        Absence.objects.select_for_update(of=("self",)).select_related("person__agency", "deputy").get(pk=absence.pk)
    )
    if not can_record_absence_for(actor, absence.person):
        raise PermissionDenied(_("You cannot change this person's absences."))
    today = timezone.localdate()
    if absence.end < today:
        raise ValidationError(_("This absence is over and stays on record."))
    _log_for_someone_else("absence_withdrawn", actor=actor, absence=absence, request=request)
    if absence.start >= today:
        absence.delete()
        return None
    absence.end = today - dt.timedelta(days=1)
    absence.full_clean()
    absence.save(update_fields=["end", "updated"])
    return absence
