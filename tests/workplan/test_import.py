"""Importing an action plan from Excel: preview with row errors, confirm all or nothing, hostile files."""

import datetime as dt
import io
import time
import zipfile

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from omskevents.workplan.models import Task
from tests.factories.agencies import AgencyFactory
from tests.factories.events import EventFactory
from tests.factories.workplan import TaskFactory

pytestmark = pytest.mark.django_db

HEADER = ["No.", "Task", "Lead executor", "Co-executors", "Deadline", "Status", "Note on execution", "Area"]


@pytest.fixture(autouse=True)
def _clock_and_language(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with time_machine.travel(dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def forum():
    return EventFactory(start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 11))


def _xlsx(rows, header=HEADER, title="План") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(client, event, content: bytes, name="plan.xlsx", area="organisation"):
    return client.post(
        reverse("workplan:task_import"),
        {"event": event.pk, "area": area, "file": SimpleUploadedFile(name, content)},
    )


def _file_errors(response) -> list[str]:
    return response.context["form"].errors["file"]


def test_import_preview_then_confirm_creates_every_task(client, secretariat, agency_a, agency_b, forum):
    content = _xlsx(
        [
            ["1", "Согласовать программу", "МИД России ДСФ", "Акимат Павлодарской обл.", dt.date(2026, 10, 1)],
            ["2", "Забронировать гостиницы", "Акимат Павлодарской обл.", "", "05.10.2026", "", "", "Irtysh logistics"],
        ]
    )
    client.force_login(secretariat)

    preview = _upload(client, forum, content)

    assert preview.status_code == 200
    assert [row.errors for row in preview.context["rows"]] == [[], []]
    assert Task.objects.count() == 0
    token = preview.context["token"]

    confirm = client.post(reverse("workplan:task_import_confirm"), {"token": token})

    assert confirm.status_code == 302
    assert confirm["Location"] == f"/tasks/?event={forum.pk}"
    tasks = list(Task.objects.order_by("number"))
    assert [(t.number, t.title, t.lead_agency, t.deadline, t.area, t.event) for t in tasks] == [
        ("1", "Согласовать программу", agency_a, dt.date(2026, 10, 1), "organisation", forum),
        ("2", "Забронировать гостиницы", agency_b, dt.date(2026, 10, 5), "irtysh_logistics", forum),
    ]
    assert list(tasks[0].co_executors.all()) == [agency_b]
    assert client.post(reverse("workplan:task_import_confirm"), {"token": token}).status_code == 302
    assert Task.objects.count() == 2


def test_import_preview_lists_errors_per_row_and_offers_no_confirm(client, secretariat, agency_a, forum):
    TaskFactory(event=forum, number="9", title="Уже в плане")
    content = _xlsx(
        [
            ["1", "Хорошая строка", "МИД России ДСФ", "", "01.10.2026"],
            ["2", "Неизвестное ведомство", "Минсельхоз Марса", "", "01.10.2026"],
            ["3", "Плохая дата", "МИД России ДСФ", "", "32.13.2026"],
            ["1", "Повтор номера", "МИД России ДСФ", "", "01.10.2026"],
            ["4", "", "", "", ""],
            ["9", "Номер уже занят", "МИД России ДСФ", "", "01.10.2026"],
            ["5", "После форума", "МИД России ДСФ", "", "20.12.2026"],
            ["6", "Давний срок", "МИД России ДСФ", "", "01.01.1900"],
        ]
    )
    client.force_login(secretariat)

    response = _upload(client, forum, content)

    assert response.status_code == 400
    assert response.context["token"] == ""
    assert [(row.line, row.errors) for row in response.context["rows"]] == [
        (2, []),
        (3, ["Unknown agency “Минсельхоз Марса”."]),
        (4, ["“32.13.2026” is not a date (use DD.MM.YYYY)."]),
        (5, ["Item No. 1 repeats line 2."]),
        (6, ["The task is empty.", "The lead executor is missing.", "The deadline is missing."]),
        (7, ["Item No. 9 is already in this event's plan."]),
        (
            8,
            ["The deadline is after the event ends (11.12.2026). Mark the task as a post-event follow-up to allow it."],
        ),
        (9, ["Enter a date from 01.01.2000 to 31.12.2099."]),
    ]
    assert "task_import_confirm" not in response.content.decode()
    assert Task.objects.count() == 1
    page = response.content.decode()
    assert "<td>01.10.2026</td>" in page  # as the secretariat typed it, not 2026-10-01
    assert "2026-10-01" not in page
    assert "<td>32.13.2026</td>" in page  # not a date: the text as typed


def test_import_confirm_with_forged_token_does_nothing(client, secretariat, agency_a, forum):
    client.force_login(secretariat)
    _upload(client, forum, _xlsx([["1", "Задача", "МИД России ДСФ", "", "01.10.2026"]]))

    response = client.post(reverse("workplan:task_import_confirm"), {"token": "forged"})

    assert response.status_code == 302
    assert response["Location"] == reverse("workplan:task_import")
    assert Task.objects.count() == 0


def test_import_confirm_is_all_or_nothing_when_the_plan_changed(client, secretariat, agency_a, forum):
    client.force_login(secretariat)
    preview = _upload(
        client,
        forum,
        _xlsx(
            [
                ["1", "Первая", "МИД России ДСФ", "", "01.10.2026"],
                ["2", "Вторая", "МИД России ДСФ", "", "02.10.2026"],
            ]
        ),
    )
    TaskFactory(event=forum, number="2", title="Добавлена тем временем")

    response = client.post(reverse("workplan:task_import_confirm"), {"token": preview.context["token"]})

    assert response.status_code == 400
    assert [row.errors for row in response.context["rows"]] == [[], ["Item No. 2 is already in this event's plan."]]
    assert list(Task.objects.values_list("title", flat=True)) == ["Добавлена тем временем"]


def test_import_refuses_a_file_that_is_not_a_zip(client, secretariat, forum):
    client.force_login(secretariat)

    response = _upload(client, forum, b"No.;Task\n1;Hello\n", name="plan.xlsx")

    assert response.status_code == 400
    assert _file_errors(response) == ["This is not an Excel .xlsx file. Save the plan as “Excel Workbook (.xlsx)”."]


def test_import_refuses_a_damaged_zip(client, secretariat, forum):
    client.force_login(secretariat)

    response = _upload(client, forum, b"PK\x03\x04" + b"\x00" * 200)

    assert response.status_code == 400
    assert _file_errors(response) == ["The file is damaged: it cannot be opened as an Excel workbook."]


def test_import_refuses_a_zip_bomb(client, secretariat, forum):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (60 * 1024 * 1024))
    client.force_login(secretariat)

    response = _upload(client, forum, buffer.getvalue())

    assert len(buffer.getvalue()) < 1024 * 1024
    assert response.status_code == 400
    assert _file_errors(response) == ["The file unpacks to far more data than an action plan holds; it was not read."]


