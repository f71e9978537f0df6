"""The action plan read in Chromium at 1280/1440 px and on a phone (390 px), the menu in three languages, and the
filter panel remembered for the person; forms used by keyboard alone. Screenshots go to var/screenshots/."""

import re

import pytest

from omskevents.accounts.models import User
from omskevents.workplan.models import ProgressReport
from tests.e2e.conftest import SCREENSHOTS, login
from tests.e2e.plan_world import make_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
COLUMNS = ("cell-number", "cell-task", "cell-lead", "cell-co", "cell-resp", "cell-deadline", "cell-status")


@pytest.fixture
def world(agency_a, agency_b, staff_a):
    return make_plan(agency_a=agency_a, agency_b=agency_b, responsible=staff_a)


def _no_horizontal_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


@pytest.mark.parametrize("width", [1280, 1440])
def test_plan_every_column_is_in_view_without_horizontal_scroll(page, world, secretariat, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "sec", PASSWORD)

    page.goto("/tasks/")

    _no_horizontal_scroll(page)
    for column in COLUMNS:
        header = page.locator(f"table.task-table thead th.{column}").bounding_box()
        cell = page.locator(f"tr.task-row td.{column}").first.bounding_box()
        assert header is not None, column
        assert cell is not None, column
        assert header["x"] >= 0, column
        assert header["x"] + header["width"] <= width, column
        assert cell["x"] + cell["width"] <= width, column
    task = page.locator("table.task-table thead th.cell-task").bounding_box()
    for column in ("cell-lead", "cell-co", "cell-resp", "cell-deadline", "cell-status"):
        assert task["width"] > page.locator(f"table.task-table thead th.{column}").bounding_box()["width"], column


def test_plan_header_stays_in_view_when_scrolling(page, world, secretariat):
    page.set_viewport_size({"width": 1440, "height": 600})
    login(page, "sec", PASSWORD)
    page.goto("/tasks/")

    page.mouse.wheel(0, 900)
    page.wait_for_function("window.scrollY > 500")

    header = page.locator("table.task-table thead th.cell-status").bounding_box()
    assert -1 <= header["y"] <= 2


def test_plan_on_a_phone_is_a_card_per_task_with_number_title_deadline_and_status_first(page, world, staff_a):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "staff_a", PASSWORD)

    page.goto("/tasks/")

    _no_horizontal_scroll(page)
    assert page.locator("table.task-table thead").is_hidden()
    card = page.locator("tr.task-row").first
    box = card.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 390
    for column in ("cell-number", "cell-task", "cell-deadline", "cell-status"):
        cell = card.locator(f"td.{column}").bounding_box()
        assert cell["y"] + cell["height"] <= 844, column
        assert cell["x"] + cell["width"] <= 390, column
    assert card.locator("td.cell-deadline .deadline-flag").count() == 1  # the first task is overdue


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_menu_is_one_line_at_1280(page, live_server, secretariat, language):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    login(page, "sec", PASSWORD)

    page.goto("/")

    nav = page.locator("nav.navbar").bounding_box()
    assert nav["height"] < 64
    tops = {round(page.locator("#mainnav .navbar-nav > .nav-item").nth(i).bounding_box()["y"]) for i in range(6)}
    assert len(tops) == 1
    _no_horizontal_scroll(page)
    page.click("#nav-more")
    assert page.locator("#mainnav .dropdown-menu a[href='/tasks/timeline/']").is_visible()


def test_filters_fold_away_and_are_remembered_for_the_person(page, world, staff_a):
    page.set_viewport_size({"width": 1440, "height": 900})
    login(page, "staff_a", PASSWORD)
    page.goto("/tasks/")
    panel = page.locator("details#plan-filters")
    assert panel.get_attribute("open") is None
    assert page.locator("select[name=area]").is_hidden()

    with page.expect_response(lambda response: response.url.endswith("/tasks/filters/panel/")) as answer:
        page.click("details#plan-filters > summary")
    assert answer.value.status == 204
    page.select_option("select[name=area]", "irtysh_logistics")
    page.click("details#plan-filters button[type=submit]")
    page.wait_for_load_state("networkidle")

    staff_a.refresh_from_db()
    assert staff_a.ui_state == {"plan_filters": "area=irtysh_logistics", "plan_filters_open": True}
    page.goto("/tasks/")  # the menu's link: the plan opens on the remembered filter, the panel open
    assert re.search(r"/tasks/\?area=irtysh_logistics$", page.url)
    assert page.locator("details#plan-filters").get_attribute("open") == ""
    assert "Логистика на Иртыше" in page.locator(".plan-active-filters").inner_text()

    page.click("text=Сбросить фильтры")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/tasks/")
    assert User.objects.get(pk=staff_a.pk).ui_state == {"plan_filters_open": True}


