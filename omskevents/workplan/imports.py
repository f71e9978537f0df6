"""Importing an action plan from Excel: read and check the file, then create every task or none.

The file is read defensively, within a size and a time budget. Before openpyxl parses anything: the file's size,
the zip directory (how many parts, what each part unpacks to, every part in a place an Excel workbook has one),
and a streaming scan of every part that looks like XML — no comments, no DOCTYPE or entities (Excel writes
neither), no run of text or of one tag longer than a cell can hold. That keeps a small file that unpacks to a
huge comment or text (whose parse time grows with the square of its length) away from the parser. openpyxl then
reads in read-only mode, column and row counts bounded, against a deadline. Any failure becomes a message,
never a crash and never a worker kept busy.
"""

import datetime as dt
import re
import time
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from omskevents.accounts.models import User
from omskevents.agencies.models import Agency
from omskevents.core.validators import validate_plausible_date
from omskevents.events.enums import Area
from omskevents.events.models import Event

from .exports import CO_EXECUTOR_SEPARATOR, headers
from .models import Task
from .services import task_create

MB = 1024 * 1024
MAX_FILE_SIZE = 5 * MB
MAX_UNPACKED_SIZE = 30 * MB
MAX_ZIP_ENTRIES = 500
# What one part may unpack to: a sheet of MAX_ROWS rows, or its shared strings, takes well under a megabyte.
MAX_SHEET_SIZE = 10 * MB
MAX_PART_SIZE = 2 * MB
# The longest run of text, or of one tag, in a part: an Excel cell holds at most 32,767 characters.
MAX_RUN = 256 * 1024
SCAN_CHUNK = 256 * 1024
MAX_ROWS = 2000
MAX_SCANNED_ROWS = 20 * MAX_ROWS  # empty rows included
MAX_COLUMNS = 50
# Cells one sheet may hold, empty formatted ones included: parsing costs about 10 µs a cell, even in one row.
MAX_CELLS = 200_000
HEADER_SEARCH_ROWS = 10
DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y", "%d/%m/%Y")

# Where an Excel workbook keeps its parts. Anything elsewhere (macros, embedded objects, made-up paths) has no
# place in an action plan and the file is refused. Worksheets and shared strings may be larger than the rest.
LARGE_PARTS = re.compile(r"xl/(worksheets/sheet\d+\.xml|sharedStrings\.xml)")
KNOWN_PARTS = re.compile(
    r"\[Content_Types\]\.xml|_rels/\.rels|docProps/[\w.]+"
    r"|xl/(workbook\.xml|_rels/workbook\.xml\.rels|styles\.xml|sharedStrings\.xml|calcChain\.xml|metadata\.xml)"
    r"|xl/worksheets/(sheet\d+\.xml|_rels/sheet\d+\.xml\.rels)"
    r"|xl/(theme|comments|threadedComments|persons|drawings|media|printerSettings|tables|richData)/[\w./]+"
    r"|xl/comments\d*\.xml|customXml/[\w./]+"
)
# In SpreadsheetML "<!" only ever starts a CDATA section; a comment or a DOCTYPE (entities) is refused.
FORBIDDEN_MARKUP = re.compile(rb"<!(?!\[CDATA\[)")
LONG_RUN = re.compile(rb"[^<>]{%d}" % MAX_RUN)
CELL_TAG = re.compile(rb"<c[\s/>]")

