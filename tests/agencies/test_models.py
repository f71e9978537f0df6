"""An agency's time zone: the default by country and level, editing it in the admin, and the data migration."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from omskevents.agencies.models import Agency, default_time_zone
from tests.factories.agencies import AgencyFactory
from tests.support.web import login_in_english as _login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.mark.parametrize(
    ("country", "level", "zone"),
    [
        ("RU", "federal", "Europe/Moscow"),
        ("RU", "regional", "Asia/Omsk"),
        ("RU", "municipal", "Asia/Omsk"),
        ("RU", "business", "Asia/Omsk"),
        ("KZ", "foreign", "Asia/Almaty"),
        ("KZ", "federal", "Asia/Almaty"),
        ("XX", "foreign", "Asia/Omsk"),
    ],
)
def test_new_agency_without_a_zone_takes_the_default_of_its_country_and_level(country, level, zone):
    assert default_time_zone(country, level) == zone
    agency = Agency.objects.create(name="Ведомство", short_name="В", country=country, level=level)
    agency.refresh_from_db()
    assert agency.time_zone == zone


def test_a_zone_given_is_kept():
    agency = AgencyFactory(short_name="ОмГУ", country="RU", level="federal", time_zone="Asia/Omsk")
    agency.refresh_from_db()
    assert agency.time_zone == "Asia/Omsk"


def test_secretariat_adds_an_agency_in_the_admin_with_the_zone_left_empty(client, secretariat):
    response = _login(client, secretariat).post(
        reverse("admin:agencies_agency_add"),
        {
            "name": "Министерство иностранных дел Российской Федерации",
            "short_name": "МИД России",
            "country": "RU",
            "level": "federal",
            "time_zone": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Agency.objects.get(short_name="МИД России").time_zone == "Europe/Moscow"


def test_secretariat_changes_the_zone_in_the_admin(client, secretariat, agency_a):
    url = reverse("admin:agencies_agency_change", args=[agency_a.pk])
    response = _login(client, secretariat).post(
        url,
        {
            "name": agency_a.name,
            "short_name": agency_a.short_name,
            "country": "RU",
            "level": "federal",
            "time_zone": "Asia/Almaty",
            "email": agency_a.email,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    agency_a.refresh_from_db()
    assert agency_a.time_zone == "Asia/Almaty"


def test_an_unknown_zone_is_refused_with_a_message_and_nothing_changes(client, secretariat, agency_a):
    url = reverse("admin:agencies_agency_change", args=[agency_a.pk])
    response = _login(client, secretariat).post(
        url,
        {
            "name": agency_a.name,
            "short_name": agency_a.short_name,
            "country": "RU",
            "level": "federal",
            "time_zone": "UTC+5",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["time_zone"] == ["“UTC+5” is not a known IANA time zone."]
    agency_a.refresh_from_db()
    assert agency_a.time_zone == "Europe/Moscow"


def test_agency_head_cannot_change_the_zone(client, head_a, agency_a):
    url = reverse("admin:agencies_agency_change", args=[agency_a.pk])
    response = _login(client, head_a).post(url, {"email": "new@example.org", "phone": "", "time_zone": "Asia/Almaty"})
    assert response.status_code == 302
    agency_a.refresh_from_db()
    assert (agency_a.email, agency_a.time_zone) == ("new@example.org", "Europe/Moscow")


@pytest.mark.django_db(transaction=True)
def test_migration_fills_existing_agencies_by_country_and_level():
    executor = MigrationExecutor(connection)
    before = [("agencies", "0001_initial")]
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps.get_model("agencies", "Agency")
        for short, country, level in [
            ("Минэкономразвития России", "RU", "federal"),
            ("Минтранс Омской обл.", "RU", "regional"),
            ("Администрация г. Омска", "RU", "municipal"),
            ("Акимат СКО", "KZ", "foreign"),
        ]:
            old.objects.create(name=short, short_name=short, country=country, level=level)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert dict(Agency.objects.values_list("short_name", "time_zone")) == {
        "Минэкономразвития России": "Europe/Moscow",
        "Минтранс Омской обл.": "Asia/Omsk",
        "Администрация г. Омска": "Asia/Omsk",
        "Акимат СКО": "Asia/Almaty",
    }
