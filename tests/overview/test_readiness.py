"""/readyz: the database, Redis (when configured) and storage answer; a missing calendar year is a warning."""

import datetime as dt
import json

import pytest
import time_machine

from omskevents.calendars.models import CalendarDay

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(TODAY, tick=False):
        yield


def _seed_calendar(*years: int) -> None:
    for year in years:
        for country in ("RU", "KZ"):
            CalendarDay.objects.create(date=dt.date(year, 1, 1), country=country, is_working=False)


def test_readyz_ready_without_login_and_never_cached(client, settings):
    _seed_calendar(2026)

    response = client.get("/readyz")

    body = json.loads(response.content)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    assert body["ready"] is True
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True,
        "storage": True,
        "redis": True,
    }
    assert body["warnings"] == []


def test_readyz_missing_calendar_year_is_a_warning_not_a_failure(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert json.loads(response.content)["warnings"] == [
        "working calendar missing: 2026 RU",
        "working calendar missing: 2026 KZ",
    ]


def test_readyz_unwritable_media_folder_is_not_ready(client, settings, tmp_path):
    _seed_calendar(2026)
    settings.MEDIA_ROOT = str(tmp_path / "absent")

    response = client.get("/readyz")

    body = json.loads(response.content)
    assert response.status_code == 503
    assert body["ready"] is False
    assert body["checks"]["storage"]["ok"] is False
    assert body["checks"]["storage"]["error"] == "OSError"
    assert body["checks"]["database"]["ok"] is True


def test_readyz_unreachable_redis_is_not_ready_and_names_no_address(client, settings):
    _seed_calendar(2026)
    settings.REDIS_URL = "redis://:secret@127.0.0.1:1/0"

    response = client.get("/readyz")

    body = json.loads(response.content)
    assert response.status_code == 503
    assert body["checks"]["redis"]["ok"] is False
    assert body["checks"]["redis"]["error"] == "ConnectionError"
    assert "secret" not in response.content.decode()
    assert "127.0.0.1" not in response.content.decode()


def test_readyz_refuses_post(client):
    assert client.post("/readyz").status_code == 405
