"""Names in three languages: each language shows its own, a missing one falls back to Russian, the plan's Excel
keeps the Russian names whatever the viewer's language, and the pages make no more queries for it."""

import datetime as dt
import io

import openpyxl
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from omskevents.agencies.models import Agency
from omskevents.core.names import localized
from omskevents.demo.blocks import SeedReport
from omskevents.demo.seed_names import seed_names
from omskevents.workplan.models import Task
from tests.factories.agencies import AgencyFactory
from tests.factories.agreements import make_agreement
from tests.factories.committee import CommitteeFactory
from tests.factories.events import EventFactory, ProgrammeItemFactory, VenueFactory
from tests.factories.workplan import TaskFactory

pytestmark = pytest.mark.django_db

FORUM = {
    "ru": "XXII Форум межрегионального сотрудничества России и Казахстана",
    "kk": "Ресей мен Қазақстанның өңіраралық ынтымақтастығының XXII форумы",
    "en": "XXII Forum of Interregional Cooperation of Russia and Kazakhstan",
}
HALL = {"ru": "Речной вокзал", "kk": "Өзен вокзалы", "en": "River Station"}
ITEM = {
    "ru": "Круглый стол «Речной туризм»",
    "kk": "«Өзен туризмі» дөңгелек үстелі",
    "en": "Round table on river tourism",
}
AGENCY = {
    "ru": ("Акимат Павлодарской области", "Акимат Павлодарской обл."),
    "kk": ("Павлодар облысының әкімдігі", "Павлодар облысы әкімдігі"),
    "en": ("Akimat of Pavlodar Region", "Pavlodar Region Akimat"),
}
GROUP = {"ru": "Рабочая группа по протоколу", "kk": "Протокол жөніндегі жұмыс тобы", "en": "Working group on protocol"}
AGREEMENT = {
    "ru": "Меморандум о речном туризме",
    "kk": "Өзен туризмі туралы меморандум",
    "en": "Memorandum on river tourism",
}


@pytest.fixture
def named(db, secretariat):
    event = EventFactory(number="XXII", title_ru=FORUM["ru"], title_kk=FORUM["kk"], title_en=FORUM["en"],
                         short_title="XXII Форум", short_title_kk="XXII форум", short_title_en="XXII Forum",
                         start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 11))  # fmt: skip
    venue = VenueFactory(name=HALL["ru"], name_kk=HALL["kk"], name_en=HALL["en"])
    event.venues.add(venue)
    item = ProgrammeItemFactory(event=event, venue=venue, title=ITEM["ru"], title_kk=ITEM["kk"], title_en=ITEM["en"])
    agency = AgencyFactory(short_name=AGENCY["ru"][1], name=AGENCY["ru"][0], name_kk=AGENCY["kk"][0],
                           short_name_kk=AGENCY["kk"][1], name_en=AGENCY["en"][0], short_name_en=AGENCY["en"][1],
                           country="KZ", level="foreign")  # fmt: skip
    ru_agency = AgencyFactory(short_name="Минтранс Омской обл.", name="Министерство транспорта Омской области")
    committee = CommitteeFactory()
    committee.events.add(event)
    group = committee.working_groups.create(kind="protocol", name=GROUP["ru"], name_kk=GROUP["kk"], name_en=GROUP["en"])
    agreement = make_agreement(actor=secretariat, event=event, ru=ru_agency, kz=agency, title=AGREEMENT["ru"],
                               title_kk=AGREEMENT["kk"], title_en=AGREEMENT["en"])  # fmt: skip
    return {"event": event, "venue": venue, "item": item, "agency": agency, "ru_agency": ru_agency,
            "committee": committee, "group": group, "agreement": agreement}  # fmt: skip


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_each_language_shows_its_own_names(named, language):
    with translation.override(language):
        assert named["event"].title == FORUM[language]
        assert named["event"].localized_name == FORUM[language]
        assert named["venue"].localized_name == HALL[language]
        assert named["item"].localized_name == ITEM[language]
        assert (named["agency"].localized_name, named["agency"].localized_short_name) == AGENCY[language]
        assert named["group"].localized_name == GROUP[language]
        assert named["agreement"].localized_name == AGREEMENT[language]
    # The canonical names stay Russian: __str__, search, ordering, imports and exports use them.
    assert str(named["agency"]) == AGENCY["ru"][1]
    assert str(named["venue"]) == HALL["ru"]


