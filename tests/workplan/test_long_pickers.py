"""Pickers over long lists of tasks: the task form's "parent" and "depends on", and the pairing form's counterpart.

Above forms.LISTED_CHOICES tasks a select carries only the chosen ones and the address of a search (a plan of
10,000 tasks put every one of them into each task form and each task page of the secretariat); the whole list is
still what the form accepts. Here the limit is lowered to two, so a handful of tasks is a long list.
"""

import datetime as dt
import json
import re

import pytest
from django.urls import reverse

from omskevents.workplan import forms
from omskevents.workplan.models import Task
from tests.factories.agencies import AgencyFactory
from tests.factories.events import EventFactory
from tests.factories.workplan import TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def short_lists(monkeypatch):
    monkeypatch.setattr(forms, "LISTED_CHOICES", 2)


@pytest.fixture
def event():
    return EventFactory(start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 11))


@pytest.fixture
def plan(event, agency_a, agency_b):
    """Five Russian tasks and four Kazakh ones of the event, and a Kazakh one of another event."""
    russian = [
        TaskFactory(event=event, lead_agency=agency_a, number=f"2.{n}", title=f"Смета этапа {n}") for n in range(1, 6)
    ]
    kazakh = [
        TaskFactory(event=event, lead_agency=agency_b, number=f"К.{n}", title=title)
        for n, title in enumerate(["Открыть рейс Павлодар — Омск", "Выставка", "Пресс-центр", "Трансфер"], 1)
    ]
    elsewhere = TaskFactory(event=EventFactory(), lead_agency=agency_b, number="К.9", title="Открыть рейс в Астану")
    return russian, kazakh, elsewhere


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None, f"no select {name}"
    return re.findall(r'<option value="([^"]*)"', select.group(1))


def _select_tag(html: str, name: str) -> str:
    found = re.search(rf'<select name="{name}"[^>]*>', html)
    assert found is not None
    return found.group(0)