def _tab_to(page, selector: str, limit: int = 80) -> None:
    """Presses Tab until the element matching `selector` has the focus (as a keyboard user would)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_task_filter_by_keyboard_alone(page, world, secretariat, agency_b):
    page.set_viewport_size({"width": 1440, "height": 900})
    login(page, "sec", PASSWORD)
    page.goto("/tasks/")

    _tab_to(page, "details#plan-filters > summary")
    page.keyboard.press("Enter")
    _tab_to(page, "#id_agency-ts-control")  # the searchable picker over the agency select
    page.keyboard.type("Акимат")
    page.wait_for_selector(".ts-dropdown .option.active:has-text('Акимат')")
    page.keyboard.press("Enter")
    page.wait_for_function("(pk) => document.getElementById('id_agency').value === pk", arg=str(agency_b.pk))
    _tab_to(page, "details#plan-filters button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/tasks/\?agency={agency_b.pk}$"))

    assert page.locator("tr.task-row").count() == 3
    _tab_to(page, "input[name=q]", limit=20)
    page.keyboard.type("этап 4")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q="))
    assert page.locator("tr.task-row").count() == 1


def test_report_form_by_keyboard_alone(page, world, staff_a):
    page.set_viewport_size({"width": 1440, "height": 900})
    login(page, "staff_a", PASSWORD)
    task = world.task_a
    page.goto(f"/tasks/{task.pk}/")

    report = f"form[action='/tasks/{task.pk}/report/']"
    _tab_to(page, f"{report} textarea[name=text]", limit=150)
    page.keyboard.type("Предложения подготовлены и направлены в оргкомитет.")
    _tab_to(page, f"{report} button[name=is_final][value=on]", limit=10)  # "Send the report of completion"
    with page.expect_navigation():
        page.keyboard.press("Enter")

    saved = ProgressReport.objects.get(task=task)
    assert (saved.text, saved.is_final) == ("Предложения подготовлены и направлены в оргкомитет.", True)


def test_task_form_pickers_search_co_executors_and_dependencies(page, world, secretariat, agency_b):
    page.set_viewport_size({"width": 1440, "height": 900})
    login(page, "sec", PASSWORD)
    task, before = world.task_a, world.tasks[-1]
    page.goto(f"/tasks/{task.pk}/edit/")

    page.click("#id_co_executors-ts-control")
    page.keyboard.type("Акимат")
    page.wait_for_selector(".ts-dropdown .option.active:has-text('Акимат')")
    page.keyboard.press("Enter")
    page.click("#id_depends_on-ts-control")
    page.keyboard.type("этап 12")
    page.wait_for_selector(".ts-dropdown .option.active:has-text('этап 12')")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    with page.expect_navigation():
        page.click("form.task-form button[type=submit]")

    task.refresh_from_db()
    assert agency_b in task.co_executors.all()
    assert list(task.depends_on.all()) == [before]
    assert page.url.endswith(f"/tasks/{task.pk}/")  # saved: back on the task's page


def test_long_task_lists_are_searched_as_the_secretariat_types(page, world, secretariat, monkeypatch):
    """Above forms.LISTED_CHOICES (lowered here to 2) the task form's "depends on" and the pairing form's
    counterpart carry only the chosen tasks; typing asks the server, and what it finds is chosen and saved."""
    from omskevents.workplan import forms

    monkeypatch.setattr(forms, "LISTED_CHOICES", 2)
    page.set_viewport_size({"width": 1440, "height": 900})
    login(page, "sec", PASSWORD)
    task, before = world.task_a, world.tasks[-1]
    page.goto(f"/tasks/{task.pk}/edit/")
    assert page.locator("select[name=depends_on] option").count() == 0  # nothing chosen, nothing listed
    page.click("#id_depends_on-ts-control")
    page.keyboard.type("Щукино")
    page.wait_for_selector(".ts-dropdown .no-results:has-text('Ничего не найдено')")  # the reader's language
    for _letter in "Щукино":
        page.keyboard.press("Backspace")
    page.keyboard.type("этапа 12")  # another form of "этап 12": the server's search, not the page's
    page.wait_for_selector(".ts-dropdown .option.active:has-text('этап 12')")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.screenshot(path=str(SCREENSHOTS / "task-form-searched-picker-1440.png"))
    with page.expect_navigation():
        page.click("form.task-form button[type=submit]")
    task.refresh_from_db()
    assert list(task.depends_on.all()) == [before]

    kazakh = world.task_b  # of three Kazakh tasks: none listed in the page
    page.goto(f"/tasks/{task.pk}/")
    assert page.locator("select[name=counterpart] option").count() == 1  # "No counterpart"
    page.focus("#id_counterpart-ts-control")  # as the Tab key brings it
    page.keyboard.type(kazakh.number)
    page.wait_for_selector(f".ts-dropdown .option.active:has-text('{kazakh.number}')")
    page.keyboard.press("Enter")
    page.screenshot(path=str(SCREENSHOTS / "task-page-searched-pair-1440.png"))
    with page.expect_navigation():  # the button, not Enter: it must stay where it was as the picker is left
        page.click(f"form[action='/tasks/{task.pk}/pair/'] button[type=submit]")
    page.screenshot(path=str(SCREENSHOTS / "task-page-searched-pair-saved-1440.png"))
    kazakh.refresh_from_db()
    assert kazakh.counterpart == task
    page.set_viewport_size({"width": 390, "height": 844})
    pairing = page.locator(f"form[action='/tasks/{task.pk}/pair/']")
    pairing.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "task-page-pair-form-390.png"))
    button = pairing.locator("button[type=submit]").bounding_box()
    assert button is not None
    assert button["x"] + button["width"] <= 390  # nothing runs off a phone's screen