def test_import_refuses_a_huge_file(client, secretariat, forum):
    client.force_login(secretariat)

    response = _upload(client, forum, b"PK\x03\x04" + b"\x00" * (5 * 1024 * 1024 + 1))

    assert response.status_code == 400
    assert _file_errors(response) == ["The file is larger than 5 MB. Split the plan into smaller files."]


def test_import_refuses_a_workbook_without_the_plan_sheet(client, secretariat, forum):
    client.force_login(secretariat)

    response = _upload(client, forum, _xlsx([["a", "b"]], header=["Имя", "Телефон"], title="Контакты"))

    assert response.status_code == 400
    assert _file_errors(response) == [
        "No sheet in the file has the plan's header row (columns Task, Lead executor, Deadline)."
    ]


def test_import_finds_the_plan_on_a_second_sheet_with_russian_headers(client, secretariat, agency_a, forum):
    workbook = Workbook()
    workbook.active.title = "Пояснения"
    workbook.active.append(["Этот лист не план"])
    plan = workbook.create_sheet("План")
    plan.append(["Утверждаю"])
    plan.append(["№", "Задача", "Ответственный исполнитель", "Соисполнители", "Срок"])
    plan.append([1, "Встретить делегацию", "МИД России ДСФ", None, dt.datetime(2026, 10, 1)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(secretariat)

    response = _upload(client, forum, buffer.getvalue())

    assert [(r.number, r.title, r.deadline, r.errors) for r in response.context["rows"]] == [
        ("1", "Встретить делегацию", "2026-10-01", [])
    ]


def test_import_rejects_formula_cells(client, secretariat, agency_a, forum):
    client.force_login(secretariat)

    response = _upload(client, forum, _xlsx([["1", '=HYPERLINK("http://evil")', "МИД России ДСФ", "", "01.10.2026"]]))

    assert response.status_code == 400
    assert response.context["rows"][0].errors == [
        "Column “Task” holds a formula; formulas are not imported, type the value.",
        "The task is empty.",
    ]
    assert Task.objects.count() == 0


def test_import_forbidden_to_ministry(client, staff_a, forum):
    client.force_login(staff_a)

    response = _upload(client, forum, _xlsx([["1", "Задача", "МИД России ДСФ", "", "01.10.2026"]]))

    assert response.status_code == 403
    assert Task.objects.count() == 0


def test_excel_round_trip_gives_the_same_plan(client, secretariat, agency_a, agency_b, forum):
    helper = AgencyFactory(short_name="Минтранс Омской обл.")
    TaskFactory(
        event=forum,
        number="1.1",
        title="Речной круиз",
        lead_agency=agency_a,
        co_executors=[agency_b, helper],
        deadline=dt.date(2026, 10, 1),
        area="river_tourism",
    )
    TaskFactory(
        event=forum,
        number="1.2",
        title="=SUM(A1:A2) как текст",
        lead_agency=agency_b,
        deadline=dt.date(2026, 10, 5),
        area="organisation",
        status="accepted",
    )
    TaskFactory(
        event=forum,
        number="2",
        title="Пресс-центр",
        lead_agency=helper,
        co_executors=[agency_a],
        deadline=dt.date(2026, 11, 2),
        area="education",
    )
    second = EventFactory(start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 11))
    client.force_login(secretariat)

    exported = client.get(reverse("workplan:task_export_xlsx"), {"event": forum.pk})
    preview = _upload(client, second, exported.content, area="agriculture")
    client.post(reverse("workplan:task_import_confirm"), {"token": preview.context["token"]})

    def plan(event):
        return [
            (t.number, t.title, t.lead_agency_id, sorted(a.pk for a in t.co_executors.all()), t.deadline, t.area)
            for t in Task.objects.filter(event=event).order_by("number")
        ]

    assert len(plan(second)) == 3
    assert plan(second) == plan(forum)


# --- Hostile workbooks: small files that unpack to huge or slow-to-parse XML ---------------------------------

PLAN_ROWS = [["1", "Согласовать программу", "МИД России ДСФ", "", "01.10.2026"]]
HOSTILE_MESSAGE = (
    "The file holds something an Excel workbook saved by Excel never does; it was not read. Open it in Excel and "
    "save it again as “Excel Workbook (.xlsx)”, or copy the plan into a new workbook."
)


def _rewritten(content: bytes, change) -> bytes:
    """The workbook with each part passed through change(name, data) -> data (None drops the part)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for info in source.infolist():
            data = change(info.filename, source.read(info.filename))
            if data is not None:
                archive.writestr(info.filename, data)
    return out.getvalue()


def _after_declaration(data: bytes, insert: bytes) -> bytes:
    head, mark, tail = data.partition(b"?>")
    return head + mark + insert + tail


def _timed_upload(client, forum, content: bytes):
    started = time.monotonic()
    response = _upload(client, forum, content)
    return response, time.monotonic() - started


def _with_comment(megabytes: int) -> bytes:
    comment = b"<!--" + b"a" * (megabytes * 1024 * 1024) + b"-->"
    return _rewritten(
        _xlsx(PLAN_ROWS, header=["№", "Поручение", "Ответственный исполнитель", "Соисполнители", "Срок исполнения"]),
        lambda name, data: _after_declaration(data, comment) if name == "xl/worksheets/sheet1.xml" else data,
    )


def test_import_refuses_a_small_file_with_a_45_mb_xml_comment_quickly(client, secretariat, agency_a, forum):
    """The reviewer's file: about 50 KB that unpacks to a 45 MB comment in the sheet, whose parse took 100 s
    (the time grows with the square of the comment's length). Each part's unpacked size is now bounded."""
    hostile = _with_comment(45)
    client.force_login(secretariat)
    client.cookies["django_language"] = "ru"

    response, seconds = _timed_upload(client, forum, hostile)

    assert len(hostile) < 100 * 1024
    assert response.status_code == 400
    assert _file_errors(response) == [
        "При распаковке файл содержит значительно больше данных, чем может содержать план мероприятий; файл не "
        "прочитан."
    ]
    assert seconds < 2
    assert Task.objects.count() == 0


def test_import_refuses_an_xml_comment_within_the_size_limits_quickly(client, secretariat, agency_a, forum):
    """A 9 MB comment fits the part's size limit (its parse took about 3 s, and grows quadratically): the scan
    refuses it before any XML parser sees it."""
    client.force_login(secretariat)
    client.cookies["django_language"] = "ru"

    response, seconds = _timed_upload(client, forum, _with_comment(9))

    assert response.status_code == 400
    assert _file_errors(response) == [
        "Файл содержит то, чего Excel в книгу никогда не записывает; он не прочитан. Откройте его в Excel и "
        "сохраните заново как «Книга Excel (.xlsx)» или скопируйте план в новую книгу."
    ]
    assert seconds < 1
    assert Task.objects.count() == 0


def test_import_refuses_a_cell_text_of_megabytes(client, secretariat, agency_a, forum):
    """No comment this time: one cell's text of 8 MB (a cell holds at most 32,767 characters)."""
    text = b"x" * (8 * 1024 * 1024)
    hostile = _rewritten(
        _xlsx(PLAN_ROWS),
        lambda name, data: data.replace(b"<is><t>", b"<is><t>" + text, 1) if name.endswith("sheet1.xml") else data,
    )
    client.force_login(secretariat)

    response, seconds = _timed_upload(client, forum, hostile)

    assert response.status_code == 400
    assert _file_errors(response) == [HOSTILE_MESSAGE]
    assert seconds < 1


def test_import_refuses_over_large_shared_strings(client, secretariat, forum):
    strings = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    strings += b"<si><t>x</t></si>" * 700_000 + b"</sst>"
    buffer = io.BytesIO(_xlsx(PLAN_ROWS))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", strings)
    client.force_login(secretariat)

    response = _upload(client, forum, buffer.getvalue())

    assert response.status_code == 400
    assert _file_errors(response) == ["The file unpacks to far more data than an action plan holds; it was not read."]


@pytest.mark.parametrize(
    "insert",
    [
        b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
        b"<!-- a short comment is refused too: Excel never writes one -->",
    ],
)
def test_import_refuses_doctype_entities_and_comments_in_any_part(client, secretariat, forum, insert):
    hostile = _rewritten(
        _xlsx(PLAN_ROWS), lambda name, data: _after_declaration(data, insert) if name == "xl/workbook.xml" else data
    )
    client.force_login(secretariat)

    response = _upload(client, forum, hostile)

    assert response.status_code == 400
    assert _file_errors(response) == [HOSTILE_MESSAGE]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("xl/vbaProject.bin", b"\x00" * 100),  # macros
        ("xl/embeddings/oleObject1.bin", b"\x00" * 100),
        ("payload/evil.xml", b"<x/>"),
    ],
)
def test_import_refuses_parts_an_action_plan_has_no_place_for(client, secretariat, forum, name, data):
    content = _xlsx(PLAN_ROWS)
    buffer = io.BytesIO(content)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr(name, data)
    client.force_login(secretariat)

    response = _upload(client, forum, buffer.getvalue())

    assert response.status_code == 400
    assert _file_errors(response) == [HOSTILE_MESSAGE]


