"""The agreements' pages: the register (filters, counts, overdue, queries), the agreement page, the documents."""

import datetime as dt
import io

import openpyxl
import pytest
import time_machine
from django.urls import reverse
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Pt

from omskevents.agreements import services
from omskevents.agreements.enums import Stage
from tests.factories.agreements import make_agreement
from tests.support.web import login_in_english

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
# 20 November 2026, 12:00 in Omsk: the draft (due 16 September) of a proposed agreement is overdue.
NOW = dt.datetime(2026, 11, 20, 6, 0, tzinfo=dt.UTC)


def _ready(w, title: str, order: int, **fields):
    a = make_agreement(actor=w.sec, event=w.event, ru=w.ru, kz=w.kz, title=title, signing_order=order, **fields)
    for stage in (Stage.DRAFT_READY, Stage.RU_AGREED, Stage.SENT, Stage.BOTH_AGREED, Stage.TEXTS_CHECKED, Stage.READY):
        a = services.agreement_move(actor=w.sec, agreement=a, stage=stage)
    return a


def _many(w, count: int) -> None:
    for n in range(count):
        make_agreement(actor=w.sec, event=w.event, ru=w.ru, kz=w.kz, title=f"Меморандум {n}", kind="business")


@time_machine.travel(NOW, tick=False)
def test_register_shows_stage_counts_and_overdue_in_words(client, w):
    _ready(w, "Соглашение о логистике на Иртыше", 1)
    login_in_english(client, w.sec)
    response = client.get(reverse("agreements:register"))
    body = response.content.decode()
    assert response.status_code == 200
    counts = {stage: n for stage, _label, n in response.context["counts"]}
    assert (counts["proposed"], counts["ready"], counts["signed"]) == (1, 1, 0)
    states = {row["agreement"].title: row["state"] for row in response.context["rows"]}
    assert states == {
        "Соглашение о сотрудничестве в сфере транспорта": "overdue",
        "Соглашение о логистике на Иртыше": "",
    }
    assert 'class="agreement-row table-danger"' in body
    assert "Overdue" in body


@time_machine.travel(NOW, tick=False)
def test_register_filters_by_stage_kind_and_agency(client, w):
    _ready(w, "Соглашение о логистике на Иртыше", 1)
    login_in_english(client, w.sec)

    def titles(query: dict) -> list[str]:
        return [r["agreement"].title for r in client.get(reverse("agreements:register"), query).context["rows"]]

    assert titles({"stage": "ready"}) == ["Соглашение о логистике на Иртыше"]
    counts = client.get(reverse("agreements:register"), {"stage": "ready"}).context["counts"]
    assert [(stage, n) for stage, _label, n in counts if n] == [("proposed", 1), ("ready", 1)]
    assert titles({"kind": "business"}) == []
    assert titles({"agency": w.other.pk}) == []
    assert len(titles({"agency": w.kz.pk, "event": w.event.pk})) == 2
    assert titles({"overdue": "on"}) == ["Соглашение о сотрудничестве в сфере транспорта"]
    assert len(titles({"stage": "nonsense", "agency": "x"})) == 2  # invalid filters are left out


def test_agency_staff_see_only_their_agreements(client, w):
    login_in_english(client, w.outsider)
    assert list(client.get(reverse("agreements:register")).context["rows"]) == []
    assert client.get(w.agreement.get_absolute_url()).status_code == 404
    login_in_english(client, w.kz_staff)
    assert [r["agreement"].pk for r in client.get(reverse("agreements:register")).context["rows"]] == [w.agreement.pk]


@pytest.mark.parametrize("extra", [0, 30])
def test_register_queries_do_not_grow_with_the_rows(client, w, django_assert_num_queries, extra):
    _many(w, extra)
    login_in_english(client, w.sec)
    # session, user, count, stage counts, rows, the parties of both sides, the filter form's events and agencies,
    # and the session middleware's savepoint, update and release
    with django_assert_num_queries(12 + 1):  # + 1: the menu's unread count
        response = client.get(reverse("agreements:register"))
    assert len(response.context["rows"]) == 1 + extra


@pytest.mark.parametrize("extra", [0, 30])
def test_register_queries_for_agency_staff(client, w, django_assert_num_queries, extra):
    _many(w, extra)
    login_in_english(client, w.ru_staff)
    with django_assert_num_queries(12 + 1):  # + 1: the menu's unread count
        response = client.get(reverse("agreements:register"))
    assert len(response.context["rows"]) == 1 + extra


@time_machine.travel(NOW, tick=False)
def test_agreement_page_shows_timeline_texts_and_the_moves_allowed(client, w):
    login_in_english(client, w.ru_staff)
    response = client.get(w.agreement.get_absolute_url())
    body = response.content.decode()
    assert [value for value, _label in response.context["targets"]] == ["draft_ready"]
    assert 'data-stage="draft_ready"' in body
    assert "16.09.2026" in body
    assert "Overdue: “Draft ready” was due 16.09.2026" in body
    login_in_english(client, w.kz_staff)
    assert client.get(w.agreement.get_absolute_url()).context["targets"] == []


def test_move_from_the_page_and_a_refused_move(client, w):
    login_in_english(client, w.ru_staff)
    url = reverse("agreements:move", args=[w.agreement.pk])
    response = client.post(url, {"stage": "signed", "comment": "x"})
    assert response.status_code == 400
    assert "An agreement cannot go from “Proposed” to “Signed” by your decision." in response.content.decode()
    response = client.post(url, {"stage": "draft_ready", "comment": "Проект готов"})
    assert response.status_code == 302
    w.agreement.refresh_from_db()
    assert w.agreement.stage == "draft_ready"


