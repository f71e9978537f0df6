"""Excel and CSV exports of the action plan: format, formula guard, scope and query count."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories.agencies import AgencyFactory
from tests.factories.workplan import ProgressReportFactory, TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock_and_language(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with time_machine.travel(dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


def _sheet(response):
    return load_workbook(io.BytesIO(response.content)).active


def test_xlsx_export_has_the_plan_columns_and_values(client, secretariat, agency_a, agency_b, staff_a):
    task = TaskFactory(
        number="1.1",
        title="Подготовить выставку",
        lead_agency=agency_a,
        co_executors=[agency_b, AgencyFactory(short_name="Минкультуры Омской обл.")],
        deadline=dt.date(2026, 10, 15),
        status="in_progress",
    )
    ProgressReportFactory(task=task, author=staff_a, text="Старый отчёт")
    ProgressReportFactory(task=task, author=staff_a, text="Павильон забронирован")
    client.force_login(secretariat)

    response = client.get(reverse("workplan:task_export_xlsx"))

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="action-plan-2026-09-01.xlsx"'
    sheet = _sheet(response)
    assert sheet["A1"].value == f"Action plan: {task.event.short_title}"
    assert sheet["A1"].font.bold is True
    # 09:00 UTC is 15:00 in Omsk, the zone named, not its offset.
    assert sheet["A2"].value == "As of 01.09.2026 15:00 (Omsk)"
    assert [c.value for c in sheet[3]] == [
        "No.",
        "Forum or session",
        "Task",
        "Area",
        "Lead executor",
        "Co-executors",
        "Responsible person",
        "Deadline",
        "Status",
        "Note on execution",
    ]
    assert [c.value for c in sheet[4]] == [
        "1.1",
        task.event.short_title,
        "Подготовить выставку",
        "Irtysh logistics",
        "МИД России ДСФ",
        "Акимат Павлодарской обл.\nМинкультуры Омской обл.",
        task.responsible.get_full_name() if task.responsible else None,
        dt.datetime(2026, 10, 15),
        "In progress",
        "Павильон забронирован",
    ]
    assert sheet["H4"].is_date
    assert sheet["H4"].number_format == "DD.MM.YYYY"
    assert sheet.freeze_panes == "A4"
    assert sheet.column_dimensions["C"].width == 55


def test_xlsx_export_is_set_up_for_a4_landscape_with_the_header_on_every_page(client, secretariat, staff_a):
    TaskFactory.create_batch(3, responsible=staff_a)
    client.force_login(secretariat)

    sheet = _sheet(client.get(reverse("workplan:task_export_xlsx")))

    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.auto_filter.ref == "A3:J6"
    assert [row[6] for row in sheet.iter_rows(min_row=4, values_only=True)] == [staff_a.get_full_name()] * 3


def test_xlsx_export_names_the_event_of_each_row(client, secretariat):
    first, second = TaskFactory(number="1"), TaskFactory(number="1")
    client.force_login(secretariat)

    sheet = _sheet(client.get(reverse("workplan:task_export_xlsx")))

    assert sheet["A1"].value == "Action plan"
    assert sorted(row[1] for row in sheet.iter_rows(min_row=4, values_only=True)) == sorted(
        [first.event.short_title, second.event.short_title]
    )


def test_xlsx_export_highlights_overdue_rows(client, secretariat):
    TaskFactory(title="Просрочено", deadline=dt.date(2026, 8, 20))
    TaskFactory(title="В срок", deadline=dt.date(2026, 10, 20))
    client.force_login(secretariat)

    sheet = _sheet(client.get(reverse("workplan:task_export_xlsx")))

    assert sheet["C4"].value == "Просрочено"
    assert sheet["C4"].fill.start_color.rgb == "FFF8D7DA"
    assert sheet["C5"].fill.fill_type is None


@pytest.mark.parametrize("dangerous", ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_xlsx_export_writes_formula_like_text_as_text(client, secretariat, dangerous):
    TaskFactory(title=dangerous, number="=1")
    client.force_login(secretariat)

    sheet = _sheet(client.get(reverse("workplan:task_export_xlsx")))

    assert sheet["C4"].value == dangerous
    assert sheet["C4"].data_type == "s"
    assert sheet["C4"].quotePrefix is True
    assert sheet["A4"].data_type == "s"


def test_xlsx_export_follows_the_filter_and_ministry_scope(client, staff_a, agency_a, agency_b):
    TaskFactory(title="Своя просроченная", lead_agency=agency_a, deadline=dt.date(2026, 8, 1))
    TaskFactory(title="Своя в срок", lead_agency=agency_a, deadline=dt.date(2026, 10, 1))
    TaskFactory(title="Чужая просроченная", lead_agency=agency_b, deadline=dt.date(2026, 8, 1))
    client.force_login(staff_a)

    everything = _sheet(client.get(reverse("workplan:task_export_xlsx")))
    overdue = _sheet(client.get(reverse("workplan:task_export_xlsx"), {"overdue": "1"}))

    assert [row[2] for row in everything.iter_rows(min_row=4, values_only=True)] == ["Своя просроченная", "Своя в срок"]
    assert [row[2] for row in overdue.iter_rows(min_row=4, values_only=True)] == ["Своя просроченная"]


def test_export_of_ticked_rows_only(client, secretariat):
    one, _two, three = TaskFactory(title="Один"), TaskFactory(title="Два"), TaskFactory(title="Три")
    client.force_login(secretariat)

    response = client.post(reverse("workplan:task_export_xlsx"), {"id": [one.pk, three.pk]})

    assert [row[2] for row in _sheet(response).iter_rows(min_row=4, values_only=True)] == ["Один", "Три"]


def test_ministry_cannot_export_another_agencys_ticked_rows(client, staff_a, agency_b):
    other = TaskFactory(title="Чужая", lead_agency=agency_b)
    client.force_login(staff_a)

    response = client.post(reverse("workplan:task_export_csv"), {"id": [other.pk]})

    assert "Чужая" not in response.content.decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))) == 1


def test_standard_csv_has_commas_no_bom_quotes_all_and_guards_formulas(client, secretariat, agency_a):
    task = TaskFactory(number="7", title="=cmd|' /C calc'!A0", lead_agency=agency_a, deadline=dt.date(2026, 10, 15))
    client.force_login(secretariat)

    response = client.get(reverse("workplan:task_export_csv"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert not response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8")
    assert text.splitlines()[0] == (
        '"No.","Forum or session","Task","Area","Lead executor","Co-executors","Responsible person","Deadline",'
        '"Status","Note on execution"'
    )
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1] == [
        "7",
        task.event.short_title,
        "'=cmd|' /C calc'!A0",
        "Irtysh logistics",
        "МИД России ДСФ",
        "",
        task.responsible.get_full_name() if task.responsible else "",
        "15.10.2026",
        "Assigned",
        "",
    ]


def test_csv_for_russian_excel_has_semicolons_and_a_bom(client, secretariat, agency_a, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    TaskFactory(number="7", title="Смета; этап 1", lead_agency=agency_a, deadline=dt.date(2026, 10, 15))
    client.force_login(secretariat)

    response = client.get(reverse("workplan:task_export_excel_csv"))

    assert response["Content-Disposition"] == 'attachment; filename="action-plan-2026-09-01-excel.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith('"№";"Форум / заседание";"Поручение"')
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1][0] == "7"
    assert rows[1][2] == "Смета; этап 1"
    assert rows[1][7] == "15.10.2026"


def test_export_requires_login(client):
    response = client.get(reverse("workplan:task_export_xlsx"))

    assert response.status_code == 302


@pytest.mark.parametrize("count", [1, 25])
def test_xlsx_export_query_count_is_constant(client, secretariat, count, django_assert_num_queries):
    co = AgencyFactory()
    for task in TaskFactory.create_batch(count, co_executors=[co]):
        ProgressReportFactory(task=task)
    client.force_login(secretariat)

    # session read, user, tasks, co-executors, last reports, the security log's "export" row, and the session
    # refresh (savepoint, update, release)
    with django_assert_num_queries(9):
        response = client.get(reverse("workplan:task_export_xlsx"))

    assert _sheet(response).max_row == count + 3
