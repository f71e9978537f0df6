"""Delivering against a real HTTP receiver on loopback: signed, retried on 500s, timeouts and a receiver that is down.

The attempts run in this process (delivery_attempt, or the sweeper's dispatch with sync=True); the tests with a
Celery worker are in test_worker.py.
"""

import datetime as dt
import re
import shutil
import socket
import ssl
import subprocess
import threading
import time
from pathlib import Path

import pytest
from django.utils import timezone

from omskevents.webhooks import delivery, outbox, services, transport
from omskevents.webhooks.enums import DeliveryState
from omskevents.webhooks.models import Delivery
from omskevents.webhooks.ssrf import Target

from .conftest import make_task, register

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"


def documented_verify():
    """The `verify` function of docs/webhooks.md, run as a receiver would copy it."""
    text = DOCS.read_text(encoding="utf-8")
    block = re.search(r"```python\n(.*?def verify.*?)```", text, re.S)
    assert block is not None
    namespace: dict = {}
    exec(compile(block.group(1), str(DOCS), "exec"), namespace)  # noqa: S102 - our own documentation's example
    return namespace["verify"]


@pytest.fixture(autouse=True)
def fast(settings):
    settings.WEBHOOKS_RETRY_BASE_SECONDS = 0.05
    settings.WEBHOOKS_RETRY_MAX_DELAY_SECONDS = 0.05
    settings.WEBHOOKS_REDISPATCH_SECONDS = 0
    settings.WEBHOOKS_CONNECT_TIMEOUT = 1.0
    settings.WEBHOOKS_READ_TIMEOUT = 1.0


@pytest.fixture
def hooked(receiver, head_a, secretariat, event, agency_a):
    """Agency A's endpoint on the receiver, and one task.assigned event for it."""
    endpoint, secret = register(head_a, receiver.url(), kinds=["task.assigned"])
    make_task(secretariat, event, agency_a)
    row = Delivery.objects.get(endpoint=endpoint)
    return endpoint, secret, row


