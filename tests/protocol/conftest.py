"""A protocol of the 27th session with one section and the two sides' agencies of the shared fixtures."""

import datetime as dt

import pytest

from tests.factories.protocol import ProtocolFactory, ProtocolSectionFactory


@pytest.fixture
def protocol():
    return ProtocolFactory(event__start_date=dt.date(2026, 12, 10), event__end_date=dt.date(2026, 12, 11))


@pytest.fixture
def section(protocol):
    return ProtocolSectionFactory(protocol=protocol, number=1, title="Транспорт и логистика")
