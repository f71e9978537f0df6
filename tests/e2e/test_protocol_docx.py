"""The protocol in the browser: an item proposed, agreed by both sides, the draft compiled as DOCX and opened."""

import pytest
from docx import Document

from omskevents.protocol.models import ProtocolItem
from tests.e2e.conftest import login
from tests.factories.protocol import ProtocolFactory, ProtocolSectionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_compiles_the_draft_protocol_and_opens_it(page, secretariat, agency_a, agency_b, tmp_path):
    protocol = ProtocolFactory(event__number="27")
    ProtocolSectionFactory(protocol=protocol, number=1, title="Сотрудничество на реке Иртыш")
    login(page, "sec", "correct horse battery staple")

    page.goto("/protocols/")
    page.click(f"a[href='/protocols/{protocol.pk}/']")
    page.wait_for_load_state("networkidle")
    page.click("text=Внести пункт")
    page.wait_for_load_state("networkidle")
    page.fill("textarea[name=text_ru]", "Комиссия поручает открыть пассажирскую линию Омск — Павлодар по Иртышу.")
    page.select_option("select[name=proposer]", str(agency_a.pk))
    page.select_option("select[name=counterpart]", str(agency_b.pk))
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")

    item = ProtocolItem.objects.get()
    page.click(f"#item-{item.pk} button:has-text('Согласовать от российской стороны')")
    page.wait_for_load_state("networkidle")
    page.click(f"#item-{item.pk} button:has-text('Согласовать от казахстанской стороны')")
    page.wait_for_load_state("networkidle")
    item.refresh_from_db()
    assert item.state == "agreed"

    with page.expect_download() as download_info:
        page.click("#compile-docx")
    target = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(target)

    assert target.name == f"protocol-27-{protocol.date:%Y-%m-%d}.docx"
    texts = [p.text for p in Document(str(target)).paragraphs if p.text]
    assert texts[:2] == ["ПРОЕКТ", "ПРОТОКОЛ"]
    assert texts[-2:] == [
        "1. Сотрудничество на реке Иртыш",
        "1.1. Комиссия поручает открыть пассажирскую линию Омск — Павлодар по Иртышу.",
    ]
