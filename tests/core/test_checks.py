"""The time zone database check: the app reads zones from the tzdata package, and Almaty must be UTC+5."""

import datetime as dt
import zoneinfo

from django.core.checks import ERROR
from django.core.checks.registry import registry

from omskevents.core.checks import check_time_zone_database

UTC = dt.UTC
MOMENT = dt.datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def test_zones_come_from_the_tzdata_package_only():
    # Settings empty the search path: no /usr/share/zoneinfo, no PYTHONTZPATH, only the installed package.
    assert zoneinfo.TZPATH == ()
    assert MOMENT.astimezone(zoneinfo.ZoneInfo("Asia/Almaty")).utcoffset() == dt.timedelta(hours=5)


def test_the_zone_database_in_use_passes_the_check():
    assert check_time_zone_database() == []
    assert check_time_zone_database(now=MOMENT) == []


def test_the_check_is_registered():
    assert check_time_zone_database in registry.get_checks()


def test_an_old_zone_database_that_puts_almaty_at_utc_plus_six_fails_the_check():
    # Before tzdata 2024a, Asia/Almaty was what Asia/Omsk still is: UTC+6 all year.
    def old_database(key):
        assert key == "Asia/Almaty"
        return zoneinfo.ZoneInfo("Asia/Omsk")

    errors = check_time_zone_database(load_zone=old_database, now=MOMENT)
    assert [(e.level, e.id, e.msg) for e in errors] == [
        (
            ERROR,
            "core.E001",
            "The time zone database puts Asia/Almaty at UTC+06:00 on 2026-11-28; it has been UTC+05:00 since "
            "1 March 2024, so the database is older than tzdata 2024a.",
        )
    ]
    assert errors[0].hint.startswith("Install tzdata 2024.1 (2024a) or later: pip install --upgrade tzdata")


def test_a_fixed_offset_stand_in_is_judged_by_its_offset():
    assert check_time_zone_database(load_zone=lambda key: dt.timezone(dt.timedelta(hours=5)), now=MOMENT) == []
    errors = check_time_zone_database(load_zone=lambda key: dt.timezone(dt.timedelta(hours=6)), now=MOMENT)
    assert [e.id for e in errors] == ["core.E001"]


def test_a_zone_database_without_almaty_fails_the_check():
    def empty_database(key):
        raise zoneinfo.ZoneInfoNotFoundError(f"No time zone found with key {key}")

    errors = check_time_zone_database(load_zone=empty_database, now=MOMENT)
    assert [(e.level, e.id, e.msg) for e in errors] == [
        (ERROR, "core.E001", "The time zone database has no Asia/Almaty.")
    ]