# Column keys, in the order of exports.headers().
# "event" and "responsible" are read by nothing: the import's event is chosen on the form, people are named later.
COLUMNS = ("number", "event", "title", "area", "lead", "co_executors", "responsible", "deadline", "status", "note")
REQUIRED_COLUMNS = ("title", "lead", "deadline")
# The headings of plans as the regional government writes them, accepted whatever the interface language.
OFFICIAL_HEADERS = {
    "№": "number",
    "№ п/п": "number",
    "задача": "title",
    "мероприятие": "title",
    "наименование мероприятия": "title",
    "поручение": "title",
    "ответственный исполнитель": "lead",
    "исполнитель": "lead",
    "соисполнители": "co_executors",
    "срок": "deadline",
    "срок исполнения": "deadline",
    "статус": "status",
    "отметка об исполнении": "note",
    "направление": "area",
}


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message says why, for the user."""


@dataclass
class PlanRow:
    line: int
    number: str = ""
    title: str = ""
    lead: str = ""
    co_executors: list[str] = field(default_factory=list)
    deadline: str = ""  # ISO date once parsed; the raw text while it is not a date
    area: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def deadline_shown(self) -> str:
        """The deadline as the preview shows it: DD.MM.YYYY once parsed, else the text as typed."""
        try:
            return f"{dt.date.fromisoformat(self.deadline):%d.%m.%Y}"
        except ValueError:
            return self.deadline

    def as_session(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("errors")
        return data


def _header_names() -> dict[str, str]:
    """Header text (any interface language, case-folded) → column key."""
    names: dict[str, str] = {}
    for language in ("ru", "en", "kk"):
        with translation.override(language):
            for key, title in zip(COLUMNS, headers(), strict=True):
                names[title.strip().casefold()] = key
    names.update(OFFICIAL_HEADERS)
    return names


def _not_a_workbook() -> ImportFileError:
    return ImportFileError(_("This is not an Excel .xlsx file. Save the plan as “Excel Workbook (.xlsx)”."))


def _too_big() -> ImportFileError:
    return ImportFileError(_("The file unpacks to far more data than an action plan holds; it was not read."))


def _not_from_excel() -> ImportFileError:
    return ImportFileError(
        _(
            "The file holds something an Excel workbook saved by Excel never does; it was not read. Open it in "
            "Excel and save it again as “Excel Workbook (.xlsx)”, or copy the plan into a new workbook."
        )
    )


def _too_slow() -> ImportFileError:
    return ImportFileError(
        _("The file takes too long to read; it was not imported. Copy the plan into a new workbook and try again.")
    )


class Deadline:
    """The time budget of one import (IMPORT_TIME_LIMIT_SECONDS), checked between steps of the reading."""

    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() >= self.at:
            raise _too_slow()


def _check_container(upload: IO[bytes], size: int | None) -> list[zipfile.ZipInfo]:
    if size is None or size > MAX_FILE_SIZE:
        raise ImportFileError(
            _("The file is larger than %(limit)s MB. Split the plan into smaller files.")
            % {"limit": MAX_FILE_SIZE // MB}
        )
    upload.seek(0)
    if upload.read(4) != b"PK\x03\x04":
        raise _not_a_workbook()
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ImportFileError(_("The file is damaged: it cannot be opened as an Excel workbook.")) from error
    finally:
        upload.seek(0)
    # A reader never gets more out of a part than the size the directory declares (zipfile stops there and checks
    # the CRC), so the declared sizes bound what is unpacked.
    if len(entries) > MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > MAX_UNPACKED_SIZE:
        raise _too_big()
    for entry in entries:
        if entry.file_size > (MAX_SHEET_SIZE if LARGE_PARTS.fullmatch(entry.filename) else MAX_PART_SIZE):
            raise _too_big()
    if not any(e.filename == "xl/workbook.xml" for e in entries):
        raise _not_a_workbook()
    if any(not entry.is_dir() and not KNOWN_PARTS.fullmatch(entry.filename) for entry in entries):
        raise _not_from_excel()
    return entries


def _scan_part(stream: IO[bytes], deadline: Deadline) -> None:
    """Read one part in chunks (never whole): refuse a comment, a DOCTYPE, a run longer than MAX_RUN, or more
    than MAX_CELLS cells."""
    first = stream.read(SCAN_CHUNK)
    if not first.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return  # not XML (an image, printer settings): no XML parser reads it
    chunk, carry, tail, cells = first, 0, b"", 0
    while chunk:
        deadline.check()
        window = tail + chunk
        if FORBIDDEN_MARKUP.search(window) or LONG_RUN.search(chunk):
            raise _not_from_excel()
        cells += len(CELL_TAG.findall(chunk))
        if cells > MAX_CELLS:
            raise _too_big()
        last = max(chunk.rfind(b"<"), chunk.rfind(b">"))
        lead = min((i for i in (chunk.find(b"<"), chunk.find(b">")) if i >= 0), default=len(chunk))
        if carry + lead >= MAX_RUN:  # a run across the chunk boundary
            raise _not_from_excel()
        carry = len(chunk) - last - 1 if last >= 0 else carry + len(chunk)
        tail = chunk[-16:]
        chunk = stream.read(SCAN_CHUNK)


def _scan_parts(upload: IO[bytes], entries: Sequence[zipfile.ZipInfo], deadline: Deadline) -> None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            for entry in entries:
                if entry.is_dir():
                    continue
                with archive.open(entry) as stream:
                    _scan_part(stream, deadline)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, zlib.error) as error:
        # RuntimeError: an encrypted part; zlib.error: a part whose compressed data is broken.
        raise ImportFileError(_("The file is damaged: it cannot be opened as an Excel workbook.")) from error
    finally:
        upload.seek(0)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _parse_date(value: Any) -> str | None:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = _cell_text(value)
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    return None


def read_plan(upload: IO[bytes], *, size: int | None) -> list[PlanRow]:
    """The rows of the first sheet that has the plan's header; format errors are kept per row."""
    deadline = Deadline(settings.IMPORT_TIME_LIMIT_SECONDS)
    entries = _check_container(upload, size)
    _scan_parts(upload, entries, deadline)
    deadline.check()
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(upload, read_only=True, data_only=False)
    except Exception as error:
        raise ImportFileError(_("The file is damaged: it cannot be opened as an Excel workbook.")) from error
    try:
        deadline.check()
        return _read_rows(workbook, deadline)
    except ImportFileError:
        raise
    except Exception as error:
        raise ImportFileError(_("The file is damaged: its sheet cannot be read.")) from error
    finally:
        workbook.close()


