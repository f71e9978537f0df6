"""The discipline report: its figures checked against a plan built by hand, its query count, and the workbook
read back with openpyxl (Russian headings, print set-up, the chart sheet)."""

import datetime as dt
import io

import openpyxl
import pytest
import time_machine
from django.utils import translation

from omskevents.calendars.services import calendar_seed
from omskevents.workplan import services
from omskevents.workplan.discipline import discipline_report
from omskevents.workplan.discipline_xlsx import discipline_xlsx
from omskevents.workplan.models import ExtensionRequest, ProgressReport, Task
from tests.factories.agencies import AgencyFactory
from tests.factories.events import EventFactory
from tests.factories.workplan import ExtensionRequestFactory, ProgressReportFactory, TaskFactory

pytestmark = pytest.mark.django_db
UTC = dt.UTC
NOW = dt.datetime(2026, 5, 20, 6, 0, tzinfo=UTC)  # Wednesday, 12:00 in Omsk


def at(day: dt.date, hour_utc: int = 5) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour_utc), tzinfo=UTC)


def report(task: Task, moment: dt.datetime, *, final: bool = True) -> ProgressReport:
    made = ProgressReportFactory(task=task, is_final=final)
    ProgressReport.objects.filter(pk=made.pk).update(created=moment)
    return made


def extension(task: Task, moment: dt.datetime, status: str) -> ExtensionRequest:
    made = ExtensionRequestFactory(task=task, status=status)
    ExtensionRequest.objects.filter(pk=made.pk).update(created=moment)
    return made


@pytest.fixture
def plan(secretariat):
    calendar_seed(countries=["RU", "KZ"], years=[2026])
    forum = EventFactory(short_title="Форум XXII", title_ru="XXII Форум межрегионального сотрудничества")
    ru = AgencyFactory(short_name="Минтранс Омской обл.", country="RU")
    kz = AgencyFactory(short_name="Акимат Павлодарской обл.", country="KZ")

    def task(agency, deadline, status="assigned"):
        return TaskFactory(event=forum, lead_agency=agency, deadline=deadline, status=status)

    a1 = task(ru, dt.date(2026, 5, 6), "accepted")
    report(a1, at(dt.date(2026, 5, 5)))  # on time
    extension(a1, at(dt.date(2026, 4, 1)), "rejected")  # asked before May
    a2 = task(ru, dt.date(2026, 5, 6), "accepted")
    report(a2, at(dt.date(2026, 5, 4)), final=False)
    report(a2, at(dt.date(2026, 5, 8)))  # the report of completion came late
    a3 = task(ru, dt.date(2026, 5, 13), "in_progress")  # overdue: 14, 15, 18, 19, 20 May = 5 working days
    extension(a3, at(dt.date(2026, 5, 12)), "approved")
    task(ru, dt.date(2026, 6, 1))  # due after the period: not counted
    task(ru, dt.date(2026, 5, 10), "cancelled")  # cancelled: never counted
    with time_machine.travel(at(dt.date(2026, 5, 14)), tick=False):
        b1 = task(kz, dt.date(2026, 5, 15), "reported")  # returned, still open: 18, 19, 20 May = 3 working days
        report(b1, at(dt.date(2026, 5, 14)))
        b1 = services.task_change_status(actor=secretariat, task=b1, status="returned", note="Нет приложений")
        b1.title = "Поручение, уточнённое после возврата"
        b1.save()  # one more history row while returned: not a second return
    extension(b1, at(dt.date(2026, 5, 14)), "rejected")
    b2 = task(kz, dt.date(2026, 5, 15), "accepted")
    report(b2, dt.datetime(2026, 5, 15, 17, 30, tzinfo=UTC))  # 23:30 in Omsk on the deadline: on time
    return {"forum": forum, "ru": ru, "kz": kz}


def figures(row):
    return (
        row.tasks,
        row.accepted,
        row.on_time,
        row.overdue_now,
        row.overdue_days,
        row.extensions_asked,
        row.extensions_granted,
        row.returned,
    )


def test_figures_match_the_plan_built_by_hand(plan):
    result = discipline_report(Task.objects.all(), date_from=None, date_to=dt.date(2026, 5, 20), now=NOW)
    [event] = result.events
    assert event.title == "XXII Форум межрегионального сотрудничества"
    by_name = {row.agency: row for row in event.rows}
    assert [row.agency for row in event.rows] == ["Акимат Павлодарской обл.", "Минтранс Омской обл."]
    assert figures(by_name["Минтранс Омской обл."]) == (3, 2, 1, 1, 5, 2, 1, 0)
    assert figures(by_name["Акимат Павлодарской обл."]) == (2, 1, 1, 1, 3, 1, 0, 1)
    assert by_name["Минтранс Омской обл."].on_time_rate == pytest.approx(1 / 3)
    assert by_name["Акимат Павлодарской обл."].on_time_rate == pytest.approx(1 / 2)
    assert figures(event.total) == (5, 3, 2, 2, 8, 3, 1, 1)
    assert [figures(r) for r in result.by_agency] == [figures(r) for r in event.rows]


