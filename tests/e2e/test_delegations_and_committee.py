"""Browser paths of the events and the committee: the arrivals board reached from the menu, the whole committee
invited to a meeting in one step, the next Forum prepared from this one. Screenshots at 1440 and 390 px wide go
to var/screenshots/."""

import datetime as dt

import pytest

from omskevents.committee.models import WorkingGroup
from omskevents.events.models import Event
from omskevents.workplan.models import Task
from tests.e2e.conftest import SCREENSHOTS, login
from tests.factories.accounts import UserFactory
from tests.factories.committee import CommitteeFactory, CommitteeMemberFactory, MeetingFactory
from tests.factories.events import DelegateFactory, DelegationFactory, EventFactory, JourneyFactory
from tests.factories.workplan import TaskFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery staple"


def _shots(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((1440, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})


def test_arrivals_board_from_the_menu_shows_three_days_in_local_time(page, staff_a, agency_a, agency_b):
    event = EventFactory(short_title="XXII Форум", start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 11))
    pavlodar = DelegationFactory(event=event, name="Делегация Павлодарской области", responsible_agency=agency_a)
    foreign = DelegationFactory(event=event, name="Делегация Астаны", responsible_agency=agency_b)
    names = [("Ахметов", "Ерлан"), ("Сапарова", "Айгуль"), ("Нурланов", "Данияр"), ("Омарова", "Динара")]
    # 8 December 10:00 in Omsk (04:00 UTC), 9 December 01:30 (8 December 19:30 UTC), 10 December 07:15.
    times = [
        dt.datetime(2026, 12, 8, 4, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 12, 8, 19, 30, tzinfo=dt.UTC),
        dt.datetime(2026, 12, 9, 10, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 12, 10, 1, 15, tzinfo=dt.UTC),
    ]
    for n, ((last, first), at) in enumerate(zip(names, times, strict=True)):
        delegate = DelegateFactory(
            delegation=pavlodar, last_name=last, first_name=first, precedence=n + 1, needs_interpreter=n == 0
        )
        JourneyFactory(
            delegate=delegate,
            at=at,
            number=f"№ 07{n}",
            transport="train",
            place="Вокзал Омск-Пассажирский",
            met_by="Протокольная служба",
        )
    JourneyFactory(delegate=DelegateFactory(delegation=foreign, last_name="Чужой"))
    login(page, "staff_a", PASSWORD)

    page.click("nav a.nav-link[href='/events/']")
    page.wait_for_load_state("networkidle")
    page.click(f"a[href='/events/{event.pk}/']")
    page.wait_for_load_state("networkidle")
    page.click(f"a[href='/events/{event.pk}/arrivals/']")
    page.wait_for_load_state("networkidle")

    days = page.locator("section.arrivals-day h2")
    assert days.count() == 3
    assert [page.locator("section.arrivals-day").nth(i).locator("tr.arrival-row").count() for i in range(3)] == [
        1,
        2,
        1,
    ]
    first_day = page.locator("section.arrivals-day").nth(0)
    assert first_day.locator(".arrival-time").inner_text() == "10:00"
    assert page.locator("section.arrivals-day").nth(1).locator(".arrival-time").all_inner_texts() == ["01:30", "16:00"]
    assert "Чужой" not in page.content()
    _shots(page, "arrivals-board")

    page.click(f"a[href='{pavlodar.get_absolute_url()}']")
    page.wait_for_load_state("networkidle")
    assert page.locator("tr.delegate-row").count() == 4
    _shots(page, "delegation-page")
    page.goto(f"/events/{event.pk}/")
    page.wait_for_load_state("networkidle")
    page.emulate_media(media="print")
    assert page.locator("nav.navbar").is_hidden()
    page.screenshot(path=str(SCREENSHOTS / "event-page-print.png"), full_page=True)
    page.emulate_media(media="screen")