def _read_rows(workbook: Any, deadline: Deadline) -> list[PlanRow]:
    names = _header_names()
    scanned = 0
    for sheet in workbook.worksheets:
        # The sheet's own stated size is not trusted: rows and columns are what its cells say, columns capped.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(max_col=MAX_COLUMNS)
        columns: dict[int, str] = {}
        for _index, header in zip(range(HEADER_SEARCH_ROWS), rows, strict=False):
            deadline.check()
            found = {
                i: names[_cell_text(c.value).casefold()]
                for i, c in enumerate(header)
                if _cell_text(c.value).casefold() in names
            }
            if all(key in found.values() for key in REQUIRED_COLUMNS):
                columns = found
                break
        if not columns:
            continue
        plan: list[PlanRow] = []
        for cells in rows:
            scanned += 1
            if scanned % 100 == 0:
                deadline.check()
            if scanned > MAX_SCANNED_ROWS:
                raise ImportFileError(_("The plan has more than %(max)s rows; split it.") % {"max": MAX_ROWS})
            if not any(c.value not in (None, "") for c in cells):
                continue
            if len(plan) >= MAX_ROWS:
                raise ImportFileError(_("The plan has more than %(max)s rows; split it.") % {"max": MAX_ROWS})
            plan.append(_read_row(cells, columns))
        deadline.check()
        return plan
    expected = ", ".join(headers()[COLUMNS.index(key)] for key in REQUIRED_COLUMNS)
    raise ImportFileError(
        _("No sheet in the file has the plan's header row (columns %(columns)s).") % {"columns": expected}
    )


def _read_row(cells: Sequence[Any], columns: dict[int, str]) -> PlanRow:
    row = PlanRow(line=cells[0].row)
    for index, key in columns.items():
        if index >= len(cells):
            continue
        cell = cells[index]
        if cell.data_type == "f":
            row.errors.append(
                _("Column “%(column)s” holds a formula; formulas are not imported, type the value.")
                % {"column": headers()[COLUMNS.index(key)]}
            )
            continue
        if key == "deadline":
            parsed = _parse_date(cell.value)
            row.deadline = parsed or _cell_text(cell.value)
            if cell.value not in (None, "") and parsed is None:
                row.errors.append(
                    _("“%(value)s” is not a date (use DD.MM.YYYY).") % {"value": _cell_text(cell.value)[:40]}
                )
            elif parsed is not None:
                try:
                    validate_plausible_date(dt.date.fromisoformat(parsed))
                except ValidationError as error:
                    row.errors.extend(error.messages)
        elif key == "co_executors":
            text = _cell_text(cell.value).replace(";", CO_EXECUTOR_SEPARATOR)
            row.co_executors = [p.strip() for p in text.split(CO_EXECUTOR_SEPARATOR) if p.strip()]
        elif key in ("number", "title", "lead", "area"):
            setattr(row, key, _cell_text(cell.value))
    return row


def _agency_index() -> dict[str, Agency]:
    index: dict[str, Agency] = {}
    for agency in Agency.objects.filter(is_active=True):
        index.setdefault(agency.name.strip().casefold(), agency)
        index[agency.short_name.strip().casefold()] = agency
    return index


