"""The services h16a's API and the workspace share: who registers what, the checks, the secret shown once."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from omskevents.webhooks import selectors, services
from omskevents.webhooks.enums import DeliveryState, Owner
from omskevents.webhooks.models import Endpoint
from omskevents.webhooks.signing import signature
from tests.factories.webhooks import make_delivery, make_endpoint

pytestmark = pytest.mark.django_db

URL = "http://127.0.0.1:9/hook"


@pytest.fixture(autouse=True)
def russian():
    with translation.override("ru"):
        yield


def test_a_head_registers_for_the_agency_and_gets_the_secret_once(head_a, agency_a):
    endpoint, secret = services.endpoint_register(
        actor=head_a, url=URL, kinds=["report.submitted", "task.assigned", "task.assigned"], description=" Дело "
    )

    assert (endpoint.owner, endpoint.agency_id, endpoint.created_by_id) == (Owner.AGENCY, agency_a.pk, head_a.pk)
    assert endpoint.kinds == ["task.assigned", "report.submitted"]  # unique, in the order of the list
    assert endpoint.description == "Дело"
    assert secret.startswith("whsec_")
    assert len(secret) == 6 + 64
    assert Endpoint.objects.get(pk=endpoint.pk).secret == secret  # kept to sign with
    assert signature(secret, 1, b"{}") != signature(
        services.endpoint_secret_rotate(actor=head_a, endpoint=endpoint), 1, b"{}"
    )


@pytest.mark.parametrize(
    ("account", "owner"), [("secretariat", Owner.SECRETARIAT), ("kz_secretariat", Owner.KZ_SECRETARIAT)]
)
def test_a_secretariat_registers_for_itself(request, account, owner):
    endpoint, _ = services.endpoint_register(actor=request.getfixturevalue(account), url=URL, kinds=["task.assigned"])
    assert (endpoint.owner, endpoint.agency_id) == (owner, None)


def test_staff_may_not_register(staff_a):
    with pytest.raises(PermissionDenied):
        services.endpoint_register(actor=staff_a, url=URL, kinds=["task.assigned"])
    assert Endpoint.objects.count() == 0


def test_each_sees_and_manages_only_their_own(head_a, staff_a, secretariat, kz_secretariat, agency_b, staff_b):
    own, _ = services.endpoint_register(actor=head_a, url=URL, kinds=["task.assigned"])
    theirs = make_endpoint(agency=agency_b)
    secretariats = make_endpoint(owner=Owner.SECRETARIAT)

    assert list(selectors.endpoints_visible_to(head_a)) == [own]
    assert list(selectors.endpoints_visible_to(staff_a)) == []
    assert list(selectors.endpoints_visible_to(secretariat)) == [secretariats]
    assert list(selectors.endpoints_visible_to(kz_secretariat)) == []
    for user, endpoint in ((head_a, theirs), (secretariat, own), (staff_b, theirs), (kz_secretariat, secretariats)):
        with pytest.raises(PermissionDenied):
            services.endpoint_update(actor=user, endpoint=endpoint, description="чужое")
        with pytest.raises(PermissionDenied):
            services.endpoint_delete(actor=user, endpoint=endpoint)
        with pytest.raises(PermissionDenied):
            services.endpoint_secret_rotate(actor=user, endpoint=endpoint)
    delivery = make_delivery(theirs)
    with pytest.raises(PermissionDenied):
        services.delivery_retry(actor=head_a, delivery=delivery)
    assert Endpoint.objects.filter(description="чужое").count() == 0


def test_bad_input_names_every_wrong_field_in_russian_and_writes_nothing(head_a):
    with pytest.raises(ValidationError) as error:
        services.endpoint_register(
            actor=head_a, url="ftp://example.org/x", kinds=["task.exploded"], description="д" * 201
        )

    assert error.value.message_dict == {
        "url": ["Введите правильный адрес, например https://example.org/hooks/omskevents."],
        "kinds": ["Неизвестный вид события: task.exploded."],
        "description": ["Описание длиннее 200 символов."],
    }
    assert Endpoint.objects.count() == 0


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "Укажите адрес вашего приёмника."),
        ("http://" + "a" * 500 + ".org/", "Адрес длиннее 500 символов."),
        ("javascript:alert(1)", "Введите правильный адрес, например https://example.org/hooks/omskevents."),
        ("http://user:pass@127.0.0.1/x", "Адрес не должен содержать имя пользователя или пароль."),
        ("http://no-such-host.invalid/x", "Не удаётся найти адрес сервера no-such-host.invalid."),
    ],
)
def test_bad_addresses_are_refused(head_a, url, message):
    with pytest.raises(ValidationError) as error:
        services.endpoint_register(actor=head_a, url=url, kinds=["task.assigned"])
    assert error.value.message_dict == {"url": [message]}


def test_no_kind_is_refused(head_a):
    with pytest.raises(ValidationError) as error:
        services.endpoint_register(actor=head_a, url=URL, kinds=[])
    assert error.value.message_dict == {"kinds": ["Выберите хотя бы один вид событий."]}


def test_an_owner_has_at_most_the_allowed_number_of_endpoints(head_a, settings):
    settings.WEBHOOKS_MAX_ENDPOINTS = 2
    for _ in range(2):
        services.endpoint_register(actor=head_a, url=URL, kinds=["task.assigned"])
    with pytest.raises(ValidationError) as error:
        services.endpoint_register(actor=head_a, url=URL, kinds=["task.assigned"])
    assert error.value.message_dict == {
        "__all__": ["У вас уже столько вебхуков, сколько можно (2): сначала удалите ненужный."]
    }


def test_update_changes_only_what_is_given_and_checks_it(head_a):
    endpoint, secret = services.endpoint_register(actor=head_a, url=URL, kinds=["task.assigned"], description="Дело")

    services.endpoint_update(actor=head_a, endpoint=endpoint, kinds=["meeting.scheduled"], is_active=False)
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.kinds, endpoint.description, endpoint.is_active, endpoint.secret) == (
        URL,
        ["meeting.scheduled"],
        "Дело",
        False,
        secret,
    )
    with pytest.raises(ValidationError):
        services.endpoint_update(actor=head_a, endpoint=endpoint, url="gopher://x", description="Новое")
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.description) == (URL, "Дело")  # nothing of a refused change is kept


def test_delete_takes_the_log_with_it(head_a):
    endpoint, _ = services.endpoint_register(actor=head_a, url=URL, kinds=["task.assigned"])
    make_delivery(endpoint)
    services.endpoint_delete(actor=head_a, endpoint=endpoint)
    assert Endpoint.objects.count() == 0


def test_retry_queues_again_but_not_a_delivery_being_sent(head_a):
    endpoint, _ = services.endpoint_register(actor=head_a, url=URL, kinds=["task.assigned"])
    failed = make_delivery(endpoint, state=DeliveryState.FAILED)
    sending = make_delivery(endpoint, state=DeliveryState.SENDING)

    assert services.delivery_retry(actor=head_a, delivery=failed).state == DeliveryState.PENDING
    with pytest.raises(ValidationError) as error:
        services.delivery_retry(actor=head_a, delivery=sending)
    assert error.value.messages == ["Эта доставка отправляется прямо сейчас."]
    services.endpoint_deactivate(actor=head_a, endpoint=endpoint)
    failed.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.delivery_retry(actor=head_a, delivery=failed)
    assert error.value.messages == ["Вебхук отключён: сначала включите его."]
