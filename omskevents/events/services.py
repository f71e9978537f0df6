"""Writes to events."""

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from omskevents.accounts.models import User
from omskevents.accounts.permissions import is_secretariat

from .dates import DatesPreview, event_dates_preview_make, programme_moves
from .enums import EventStatus
from .models import Event, Journey, ProgrammeItem
from .selectors import delegates_due_for_removal
from .signals import event_dates_changed

DATE_FIELDS = frozenset({"start_date", "end_date"})


@transaction.atomic
def event_save(*, actor: User, event: Event, changed: Iterable[str] = ()) -> list[str]:
    """Save an event (the admin's form has set its fields); new dates move what hangs on them, atomically.

    `changed` names the fields the form changed. Returns the receivers' messages for the person.
    """
    if not is_secretariat(actor):
        raise PermissionDenied(_("Only the committee secretariat manages events."))
    event.full_clean()
    event.save()
    if event.pk is None or not DATE_FIELDS & set(changed):
        return []
    responses = event_dates_changed.send(sender=Event, event=event, actor=actor)
    return [str(message) for _receiver, message in responses if message]


class StaleDatesPreview(Exception):
    """The preview the person saw is no longer what the step would do; `preview` is the new one."""

    def __init__(self, preview: DatesPreview) -> None:
        super().__init__("the event or what hangs on its dates changed since the preview")
        self.preview = preview


@transaction.atomic
def event_dates_apply(
    *, actor: User, event: Event, start_date: dt.date, end_date: dt.date, fingerprint: str
) -> list[str]:
    """Give the event new dates as previewed (events.dates): the programme keeps each item's day of the event and
    local time, and `event_dates_changed` moves what the apps above hang on the dates — all in one transaction.

    Raises StaleDatesPreview (nothing saved) when the preview made now differs from the one the person saw, and
    ValidationError for dates the event cannot take. Returns the receivers' messages for the person."""
    if not is_secretariat(actor):
        raise PermissionDenied(_("Only the committee secretariat manages events."))
    event = Event.objects.select_for_update().get(pk=event.pk)
    preview = event_dates_preview_make(event=event, start_date=start_date, end_date=end_date)
    if preview.fingerprint != fingerprint:
        raise StaleDatesPreview(preview)
    moves = programme_moves(event, start_date, end_date)
    event.start_date, event.end_date = start_date, end_date
    event.full_clean()
    event.save(update_fields=["start_date", "end_date", "updated"])
    items, now = [], timezone.now()
    for item, new_start in moves:
        item.updated = now
        item.ends_at = new_start + (item.ends_at - item.starts_at)
        item.starts_at = new_start
        items.append(item)
    ProgrammeItem.objects.bulk_update(items, ["starts_at", "ends_at", "updated"])
    responses = event_dates_changed.send(sender=Event, event=event, actor=actor)
    return [str(message) for _receiver, message in responses if message]


@dataclass(frozen=True)
class PurgeResult:
    """What a removal of delegates' personal data removed (or, in a dry run, would remove), per event."""

    by_event: dict[str, int]
    dry_run: bool

    @property
    def total(self) -> int:
        return sum(self.by_event.values())


@transaction.atomic
def delegates_purge(*, today: dt.date, retention_days: int, dry_run: bool = False) -> PurgeResult:
    """Remove the personal data of delegates of events that ended more than `retention_days` days ago.

    The delegation itself (its name, side and headcount) stays as the record of the event; its people, their
    journeys and consents go. A dry run counts and changes nothing.
    """
    if retention_days < 0:
        raise ValueError("retention_days must not be negative")
    due = delegates_due_for_removal(today=today, retention_days=retention_days)
    by_event: dict[str, int] = {}
    for title, count in (
        due.values_list("delegation__event__short_title")
        .annotate(n=Count("pk"))
        .order_by("delegation__event__short_title")
    ):
        by_event[title] = count
    if not dry_run and by_event:
        Journey.objects.filter(delegate__in=due).delete()
        due.delete()
    return PurgeResult(by_event=by_event, dry_run=dry_run)


_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]  # fmt: skip


def _roman_to_int(text: str) -> int | None:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    if not text or any(c not in values for c in text):
        return None
    total = 0
    for current, following in zip(text, [*text[1:], ""], strict=True):
        value = values[current]
        total += -value if following and values[following] > value else value
    return total if _int_to_roman(total) == text else None


def _int_to_roman(value: int) -> str:
    out = ""
    for number, letters in _ROMAN:
        while value >= number:
            out += letters
            value -= number
    return out


def event_next_number(number: str) -> str:
    """XXII → XXIII, 27 → 28; anything else gets "-2" appended for the person to correct."""
    text = number.strip()
    if text.isdigit():
        return str(int(text) + 1)
    roman = _roman_to_int(text.upper())
    if roman is not None:
        return _int_to_roman(roman + 1)
    return f"{text}-2"


@dataclass(frozen=True)
class NextEventSpec:
    """What the person gives for the next event: its number, dates, host and whether the venues come along."""

    number: str
    start_date: dt.date
    end_date: dt.date
    city: str
    host_country: str
    time_zone: str
    copy_venues: bool


def _renumber(text: str, old: str, new: str) -> str:
    return text.replace(old, new) if old and old in text else text


def event_next_draft(*, source: Event, spec: NextEventSpec) -> tuple[Event, list[ProgrammeItem]]:
    """The next event and its programme skeleton, unsaved: the same day offsets and local times, titles and kinds;
    the venues only when they come along. Raises ValidationError for a bad spec."""
    event = Event(
        kind=source.kind,
        number=spec.number.strip(),
        title_ru=_renumber(source.title_ru, source.number, spec.number.strip()),
        title_en=_renumber(source.title_en, source.number, spec.number.strip()),
        short_title=_renumber(source.short_title, source.number, spec.number.strip()),
        city=spec.city.strip(),
        host_country=spec.host_country,
        start_date=spec.start_date,
        end_date=spec.end_date,
        time_zone=spec.time_zone,
        status=EventStatus.PLANNED,
        description="",
    )
    event.full_clean()
    old_zone, new_zone = zoneinfo.ZoneInfo(source.time_zone), zoneinfo.ZoneInfo(spec.time_zone)
    items = []
    for item in ProgrammeItem.objects.filter(event=source).select_related("venue").order_by("starts_at", "pk"):
        start = timezone.localtime(item.starts_at, old_zone)
        end = timezone.localtime(item.ends_at, old_zone)
        day = spec.start_date + (start.date() - source.start_date)
        starts_at = dt.datetime.combine(day, start.time(), tzinfo=new_zone)
        items.append(
            ProgrammeItem(
                event=event,
                kind=item.kind,
                area=item.area,
                title=item.title,
                starts_at=starts_at,
                ends_at=starts_at + (end - start),
                venue=item.venue if spec.copy_venues else None,
            )
        )
    return event, items


def event_create_next(*, actor: User, source: Event, spec: NextEventSpec) -> Event:
    """Save the next event with its programme skeleton (and venues); the caller owns the transaction, so that
    what hangs on the event (the action plan) is made in the same one."""
    if not is_secretariat(actor):
        raise PermissionDenied(_("Only the committee secretariat manages events."))
    event, items = event_next_draft(source=source, spec=spec)
    event.save()
    if spec.copy_venues:
        event.venues.set(source.venues.all())
    for item in items:
        item.event = event
        item.full_clean()
    ProgrammeItem.objects.bulk_create(items)
    return event
