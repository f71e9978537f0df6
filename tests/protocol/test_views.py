"""The protocol pages: what each role sees and may do, fixed query counts, and the compiled DOCX."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document
from docx.shared import Pt

from omskevents.protocol.models import ProtocolItem
from omskevents.workplan.models import Task
from tests.factories.agencies import AgencyFactory
from tests.factories.protocol import ProtocolFactory, ProtocolItemFactory, ProtocolSectionFactory

pytestmark = pytest.mark.django_db


def _fill(protocol, agency_a, agency_b, *, sections: int, items: int) -> None:
    for s in range(1, sections + 1):
        section = ProtocolSectionFactory(protocol=protocol, number=s, title=f"Раздел {s}")
        for i in range(1, items + 1):
            ProtocolItemFactory(
                section=section, number=i, proposer=agency_a if i % 2 else agency_b,
                counterpart=agency_b if i % 2 else agency_a, text_ru=f"Пункт {s}.{i}",
            )  # fmt: skip


@pytest.mark.parametrize("count", [1, 8])
def test_protocol_list_queries_do_not_grow(client, secretariat, django_assert_num_queries, count):
    for n in range(count):
        ProtocolFactory(event__number=f"{27 + n}")
    client.force_login(secretariat)
    with django_assert_num_queries(7 + 1):  # + 1: the menu's unread count
        response = client.get(reverse("protocol:list"))
    assert len(response.context["protocols"]) == count


@pytest.mark.parametrize(("sections", "items"), [(1, 1), (6, 5)])
def test_protocol_page_queries_do_not_grow(
    client, secretariat, protocol, agency_a, agency_b, django_assert_num_queries, sections, items
):
    _fill(protocol, agency_a, agency_b, sections=sections, items=items)
    client.force_login(secretariat)
    with django_assert_num_queries(8 + 1):  # + 1: the menu's unread count
        response = client.get(reverse("protocol:detail", args=[protocol.pk]))
    assert sum(len(part["rows"]) for part in response.context["sections"]) == sections * items


def test_protocol_page_offers_each_role_its_actions(client, secretariat, kz_secretariat, staff_a, section, agency_a):
    item = ProtocolItemFactory(section=section, proposer=agency_a)
    url = reverse("protocol:detail", args=[section.protocol.pk])
    rows = {}
    for user in (secretariat, kz_secretariat, staff_a):
        client.force_login(user)
        row = client.get(url).context["sections"][0]["rows"][0]
        rows[user.username] = (row["can_edit"], row["agree_sides"], row["can_strike"])
    assert rows == {
        "sec": (True, ["RU", "KZ"], True),
        "kz_sec": (False, ["KZ"], True),
        "staff_a": (True, [], False),
    }
    assert item.state == "proposed"


def test_agree_from_the_page_by_both_secretariats(client, secretariat, kz_secretariat, section, agency_b):
    item = ProtocolItemFactory(section=section, proposer=agency_b)
    client.force_login(kz_secretariat)
    client.post(reverse("protocol:item_agree", args=[item.pk]), {"side": "KZ"})
    client.force_login(secretariat)
    response = client.post(reverse("protocol:item_agree", args=[item.pk]), {"side": "RU"})
    item.refresh_from_db()
    assert (item.state, item.agreed_kz_by, item.agreed_ru_by) == ("agreed", kz_secretariat, secretariat)
    assert response["Location"] == f"{section.protocol.get_absolute_url()}#item-{item.pk}"


def test_item_add_with_a_foreign_proposer_shows_the_error_and_writes_nothing(client, staff_b, section, agency_a):
    client.force_login(staff_b)
    response = client.post(
        reverse("protocol:item_add", args=[section.pk]), {"text_ru": "Пункт", "proposer": agency_a.pk}
    )
    assert response.status_code == 400
    assert "proposer" in response.context["form"].errors
    assert ProtocolItem.objects.count() == 0


def test_unknown_ids_answer_not_found(client, secretariat):
    client.force_login(secretariat)
    assert client.get(reverse("protocol:detail", args=[999999])).status_code == 404
    assert client.get(reverse("protocol:item_edit", args=[999999])).status_code == 404
    assert client.get(reverse("protocol:item_add", args=[999999])).status_code == 404
    assert client.get("/protocols/abc/").status_code == 404


def test_make_tasks_from_the_page(client, secretariat, section, agency_a, agency_b):
    item = ProtocolItemFactory(
        section=section, proposer=agency_a, counterpart=agency_b, state="agreed", asks_action=True,
        deadline=dt.date(2026, 11, 2),
    )  # fmt: skip
    client.force_login(secretariat)
    url = reverse("protocol:make_tasks", args=[section.protocol.pk])
    client.post(url)
    client.post(url)
    item.refresh_from_db()
    assert Task.objects.count() == 2
    assert (item.task.lead_agency, item.counterpart_task.lead_agency) == (agency_a, agency_b)


def _docx(client, protocol):
    response = client.get(reverse("protocol:docx", args=[protocol.pk]))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response["Content-Disposition"] == 'attachment; filename="protocol-27-2026-12-11.docx"'
    return Document(io.BytesIO(response.content))


def test_compiled_docx_has_the_usual_form_and_only_agreed_items(client, secretariat, agency_a, agency_b):
    protocol = ProtocolFactory(event__number="27")
    trade = ProtocolSectionFactory(protocol=protocol, number=1, title="Торгово-экономическое сотрудничество")
    empty = ProtocolSectionFactory(protocol=protocol, number=2, title="Раздел без согласованных пунктов")
    irtysh = ProtocolSectionFactory(protocol=protocol, number=3, title="Сотрудничество на реке Иртыш")
    ProtocolItemFactory(section=trade, number=1, proposer=agency_a, state="agreed", text_ru="Стороны отметили рост.")
    ProtocolItemFactory(section=trade, number=2, proposer=agency_b, state="struck", text_ru="Снятый пункт.")
    ProtocolItemFactory(section=trade, number=3, proposer=agency_b, state="agreed", text_ru="Комиссия поручает.")
    ProtocolItemFactory(section=empty, number=1, proposer=agency_a, state="proposed", text_ru="Не согласован.")
    ProtocolItemFactory(section=irtysh, number=1, proposer=agency_b, state="agreed", text_ru="Иртыш: навигация.")
    secretariat.language = "en"
    secretariat.save()
    client.force_login(secretariat)

    doc = _docx(client, protocol)

    page = doc.sections[0]
    # Word keeps sizes in twentieths of a point: compared in whole millimetres.
    assert (round(page.page_width.mm), round(page.page_height.mm)) == (210, 297)
    margins = (page.left_margin, page.right_margin, page.top_margin, page.bottom_margin)
    assert [round(m.mm) for m in margins] == [30, 15, 20, 20]
    normal = doc.styles["Normal"].font
    assert (normal.name, normal.size) == ("Times New Roman", Pt(14))
    texts = [p.text for p in doc.paragraphs if p.text]
    assert texts[:2] == ["DRAFT", "PROTOCOL"]
    assert texts[2] == "27th session of the Intergovernmental Commission"
    assert texts[3] == "г. Омск\t\t\t\t11.12.2026"
    assert texts[5] == f"for the Russian Side — {protocol.ru_co_chair}"
    assert texts[6] == f"for the Kazakh Side — {protocol.kz_co_chair}"
    assert texts[7:] == [
        "1. Торгово-экономическое сотрудничество",
        "1.1. Стороны отметили рост.",
        "1.2. Комиссия поручает.",
        "2. Сотрудничество на реке Иртыш",
        "2.1. Иртыш: навигация.",
    ]
    signatures = [[cell.text for cell in row.cells] for row in doc.tables[0].rows]
    assert signatures == [
        ["For the Russian Side", "For the Kazakh Side"],
        [protocol.ru_co_chair, protocol.kz_co_chair],
        ["_______________", "_______________"],
    ]


def test_compiled_docx_in_russian(client, secretariat, agency_a):
    secretariat.language = "ru"
    secretariat.save()
    protocol = ProtocolFactory(event__number="27")
    section = ProtocolSectionFactory(protocol=protocol, number=1, title="Образование")
    ProtocolItemFactory(section=section, number=1, proposer=agency_a, state="agreed", text_ru="Обмен студентами.")
    client.force_login(secretariat)
    response = client.get(reverse("protocol:docx", args=[protocol.pk]), HTTP_ACCEPT_LANGUAGE="ru")
    texts = [p.text for p in Document(io.BytesIO(response.content)).paragraphs if p.text]
    assert texts[:2] == ["ПРОЕКТ", "ПРОТОКОЛ"]


def test_agency_without_side_is_not_offered_as_proposer(client, secretariat, section):
    other = AgencyFactory(short_name="Посольство", country="XX", level="foreign")
    client.force_login(secretariat)
    form = client.get(reverse("protocol:item_add", args=[section.pk])).context["form"]
    assert other not in form.fields["proposer"].queryset
