"""The plan's search understands Russian: word forms, agencies (short and full names), people; ranked; scoped by
the viewer. The same cases run on SQLite (stems as substrings) and, marked postgres, on PostgreSQL (full-text
search in the 'russian' configuration with its GIN index)."""

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.urls import reverse

from omskevents.workplan import search
from omskevents.workplan.selectors import TaskFilter, task_table
from tests.factories.accounts import UserFactory
from tests.factories.agencies import AgencyFactory
from tests.factories.workplan import TaskFactory

pytestmark = pytest.mark.django_db


def _titles(user, q, sort="relevance"):
    import datetime as dt

    return [t.title for t in task_table(user, TaskFilter(q=q, sort=sort), today=dt.date(2026, 9, 1))]


@pytest.fixture
def plan(agency_a, agency_b):
    transport = AgencyFactory(short_name="Минтранс Омской обл.", name="Министерство транспорта Омской области")
    person = UserFactory(last_name="Соколова", first_name="Мария", agency=agency_a)
    return {
        "estimate": TaskFactory(title="Утвердить смету форума", lead_agency=agency_a),
        "roads": TaskFactory(title="Подготовить дороги к заезду", lead_agency=transport),
        "co": TaskFactory(title="Согласовать схему парковки", lead_agency=agency_a, co_executors=[transport]),
        "person": TaskFactory(title="Встретить делегацию", lead_agency=agency_a, responsible=person),
        "described": TaskFactory(
            title="Выставка", description="Расходы по смете на аренду павильона", lead_agency=agency_a
        ),
        "foreign": TaskFactory(title="Смета приёма делегации Казахстана", lead_agency=agency_b),
    }


def test_stemmer_brings_word_forms_together():
    assert {search.russian_stem(w) for w in ("смета", "смету", "сметы", "смете", "сметой")} == {"смет"}
    assert search.russian_stem("Минтранс") == "минтранс"
    assert search.russian_stem("ёлка") == search.russian_stem("елки")


def _cases(plan):
    return [
        ("смета", {"Утвердить смету форума", "Выставка", "Смета приёма делегации Казахстана"}),
        ("Минтранс", {"Подготовить дороги к заезду", "Согласовать схему парковки"}),
        ("транспорта", {"Подготовить дороги к заезду", "Согласовать схему парковки"}),
        ("Соколова", {"Встретить делегацию"}),
        ("соколову", {"Встретить делегацию"}),
        ("дорогами", {"Подготовить дороги к заезду"}),
    ]


def _check_cases(secretariat, plan):
    for query, expected in _cases(plan):
        assert set(_titles(secretariat, query)) == expected, query


def test_search_on_this_database_finds_word_forms_agencies_and_people(secretariat, plan):
    _check_cases(secretariat, plan)


@pytest.mark.postgres
def test_search_on_postgresql_uses_the_russian_full_text_index(secretariat, plan):
    assert connection.vendor == "postgresql"
    _check_cases(secretariat, plan)
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'workplan_task_search_ru'")
        [(definition,)] = cursor.fetchall()
    assert "gin" in definition.lower()
    assert "russian" in definition
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # a table this small would be read whole otherwise
        sql, params = search.text_matches(SearchQuery("смета", config="russian")).query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan_text = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "workplan_task_search_ru" in plan_text


def test_search_ranks_title_matches_first(secretariat, plan):
    titles = _titles(secretariat, "смета")

    assert titles[-1] == "Выставка"  # found in the description only


def test_search_is_scoped_by_the_viewer(staff_a, plan):
    assert "Смета приёма делегации Казахстана" not in _titles(staff_a, "смета")
    assert set(_titles(staff_a, "смета")) == {"Утвердить смету форума", "Выставка"}


def test_search_by_number_still_finds_the_item(secretariat, agency_a):
    TaskFactory(number="2.14", title="Пресс-центр", lead_agency=agency_a)

    assert _titles(secretariat, "2.14") == ["Пресс-центр"]


@pytest.mark.parametrize("hostile", ["'; DROP TABLE workplan_task; --", "смета & | !", "(((", "%_%", "\x00", "а" * 500])
def test_search_page_with_hostile_input_answers_and_breaks_nothing(client, secretariat, plan, hostile):
    client.force_login(secretariat)

    response = client.get(reverse("workplan:task_list"), {"q": hostile})

    assert response.status_code in (200, 400)
    assert _titles(secretariat, "смета")  # the table is still there


def test_search_page_finds_by_agency_in_russian(client, secretariat, plan, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    client.force_login(secretariat)

    html = client.get(reverse("workplan:task_list"), {"q": "Минтранс"}).content.decode()

    assert "Подготовить дороги к заезду" in html
    assert "Утвердить смету форума" not in html
