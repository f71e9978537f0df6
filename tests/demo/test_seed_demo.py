"""The seed_demo command: what it loads (both sides: the protocol, paired tasks), that a second run changes nothing,
--forum-date and --tasks."""

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import F
from django.test import RequestFactory
from django.utils import timezone, translation

from omskevents.accounts.models import User
from omskevents.agencies.models import Agency
from omskevents.agreements.enums import Stage
from omskevents.agreements.models import Agreement, AgreementVersion
from omskevents.calendars.services import calendar_country, is_working_day, next_working_day
from omskevents.committee.models import Committee, Decision, Meeting, WorkingGroup
from omskevents.demo.blocks import minimal_pdf
from omskevents.events.models import Delegate, Delegation, Event, Journey, ProgrammeItem
from omskevents.protocol.models import Protocol, ProtocolItem
from omskevents.workplan import pairs
from omskevents.workplan.enums import ExtensionStatus, TaskSource, TaskStatus
from omskevents.workplan.models import Attachment, ExtensionRequest, ProgressReport, Task
from tests.support.db_state import made_once

pytestmark = pytest.mark.django_db


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def logs_in(username: str) -> User | None:
    """The account the demo password opens, as the login page would check it."""
    return authenticate(RequestFactory().post("/accounts/login/"), username=username, password="omsk2026")


def snapshot() -> dict[str, object]:
    """Row counts of every model, and every task row as stored."""
    counts = {model._meta.label: model._default_manager.count() for model in apps.get_models()}
    tasks = list(Task.objects.order_by("pk").values())
    return {"counts": counts, "tasks": tasks}


def test_seed_demo_forum_date_places_both_events():
    seed("--forum-date", "2027-04-13")

    forum = Event.objects.get(kind="forum", number="XXII")
    session = Event.objects.get(kind="commission", number="27")
    assert (forum.start_date, forum.end_date) == (dt.date(2027, 4, 13), dt.date(2027, 4, 14))
    assert (session.start_date, session.end_date) == (dt.date(2027, 4, 13), dt.date(2027, 4, 13))
    assert not Task.objects.filter(is_follow_up=False, deadline__gt=dt.date(2027, 4, 14)).exists()


def test_seed_demo_forum_date_rejects_a_bad_date():
    with translation.override("en"), pytest.raises(CommandError, match="YYYY-MM-DD"):
        seed("--forum-date", "13.04.2027")
    assert Event.objects.count() == 0


def test_seed_demo_tasks_adds_numbered_valid_tasks_with_history():
    seed("--tasks", "500")
    seed("--tasks", "20")

    generated = Task.objects.filter(number__startswith="G-").select_related("event")
    assert generated.count() == 520
    numbers = sorted(generated.values_list("number", flat=True))
    assert numbers[0] == "G-000001"
    assert numbers[-1] == "G-000520"
    for task in generated:
        assert task.is_follow_up or task.deadline <= task.event.end_date
    assert not Task.co_executors.through.objects.filter(task__in=generated, agency=F("task__lead_agency")).exists()
    assert Task.history.filter(number__startswith="G-").count() == 520
    history_links = apps.get_model("workplan", "HistoricalTask_co_executors").objects
    assert history_links.filter(history__number__startswith="G-").count() == (
        Task.co_executors.through.objects.filter(task__in=generated).count()
    )


