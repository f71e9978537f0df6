"""Building blocks of the demo seeding: the run's report, dates on working days, a one-page PDF."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from omskevents.calendars.services import is_working_day, next_working_day

OMSK = zoneinfo.ZoneInfo("Asia/Omsk")


@dataclass
class SeedReport:
    """What a run created, by kind, and what the person running it should know."""

    created: dict[str, int] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)

    def add(self, kind: str, count: int = 1) -> None:
        self.created[kind] = self.created.get(kind, 0) + count


def minimal_pdf(title: str) -> bytes:
    """A valid one-page PDF (ASCII text only: the standard fonts know no Cyrillic) with a correct xref table."""
    text = title.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def fit_deadline(country: str, wanted: dt.date, latest: dt.date | None) -> dt.date:
    """The first working day on or after `wanted`; if that falls after `latest`, the last working day before it."""
    day = next_working_day(country, wanted)
    if latest is None or day <= latest:
        return day
    day = latest
    while not is_working_day(country, day):
        day -= dt.timedelta(days=1)
    return day


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """That day at that time in Omsk."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=OMSK)
