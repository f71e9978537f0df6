"""The admin's navigation sidebar is rendered once per distinct content and is never another person's."""

import re

import pytest
from django.db import connection
from django.template.loader import get_template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

pytestmark = pytest.mark.django_db

TASKS = "/admin/workplan/task/"
AGENCIES = "/admin/agencies/agency/"


def _sidebar(response) -> str:
    html = response.content.decode()
    start = html.index('<nav class="sticky" id="nav-sidebar"')
    return html[start : html.index("</nav>", start)]


def _links(sidebar: str) -> set[str]:
    return set(re.findall(r'href="(/admin/[^"]+)"', sidebar))


def _app_list_renders(response) -> int:
    return sum(1 for t in response.templates if t.name == "admin/app_list.html")


def test_the_sidebar_is_what_django_renders(client, secretariat):
    client.force_login(secretariat)
    response = client.get(TASKS)
    request = RequestFactory().get(TASKS)
    request.user = secretariat
    expected = get_template("admin/app_list.html").render(
        {"app_list": response.context["available_apps"], "show_changelinks": False, "request": request}
    )
    assert expected.strip() in _sidebar(response)
    assert 'href="/admin/workplan/task/" aria-current="page"' in _sidebar(response)


def test_the_sidebar_is_rendered_once_and_marks_the_current_page(client, secretariat):
    client.force_login(secretariat)
    first = client.get(TASKS)
    again = client.get(TASKS)
    assert _app_list_renders(first) == 1
    assert _app_list_renders(again) == 0  # from the cache
    assert _sidebar(again) == _sidebar(first)
    other = client.get(AGENCIES)
    assert _app_list_renders(other) == 1  # another page is marked current: another fragment
    assert 'href="/admin/agencies/agency/" aria-current="page"' in _sidebar(other)
    assert 'href="/admin/workplan/task/" aria-current="page"' not in _sidebar(other)


def test_a_ministry_never_gets_the_secretariats_sidebar(client, secretariat, staff_a):
    client.force_login(secretariat)
    wide = _links(_sidebar(client.get(TASKS)))
    client.force_login(staff_a)
    response = client.get(TASKS)
    narrow = _links(_sidebar(response))
    assert narrow < wide  # fewer models, and no "Add" where the ministry may not add
    assert _links(_sidebar(response)) == {
        link
        for app in response.context["available_apps"]
        for m in app["models"]
        for link in (m.get("admin_url"), m.get("add_url"))
        if link
    } | {app["app_url"] for app in response.context["available_apps"]}


def test_the_sidebar_follows_the_language(client, secretariat):
    client.force_login(secretariat)
    with translation.override("ru"):
        russian = _sidebar(client.get(TASKS, HTTP_ACCEPT_LANGUAGE="ru"))
    secretariat.language = "en"
    secretariat.save(update_fields=["language"])
    english = _sidebar(client.get(TASKS, HTTP_ACCEPT_LANGUAGE="en"))
    assert russian != english
    assert "Поручения" in russian or "поручения" in russian.lower()


def test_the_sidebar_follows_a_change_of_role_at_once(client, secretariat, staff_a):
    """The list of models is kept per person and data version: saving the person makes a new one."""
    client.force_login(staff_a)
    before = _links(_sidebar(client.get(TASKS)))
    staff_a.role = "secretariat"
    staff_a.save()
    after = _links(_sidebar(client.get(TASKS)))
    client.force_login(secretariat)
    assert after == _links(_sidebar(client.get(TASKS)))
    assert before < after


def test_the_add_link_for_the_reminder_rules_goes_once_they_exist(client, secretariat):
    from omskevents.notifications.models import ReminderSettings

    add = "/admin/notifications/remindersettings/add/"
    client.force_login(secretariat)
    assert add in _links(_sidebar(client.get(TASKS)))
    assert add in _links(_sidebar(client.get(TASKS)))  # kept: the same list
    ReminderSettings.objects.create()
    assert add not in _links(_sidebar(client.get(TASKS)))


def test_the_list_of_models_is_built_once_per_person_and_version(client, secretariat):
    client.force_login(secretariat)
    client.get(AGENCIES)
    first = client.get(TASKS)
    with CaptureQueriesContext(connection) as again:
        client.get(TASKS)
    assert not any("notifications_remindersettings" in query["sql"] for query in again.captured_queries)
    assert first.context["available_apps"] is client.get(AGENCIES).context["available_apps"]