def test_a_period_counts_the_tasks_due_in_it_and_the_requests_made_in_it(plan):
    result = discipline_report(Task.objects.all(), date_from=dt.date(2026, 5, 7), date_to=dt.date(2026, 5, 14), now=NOW)
    by_name = {row.agency: row for row in result.events[0].rows}
    # Due 7–14 May: only a3 (overdue). Requests made 7–14 May: a3's and b1's; b1's return on 14 May.
    assert figures(by_name["Минтранс Омской обл."]) == (1, 0, 0, 1, 5, 1, 1, 0)
    assert figures(by_name["Акимат Павлодарской обл."]) == (0, 0, 0, 0, 0, 1, 0, 1)
    assert by_name["Акимат Павлодарской обл."].on_time_rate is None


def test_the_kazakh_secretariats_scope_shows_only_its_side(plan, kz_secretariat):
    from omskevents.workplan.selectors import tasks_visible_to

    result = discipline_report(tasks_visible_to(kz_secretariat), date_from=None, date_to=dt.date(2026, 5, 20), now=NOW)
    assert [row.agency for row in result.by_agency] == ["Акимат Павлодарской обл."]


@pytest.mark.parametrize("more", [0, 1])
def test_the_report_takes_a_fixed_number_of_queries(plan, more, django_assert_num_queries):
    for n in range(more * 6):
        other = EventFactory(short_title=f"МПК {n}")
        for agency in (plan["ru"], plan["kz"]):
            TaskFactory(event=other, lead_agency=agency, deadline=dt.date(2026, 5, 11 + n % 3), status="returned")
            TaskFactory(event=other, lead_agency=AgencyFactory(), deadline=dt.date(2026, 4, 1), status="accepted")
    with django_assert_num_queries(5):  # tasks, extension requests, returns, and one calendar per country
        result = discipline_report(Task.objects.all(), date_from=None, date_to=dt.date(2026, 5, 20), now=NOW)
    assert len(result.events) == 1 + more * 6


def test_the_workbook_reads_right_in_russian(plan):
    with translation.override("ru"), time_machine.travel(NOW, tick=False):
        result = discipline_report(Task.objects.all(), date_from=None, date_to=dt.date(2026, 5, 20), now=NOW)
        body = discipline_xlsx(result, title="Исполнительская дисциплина")
    book = openpyxl.load_workbook(io.BytesIO(body))
    assert book.sheetnames == ["Все мероприятия", "Форум XXII", "Диаграмма"]
    sheet = book["Форум XXII"]
    assert sheet["A1"].value == "Исполнительская дисциплина: XXII Форум межрегионального сотрудничества"
    assert sheet["A2"].value == "Поручения со сроком по 20.05.2026. По состоянию на 20.05.2026 12:00 (Омск)"
    assert [c.value for c in sheet[4]] == [
        "Ведомство",
        "Поручения",
        "Исполнено в срок",
        "Просрочено сейчас",
        "Просрочка, рабочих дней (сумма)",
        "Запрошено продлений",
        "Одобрено продлений",
        "Возвращено отчётов",
        "Доля исполненных в срок",
    ]
    assert [c.value for c in sheet[5]][:8] == ["Акимат Павлодарской обл.", 2, 1, 1, 3, 1, 0, 1]
    assert sheet["I5"].value == pytest.approx(0.5)
    assert sheet["I5"].number_format == "0%"
    assert [c.value for c in sheet[7]][:8] == ["Итого", 5, 2, 2, 8, 3, 1, 1]
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.print_title_rows == "$1:$4"
    assert sheet.freeze_panes == "B5"
    assert sheet.column_dimensions["A"].width >= 40
    chart_sheet = book["Диаграмма"]
    [chart] = chart_sheet._charts
    assert chart.type == "bar"
    every = book["Все мероприятия"]
    assert every["A5"].value == "Акимат Павлодарской обл."
    assert [c.value for c in every[7]][:8] == ["Итого", 5, 2, 2, 8, 3, 1, 1]  # every event together
    assert every["A7"].font.bold
    assert chart.series[0].val.numRef.f == "'Все мероприятия'!$I$5:$I$6"  # the agencies, not the total


def test_an_agency_name_that_looks_like_a_formula_stays_text(plan):
    plan["ru"].short_name = '=HYPERLINK("http://x")'
    plan["ru"].save()
    result = discipline_report(Task.objects.all(), date_from=None, date_to=dt.date(2026, 5, 20), now=NOW)
    book = openpyxl.load_workbook(io.BytesIO(discipline_xlsx(result, title="Д")))
    cell = book["Форум XXII"]["A5"]  # "=" sorts before Cyrillic
    assert cell.value == '=HYPERLINK("http://x")'
    assert cell.data_type == "s"
