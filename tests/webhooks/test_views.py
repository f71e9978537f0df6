"""The workspace pages: register (the secret shown once), the list, the log with "retry", edit, delete."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from omskevents.webhooks.enums import DeliveryState
from omskevents.webhooks.models import Delivery, Endpoint
from tests.factories.webhooks import make_delivery
from tests.security.conftest import changed_tables, db_state

from .conftest import register

pytestmark = pytest.mark.django_db

URL = "http://127.0.0.1:9/hook"


@pytest.fixture
def head(client, head_a):
    client.force_login(head_a)
    return client


def test_register_shows_the_secret_once_and_never_again(head, head_a):
    response = head.post(
        reverse("webhooks:create"), {"url": URL, "kinds": ["task.assigned", "meeting.scheduled"], "is_active": "on"}
    )

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    endpoint = Endpoint.objects.get()
    text = response.content.decode()
    assert "Вебхук зарегистрирован" in text
    assert endpoint.secret in text
    detail = head.get(endpoint.get_absolute_url()).content.decode()
    assert URL in detail
    assert "Поручение назначено, Назначено заседание" in detail
    assert endpoint.secret not in detail
    assert endpoint.secret not in head.get(reverse("webhooks:update", args=[endpoint.pk])).content.decode()
    assert endpoint.secret not in head.get(reverse("webhooks:list")).content.decode()


def test_a_new_secret_replaces_the_old_one(head, head_a):
    endpoint, old = register(head_a, URL)
    response = head.post(reverse("webhooks:secret", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert endpoint.secret != old
    assert endpoint.secret in response.content.decode()
    assert "Создан новый секрет" in response.content.decode()


HOSTILE = [
    {"url": "", "kinds": ["task.assigned"]},
    {"url": "ftp://example.org/x", "kinds": ["task.assigned"]},
    {"url": "https://" + "a" * 600 + ".org/", "kinds": ["task.assigned"]},
    {"url": "http://user:pw@127.0.0.1/x", "kinds": ["task.assigned"]},
    {"url": "http://127.0.0.1:99999/x", "kinds": ["task.assigned"]},
    {"url": "http://no-such-host.invalid/", "kinds": ["task.assigned"]},
    {"url": '<script>alert("x")</script>', "kinds": ["task.assigned"]},
    {"url": "http://127.0.0.1\x00.evil/", "kinds": ["task.assigned"]},
    {"url": URL, "kinds": []},
    {"url": URL, "kinds": ["task.exploded"]},
    {"url": URL, "kinds": ["task.assigned"], "description": "д" * 201},
    {"url": URL, "kinds": ["task.assigned"], "description": "\x00"},
]
MESSAGES = {
    "Обязательное поле.",
    "Введите правильный адрес, например https://example.org/hooks/omskevents.",
    "Убедитесь, что это значение содержит не более 500 символов (сейчас 613).",
    "Адрес не должен содержать имя пользователя или пароль.",
    "В адресе указан неверный порт.",
    "Не удаётся найти адрес сервера no-such-host.invalid.",
    "Выберите хотя бы один вид событий.",
    "Выберите корректный вариант. task.exploded нет среди допустимых значений.",
    "Убедитесь, что это значение содержит не более 200 символов (сейчас 201).",
    "Данные содержат запрещённый символ: ноль-байт",
}


@pytest.mark.parametrize("data", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("page", ["create", "update"])
def test_hostile_input_is_refused_with_a_russian_message_and_writes_nothing(head, head_a, data, page):
    endpoint, _ = register(head_a, "http://127.0.0.1:9/before")
    path = reverse("webhooks:create") if page == "create" else reverse("webhooks:update", args=[endpoint.pk])
    before = db_state()

    response = head.post(path, data)

    assert response.status_code == 200  # the form again, with the reasons
    assert changed_tables(before, db_state()) == []
    errors = [e for field in response.context["form"].errors.values() for e in field]
    assert errors
    assert set(errors) <= MESSAGES, errors
    assert "<script>alert" not in response.content.decode()


def test_edit_saves_and_redirects(head, head_a):
    endpoint, _ = register(head_a, URL)
    response = head.post(
        reverse("webhooks:update", args=[endpoint.pk]),
        {"url": "http://127.0.0.1:9/new", "kinds": ["report.submitted"], "description": "Directum"},
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.kinds, endpoint.description, endpoint.is_active) == (
        "http://127.0.0.1:9/new",
        ["report.submitted"],
        "Directum",
        False,  # the box was not ticked
    )


def test_delete_asks_first(head, head_a):
    endpoint, _ = register(head_a, URL)
    confirm = head.get(reverse("webhooks:delete", args=[endpoint.pk]))
    assert "Журнал его доставок тоже будет удалён" in confirm.content.decode()
    assert Endpoint.objects.count() == 1
    assert head.post(reverse("webhooks:delete", args=[endpoint.pk])).status_code == 302
    assert Endpoint.objects.count() == 0


def test_the_log_shows_codes_and_errors_and_retry_queues_again(head, head_a):
    endpoint, _ = register(head_a, URL)
    delivery = make_delivery(endpoint)

    page = head.get(endpoint.get_absolute_url()).content.decode()
    assert "Ошибка отправки" in page
    assert "<strong>500</strong>" in page
    assert "HTTP 500" in page
    assert reverse("webhooks:retry", args=[delivery.pk]) in page

    response = head.post(reverse("webhooks:retry", args=[delivery.pk]), follow=True)
    assert "Доставка снова поставлена в очередь." in response.content.decode()
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PENDING


def test_the_list_costs_the_same_queries_for_one_and_many(head, head_a, django_assert_num_queries):
    endpoint, _ = register(head_a, URL)
    make_delivery(endpoint)
    head.get(reverse("dashboard:home"))  # the session's activity is recorded once a minute: not in the count
    with django_assert_num_queries(3 + 1):  # + 1: the menu's unread count
        assert head.get(reverse("webhooks:list")).status_code == 200
    for n in range(5):
        more, _ = register(head_a, f"http://127.0.0.1:9/more{n}")
        make_delivery(more)
        make_delivery(more, state=DeliveryState.PENDING)
    with django_assert_num_queries(3 + 1):  # + 1: the menu's unread count
        response = head.get(reverse("webhooks:list"))
    assert response.status_code == 200
    assert "1 доставка не удалась" in response.content.decode()


def test_the_log_costs_the_same_queries_for_one_and_many(head, head_a, django_assert_num_queries):
    endpoint, _ = register(head_a, URL)
    make_delivery(endpoint)
    head.get(reverse("dashboard:home"))  # as above
    with django_assert_num_queries(4 + 1):  # + 1: the menu's unread count
        assert head.get(endpoint.get_absolute_url()).status_code == 200
    for _ in range(20):
        make_delivery(endpoint)
    with django_assert_num_queries(4 + 1):  # + 1: the menu's unread count
        response = head.get(endpoint.get_absolute_url())
    assert response.content.decode().count("Повторить") == 21
    assert Delivery.objects.count() == 21


def test_staff_see_no_menu_item_and_no_page(client, staff_a, head_a):
    client.force_login(staff_a)
    assert reverse("webhooks:list") not in client.get(reverse("dashboard:home")).content.decode()
    assert client.get(reverse("webhooks:list")).status_code == 403
    client.force_login(head_a)
    assert reverse("webhooks:list") in client.get(reverse("dashboard:home")).content.decode()


@pytest.mark.parametrize("hostile", ["abc", "-1", "0x10", "١٢", "²", "１２", "9" * 25, str(2**63), " 1", "1\n"])
def test_malformed_ids_are_not_found(head, head_a, hostile):
    endpoint, _ = register(head_a, URL)
    make_delivery(endpoint)
    bad = quote(hostile, safe="")
    before = db_state()
    for method, path in [
        ("get", f"/webhooks/{bad}/"),
        ("get", f"/webhooks/{bad}/edit/"),
        ("post", f"/webhooks/{bad}/edit/"),
        ("get", f"/webhooks/{bad}/delete/"),
        ("post", f"/webhooks/{bad}/delete/"),
        ("post", f"/webhooks/{bad}/secret/"),
        ("post", f"/webhooks/deliveries/{bad}/retry/"),
    ]:
        assert getattr(head, method)(path).status_code == 404, (method, path)
    assert changed_tables(before, db_state()) == []