def _settle(timeout: float = 5.0) -> None:
    """What the beat sweeper does, fast: hand over due rows (here, delivered in this process) until none is open."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        outbox.webhooks_sweep()
        outbox.webhooks_dispatch(sync=True)
        if not Delivery.objects.filter(state__in=[DeliveryState.PENDING, DeliveryState.SENDING]).exists():
            return
        time.sleep(0.05)


def test_delivered_signed_with_the_documented_headers(receiver, hooked):
    _endpoint, secret, row = hooked

    assert delivery.delivery_attempt(delivery_id=row.pk) == "delivered"

    [got] = receiver.received
    assert got.path == "/hook"
    assert got.headers["X-Omskevents-Event-Id"] == str(row.event_id)
    assert got.headers["X-Omskevents-Event"] == "task.assigned"
    assert got.headers["Content-Type"] == "application/json"
    assert got.body == row.body.encode()
    verify = documented_verify()
    assert verify(secret, got.headers, got.body) is True
    assert verify("whsec_" + "0" * 64, got.headers, got.body) is False  # another secret
    assert verify(secret, got.headers, got.body + b" ") is False  # a changed body
    stamp = int(got.headers["X-Omskevents-Timestamp"])
    assert verify(secret, got.headers, got.body, now=stamp + 301) is False  # replayed after the tolerance
    row.refresh_from_db()
    assert (row.state, row.attempts, row.response_code, row.response_excerpt, row.last_error) == (
        DeliveryState.DELIVERED,
        1,
        200,
        "accepted",
        "",
    )
    # A repeated broker message finds the row done: nothing goes twice.
    assert delivery.delivery_attempt(delivery_id=row.pk) == "skipped"
    assert len(receiver.received) == 1


def test_500s_are_retried_with_backoff_then_delivered(receiver, hooked):
    _endpoint, _secret, row = hooked
    receiver.script.extend(["error", "error"])

    assert delivery.delivery_attempt(delivery_id=row.pk) == "retry"
    row.refresh_from_db()
    assert (row.state, row.response_code, row.response_excerpt, row.last_error) == (
        DeliveryState.PENDING,
        500,
        "receiver error",
        "HTTP 500",
    )
    assert row.next_attempt_at > row.last_attempt_at
    _settle()

    row.refresh_from_db()
    assert (row.state, row.attempts, row.response_code) == (DeliveryState.DELIVERED, 3, 200)
    assert receiver.event_ids() == [str(row.event_id)] * 3  # the same id on every attempt


def test_a_receiver_that_hangs_past_the_read_timeout_is_retried(receiver, hooked):
    _endpoint, _secret, row = hooked
    receiver.script.append("hang")
    receiver.hang_seconds = 3

    started = time.monotonic()
    assert delivery.delivery_attempt(delivery_id=row.pk) == "retry"
    assert time.monotonic() - started < 2.5  # the read timeout (1 s) cut it short
    row.refresh_from_db()
    assert row.state == DeliveryState.PENDING
    assert "timed out" in row.last_error
    _settle()

    row.refresh_from_db()
    assert (row.state, row.attempts) == (DeliveryState.DELIVERED, 2)


def test_receiver_down_then_up_is_delivered_after_a_retry(receiver, hooked):
    _endpoint, _secret, row = hooked
    receiver.stop()

    assert delivery.delivery_attempt(delivery_id=row.pk) == "retry"
    row.refresh_from_db()
    assert row.response_code is None
    assert "ConnectionRefusedError" in row.last_error

    receiver.start()  # the same port
    _settle()
    row.refresh_from_db()
    assert (row.state, row.attempts) == (DeliveryState.DELIVERED, 2)
    assert receiver.event_ids() == [str(row.event_id)]


def test_failures_past_the_retry_period_fail_and_a_person_sends_it_again(receiver, hooked, head_a, settings):
    _endpoint, _secret, row = hooked
    receiver.default = "error"
    settings.WEBHOOKS_RETRY_FOR_SECONDS = 0

    assert delivery.delivery_attempt(delivery_id=row.pk) == "failed"
    row.refresh_from_db()
    assert (row.state, row.response_code) == (DeliveryState.FAILED, 500)
    _settle()
    assert len(receiver.received) == 1  # a failed row waits for a person

    receiver.default = "ok"
    settings.WEBHOOKS_RETRY_FOR_SECONDS = 3600
    services.delivery_retry(actor=head_a, delivery=row)
    _settle()
    row.refresh_from_db()
    assert (row.state, row.attempts) == (DeliveryState.DELIVERED, 2)
    assert receiver.event_ids() == [str(row.event_id)] * 2


def test_an_inactive_endpoint_cancels_its_waiting_deliveries(receiver, hooked, head_a):
    endpoint, _secret, row = hooked
    services.endpoint_deactivate(actor=head_a, endpoint=endpoint)

    assert delivery.delivery_attempt(delivery_id=row.pk) == "cancelled"
    assert receiver.received == []


def test_the_lease_of_a_vanished_worker_lapses_and_a_late_outcome_is_ignored(receiver, hooked):
    _endpoint, _secret, row = hooked
    # A worker claimed the row and vanished (or is too slow): its lease lapses.
    Delivery.objects.filter(pk=row.pk).update(
        state=DeliveryState.SENDING, attempts=1, lease_until=timezone.now() - dt.timedelta(seconds=1)
    )
    assert outbox.webhooks_sweep() == 1
    row.refresh_from_db()
    assert (row.state, row.last_error) == (DeliveryState.PENDING, outbox.LAPSED_NOTE)
    _settle()
    row.refresh_from_db()
    assert (row.state, row.attempts) == (DeliveryState.DELIVERED, 2)
    # The first worker, back at last, cannot record over the attempt that took the row over.
    assert delivery._finish(row.pk, 1, state=DeliveryState.FAILED) is False
    row.refresh_from_db()
    assert row.state == DeliveryState.DELIVERED


def test_the_connection_goes_to_the_checked_address_not_a_fresh_lookup(receiver):
    # A name nobody can resolve: only the pinned address can reach the receiver (no second lookup happens).
    target = Target(scheme="http", host="rebinding.invalid", port=receiver.port, path="/pinned", address="127.0.0.1")

    answer = transport.post(target, body=b"{}", headers={}, connect_timeout=1, read_timeout=1)

    assert answer.status == 200
    [got] = receiver.received
    assert (got.path, got.headers["Host"]) == ("/pinned", f"rebinding.invalid:{receiver.port}")


def test_the_guard_runs_again_at_delivery(receiver, hooked, settings):
    _endpoint, _secret, row = hooked
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False  # as in production: 127.0.0.1 is refused now

    assert delivery.delivery_attempt(delivery_id=row.pk) == "retry"
    row.refresh_from_db()
    assert "127.0.0.1" in row.last_error
    assert receiver.received == []


def test_tls_goes_to_the_checked_address_with_the_url_host_as_sni_and_verifies_the_certificate(tmp_path):
    """A TLS server on loopback with a self-signed certificate for the URL's host: the client names that host in
    SNI (though it connects to the pinned address) and refuses the certificate no authority vouches for."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    command = [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert)]
    subprocess.run(  # noqa: S603 - fixed arguments
        [*command, "-subj", "/CN=hooks.example.org", "-days", "1"],
        check=True,
        capture_output=True,
    )
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert, key)
    names: list[str | None] = []
    server_context.sni_callback = lambda _sock, name, _ctx: names.append(name)
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        conn, _ = listener.accept()
        try:
            server_context.wrap_socket(conn, server_side=True)
        except (ssl.SSLError, OSError):
            pass  # the client hangs up on the certificate
        finally:
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    target = Target(
        scheme="https", host="hooks.example.org", port=listener.getsockname()[1], path="/", address="127.0.0.1"
    )
    try:
        with pytest.raises(ssl.SSLCertVerificationError):
            transport.post(target, body=b"{}", headers={}, connect_timeout=2, read_timeout=2)
    finally:
        listener.close()
    assert names == ["hooks.example.org"]
