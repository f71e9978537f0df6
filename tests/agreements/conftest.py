"""A small world for agreements: the 2026 calendars, the Forum, a Russian and a Kazakh agency with their people."""

import datetime as dt
from types import SimpleNamespace

import pytest

from omskevents.calendars.services import calendar_seed
from tests.factories.accounts import UserFactory
from tests.factories.agencies import AgencyFactory
from tests.factories.agreements import make_agreement
from tests.factories.events import EventFactory


@pytest.fixture
def w(db):
    calendar_seed(countries=["RU", "KZ"], years=[2026, 2027])
    ru = AgencyFactory(short_name="Минтранс Омской обл.", country="RU", level="regional", email="mt@example.org")
    kz = AgencyFactory(
        short_name="Акимат Павлодарской обл.",
        country="KZ",
        level="foreign",
        email="akimat@example.org",
        time_zone="Asia/Almaty",
    )
    other = AgencyFactory(short_name="Минздрав Омской обл.", country="RU", level="regional")
    event = EventFactory(short_title="Форум XXII", start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 11))
    sec = UserFactory(username="sec", role="secretariat", agency=None, is_staff=True)
    ru_staff = UserFactory(username="ru_staff", role="agency_staff", agency=ru)
    kz_staff = UserFactory(username="kz_staff", role="agency_staff", agency=kz)
    outsider = UserFactory(username="outsider", role="agency_staff", agency=other)
    agreement = make_agreement(actor=sec, event=event, ru=ru, kz=kz)
    return SimpleNamespace(
        ru=ru, kz=kz, other=other, event=event, sec=sec, ru_staff=ru_staff, kz_staff=kz_staff,
        outsider=outsider, agreement=agreement,
    )  # fmt: skip
