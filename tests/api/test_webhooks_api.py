"""Webhooks through the API: an agency head registers the agency's endpoint (the secret in that answer only), reads
its delivery log and sends a delivery again; hostile input is a 400 with field errors and writes nothing."""

import pytest

from omskevents.webhooks.models import Endpoint
from tests.api.conftest import make_token
from tests.security.conftest import changed_tables, db_state

pytestmark = pytest.mark.django_db

RECEIVER = "http://127.0.0.1:8999/hooks/omskevents"


def _state():
    state = db_state()
    state.pop("api.ApiToken")
    return state


def test_a_head_registers_reads_changes_and_deletes_the_agencys_endpoint(api, world):
    api.use(make_token(world.head_a))
    made = api.post("/api/v1/webhooks/", {"url": RECEIVER, "kinds": ["report.submitted", "task.assigned"],
                                          "description": "1С:Документооборот"})  # fmt: skip
    assert made.status_code == 201
    body = made.json()
    assert body["secret"].startswith("whsec_")
    assert body["kinds"] == ["task.assigned", "report.submitted"]
    assert body["agency"]["id"] == world.agency_a.pk
    assert "no-store" in made["Cache-Control"]
    assert Endpoint.objects.get(pk=body["id"]).secret == body["secret"]
    listed = api.get("/api/v1/webhooks/").json()["results"]
    assert {row["id"] for row in listed} == {body["id"], world.endpoint_a.pk}
    assert all("secret" not in row for row in listed)
    assert "secret" not in api.get(f"/api/v1/webhooks/{body['id']}/").json()
    changed = api.patch(f"/api/v1/webhooks/{body['id']}/", {"is_active": False})
    assert changed.json()["is_active"] is False
    new = api.post(f"/api/v1/webhooks/{body['id']}/secret/").json()["secret"]
    assert new != body["secret"]
    assert api.delete(f"/api/v1/webhooks/{body['id']}/").status_code == 204
    assert not Endpoint.objects.filter(pk=body["id"]).exists()


def test_the_delivery_log_and_a_retry(api, world):
    api.use(make_token(world.head_a))
    log = api.get(f"/api/v1/webhooks/{world.endpoint_a.pk}/deliveries/").json()["results"]
    assert [(row["id"], row["state"], row["response_code"]) for row in log] == [(world.delivery_a.pk, "failed", 500)]
    retried = api.post(f"/api/v1/webhook-deliveries/{world.delivery_a.pk}/retry/")
    assert retried.status_code == 200
    assert retried.json()["state"] == "pending"


def test_a_read_token_cannot_register(api, world):
    api.use(make_token(world.head_a, scope="read"))
    assert api.get("/api/v1/webhooks/").status_code == 200
    assert api.post("/api/v1/webhooks/", {"url": RECEIVER, "kinds": ["task.assigned"]}).status_code == 403


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({}, {"url", "kinds"}),
        ({"url": "ftp://example.org/x", "kinds": ["task.assigned"]}, {"url"}),
        ({"url": "javascript:alert(1)", "kinds": ["task.assigned"]}, {"url"}),
        ({"url": RECEIVER, "kinds": []}, {"kinds"}),
        ({"url": RECEIVER, "kinds": ["task.deleted", "<script>"]}, {"kinds"}),
        ({"url": RECEIVER, "kinds": "task.assigned"}, {"kinds"}),
        ({"url": RECEIVER, "kinds": ["task.assigned"], "description": "x" * 201}, {"description"}),
        ({"url": "https://" + "a" * 600 + ".org/", "kinds": ["task.assigned"]}, {"url"}),
        ({"url": RECEIVER, "kinds": ["task.assigned"], "is_active": "sometimes"}, {"is_active"}),
    ],
)
def test_hostile_registration_is_a_400_with_field_errors_and_writes_nothing(api, world, payload, fields):
    api.use(make_token(world.head_a))
    before = _state()
    response = api.post("/api/v1/webhooks/", payload)
    assert response.status_code == 400, response.content
    assert fields <= set(response.json())
    assert changed_tables(before, _state()) == []


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8999/x", "https://10.0.0.5/x", "https://[::1]/x", "http://example.org/x"]
)
def test_production_refuses_plain_http_and_private_addresses(api, world, settings, url):
    settings.WEBHOOKS_ALLOW_HTTP = False
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    api.use(make_token(world.head_a))
    before = _state()
    response = api.post("/api/v1/webhooks/", {"url": url, "kinds": ["task.assigned"]})
    assert response.status_code == 400
    assert set(response.json()) == {"url"}
    assert changed_tables(before, _state()) == []


def test_a_hostile_change_is_a_400_and_changes_nothing(api, world):
    api.use(make_token(world.head_a))
    before = _state()
    response = api.patch(f"/api/v1/webhooks/{world.endpoint_a.pk}/", {"url": "gopher://x", "kinds": []})
    assert response.status_code == 400
    assert {"url", "kinds"} <= set(response.json())
    assert changed_tables(before, _state()) == []