def test_secretary_invites_the_whole_committee_in_one_step(page, secretariat, agency_a, agency_b):
    committee = CommitteeFactory()
    event = EventFactory(short_title="XXII Форум", start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 11))
    committee.events.add(event)
    people = [
        CommitteeMemberFactory(committee=committee, role=role, user=UserFactory(last_name=last, agency=agency)).user
        for role, last, agency in [
            ("chair", "Хоценко", agency_a),
            ("deputy_chair", "Дорофеев", agency_a),
            ("secretary", "Соколова", agency_a),
            ("member", "Жумабаев", agency_b),
            ("member", "Лебедев", agency_a),
        ]
    ]
    group = WorkingGroup.objects.create(committee=committee, kind="logistics", name="Логистика", lead=people[1])
    group.members.set([people[3], UserFactory(last_name="Ясенев", agency=agency_b)])
    meeting = MeetingFactory(committee=committee, number=4, starts_at=dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC))
    login(page, "sec", PASSWORD)

    page.goto(f"/meetings/{meeting.pk}/")
    page.wait_for_load_state("networkidle")
    assert page.locator("#attendance tbody tr td[colspan='3']").count() == 1  # nobody invited yet
    page.select_option("select[name=invite-group]", "committee")
    page.click("form.invite-group button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("#attendance tbody tr").count() == 5
    assert meeting.attendance.count() == 5
    page.select_option("select[name=invite-group]", f"group-{group.pk}")
    page.click("form.invite-group button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("#attendance tbody tr").count() == 6
    _shots(page, "meeting-invited")

    # A new meeting starts with the committee's members selected and its event chosen.
    page.goto("/meetings/new/")
    page.wait_for_load_state("networkidle")
    selected = page.eval_on_selector_all("select[name=invitees] option:checked", "els => els.map(e => e.value)")
    assert sorted(int(v) for v in selected) == sorted(p.pk for p in people)
    assert page.input_value("select[name=event]") == str(event.pk)
    _shots(page, "meeting-new")

    page.goto(f"/committees/{committee.pk}/")
    page.wait_for_load_state("networkidle")
    assert page.locator("tr.member-row").count() == 5
    _shots(page, "committee-page")


def test_secretary_prepares_the_next_forum_and_checks_its_plan(page, secretariat, agency_a):
    forum = EventFactory(
        number="XXII",
        short_title="XXII Форум",
        title_ru="XXII Форум межрегионального сотрудничества",
        start_date=dt.date(2026, 12, 10),
        end_date=dt.date(2026, 12, 11),
    )
    TaskFactory(
        event=forum,
        number="1",
        title="Согласовать программу",
        lead_agency=agency_a,
        deadline=dt.date(2026, 11, 26),
        deadline_anchor="start",
        deadline_offset_days=-14,
        status="accepted",
    )
    TaskFactory(
        event=forum, number="2", title="Подготовить причал", lead_agency=agency_a, deadline=dt.date(2026, 11, 20)
    )
    login(page, "sec", PASSWORD)

    page.goto(f"/events/{forum.pk}/")
    page.click(f"a[href='/tasks/next-event/{forum.pk}/']")
    page.wait_for_load_state("networkidle")
    assert page.input_value("input[name=number]") == "XXIII"
    assert page.input_value("select[name=host_country]") == "KZ"
    page.fill("input[name=start_date]", "2027-09-16")
    page.fill("input[name=end_date]", "2027-09-17")
    page.fill("input[name=city]", "Павлодар")
    page.click("form.next-event-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("tr.preview-task").count() == 2
    assert page.locator("td.new-deadline").all_inner_texts() == ["27.08.2027", "02.09.2027"]
    assert not Event.objects.filter(number="XXIII").exists()
    _shots(page, "next-forum-preview")

    page.click("form.next-event-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    event = Event.objects.get(number="XXIII")
    assert page.url.endswith(f"/events/{event.pk}/")
    page.goto(f"/tasks/?event={event.pk}")
    page.wait_for_load_state("networkidle")
    assert sorted(Task.objects.filter(event=event).values_list("title", "status", "deadline")) == [
        ("Подготовить причал", "assigned", dt.date(2027, 8, 27)),
        ("Согласовать программу", "assigned", dt.date(2027, 9, 2)),
    ]