def _found(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return [item["text"] for item in json.loads(response.content)["results"]]


# --- The task form -------------------------------------------------------------------------------------


def test_the_task_form_lists_only_the_chosen_tasks_and_where_to_search(client, secretariat, plan):
    russian, kazakh, _elsewhere = plan
    task = russian[0]
    task.parent = kazakh[0]
    task.save()
    task.depends_on.set([russian[1], russian[2]])
    client.force_login(secretariat)
    html = client.get(reverse("workplan:task_update", args=[task.pk])).content.decode()
    assert _options(html, "parent") == ["", str(kazakh[0].pk)]
    assert sorted(_options(html, "depends_on")) == sorted([str(russian[1].pk), str(russian[2].pk)])
    search = f"{reverse('workplan:task_choices')}?exclude={task.pk}"
    assert f'data-search-url="{search}"' in _select_tag(html, "parent")
    assert f'data-search-url="{search}"' in _select_tag(html, "depends_on")


def test_the_task_form_lists_every_task_when_the_list_is_short(client, secretariat, plan, monkeypatch):
    monkeypatch.setattr(forms, "LISTED_CHOICES", 200)
    client.force_login(secretariat)
    html = client.get(reverse("workplan:task_create")).content.decode()
    assert len(_options(html, "depends_on")) == Task.objects.count()
    assert "data-search-url" not in _select_tag(html, "depends_on")


def test_a_task_not_listed_is_still_accepted_and_a_form_sent_back_keeps_what_was_picked(client, secretariat, plan):
    russian, kazakh, _elsewhere = plan
    task = russian[0]
    client.force_login(secretariat)
    url = reverse("workplan:task_update", args=[task.pk])
    form = {
        "event": task.event_id, "number": task.number, "area": task.area, "title": "",
        "lead_agency": task.lead_agency_id, "deadline_mode": "fixed", "deadline": "2026-12-01",
        "priority": task.priority, "parent": kazakh[2].pk, "depends_on": [russian[3].pk, russian[4].pk],
    }  # fmt: skip
    sent_back = client.post(url, form)
    assert sent_back.status_code == 200  # no title: the form comes back with the tasks picked still chosen
    html = sent_back.content.decode()
    assert _options(html, "parent") == ["", str(kazakh[2].pk)]
    assert re.search(rf'<option value="{kazakh[2].pk}" selected>', html)
    assert sorted(_options(html, "depends_on")) == sorted([str(russian[3].pk), str(russian[4].pk)])
    assert client.post(url, {**form, "title": "Смета этапа 1"}).status_code == 302
    task.refresh_from_db()
    assert task.parent == kazakh[2]
    assert set(task.depends_on.all()) == {russian[3], russian[4]}


def test_the_task_search_finds_by_word_forms_and_number_and_leaves_the_task_out(client, secretariat, plan):
    russian, kazakh, elsewhere = plan
    client.force_login(secretariat)
    url = reverse("workplan:task_choices")
    assert _found(client.get(url, {"q": "смету", "exclude": russian[0].pk})) == [
        str(t) for t in russian[1:]
    ]  # "смету" finds "Смета …"; the task being edited is not offered as its own parent
    assert _found(client.get(url, {"q": "2.3"})) == [str(russian[2])]
    assert _found(client.get(url, {"q": "рейс"})) == sorted(
        [str(kazakh[0]), str(elsewhere)], key=lambda text: Task.objects.get(number=text.split()[0]).event.start_date
    )
    assert len(_found(client.get(url, {"q": ""}))) == Task.objects.count()
    assert _found(client.get(url, {"q": "ничего такого", "exclude": "1 OR 1=1"})) == []


def test_the_task_search_keeps_to_the_searchers_side_and_to_the_secretariat(
    client, kz_secretariat, staff_a, plan
):  # fmt: skip
    _russian, kazakh, elsewhere = plan
    url = reverse("workplan:task_choices")
    client.force_login(kz_secretariat)
    assert set(_found(client.get(url))) == {str(t) for t in [*kazakh, elsewhere]}  # its side's tasks only
    client.force_login(staff_a)
    assert client.get(url, {"q": "смета"}).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


# --- The pairing form on the task page ---------------------------------------------------------------


def test_the_pairing_picker_lists_only_the_counterpart_and_where_to_search(client, secretariat, plan):
    russian, kazakh, _elsewhere = plan
    client.force_login(secretariat)
    html = client.get(reverse("workplan:task_detail", args=[russian[0].pk])).content.decode()
    assert _options(html, "counterpart") == [""]
    search = reverse("workplan:task_pair_choices", args=[russian[0].pk])
    assert f'data-search-url="{search}"' in _select_tag(html, "counterpart")
    # A counterpart that was never listed in the page is paired all the same.
    assert (
        client.post(reverse("workplan:task_pair", args=[russian[0].pk]), {"counterpart": kazakh[3].pk}).status_code
        == 302
    )
    html = client.get(reverse("workplan:task_detail", args=[russian[0].pk])).content.decode()
    assert _options(html, "counterpart") == ["", str(kazakh[3].pk)]


def test_the_pair_search_offers_the_other_sides_tasks_of_the_event(client, secretariat, plan):
    russian, kazakh, _elsewhere = plan
    client.force_login(secretariat)
    url = reverse("workplan:task_pair_choices", args=[russian[0].pk])
    assert _found(client.get(url)) == [str(t) for t in kazakh]  # not the task of the other event, nor a Russian one
    assert _found(client.get(url, {"q": "рейса"})) == [str(kazakh[0])]
    assert _found(client.get(url, {"q": "К.3"})) == [str(kazakh[2])]
    assert _found(client.get(reverse("workplan:task_pair_choices", args=[kazakh[1].pk]))) == [str(t) for t in russian]


def test_the_pair_search_answers_as_the_task_page_does(client, secretariat, staff_a, staff_b, plan, agency_a):
    russian, kazakh, _elsewhere = plan
    hidden = TaskFactory(event=russian[0].event, lead_agency=AgencyFactory(country="RU"), number="5.5")
    client.force_login(staff_b)
    assert client.get(reverse("workplan:task_pair_choices", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("workplan:task_pair_choices", args=[kazakh[0].pk])).status_code == 403
    client.force_login(staff_a)
    assert client.get(reverse("workplan:task_pair_choices", args=[russian[0].pk])).status_code == 403
    client.force_login(secretariat)
    assert client.get(reverse("workplan:task_pair_choices", args=[999_999])).status_code == 404
    assert client.get("/tasks/1x/pair/choices.json").status_code == 404


def test_the_searches_refuse_what_no_text_holds_and_take_long_text_cut(client, secretariat, plan):
    russian, _kazakh, _elsewhere = plan
    client.force_login(secretariat)
    for url in (
        reverse("workplan:task_choices"),
        reverse("workplan:task_pair_choices", args=[russian[0].pk]),
        reverse("workplan:people_search"),
    ):
        refused = client.get(url, {"q": "смета\x00", "exclude": "\x00"})
        assert refused.status_code == 400
        # In the person's language (Russian here), nothing found and nothing read.
        assert json.loads(refused.content) == {"results": [], "error": "Данные содержат запрещённый символ: ноль-байт"}
        assert client.get(url, {"q": "%" * 5000}).status_code == 200


def test_a_sub_task_started_from_its_parent_has_the_parent_chosen(client, secretariat, plan):
    russian, _kazakh, _elsewhere = plan
    client.force_login(secretariat)
    html = client.get(reverse("workplan:task_create"), {"parent": russian[3].pk, "event": russian[3].event_id})
    html = html.content.decode()
    assert _options(html, "parent") == ["", str(russian[3].pk)]
    assert re.search(rf'<option value="{russian[3].pk}" selected>', html)
    assert _options(client.get(reverse("workplan:task_create"), {"parent": "7x"}).content.decode(), "parent") == [""]
