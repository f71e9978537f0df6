"""An event's new dates and what hangs on them: a preview first, then one atomic step (services.event_dates_apply).

The preview is made of sections. The programme's section is made here (every item keeps its day of the event
and its local time); the apps above events add theirs through the `events.signals.event_dates_preview` signal —
the action plan's relative deadlines, the agreements' stage deadlines, the committee's meetings to check — each
counted by the same function that later moves them, and without writing anything. The preview's fingerprint (a
hash of the current and new dates and of every planned change) travels in the form; when the step is taken the
preview is made again, and a different fingerprint means something changed in between: nothing is saved and the
person sees the new preview.
"""

import copy
import datetime as dt
import hashlib
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .models import Event, ProgrammeItem
from .signals import event_dates_preview


@dataclass(frozen=True)
class PlannedChange:
    """One thing the new dates change (or, with `moves` False on its section, one thing to check by hand).

    `key` names the object ("events.programmeitem:12"); `old` and `new` are the values as stored (dates, or
    datetimes in UTC), `old_text` and `new_text` as the person reads them."""

    key: str
    what: str
    old: Any
    new: Any
    old_text: str
    new_text: str
    note: str = ""


@dataclass(frozen=True)
class PreviewSection:
    """What one app would change; `moves` False: listed for the person to check, not changed."""

    name: str  # a stable name: "programme", "tasks", "agreements", "meetings"
    title: str
    changes: tuple[PlannedChange, ...]
    moves: bool = True
    notice: str = ""
    order: int = 100


@dataclass(frozen=True)
class DatesPreview:
    event: Event
    start_date: dt.date
    end_date: dt.date
    sections: tuple[PreviewSection, ...] = field(default_factory=tuple)
    fingerprint: str = ""

    @property
    def total_changes(self) -> int:
        return sum(len(s.changes) for s in self.sections if s.moves)

    def section(self, name: str) -> PreviewSection | None:
        return next((s for s in self.sections if s.name == name), None)


def date_text(value: dt.date | None) -> str:
    return formats.date_format(value, "d.m.Y") if value else "—"


def _local_text(value: dt.datetime, zone: zoneinfo.ZoneInfo) -> str:
    return formats.date_format(timezone.localtime(value, zone), "d.m.Y H:i")


def event_with_dates(event: Event, start_date: dt.date, end_date: dt.date) -> Event:
    """An unsaved copy of the event with the new dates, for the planners to count from."""
    moved = copy.copy(event)
    moved.start_date, moved.end_date = start_date, end_date
    return moved


def programme_moves(event: Event, start_date: dt.date, end_date: dt.date) -> list[tuple[ProgrammeItem, dt.datetime]]:
    """Each programme item with its new start: the same day of the event (day 2 stays day 2) at the same local
    time. Raises ValidationError when a shorter event leaves an item after its new last day."""
    zone = zoneinfo.ZoneInfo(event.time_zone)
    moves = []
    for item in ProgrammeItem.objects.filter(event=event).order_by("starts_at", "pk"):
        local = timezone.localtime(item.starts_at, zone)
        day = start_date + (local.date() - event.start_date)
        if local.date() <= event.end_date and day > end_date:
            raise ValidationError(
                _("The programme item “%(item)s” is on day %(day)d of the event, after the new end date.")
                % {"item": item.title, "day": (local.date() - event.start_date).days + 1}
            )
        new_start = dt.datetime.combine(day, local.time(), tzinfo=zone)
        if new_start != item.starts_at:
            moves.append((item, new_start))
    return moves


def _programme_section(event: Event, start_date: dt.date, end_date: dt.date) -> PreviewSection:
    zone = zoneinfo.ZoneInfo(event.time_zone)
    changes = tuple(
        PlannedChange(
            key=f"events.programmeitem:{item.pk}",
            what=item.title,
            old=item.starts_at,
            new=new_start,
            old_text=_local_text(item.starts_at, zone),
            new_text=_local_text(new_start, zone),
        )
        for item, new_start in programme_moves(event, start_date, end_date)
    )
    return PreviewSection(name="programme", title=_("Programme"), changes=changes, order=10)


def check_dates(event: Event, start_date: dt.date, end_date: dt.date) -> None:
    if end_date < start_date:
        raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
    if (start_date, end_date) == (event.start_date, event.end_date):
        raise ValidationError(_("These are the event's dates already: nothing to change."))


def fingerprint(event: Event, start_date: dt.date, end_date: dt.date, sections: tuple[PreviewSection, ...]) -> str:
    digest = hashlib.sha256()
    digest.update(f"{event.pk}|{event.start_date}|{event.end_date}|{start_date}|{end_date}".encode())
    for section in sections:
        for change in section.changes:
            digest.update(f"|{section.name}|{change.key}|{change.old!r}|{change.new!r}".encode())
    return digest.hexdigest()[:32]


def event_dates_preview_make(*, event: Event, start_date: dt.date, end_date: dt.date) -> DatesPreview:
    """Everything the new dates would change, without writing. Raises ValidationError for dates it cannot take."""
    check_dates(event, start_date, end_date)
    sections = [_programme_section(event, start_date, end_date)]
    moved = event_with_dates(event, start_date, end_date)
    for _receiver, answer in event_dates_preview.send(
        sender=Event, event=event, moved=moved, start_date=start_date, end_date=end_date
    ):
        found: Any = answer  # a section, a list of them, or None (the signal's stubs say str)
        if isinstance(found, PreviewSection):
            sections.append(found)
        elif found:
            sections.extend(a for a in found if isinstance(a, PreviewSection))
    ordered = tuple(sorted(sections, key=lambda s: (s.order, s.name)))
    return DatesPreview(
        event=event,
        start_date=start_date,
        end_date=end_date,
        sections=ordered,
        fingerprint=fingerprint(event, start_date, end_date, ordered),
    )
