"""The main path of an agreement in the browser: registered, agreed by both sides, signed at the ceremony."""

import datetime as dt

import pytest

from omskevents.agreements.models import Agreement
from tests.e2e.conftest import SCREENSHOTS, login
from tests.factories.events import EventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _move(page, stage: str, comment: str = "") -> None:
    if comment:
        page.fill("textarea[name=comment]", comment)
    page.click(f"button[name=stage][value={stage}]")
    page.wait_for_load_state("networkidle")


def test_secretary_registers_an_agreement_and_takes_it_to_signing(page, secretariat, agency_a, agency_b):
    event = EventFactory(short_title="XXII Форум", start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 11))
    page.set_viewport_size({"width": 1440, "height": 900})
    login(page, "sec", "correct horse battery staple")

    page.goto("/agreements/")
    page.click("a[href='/agreements/new/']")
    page.wait_for_load_state("networkidle")
    page.select_option("select[name=event]", str(event.pk))
    page.fill("textarea[name=title]", "Соглашение о сотрудничестве в сфере транспорта и логистики на Иртыше")
    page.select_option("select[name=kind]", "interregional")
    page.select_option("select[name=ru_parties]", [str(agency_a.pk)])
    page.select_option("select[name=ru_responsible]", str(agency_a.pk))
    page.fill("input[name=ru_signatory]", "Губернатор Омской области")
    page.select_option("select[name=kz_parties]", [str(agency_b.pk)])
    page.select_option("select[name=kz_responsible]", str(agency_b.pk))
    page.fill("input[name=kz_signatory]", "Аким Павлодарской области")
    page.fill("input[name=signing_order]", "1")
    page.click("form.agreement-form button[type=submit]")
    page.wait_for_load_state("networkidle")

    agreement = Agreement.objects.get()
    assert page.url.endswith(f"/agreements/{agreement.pk}/")
    assert page.locator(".stage-timeline li").count() == 8

    _move(page, "draft_ready", "Проект подготовлен")
    _move(page, "ru_agreed")
    _move(page, "sent", "Направлено казахстанской стороне")
    _move(page, "both_agreed", "Казахстанская сторона согласовала без замечаний")
    _move(page, "texts_checked")
    _move(page, "ready")
    page.fill("input[name=signed_place]", "Омск, Конгресс-холл")
    page.fill("textarea[name=signed_by]", "В. П. Хоценко; аким Павлодарской области")
    _move(page, "signed", "Подписано на церемонии")

    agreement.refresh_from_db()
    assert (agreement.stage, agreement.signed_place, agreement.moves.count()) == ("signed", "Омск, Конгресс-холл", 8)
    assert agreement.signed_on is not None
    assert page.locator(".agreement-stage").inner_text() == "Подписано"
    assert page.locator(".move-form").count() == 0

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "agreement-signed-1440.png"), full_page=True)
    page.goto(f"/agreements/?event={event.pk}")
    page.wait_for_load_state("networkidle")
    assert page.locator("tr.agreement-row").count() == 1
    page.screenshot(path=str(SCREENSHOTS / "agreement-register-1440.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(SCREENSHOTS / "agreement-register-390.png"), full_page=True)
    page.goto(f"/agreements/{agreement.pk}/")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SCREENSHOTS / "agreement-signed-390.png"), full_page=True)
    page.goto("/")
    page.wait_for_load_state("networkidle")
    assert "Соглашения: подписано 1 из 1 запланированных" in page.content()
