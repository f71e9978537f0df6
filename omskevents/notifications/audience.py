"""Who gets a mail: people and agency contacts resolved to recipients through their preferences."""

from collections.abc import Iterable
from typing import Any

from omskevents.accounts.models import User
from omskevents.workplan.models import Task

from . import selectors
from .enums import CHANNEL_GROUPS, DIGEST_KINDS, Channel, Kind
from .models import NotificationPreference
from .selectors import Recipient, ScanTask


def channel(pref: NotificationPreference | None, kind: str) -> str:
    """How the person takes this kind: by mail at once, in the daily digest, or in the app only.

    Agency contacts have no inbox and no preferences: they get every mail at once."""
    if pref is None:
        return Channel.MAIL
    for field, kinds in CHANNEL_GROUPS.items():
        if kind in kinds:
            return str(getattr(pref, field))
    return Channel.MAIL


def wants(pref: NotificationPreference | None, kind: str) -> bool:
    """Whether the person gets a notice of this kind at all (in the inbox, and by mail as `channel` says).

    Notices of the four groups always reach the inbox; digests and summaries are mails only."""
    if pref is None:
        return True
    if kind == Kind.DIGEST:
        # Choosing the digest for reminders is the consent; unsubscribing switches back.
        return pref.reminders_mode == Channel.DIGEST
    if kind in DIGEST_KINDS:
        return pref.digests
    return True


class Audience:
    """Resolves people to recipients with their preferences, skipping those who must get nothing."""

    def __init__(self, users: Iterable[Any] = ()) -> None:
        self._prefs = selectors.preferences_by_user(u.pk for u in users if u is not None)
        self._secretaries: dict[int, list[User]] = {}
        self._recipients: dict[str, Recipient] = {}

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
        if not selectors.can_receive(user):
            return None
        pref = self.pref(user)
        if not wants(pref, kind):
            return None
        # One Recipient per person: a scan asks for the same few dozen people thousands of times.
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
