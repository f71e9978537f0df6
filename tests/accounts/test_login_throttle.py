"""Login throttling behind the reverse proxy: the real client address, a lock per username and address, and a
budget per address across all usernames. Nobody can lock the chair out from another address."""

import logging

import pytest
from django.test import RequestFactory, override_settings

from omskevents.core.client_ip import client_ip
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
PROXY = "10.0.0.1"
CHAIR_AT = "198.51.100.7"
ATTACKER_AT = "203.0.113.5"


@pytest.fixture
def chair(db):
    return UserFactory(username="chair", role="secretariat", agency=None, last_name="Хоценко")


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_IP_FAILURE_LIMIT = 20


def _login(client, username: str, password: str, *, forwarded_for: str, peer: str = PROXY):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=peer,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_failures_from_another_address_behind_the_proxy_do_not_lock_out_the_chair(client, chair, behind_proxy):
    for _ in range(10):
        assert _login(client, "chair", "wrong", forwarded_for=ATTACKER_AT).status_code in (200, 429)

    response = _login(client, "chair", PASSWORD, forwarded_for=CHAIR_AT)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(chair.pk)


def test_the_address_that_failed_five_times_is_locked_for_that_username(client, chair, behind_proxy):
    for _ in range(5):
        _login(client, "chair", "wrong", forwarded_for=ATTACKER_AT)

    response = _login(client, "chair", PASSWORD, forwarded_for=ATTACKER_AT)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_forwarded_for_from_an_untrusted_peer_is_ignored(client, chair, settings):
    """Without a trusted proxy, a forged X-Forwarded-For neither frames the chair's address nor lets the attacker
    rotate past the lock."""
    settings.TRUSTED_PROXIES = []
    settings.AXES_FAILURE_LIMIT = 5
    for n in range(5):
        _login(client, "chair", "wrong", peer=ATTACKER_AT, forwarded_for=f"{CHAIR_AT}, 192.0.2.{n}")

    from_attacker = _login(client, "chair", PASSWORD, peer=ATTACKER_AT, forwarded_for="192.0.2.99")
    from_chair = _login(client, "chair", PASSWORD, peer=CHAIR_AT, forwarded_for="")

    assert from_attacker.status_code == 429
    assert from_chair.status_code == 302


def test_one_address_trying_many_accounts_is_throttled_across_usernames(client, chair, behind_proxy):
    for n in range(20):
        _login(client, f"guess-{n}", "wrong", forwarded_for=ATTACKER_AT)

    from_attacker = _login(client, "chair", PASSWORD, forwarded_for=ATTACKER_AT)
    from_chair = _login(client, "chair", PASSWORD, forwarded_for=CHAIR_AT)

    assert from_attacker.status_code == 429
    assert from_chair.status_code == 302


def test_below_the_address_budget_other_usernames_still_log_in(client, chair, behind_proxy):
    for n in range(19):
        _login(client, f"guess-{n}", "wrong", forwarded_for=ATTACKER_AT)

    assert _login(client, "chair", PASSWORD, forwarded_for=ATTACKER_AT).status_code == 302


def test_a_successful_login_does_not_refill_the_address_budget(client, chair, behind_proxy):
    own = UserFactory(username="own-account")
    for n in range(19):
        _login(client, f"guess-{n}", "wrong", forwarded_for=ATTACKER_AT)
    assert _login(client, "own-account", PASSWORD, forwarded_for=ATTACKER_AT).status_code == 302
    client.logout()
    _login(client, "guess-19", "wrong", forwarded_for=ATTACKER_AT)

    assert _login(client, own.username, PASSWORD, forwarded_for=ATTACKER_AT).status_code == 429


def test_security_log_records_the_real_client_address(client, chair, behind_proxy, caplog):
    with caplog.at_level(logging.WARNING, logger="omskevents.security"):
        _login(client, "chair", "wrong", forwarded_for=ATTACKER_AT)
    lines = [r.getMessage() for r in caplog.records if r.name == "omskevents.security"]
    assert len(lines) == 1
    assert lines[0].startswith(f"login_failed user='chair' agency='-' ip={ATTACKER_AT} at=")


# --- The client address itself ---------------------------------------------------------------------------


def _address(remote: str, forwarded: str | None = None, **overrides) -> str:
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    with override_settings(**overrides):
        return client_ip(RequestFactory().get("/", **meta))


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "expected"),
    [
        # No trusted proxy (the default): the peer's address, whatever the header says.
        ("203.0.113.5", "198.51.100.7", [], "203.0.113.5"),
        # The documented set-up: nginx on 10.0.0.1 appends the client's address.
        ("10.0.0.1", "203.0.113.5", ["10.0.0.1"], "203.0.113.5"),
        # A forged entry before the real one: read from the right, the first address not a trusted proxy.
        ("10.0.0.1", "198.51.100.7, 203.0.113.5", ["10.0.0.1"], "203.0.113.5"),
        # Two proxies in a trusted network: both are skipped.
        ("10.0.0.1", "203.0.113.5, 10.0.0.2", ["10.0.0.0/24"], "203.0.113.5"),
        # A peer that is not a trusted proxy: its header is not believed.
        ("192.0.2.1", "203.0.113.5", ["10.0.0.1"], "192.0.2.1"),
        # A trusted proxy without the header: the proxy itself is the client.
        ("10.0.0.1", None, ["10.0.0.1"], "10.0.0.1"),
        # A malformed entry stops the walk at the last address a trusted proxy vouched for.
        ("10.0.0.1", "203.0.113.5, not-an-address", ["10.0.0.1"], "10.0.0.1"),
        ("10.0.0.1", "", ["10.0.0.1"], "10.0.0.1"),
        # IPv6, written either way, comes out in one canonical form.
        ("::1", "2001:DB8:0:0::7", ["::1"], "2001:db8::7"),
        # Only proxies all the way: the leftmost of them.
        ("10.0.0.1", "10.0.0.3, 10.0.0.2", ["10.0.0.0/24"], "10.0.0.3"),
    ],
)
def test_client_ip(remote, forwarded, trusted, expected):
    assert _address(remote, forwarded, TRUSTED_PROXIES=trusted) == expected


def test_a_malformed_trusted_proxy_is_a_configuration_error(settings):
    from omskevents.core.checks import check_trusted_proxies

    settings.TRUSTED_PROXIES = ["10.0.0.1", "nginx.local"]
    assert [(m.id, m.msg) for m in check_trusted_proxies(None)] == [
        ("omskevents.E001", "TRUSTED_PROXIES: 'nginx.local' is not an address or a network.")
    ]


def test_deployment_check_warns_when_no_proxy_is_trusted(settings):
    from omskevents.core.checks import check_trusted_proxies_in_production

    settings.TRUSTED_PROXIES = []
    assert [m.id for m in check_trusted_proxies_in_production(None)] == ["omskevents.W001"]
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert check_trusted_proxies_in_production(None) == []