def test_import_accepts_parts_excel_writes_that_are_never_read(client, secretariat, agency_a, forum):
    """Cell notes, a drawing, an image, printer settings: kept out of the parse, not refused."""
    buffer = io.BytesIO(
        _xlsx(PLAN_ROWS, header=["№", "Поручение", "Ответственный исполнитель", "Соисполнители", "Срок"])
    )
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/comments1.xml", "<comments/>")
        archive.writestr("xl/drawings/vmlDrawing1.vml", "<xml/>")
        archive.writestr("xl/media/image1.png", b"\x89PNG\r\n\x1a\n")
        archive.writestr("xl/printerSettings/printerSettings1.bin", b"\x00" * 64)
    client.force_login(secretariat)

    response = _upload(client, forum, buffer.getvalue())

    assert response.status_code == 200
    assert [row.title for row in response.context["rows"]] == ["Согласовать программу"]


def test_import_refuses_a_sheet_whose_unpacked_size_alone_is_too_large(client, secretariat, forum):
    rows = b"".join(b'<row r="%d"/>' % n for n in range(1, 1_200_000))
    hostile = _rewritten(
        _xlsx(PLAN_ROWS),
        lambda name, data: (
            data.replace(b"</sheetData>", rows + b"</sheetData>") if name.endswith("sheet1.xml") else data
        ),
    )
    client.force_login(secretariat)

    response = _upload(client, forum, hostile)

    assert response.status_code == 400
    assert _file_errors(response) == ["The file unpacks to far more data than an action plan holds; it was not read."]


def test_import_that_outlasts_its_time_budget_is_refused(client, secretariat, agency_a, forum, settings):
    settings.IMPORT_TIME_LIMIT_SECONDS = 0
    client.force_login(secretariat)

    response = _upload(client, forum, _xlsx(PLAN_ROWS))

    assert response.status_code == 400
    assert _file_errors(response) == [
        "The file takes too long to read; it was not imported. Copy the plan into a new workbook and try again."
    ]


def test_import_refuses_a_row_of_hundreds_of_thousands_of_cells(client, secretariat, forum):
    """A 20 KB file whose single row has 800,000 empty cells: 7 s of parsing before it was bounded."""
    cells = b'<row r="2">' + b'<c r="A2"/>' * 800_000 + b"</row>"
    hostile = _rewritten(
        _xlsx(PLAN_ROWS),
        lambda name, data: (
            data.replace(b"</sheetData>", cells + b"</sheetData>") if name.endswith("sheet1.xml") else data
        ),
    )
    client.force_login(secretariat)

    response, seconds = _timed_upload(client, forum, hostile)

    assert len(hostile) < 100 * 1024
    assert response.status_code == 400
    assert _file_errors(response) == ["The file unpacks to far more data than an action plan holds; it was not read."]
    assert seconds < 1