@pytest.mark.parametrize("language", ["kk", "en"])
def test_a_missing_translation_falls_back_to_russian(named, language):
    ru_agency = named["ru_agency"]
    with translation.override(language):
        assert ru_agency.localized_short_name == "Минтранс Омской обл."
        assert ru_agency.localized_name == "Министерство транспорта Омской области"
    assert localized(named["venue"], "name", "kk") == HALL["kk"]
    named["venue"].name_kk = ""
    assert localized(named["venue"], "name", "kk") == HALL["ru"]
    assert localized(named["venue"], "name", "de") == HALL["ru"]


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_pages_show_the_viewers_language(client, named, secretariat, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(secretariat)
    event_page = client.get(named["event"].get_absolute_url()).content.decode()
    assert FORUM[language] in event_page
    assert HALL[language] in event_page
    assert ITEM[language] in event_page
    programme = client.get(reverse("events:programme", args=[named["event"].pk])).content.decode()
    assert ITEM[language] in programme
    assert HALL[language] in programme
    agencies = client.get(reverse("agencies:list")).content.decode()
    assert AGENCY[language][1] in agencies
    committee = client.get(reverse("committee_pages:detail", args=[named["committee"].pk])).content.decode()
    assert GROUP[language] in committee
    register = client.get(reverse("agreements:register")).content.decode()
    assert AGREEMENT[language] in register
    if language != "ru":
        for page in (event_page, programme):
            assert ITEM["ru"] not in page


def _count(client, url: str, language: str) -> int:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.get(url)  # sessions, calendars and caches warmed
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_names_in_the_viewers_language_cost_no_query(client, named, secretariat):
    client.force_login(secretariat)
    for url in (
        named["event"].get_absolute_url(),
        reverse("events:programme", args=[named["event"].pk]),
        reverse("committee_pages:detail", args=[named["committee"].pk]),
        reverse("agreements:register"),
        reverse("event_pages:list"),
    ):
        assert _count(client, url, "kk") == _count(client, url, "ru") == _count(client, url, "en"), url


@pytest.mark.parametrize("language", ["kk", "en"])
def test_the_plans_excel_round_trips_with_russian_names_in_any_language(client, named, secretariat, language):
    event, agency, ru_agency = named["event"], named["agency"], named["ru_agency"]
    ru_agency.short_name_kk, ru_agency.short_name_en = "Омбы обл. Көлік министрлігі", "Omsk Ministry of Transport"
    ru_agency.save()
    TaskFactory(event=event, number="1", title="Речной круиз", lead_agency=agency, co_executors=[ru_agency],
                deadline=dt.date(2026, 10, 1), area="river_tourism")  # fmt: skip
    TaskFactory(event=event, number="2", title="Пресс-центр", lead_agency=ru_agency, deadline=dt.date(2026, 11, 2))
    second = EventFactory(start_date=dt.date(2027, 9, 16), end_date=dt.date(2027, 9, 17))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(secretariat)

    exported = client.get(reverse("workplan:task_export_xlsx"), {"event": event.pk})
    sheet = openpyxl.load_workbook(io.BytesIO(exported.content)).active
    leads = {row[4] for row in sheet.iter_rows(min_row=4, values_only=True)}  # a title, "as of" and the header first
    assert leads == {AGENCY["ru"][1], "Минтранс Омской обл."}
    preview = client.post(
        reverse("workplan:task_import"),
        {"event": second.pk, "area": "organisation", "file": io.BytesIO(exported.content)},
        format="multipart",
    )
    assert preview.status_code == 200
    client.post(reverse("workplan:task_import_confirm"), {"token": preview.context["token"]})

    def plan(of):
        return [
            (t.number, t.title, t.lead_agency_id, sorted(a.pk for a in t.co_executors.all()), t.area)
            for t in Task.objects.filter(event=of).order_by("number")
        ]

    assert len(plan(second)) == 2
    assert plan(second) == plan(event)


def test_seed_fills_blank_names_and_keeps_edited_ones(db):
    kept = AgencyFactory(short_name="МИД России", name="Министерство иностранных дел Российской Федерации",
                         name_kk="Өзгертілген атау")  # fmt: skip
    filled = AgencyFactory(short_name="Акимат СКО", name="Акимат Северо-Казахстанской области", country="KZ")
    report = SeedReport()
    seed_names(report)
    kept.refresh_from_db()
    filled.refresh_from_db()
    assert kept.name_kk == "Өзгертілген атау"
    assert kept.short_name_en == "Russian MFA"
    assert (filled.name_kk, filled.short_name_kk) == ("Солтүстік Қазақстан облысының әкімдігі", "СҚО әкімдігі")
    assert report.created["names in Kazakh and English"] > 0
    before = list(Agency.objects.values_list("name_kk", "short_name_kk", "short_name_en").order_by("pk"))
    seed_names(SeedReport())
    assert list(Agency.objects.values_list("name_kk", "short_name_kk", "short_name_en").order_by("pk")) == before
