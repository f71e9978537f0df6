"""Who gets a mail: people and agency contacts resolved to recipients through their preferences."""

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from omskevents.accounts import selectors as accounts_selectors
from omskevents.accounts.models import Absence, User
from omskevents.workplan.models import Task

from . import selectors
from .enums import CHANNEL_GROUPS, DEPUTY_KINDS, DIGEST_KINDS, Channel, Kind
from .models import NotificationPreference
from .selectors import Recipient, ScanTask
from .store import Planned


def channel(pref: NotificationPreference | None, kind: str) -> str:
    """How the person takes this kind: by mail at once, in the daily digest, or in the app only.

    Agency contacts have no inbox and no preferences: they get every mail at once."""
    if pref is None:
        return Channel.MAIL
    if kind in pref.muted_kinds:  # unsubscribed from this kind's mails with the one-click link
        return Channel.APP
    for field, kinds in CHANNEL_GROUPS.items():
        if kind in kinds:
            return str(getattr(pref, field))
    return Channel.MAIL


def wants(pref: NotificationPreference | None, kind: str) -> bool:
    """Whether the person gets a notice of this kind at all (in the inbox, and by mail as `channel` says).

    Notices of the four groups always reach the inbox; digests and summaries are mails only."""
    if pref is None:
        return True
    if kind in pref.muted_kinds and not any(kind in kinds for kinds in CHANNEL_GROUPS.values()):
        # A mail-only kind (digests, summaries, the discipline report) switched off by the one-click unsubscribe
        # link of a mail of this kind (links.unsubscribe_url). A muted kind of the four groups still reaches the
        # inbox: `channel` keeps it out of the mail.
        return False
    if kind == Kind.DIGEST:
        # Choosing the digest for reminders is the consent; unsubscribing switches back.
        return pref.reminders_mode == Channel.DIGEST
    if kind in DIGEST_KINDS:
        return pref.digests
    return True


class Audience:
    """Resolves people to recipients with their preferences, skipping those who must get nothing."""

    def __init__(self, users: Iterable[Any] = ()) -> None:
        ids = {u.pk for u in users if u is not None}
        self._prefs = selectors.preferences_by_user(ids)
        for pk in ids - self._prefs.keys():  # never changed theirs: the defaults, as selectors.preference_for gives
            self._prefs[pk] = NotificationPreference(user_id=pk)
        self._secretaries: dict[int, list[User]] = {}
        self._recipients: dict[str, Recipient] = {}
        self._people: dict[tuple[int, str], Recipient | None] = {}

    def secretaries(self, task: Task | ScanTask) -> list[User]:
        """The committee secretaries for the task's event, looked up once per event."""
        if task.event_id not in self._secretaries:
            self._secretaries[task.event_id] = selectors.committee_secretaries(task)
        return self._secretaries[task.event_id]

    def pref(self, user: Any) -> NotificationPreference:
        if user.pk not in self._prefs:
            self._prefs[user.pk] = selectors.preference_for(user)
        return self._prefs[user.pk]

    def person(self, user: Any, kind: str) -> Recipient | None:
        # A scan asks for the same few dozen people thousands of times: each (person, kind) is answered once.
        asked = (user.pk, kind)
        if asked not in self._people:
            self._people[asked] = self._person(user, kind)
        return self._people[asked]

    def _person(self, user: Any, kind: str) -> Recipient | None:
        if not selectors.can_receive(user):
            return None
        pref = self.pref(user)
        if not wants(pref, kind):
            return None
        key = f"user:{user.pk}"
        if key not in self._recipients:
            self._recipients[key] = selectors.recipient_for_user(user, pref)
        return self._recipients[key]

    def executor(self, task: Task | ScanTask, kind: str) -> Recipient | None:
        """The responsible person, or the lead agency's contact address when nobody is named."""
        if task.responsible_id is not None and selectors.can_receive(task.responsible):
            return self.person(task.responsible, kind)
        agency = task.lead_agency
        if agency.email:
            key = f"agency:{agency.pk}"
            if key not in self._recipients:
                self._recipients[key] = selectors.recipient_for_agency(agency)
            return self._recipients[key]
        return None


def unique_recipients(recipients: Iterable[Recipient | None]) -> list[Recipient]:
    seen: dict[str, Recipient] = {}
    for r in recipients:
        if r is not None and r.key not in seen:
            seen[r.key] = r
    return list(seen.values())


def head_copy(audience: Audience, task: Task, kind: str) -> Recipient | None:
    """The lead agency's head, when they asked for copies of what their people receive."""
    head = task.lead_agency.head
    if head is None or not audience.pref(head).head_copies:
        return None
    return audience.person(head, kind)


