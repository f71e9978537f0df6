"""Words shared by the mails, the inbox and the outbox pages: what a notice expects of its reader, when a
queued mail goes (in the recipient's zone, named), and the headline of a mail gathering many notices."""

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from . import selectors
from .enums import REASON_GONE_PREFIX, Kind, State


def expected_action(kind: str, *, recipient_id: int | None, task: Any) -> str:
    """ "Required: …" — what the reader is to do about this notice, or '' when it only informs."""
    if kind in (Kind.REPORT_SUBMITTED, Kind.AWAITING_ACCEPTANCE):
        return _("accept or return the report")
    if kind == Kind.EXTENSION_REQUESTED:
        return _("decide on the extension")
    if kind == Kind.REPORT_RETURNED:
        return _("revise and submit the report again")
    if kind == Kind.ASSIGNMENT:
        return _("take up the task")
    if kind in (Kind.DEADLINE, Kind.OVERDUE) and task is not None:
        if recipient_id is None or recipient_id == task.responsible_id:
            return _("submit the report")
        if recipient_id == task.lead_agency.head_id:
            return _("see that your agency submits the report")
        return _("follow up with the lead executor")
    if kind == Kind.AGREEMENT_DEADLINE:
        return _("complete the agreement's stage")
    return ""


ZONE_NAMES = {
    "Europe/Kaliningrad": gettext_lazy("Kaliningrad"),
    "Europe/Moscow": gettext_lazy("Moscow"),
    "Europe/Samara": gettext_lazy("Samara"),
    "Asia/Yekaterinburg": gettext_lazy("Yekaterinburg"),
    "Asia/Omsk": gettext_lazy("Omsk"),
    "Asia/Novosibirsk": gettext_lazy("Novosibirsk"),
    "Asia/Krasnoyarsk": gettext_lazy("Krasnoyarsk"),
    "Asia/Irkutsk": gettext_lazy("Irkutsk"),
    "Asia/Vladivostok": gettext_lazy("Vladivostok"),
    "Asia/Almaty": gettext_lazy("Almaty"),
    "Asia/Qostanay": gettext_lazy("Kostanay"),
    "Asia/Aqtobe": gettext_lazy("Aktobe"),
    "Asia/Aqtau": gettext_lazy("Aktau"),
    "Asia/Oral": gettext_lazy("Uralsk"),
    "Asia/Qyzylorda": gettext_lazy("Kyzylorda"),
    "UTC": gettext_lazy("UTC"),
}


def zone_name(time_zone: str) -> str:
    """The zone as people call it: "Омск", "Москва" (an unknown zone: its city, as the database names it)."""
    name = ZONE_NAMES.get(time_zone)
    return str(name) if name is not None else time_zone.rpartition("/")[2].replace("_", " ")


def recipient_zone(row: Any) -> str:
    if row.recipient_id is not None and row.recipient is not None:
        return str(row.recipient.time_zone)
    if row.agency_id is not None and row.agency is not None:
        return str(row.agency.time_zone)
    return str(settings.TIME_ZONE)


def sending_moment(row: Any, *, today: dt.date | None = None) -> str:
    """When a queued row goes, in its recipient's zone with the zone named: "в 09:00 (Омск)", with the date
    when it is not today there ("01.12 в 09:00 (Москва)")."""
    zone = recipient_zone(row)
    local = row.next_attempt_at.astimezone(selectors.zone(zone))
    parts = {"time": formats.time_format(local, "H:i"), "zone": zone_name(zone)}
    if today is None or local.date() != today:
        return _("%(date)s at %(time)s (%(zone)s)") % {"date": formats.date_format(local, "d.m"), **parts}
    return _("at %(time)s (%(zone)s)") % parts


HEADLINES = {
    Kind.REPORT_SUBMITTED: lambda n: ngettext(
        "%(n)d report awaits your acceptance", "%(n)d reports await your acceptance", n
    ),
    Kind.AWAITING_ACCEPTANCE: lambda n: ngettext(
        "%(n)d report awaits your acceptance", "%(n)d reports await your acceptance", n
    ),
    Kind.OVERDUE: lambda n: ngettext("%(n)d overdue task", "%(n)d overdue tasks", n),
    Kind.DEADLINE: lambda n: ngettext("%(n)d deadline is near", "%(n)d deadlines are near", n),
    Kind.ASSIGNMENT: lambda n: ngettext("%(n)d task assigned to you", "%(n)d tasks assigned to you", n),
    Kind.EXTENSION_REQUESTED: lambda n: ngettext(
        "%(n)d extension request awaits your decision", "%(n)d extension requests await your decision", n
    ),
}


def gathered_headline(kinds: Sequence[str]) -> str:
    """The subject of a mail listing several notices: by their kind when they share one, else a count."""
    counts = Counter(kinds)
    n = len(kinds)
    if len(counts) == 1:
        kind = next(iter(counts))
        if kind in HEADLINES:
            return HEADLINES[Kind(kind)](n) % {"n": n}
    return ngettext("%(n)d notification", "%(n)d notifications", n) % {"n": n}


def state_label(row: Any) -> str:
    """The row's state as the task page and the inbox say it; a cancellation names its cause."""
    if row.state == State.CANCELLED:
        error = row.last_error or ""
        if error.startswith(REASON_GONE_PREFIX):
            return _("cancelled: reason gone (%(why)s)") % {"why": _reason_words(error)}
        if error.startswith("In the app only"):
            return _("not mailed: in the app only")
        if error.startswith("Read in the app"):
            return _("not mailed: read in the app")
        return _("cancelled")
    if row.state == State.GATHERED:
        return _("listed in a gathered mail")
    return str(row.get_state_display()).lower()


REASON_WORDS = {
    "the task was cancelled.": gettext_lazy("the task was cancelled"),
    "the report was decided.": gettext_lazy("the report was accepted or returned"),
    "the report awaits acceptance.": gettext_lazy("the report awaits acceptance"),
    "the task was reassigned.": gettext_lazy("the task was reassigned"),
    "the extension was decided.": gettext_lazy("the extension was decided"),
}


def _reason_words(error: str) -> str:
    words = REASON_WORDS.get(error.removeprefix(REASON_GONE_PREFIX))
    return str(words) if words is not None else error.removeprefix(REASON_GONE_PREFIX)