def _area_index() -> dict[str, str]:
    index = {value.casefold(): value for value in Area.values}
    for language in ("ru", "en", "kk"):
        with translation.override(language):
            index.update({str(label).casefold(): value for value, label in Area.choices})
    return index


def check_rows(rows: Iterable[PlanRow], *, event: Event, default_area: str) -> list[PlanRow]:
    """Resolve names against the database and mark unknown agencies, missing fields and duplicates."""
    agencies, areas = _agency_index(), _area_index()
    existing = Task.objects.filter(event=event).values_list("number", "title")
    taken_numbers = {n.casefold() for n, _t in existing if n}
    taken_titles = {t.strip().casefold() for _n, t in existing}
    seen_numbers: dict[str, int] = {}
    seen_titles: dict[str, int] = {}
    checked = []
    for row in rows:
        if not row.title:
            row.errors.append(_("The task is empty."))
        elif len(row.title) > 1000:
            row.errors.append(_("The task text is longer than 1000 characters."))
        if len(row.number) > 20:
            row.errors.append(_("The item number is longer than 20 characters."))
        if not row.lead:
            row.errors.append(_("The lead executor is missing."))
        elif row.lead.casefold() not in agencies:
            row.errors.append(_("Unknown agency “%(name)s”.") % {"name": row.lead[:100]})
        for name in row.co_executors:
            if name.casefold() not in agencies:
                row.errors.append(_("Unknown co-executor “%(name)s”.") % {"name": name[:100]})
        if not row.deadline:
            row.errors.append(_("The deadline is missing."))
        if row.area:
            if row.area.casefold() not in areas:
                row.errors.append(_("Unknown area “%(name)s”.") % {"name": row.area[:100]})
            else:
                row.area = areas[row.area.casefold()]
        else:
            row.area = default_area
        number, title = row.number.casefold(), row.title.strip().casefold()
        if number and number in seen_numbers:
            row.errors.append(
                _("Item No. %(number)s repeats line %(line)s.") % {"number": row.number, "line": seen_numbers[number]}
            )
        elif title and title in seen_titles:
            row.errors.append(_("The same task is on line %(line)s.") % {"line": seen_titles[title]})
        if number and number in taken_numbers:
            row.errors.append(_("Item No. %(number)s is already in this event's plan.") % {"number": row.number})
        elif title and title in taken_titles:
            row.errors.append(_("This task is already in this event's plan."))
        if number:
            seen_numbers.setdefault(number, row.line)
        if title:
            seen_titles.setdefault(title, row.line)
        checked.append(row)
    return checked


def plan_import(*, actor: User, event: Event, rows: Sequence[PlanRow], dry_run: bool) -> list[Task]:
    """Create a task per row through task_create, all in one transaction.

    Errors of a row (including the model's own rules, e.g. a deadline after the event) are added to
    the row; if any row has an error, or on a dry run, nothing is kept. Returns the created tasks.
    """
    agencies = _agency_index()
    created: list[Task] = []
    with transaction.atomic():
        for row in rows:
            if row.errors:
                continue
            try:
                with transaction.atomic():
                    created.append(
                        task_create(
                            actor=actor,
                            event=event,
                            number=row.number,
                            title=row.title,
                            area=row.area,
                            lead_agency=agencies[row.lead.casefold()],
                            co_executors=[agencies[n.casefold()] for n in row.co_executors],
                            deadline=dt.date.fromisoformat(row.deadline),
                        )
                    )
            except ValidationError as error:
                row.errors.extend(error.messages)
        if dry_run or any(row.errors for row in rows):
            transaction.set_rollback(True)
            return []
    return created


def rows_from_session(data: Iterable[dict[str, Any]]) -> list[PlanRow]:
    """Rebuild rows kept in the session; anything that does not fit the shape is dropped, not trusted."""
    rows = []
    for item in data:
        try:
            rows.append(
                PlanRow(
                    line=int(item["line"]),
                    number=str(item["number"])[:20],
                    title=str(item["title"]),
                    lead=str(item["lead"]),
                    co_executors=[str(n) for n in item["co_executors"]],
                    deadline=str(item["deadline"]),
                    area=str(item["area"]),
                )
            )
        except (KeyError, TypeError, ValueError):
            continue
    return rows
