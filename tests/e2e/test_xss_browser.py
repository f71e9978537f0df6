"""Stored XSS in a real browser: pages full of script payloads open no dialog and log no error.

tests/security/test_xss.py checks the escaping of every field on every page in the HTML; this walk checks that
Chromium, running the site's own scripts under its CSP, executes none of the payloads.
"""

import datetime as dt

import pytest

from omskevents.committee.models import AgendaItem, Committee, Decision, Meeting
from omskevents.workplan.models import TaskComment
from tests.e2e.conftest import login
from tests.factories.events import EventFactory, ProgrammeItemFactory, VenueFactory
from tests.factories.workplan import ProgressReportFactory, TaskFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>"\''


def test_pages_with_script_payloads_open_no_dialog(page, secretariat, staff_a, agency_a):
    agency_a.name, agency_a.short_name = f"{PAYLOAD} agency", f"{PAYLOAD} A"
    agency_a.save()
    staff_a.last_name, staff_a.position = f"{PAYLOAD} last", f"{PAYLOAD} position"
    staff_a.save()
    event = EventFactory(
        short_title=f"{PAYLOAD} ev",
        title_ru=f"{PAYLOAD} title",
        start_date=dt.date(2026, 12, 10),
        end_date=dt.date(2026, 12, 11),
    )
    ProgrammeItemFactory(event=event, title=f"{PAYLOAD} item", venue=VenueFactory(name=f"{PAYLOAD} venue"))
    task = TaskFactory(
        event=event, lead_agency=agency_a, responsible=staff_a, title=f"{PAYLOAD} task", description=PAYLOAD
    )
    ProgressReportFactory(task=task, author=staff_a, text=f"{PAYLOAD} report")
    TaskComment.objects.create(task=task, author=staff_a, text=f"{PAYLOAD} comment")
    committee = Committee.objects.create(name=f"{PAYLOAD} committee")
    committee.events.add(event)
    meeting = Meeting.objects.create(
        committee=committee,
        number=1,
        title=f"{PAYLOAD} meeting",
        place=f"{PAYLOAD} place",
        starts_at=dt.datetime(2026, 11, 3, 5, 0, tzinfo=dt.UTC),
    )
    AgendaItem.objects.create(meeting=meeting, order=1, title=f"{PAYLOAD} agenda")
    Decision.objects.create(meeting=meeting, number="1", text=f"{PAYLOAD} decision", lead_agency=agency_a)

    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    login(page, "sec", "correct horse battery staple")
    paths = [
        "/",
        "/tasks/",
        f"/tasks/{task.pk}/",
        f"/tasks/{task.pk}/edit/",
        "/tasks/timeline/",
        "/agencies/",
        f"/agencies/{agency_a.pk}/",
        f"/events/{event.pk}/",
        f"/events/{event.pk}/programme/",
        "/meetings/",
        f"/meetings/{meeting.pk}/",
        "/admin/workplan/task/",
        f"/admin/workplan/task/{task.pk}/change/",
        "/admin/accounts/user/",
    ]
    for path in paths:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        # The payload is on the page (as text or in an attribute), so the checks are about the page that was meant.
        assert "alert(" in page.content(), path
    assert dialogs == []
    assert page.evaluate("document.querySelectorAll('img[src=\"x\"]').length") == 0
