"""The SSRF guard with production's settings: https only, no private, loopback, link-local or reserved address."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from omskevents.webhooks import services, ssrf
from omskevents.webhooks.models import Endpoint

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PRIVATE = "ведёт в частную, локальную или зарезервированную сеть"


@pytest.fixture(autouse=True)
def production(settings):
    settings.WEBHOOKS_ALLOW_HTTP = False
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    with translation.override("ru"):
        yield


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("https://127.0.0.1/hook", "127.0.0.1"),
        ("https://127.1.2.3:8443/hook", "127.1.2.3"),
        ("https://10.0.0.5/hook", "10.0.0.5"),
        ("https://172.16.4.1/hook", "172.16.4.1"),
        ("https://192.168.1.10/hook", "192.168.1.10"),
        ("https://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("https://100.64.0.1/hook", "100.64.0.1"),
        ("https://0.0.0.0/hook", "0.0.0.0"),  # noqa: S104 - an address to refuse, not one to bind
        ("https://224.0.0.1/hook", "224.0.0.1"),
        ("https://240.0.0.1/hook", "240.0.0.1"),
        ("https://[::1]/hook", "::1"),
        ("https://[fe80::1]/hook", "fe80::1"),
        ("https://[fc00::1]/hook", "fc00::1"),
        ("https://[::ffff:127.0.0.1]/hook", "::ffff:127.0.0.1"),
    ],
)
def test_private_and_reserved_addresses_are_refused_with_a_russian_message(head_a, url, address):
    with pytest.raises(ValidationError) as error:
        services.endpoint_register(actor=head_a, url=url, kinds=["task.assigned"])

    [message] = error.value.message_dict["url"]
    assert PRIVATE in message
    assert f"({address})" in message
    assert Endpoint.objects.count() == 0


@pytest.mark.parametrize("url", ["https://2130706433/hook", "https://0x7f000001/hook", "https://127.1/hook"])
def test_loopback_in_disguise_is_refused_by_the_guard_itself(url):
    # The form's URL check refuses these spellings already; the guard (which runs alone at every delivery)
    # resolves them as the connection would, to 127.0.0.1.
    with pytest.raises(ValidationError) as error:
        ssrf.check_url(url)
    assert "(127.0.0.1)" in error.value.messages[0]


def test_a_name_resolving_to_loopback_is_refused(head_a):
    with pytest.raises(ValidationError) as error:
        services.endpoint_register(actor=head_a, url="https://localhost:8443/hook", kinds=["task.assigned"])

    [message] = error.value.message_dict["url"]
    assert message.startswith("Адрес localhost ведёт в частную, локальную или зарезервированную сеть (")
    assert message.endswith("): вебхуки отправляются только на публичные адреса.")


def test_plain_http_is_refused(head_a):
    with pytest.raises(ValidationError) as error:
        services.endpoint_register(actor=head_a, url="http://93.184.215.14/hook", kinds=["task.assigned"])
    assert error.value.message_dict == {"url": ["Принимаются только адреса https://."]}


def test_a_public_address_is_accepted_and_pinned():
    target = ssrf.check_url("https://93.184.215.14:8443/hooks/omsk?x=1")
    assert (target.scheme, target.host, target.port, target.path, target.address) == (
        "https",
        "93.184.215.14",
        8443,
        "/hooks/omsk?x=1",
        "93.184.215.14",
    )


def test_development_allows_loopback_over_http(settings):
    settings.WEBHOOKS_ALLOW_HTTP = True
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    assert ssrf.check_url("http://127.0.0.1:8000/hook").address == "127.0.0.1"


def test_production_settings_fix_the_guard_on_whatever_the_environment_says(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PYTEST")},
        "DJANGO_SETTINGS_MODULE": "omskevents.settings.production",
        "SECRET_KEY": "x" * 50,
        "WEBHOOKS_ALLOW_HTTP": "on",
        "WEBHOOKS_ALLOW_PRIVATE_ADDRESSES": "on",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
    }
    code = "from django.conf import settings as s; print(s.WEBHOOKS_ALLOW_HTTP, s.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES)"
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert (done.returncode, done.stdout.strip()) == (0, "False False"), done.stderr
