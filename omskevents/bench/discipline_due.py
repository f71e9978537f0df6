"""The fault run's weekly discipline report: people it is due to today, and the check of what reached them.

The report goes to the committees' chairs and to both secretariats on the weekday the secretariat chose
(ReminderSettings.discipline_weekday), with the discipline workbook (.xlsx) attached. `make_discipline_due` makes
N such people in the run's zone (each chair of a committee of its own) and makes today that weekday;
`readable_workbook` tells whether a received mail carries a workbook openpyxl opens.
"""

import datetime as dt
import email
import io
import uuid
import zoneinfo
from email import policy
from email.message import EmailMessage

ROLES = ("chair", "secretariat", "kz_secretariat")  # in turn: a committee's chair, the Russian, the Kazakh side


def make_discipline_due(n: int, zone: tuple[str, str]) -> dict[str, int]:
    """N people the discipline report goes to, in `zone`, a third each a chair, the secretariat, the Kazakh
    secretariat; a few tasks for the workbook to list; today the report's day. Returns address -> person id."""
    from django.utils import timezone

    from omskevents.accounts.models import User
    from omskevents.agencies.models import Agency
    from omskevents.committee.models import Committee, CommitteeMember
    from omskevents.events.models import Event
    from omskevents.notifications import services
    from omskevents.notifications.enums import Kind
    from omskevents.workplan.models import Task

    country, name = zone
    today = timezone.now().astimezone(zoneinfo.ZoneInfo(name)).date()
    tag = uuid.uuid4().hex[:6]
    agency = Agency.objects.create(
        name=f"Ведомство {tag}", short_name=f"В-{tag}", level="regional", country=country, time_zone=name
    )
    event = Event.objects.create(
        kind="forum", number=f"FR-{tag}", title_ru="Форум (проверка)", short_title=f"Дисциплина {tag}",
        start_date=today + dt.timedelta(days=30), end_date=today + dt.timedelta(days=31),
    )  # fmt: skip
    # Rows for the workbook to count: an overdue task, one accepted, one open (no executor: no reminders).
    for days, status in ((-3, "assigned"), (-1, "accepted"), (-2, "in_progress")):
        Task.objects.create(
            event=event, area="irtysh_logistics", title=f"Поручение ({days:+d} дн.)", lead_agency=agency,
            deadline=today + dt.timedelta(days=days), status=status, status_changed_at=timezone.now(),
        )  # fmt: skip
    people: dict[str, int] = {}
    for i in range(n):
        role = ROLES[i % len(ROLES)]
        address = f"discipline-{i}-{tag}@faultrun.test"
        user = User.objects.create(
            username=f"discipline-{i}-{tag}", email=address, agency=agency, time_zone=name, language="ru",
            role="agency_staff" if role == "chair" else role,
        )  # fmt: skip
        if role == "chair":  # one chair per committee
            committee = Committee.objects.create(name=f"Оргкомитет {tag}-{i}")
            committee.events.add(event)
            CommitteeMember.objects.create(committee=committee, user=user, role="chair")
            # The weekly readiness summary switched off: the only mails of the day are the reports, so a fault
            # struck after the k-th 250 strikes among them.
            services.preference_mute_kind(user=user, kind=Kind.READINESS)
        people[address] = user.pk
    # The report's day is today (Monday to Friday; on a weekend, Friday's report is still due this week).
    services.reminder_settings_save(discipline_weekday=min(today.isoweekday(), 5))
    return people


def discipline_off() -> None:
    from omskevents.notifications import services

    services.reminder_settings_save(discipline_weekday=None)


def readable_workbook(raw: bytes) -> bool:
    """The mail carries an .xlsx attachment that openpyxl opens, with at least one sheet."""
    import openpyxl

    message = email.message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)  # noqa: S101 - policy.default parses into EmailMessage
    for part in message.walk():
        if not (part.get_filename() or "").endswith(".xlsx"):
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            return False
        try:
            book = openpyxl.load_workbook(io.BytesIO(payload), read_only=True)
        except Exception:  # noqa: BLE001 - any failure to read the workbook is the answer "not readable"
            return False
        return bool(book.sheetnames)
    return False
