"""One-click links in mails are not reusable passes: single use, bound to the person's password and to their
"links revoked" stamp, and they show nothing the person may no longer see."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from omskevents.accounts.services import user_links_revoke
from omskevents.notifications import links
from omskevents.workplan import services as workplan_services
from omskevents.workplan.models import ExtensionRequest, ProgressReport
from tests.factories.accounts import UserFactory
from tests.factories.agencies import AgencyFactory

from .conftest import make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _url(user, task, action: str = "report") -> str:
    return links.task_action_url(user=user, task_id=task.pk, action=action).removeprefix("http://127.0.0.1:8000")


def test_a_link_posted_twice_records_one_report(calendars, executor, client):
    task = make_task(responsible=executor, lead_agency=executor.agency)
    url = _url(executor, task)

    first = client.post(url, {"text": "Причал готов"})
    second = client.post(url, {"text": "Причал готов"})

    assert (first.status_code, second.status_code) == (200, 400)
    assert "This link has already been used." in second.content.decode()
    assert ProgressReport.objects.count() == 1


def test_a_used_link_no_longer_shows_its_form_or_the_task(calendars, executor, client):
    task = make_task(responsible=executor, lead_agency=executor.agency, title="Причал на Иртыше")
    url = _url(executor, task)
    client.post(url, {"text": "Причал готов"})

    page = client.get(url)

    assert page.status_code == 400
    assert "Причал на Иртыше" not in page.content.decode()


def test_an_extension_link_posted_twice_makes_one_request(calendars, executor, client):
    task = make_task(responsible=executor, lead_agency=executor.agency, deadline=dt.date(2026, 11, 2))
    url = _url(executor, task, "extend")

    client.post(url, {"new_deadline": "2026-11-20", "reason": "Ледоход"})
    workplan_services.extension_decide(
        actor=UserFactory(username="sec", role="secretariat", agency=None),
        request=ExtensionRequest.objects.get(),
        approve=False,
        note="Нет",
    )
    again = client.post(url, {"new_deadline": "2026-11-25", "reason": "Ледоход"})

    assert again.status_code == 400
    assert ExtensionRequest.objects.count() == 1


def test_a_refused_submission_does_not_use_the_link_up(calendars, executor, client):
    task = make_task(responsible=executor, lead_agency=executor.agency, deadline=dt.date(2026, 11, 2))
    url = _url(executor, task, "extend")

    refused = client.post(url, {"new_deadline": "2026-10-01", "reason": "Ледоход"})
    accepted = client.post(url, {"new_deadline": "2026-11-20", "reason": "Ледоход"})

    assert (refused.status_code, accepted.status_code) == (400, 200)
    assert ExtensionRequest.objects.count() == 1


def test_a_password_change_ends_every_link_sent_before(calendars, executor, client):
    task = make_task(responsible=executor, lead_agency=executor.agency, title="Причал на Иртыше")
    url = _url(executor, task)
    executor.set_password("a completely new passphrase")
    executor.save()

    page = client.get(url)
    posted = client.post(url, {"text": "После смены пароля"})

    assert (page.status_code, posted.status_code) == (400, 400)
    assert "This link is no longer valid." in page.content.decode()
    assert "Причал на Иртыше" not in page.content.decode()
    assert ProgressReport.objects.count() == 0
    assert client.get(_url(executor, task)).status_code == 200  # a link sent after the change works


def test_revoking_a_persons_links_ends_them(calendars, executor, client):
    task = make_task(responsible=executor, lead_agency=executor.agency)
    url = _url(executor, task)

    user_links_revoke(user=executor)

    assert client.post(url, {"text": "После отзыва"}).status_code == 400
    assert ProgressReport.objects.count() == 0


def test_deactivating_a_person_in_the_admin_ends_their_links_for_good(calendars, executor, client):
    task = make_task(responsible=executor, lead_agency=executor.agency)
    url = _url(executor, task)
    secretariat = UserFactory(username="sec", role="secretariat", agency=None, is_staff=True)
    client.force_login(secretariat)
    change = reverse("admin:accounts_user_change", args=[executor.pk])
    form = client.get(change).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data.update({"agency": executor.agency_id, "is_active": "", "groups": [], "user_permissions": []})
    for name in ("last_login", "date_joined"):
        data.pop(name, None)

    assert client.post(change, data).status_code == 302
    executor.refresh_from_db()
    executor.is_active = True  # taken back on: the old links stay dead
    executor.save()
    client.logout()

    assert client.post(url, {"text": "После увольнения"}).status_code == 400
    assert ProgressReport.objects.count() == 0


def test_a_link_does_not_show_a_task_the_person_can_no_longer_see(calendars, executor, client):
    task = make_task(responsible=executor, lead_agency=executor.agency, title="Причал на Иртыше")
    url = _url(executor, task)
    task.lead_agency = AgencyFactory(short_name="Другое ведомство")
    task.save()

    page = client.get(url)
    posted = client.post(url, {"text": "Уже не моё"})

    assert (page.status_code, posted.status_code) == (403, 403)
    assert "Причал на Иртыше" not in page.content.decode()
    assert "You cannot do this with this task any more." in page.content.decode()
    assert ProgressReport.objects.count() == 0


def test_a_link_for_an_action_the_person_may_no_longer_take_shows_no_form(calendars, executor, client):
    task = make_task(responsible=executor, lead_agency=executor.agency, title="Причал на Иртыше", status="accepted")
    page = client.get(_url(executor, task))
    assert page.status_code == 403
    assert "Причал на Иртыше" not in page.content.decode()


def test_a_report_link_takes_files_through_the_same_checks_as_the_task_page(calendars, executor, client):
    """The link's form is the task page's own report form: files, limits and messages are the same."""
    task = make_task(responsible=executor, lead_agency=executor.agency)
    pdf = SimpleUploadedFile(
        "акт.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf"
    )
    fake = SimpleUploadedFile("акт.pdf", b"not a pdf at all", content_type="application/pdf")

    refused = client.post(_url(executor, task), {"text": "Акт приёмки", "files": [fake]})
    accepted = client.post(_url(executor, task), {"text": "Акт приёмки", "files": [pdf]})

    assert refused.status_code == 400
    assert (accepted.status_code, ProgressReport.objects.count()) == (200, 1)
    assert [a.original_name for a in ProgressReport.objects.get().attachments.all()] == ["акт.pdf"]