@pytest.mark.slow
def test_seed_demo_on_an_empty_database_prints_no_system_check_warning(tmp_path):
    """A newcomer's first `make run`: migrate, then seed_demo, as commands; the empty working calendar is what
    seed_demo seeds, so it must not be warned of on the way."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "omskevents.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'first-run.sqlite3'}",
        "REDIS_URL": "",
    }
    manage = [sys.executable, str(Path(__file__).resolve().parents[2] / "manage.py")]
    migrate = subprocess.run([*manage, "migrate", "--noinput"], env=env, capture_output=True, text=True, check=True)  # noqa: S603 - our own manage.py
    seeded = subprocess.run([*manage, "seed_demo"], env=env, capture_output=True, text=True, check=True)  # noqa: S603 - our own manage.py
    for output in (migrate.stdout, migrate.stderr, seeded.stdout, seeded.stderr):
        assert "WARNINGS" not in output
        assert "Traceback" not in output
    assert "calendar days: 77" in seeded.stdout


@pytest.fixture(scope="class")
def seeded_once(django_db_setup, django_db_blocker):
    yield from made_once(django_db_blocker, seed)


@pytest.fixture
def seeded(seeded_once, db) -> str:
    """The output of the one run of the class below."""
    return seeded_once


class TestTheDemoData:
    """What one run of `seed_demo` with its defaults loads. The tests share that run: it is made once for the class
    (tests/support/db_state.py) and each test's own writes are rolled back after it."""

    def test_seed_demo_loads_events_agencies_accounts_and_a_valid_plan(self, seeded):
        output = seeded
        today = timezone.localdate()

        forum = Event.objects.get(kind="forum", number="XXII")
        session = Event.objects.get(kind="commission", number="27")
        expected_start = next_working_day("RU", today + dt.timedelta(days=42))
        assert (forum.start_date, forum.end_date) == (expected_start, expected_start + dt.timedelta(days=1))
        assert forum.start_date <= session.start_date <= session.end_date <= forum.end_date
        assert 12 <= ProgrammeItem.objects.filter(event=forum).count() <= 15
        assert Agency.objects.count() >= 12
        assert set(Agency.objects.values_list("country", flat=True)) == {"RU", "KZ"}
        assert Agency.objects.get(short_name="МИД России ДСФ").parent.short_name == "МИД России"
        zones = dict(Agency.objects.values_list("short_name", "time_zone"))
        assert [zones[a] for a in ("МИД России", "Минтранс Омской обл.", "Администрация г. Омска", "ОмГУ")] == [
            "Europe/Moscow",
            "Asia/Omsk",
            "Asia/Omsk",
            "Asia/Omsk",
        ]
        assert set(Agency.objects.filter(country="KZ").values_list("time_zone", flat=True)) == {"Asia/Almaty"}

        expected = {
            "secretariat": ("secretariat", "Управление международных связей", "Asia/Omsk"),
            "mfa": ("agency_staff", "МИД России ДСФ", "Europe/Moscow"),
            "minek": ("agency_staff", "Минэкономразвития ДСНГ", "Europe/Moscow"),
            "omsk-transport": ("agency_staff", "Минтранс Омской обл.", "Asia/Omsk"),
            "kz-pavlodar": ("agency_staff", "Акимат Павлодарской обл.", "Asia/Almaty"),
        }
        for username, (role, agency, zone) in expected.items():
            user = User.objects.get(username=username)
            assert (user.role, user.agency.short_name, user.time_zone, user.is_staff) == (role, agency, zone, True)
            assert user.email
            assert logs_in(username) == user
            assert username in output
        kz = User.objects.get(username="kz-secretariat")
        assert (kz.role, kz.agency, kz.time_zone, kz.is_staff) == ("kz_secretariat", None, "Asia/Almaty", True)
        for username in ("kz-secretariat",):
            user = User.objects.get(username=username)
            assert logs_in(username) == user
            assert username in output

        committee = Committee.objects.get()
        assert set(committee.events.all()) == {forum, session}
        assert committee.members.get(role="chair").user.username == "khotsenko"
        assert committee.members.get(role="secretary").user.username == "secretariat"
        assert WorkingGroup.objects.filter(committee=committee, lead__isnull=False).count() == 6
        assert list(Meeting.objects.order_by("number").values_list("number", "status")) == [
            (1, "held"),
            (2, "held"),
            (3, "planned"),
        ]
        assert all(m.minutes for m in Meeting.objects.filter(status="held"))

        tasks = Task.objects.all()
        assert tasks.count() >= 60
        assert tasks.values("lead_agency").distinct().count() >= 12
        assert tasks.values("area").distinct().count() == 9
        assert tasks.overdue(today).count() >= 5
        assert tasks.due_between(today, today + dt.timedelta(days=14)).count() >= 5
        statuses = set(tasks.values_list("status", flat=True))
        assert statuses == {s.value for s in TaskStatus}
        assert tasks.filter(parent__isnull=False).count() >= 3
        assert tasks.filter(depends_on__isnull=False).exists()
        assert tasks.filter(co_executors__isnull=False).distinct().count() >= 20

        # The plan follows the rules the services enforce.
        now = timezone.now()
        for task in Task.objects.select_related("event", "lead_agency"):
            assert task.is_follow_up or task.deadline <= task.event.end_date, task
            assert is_working_day(calendar_country(task.lead_agency), task.deadline), task
            assert task.created <= task.status_changed_at <= now, task
            if task.status in (TaskStatus.REPORTED, TaskStatus.ACCEPTED, TaskStatus.RETURNED):
                assert task.reports.filter(is_final=True).exists(), task
        # Decisions became tasks through the service: linked both ways, same lead and deadline.
        from_decisions = Task.objects.filter(source=TaskSource.DECISION).select_related("source_decision")
        assert from_decisions.count() == 5
        for task in from_decisions:
            assert (task.lead_agency_id, task.deadline) == (
                task.source_decision.lead_agency_id,
                task.source_decision.deadline,
            )
        assert Decision.objects.filter(task__isnull=True, lead_agency__isnull=False).exists()
        # Reports, a real PDF, extension requests in every state.
        assert ProgressReport.objects.count() >= 20
        attachment = Attachment.objects.get(original_name="spravka-1.3.pdf")
        with attachment.file.open("rb") as stored:
            assert stored.read() == minimal_pdf("Omsk 2026 - progress report on task 1.3")
        extensions = ExtensionRequest.objects
        assert extensions.filter(status=ExtensionStatus.PENDING).count() == 2
        assert extensions.filter(status=ExtensionStatus.APPROVED).count() == 1
        assert extensions.filter(status=ExtensionStatus.REJECTED).count() == 1
        approved = extensions.get(status=ExtensionStatus.APPROVED)
        assert approved.task.deadline == approved.new_deadline
        assert Task.history.filter(id=approved.task_id).count() >= 4

    def test_seed_demo_second_run_changes_nothing(self, seeded):
        first = snapshot()

        with translation.override("en"):
            output = seed()

        assert snapshot() == first
        assert "Demo data: up to date." in output

    def test_seed_demo_meetings_are_titled_by_their_subject(self, seeded):
        """A meeting's page is headed "Заседание № 2: <title>": a title that names the meeting again reads twice."""
        titles = list(Meeting.objects.order_by("number").values_list("number", "title"))
        assert [number for number, _title in titles] == [1, 2, 3]
        for _number, title in titles:
            assert title.startswith("О ")
            assert "заседание" not in title.lower()

    def test_seed_demo_fills_delegations_with_people_arriving_over_three_days(self, seeded):
        forum = Event.objects.get(kind="forum", number="XXII")
        assert Delegation.objects.filter(event=forum).count() == 8
        assert Delegate.objects.filter(delegation__event=forum).count() == 64
        assert not Delegation.objects.filter(event=forum, responsible_agency=None).exists()
        assert Delegate.objects.filter(role="head").count() == 8
        arrivals = Journey.objects.filter(direction="arrival").values_list("at", flat=True)
        days = {timezone.localtime(at).date() for at in arrivals}
        assert sorted(days) == [forum.start_date - dt.timedelta(days=d) for d in (2, 1, 0)]
        assert Delegate.objects.filter(consent_at=None).count() == 0

    def test_seed_demo_loads_a_register_of_agreements_across_every_stage(self, seeded):
        forum = Event.objects.get(kind="forum", number="XXII")
        agreements = Agreement.objects.filter(event=forum)
        assert agreements.count() >= 12
        assert set(agreements.values_list("stage", flat=True)) == set(Stage.values)
        assert set(agreements.values_list("kz_responsible__short_name", flat=True)) >= {
            "Акимат Павлодарской обл.",
            "Акимат СКО",
            "Акимат Костанайской обл.",
            "Акимат Акмолинской обл.",
            "Минторговли и интеграции РК",
            "Минтранс РК",
            "Минсельхоз РК",
        }
        assert set(agreements.values_list("kind", flat=True)) == {
            "intergovernmental",
            "interregional",
            "ministry",
            "business",
        }
        versions = AgreementVersion.objects.filter(agreement__event=forum)
        assert set(versions.values_list("language", flat=True)) == {"ru", "kk"}
        assert {name.rsplit(".", 1)[1] for name in versions.values_list("original_name", flat=True)} == {"pdf", "docx"}
        for version in versions:
            with version.file.open("rb") as handle:
                assert handle.read(4) in (b"%PDF", b"PK\x03\x04")
        signed = agreements.filter(stage=Stage.SIGNED)
        assert all(a.signed_on and a.signed_place and a.signed_by for a in signed)

    def test_seed_demo_loads_the_protocol_and_the_pairs(self, seeded):
        """The demo's two sides: the 27th session's draft protocol, paired tasks in every state."""
        protocol = Protocol.objects.get()
        assert (protocol.event.kind, protocol.event.number) == ("commission", "27")
        assert protocol.sections.count() >= 6
        items = ProtocolItem.objects.filter(section__protocol=protocol)
        assert items.count() >= 25
        states = {state: items.filter(state=state).count() for state in ("agreed", "struck", "proposed")}
        assert states["agreed"] >= 10
        assert states["struck"] >= 3
        assert states["proposed"] >= 3
        # Half-agreed items wait for the other side.
        assert items.filter(state="proposed", agreed_ru_by__isnull=False).exists()
        assert items.filter(state="proposed", agreed_kz_by__isnull=False).exists()
        assert set(items.values_list("proposer__country", flat=True)) == {"RU", "KZ"}
        assert items.filter(asks_action=True, state="agreed").count() >= 8

        paired = Task.objects.filter(counterpart__isnull=False)
        paired = paired.select_related("lead_agency", "counterpart__lead_agency")
        found = pairs.pairs_of(paired, today=timezone.localdate())
        assert len(found) >= 10
        assert {p.state for p in found} == {"ready", "out_of_step", "in_work"}
        for pair in found:
            assert (pair.russian.lead_agency.country, pair.kazakh.lead_agency.country) == ("RU", "KZ")
            assert pair.russian.event_id == pair.kazakh.event_id

        before = (Protocol.objects.count(), ProtocolItem.objects.count(), Task.objects.count())
        call_command("seed_demo", stdout=io.StringIO())
        assert (Protocol.objects.count(), ProtocolItem.objects.count(), Task.objects.count()) == before
