"""Fixtures for the webhook tests: an event, endpoints of an agency and of the secretariats, a real receiver."""

import datetime as dt
import json

import pytest

from omskevents.webhooks import services
from omskevents.webhooks.enums import EventKind
from omskevents.webhooks.models import Delivery, Endpoint
from omskevents.workplan import services as workplan
from tests.factories.events import EventFactory

from .receiver import Receiver

ALL_KINDS = list(EventKind.values)


@pytest.fixture
def event(db):
    return EventFactory(short_title="Форум XXII", start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 11))


@pytest.fixture
def receiver():
    server = Receiver().start()
    yield server
    server.release.set()
    server.stop()


def register(user, url: str, kinds=None) -> tuple[Endpoint, str]:
    return services.endpoint_register(actor=user, url=url, kinds=kinds or ALL_KINDS)


def make_task(secretariat, event, agency, *, title: str = "Подготовить причал", co=()):
    return workplan.task_create(
        actor=secretariat,
        event=event,
        title=title,
        area="irtysh_logistics",
        lead_agency=agency,
        deadline=dt.date(2026, 11, 20),
        co_executors=list(co),
    )


def bodies(endpoint: Endpoint) -> list[dict]:
    return [
        json.loads(b) for b in Delivery.objects.filter(endpoint=endpoint).order_by("pk").values_list("body", flat=True)
    ]


def kinds_of(endpoint: Endpoint) -> list[str]:
    return list(Delivery.objects.filter(endpoint=endpoint).order_by("pk").values_list("kind", flat=True))