# Deputies. A person away (accounts.Absence) hands the notices that ask them to act (DEPUTY_KINDS: reminders,
# overdue escalations, reports and extension requests awaiting them) to their deputy for the days of the absence.
# The rows are planned for the absent person as usual, then `route_to_deputies` readdresses each to whoever must
# act on the row's sending day; the row names the absent person in its context ("deputy_for"), and the mail says
# so. The unique key is the deputy's (user:<deputy>): the absent person gets no mail meanwhile, and after the
# absence the next occasion is theirs again.


@dataclasses.dataclass(frozen=True)
class Acting:
    """Who must act on a day for a person: the person, or (while they are away) their deputy."""

    person: User
    away: User | None = None  # the absent person acted for; None when `person` acts for themselves
    absence: Absence | None = None  # the absent person's absence on that day
    via: tuple[User, ...] = ()  # deputies passed by on the way, away themselves


class Deputies:
    """The absences around a date, loaded once (one query, and only when a row may need them)."""

    WINDOW_BEFORE = dt.timedelta(days=2)  # a recipient's local date may be a day behind UTC's
    WINDOW_AFTER = dt.timedelta(days=31)  # event notices wait at most for the next working morning

    def __init__(self, around: dt.date) -> None:
        self._around = around
        self._loaded: tuple[dt.date, dt.date] | None = None
        self._by_person: dict[int, list[Absence]] = defaultdict(list)

    def _load(self, day: dt.date) -> None:
        if self._loaded is not None and self._loaded[0] <= day <= self._loaded[1]:
            return
        start = min(day, self._around) - self.WINDOW_BEFORE
        end = max(day, self._around) + self.WINDOW_AFTER
        self._by_person.clear()
        for absence in accounts_selectors.absences_between(start, end):
            self._by_person[absence.person_id].append(absence)
        self._loaded = (start, end)

    def absence_of(self, user: User, day: dt.date) -> Absence | None:
        self._load(day)
        return next((a for a in self._by_person.get(user.pk, ()) if a.covers(day)), None)

    def acting_for(self, user: User, day: dt.date) -> Acting:
        """Who acts for `user` on `day`: their deputy while they are away, that deputy's deputy if the deputy is
        away too, and so on. A chain that comes back on itself, or reaches someone who cannot receive mail
        (deactivated, no address), leaves the notice with `user`: nobody present was found to act for them."""
        first = self.absence_of(user, day)
        if first is None:
            return Acting(person=user)
        seen = {user.pk}
        via: list[User] = []
        current = first.deputy
        while True:
            if current.pk in seen or not selectors.can_receive(current):
                return Acting(person=user)
            seen.add(current.pk)
            onward = self.absence_of(current, day)
            if onward is None:
                return Acting(person=current, away=user, absence=first, via=tuple(via))
            via.append(current)
            current = onward.deputy


def deputy_context(away: User, absence: Absence, via: Sequence[User]) -> dict[str, Any]:
    """What a readdressed row keeps of the absence (a snapshot: the mail says it even if the absence changes)."""
    return {
        "deputy_for": away.pk,
        "deputy_for_name": away.short_name,
        "absence_reason": absence.reason,
        "absence_end": absence.end.isoformat(),
        "deputy_via": [p.short_name for p in via],
    }


def route_to_deputies(planned: Sequence[Planned], deputies: Deputies) -> list[Planned]:
    """The planned rows with each notice of DEPUTY_KINDS readdressed to whoever must act on its sending day.

    When the deputy already receives the same occasion in their own right, one row remains: the readdressed one
    (it says whose work is asked of them)."""
    routed: list[Planned] = []
    deputy_prefs: dict[int, NotificationPreference] | None = None
    for p in planned:
        user = p.recipient.user
        if p.kind in DEPUTY_KINDS and user is not None:
            day = p.scheduled_for.astimezone(p.recipient.tz).date()
            acting = deputies.acting_for(user, day)
            if acting.away is not None and acting.absence is not None:
                if deputy_prefs is None:
                    deputy_prefs = {}
                if acting.person.pk not in deputy_prefs:
                    deputy_prefs.update(selectors.preferences_by_user([acting.person.pk]))
                recipient = selectors.recipient_for_user(acting.person, deputy_prefs.get(acting.person.pk))
                marked = {**p.context, **deputy_context(acting.away, acting.absence, acting.via)}
                p = dataclasses.replace(p, recipient=recipient, context=marked)
        routed.append(p)
    chosen: dict[tuple[str, str, str, str], Planned] = {}
    for p in routed:
        if p.key not in chosen or "deputy_for" in p.context:
            chosen[p.key] = p
    return list(chosen.values())