def test_text_upload_and_download(client, w):
    login_in_english(client, w.kz_staff)
    pdf = io.BytesIO(b"%PDF-1.4\n%%EOF\n")
    pdf.name = "жоба.pdf"
    response = client.post(reverse("agreements:version_add", args=[w.agreement.pk]), {"language": "kk", "file": pdf})
    assert response.status_code == 302
    version = w.agreement.versions.get()
    response = client.get(reverse("agreements:version_download", args=[version.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n%%EOF\n"
    login_in_english(client, w.outsider)
    assert client.get(reverse("agreements:version_download", args=[version.pk])).status_code == 404


def test_excel_export_is_formula_safe(client, w):
    services.agreement_update(actor=w.sec, agreement=w.agreement, title='=HYPERLINK("http://evil.example","x")')
    login_in_english(client, w.sec)
    response = client.get(reverse("agreements:export_xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cell = sheet["B2"]
    assert cell.value == '=HYPERLINK("http://evil.example","x")'
    assert cell.data_type == "s"
    assert cell.quotePrefix is True
    assert sheet["H2"].value == "Proposed"


@time_machine.travel(NOW, tick=False)
def test_order_of_signing_docx_is_ready_to_print(client, w):
    _ready(w, "Соглашение между Правительством Омской области и акиматом Павлодарской области", 2,
           ru_signatory="В. П. Хоценко, Губернатор Омской области", kz_signatory="А. Ж. Байханов, аким", ru_seat="1",
           kz_seat="2")  # fmt: skip
    _ready(w, "Меморандум о логистике на Иртыше", 1, kind="business")
    login_in_english(client, w.sec)
    response = client.get(reverse("agreements:signing_order", args=[w.event.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="signing-order-{w.event.pk}-2026-12-10.docx"'
    doc = Document(io.BytesIO(response.content))
    section = doc.sections[0]
    # Word stores lengths in twentieths of a point: millimetres come back rounded to the nearest 0.02 mm.
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.right_margin, section.bottom_margin, section.left_margin)
    assert [round(m.mm) for m in margins] == [20, 15, 20, 30]
    assert section.orientation == WD_ORIENT.PORTRAIT
    normal = doc.styles["Normal"].font
    assert (normal.name, normal.size) == ("Times New Roman", Pt(14))
    assert doc.paragraphs[0].text == "ORDER OF SIGNING"
    assert doc.paragraphs[2].text == "Омск, 10.12.2026"
    table = doc.tables[0]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["No.", "Agreement", "Signs for the Russian side", "Signs for the Kazakh side", "Seats"]
    assert [row[0] for row in rows[1:]] == ["1", "2"]
    assert rows[1][1].startswith("Меморандум о логистике на Иртыше\n(")
    assert rows[2][2:] == ["В. П. Хоценко, Губернатор Омской области", "А. Ж. Байханов, аким", "1 / 2"]
    # The proposed agreement is not ready: it is not in the order of signing.
    assert len(rows) == 3


def test_dashboard_says_signed_of_planned(client, w):
    with time_machine.travel(NOW, tick=False):
        a = _ready(w, "Соглашение о логистике на Иртыше", 1)
        services.agreement_move(
            actor=w.sec, agreement=a, stage="signed", signed_on=dt.date(2026, 11, 20), signed_place="Омск",
            signed_by="Стороны",
        )  # fmt: skip
        make_agreement(actor=w.sec, event=w.event, ru=w.ru, kz=w.kz, title="Снятое")
        withdrawn = w.event.agreements.get(title="Снятое")
        services.agreement_move(actor=w.sec, agreement=withdrawn, stage="withdrawn", comment="Снято")
        login_in_english(client, w.sec)
        body = client.get(reverse("dashboard:home")).content.decode()
    assert "Agreements: signed 1 of 2 planned" in body


def test_event_page_lists_the_signed_agreements_within_the_scope(client, w):
    with time_machine.travel(NOW, tick=False):
        a = _ready(w, "Соглашение о логистике на Иртыше", 1)
        services.agreement_move(
            actor=w.sec, agreement=a, stage="signed", signed_on=dt.date(2026, 11, 19), signed_place="Омск",
            signed_by="Стороны",
        )  # fmt: skip
    login_in_english(client, w.kz_staff)
    body = client.get(reverse("event_pages:detail", args=[w.event.pk])).content.decode()
    assert "Agreements: signed 1 of 2 planned" in body
    assert f'<a href="/agreements/{a.pk}/">Соглашение о логистике на Иртыше</a> — 19.11.2026' in body
    login_in_english(client, w.outsider)
    body = client.get(reverse("event_pages:detail", args=[w.event.pk])).content.decode()
    assert "Agreements: signed" not in body


@pytest.mark.parametrize("count", [1, 8])
def test_event_page_queries_do_not_grow_with_signed_agreements(client, w, django_assert_num_queries, count):
    with time_machine.travel(NOW, tick=False):
        for n in range(count):
            a = _ready(w, f"Соглашение {n}", n + 1)
            services.agreement_move(
                actor=w.sec, agreement=a, stage="signed", signed_on=dt.date(2026, 11, 19), signed_place="Омск",
                signed_by="Стороны",
            )  # fmt: skip
    login_in_english(client, w.sec)
    # the event page's eleven reads (tests/events/test_views.py), then the section's two: signed of planned, and the
    # signed agreements themselves
    with django_assert_num_queries(13 + 1):  # + 1: the menu's unread count
        body = client.get(reverse("event_pages:detail", args=[w.event.pk])).content.decode()
    assert body.count("— 19.11.2026</li>") == count
