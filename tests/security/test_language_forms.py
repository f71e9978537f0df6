"""Every page of the site (walked from the URL conf with the permission matrix's world) and the main kinds of mail,
in Russian, Kazakh and English, hold none of the known-wrong forms: a number before a noun in the wrong form, a
model name in the wrong case from the admin's messages, a zone shown as an offset, an English string in a Russian
or Kazakh page, a bare "403 Forbidden"."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from omskevents.committee import services as committee_services
from omskevents.notifications import dispatch, notices
from omskevents.notifications.models import Notification
from tests.security.test_permission_matrix import DECISIONS

pytestmark = pytest.mark.django_db

LANGUAGES = ("ru", "kk", "en")
WRONG_EVERYWHERE = [
    r"\b[2-4] строк\b",
    r"\b[5-9] поручения\b",
    r"\b1[1-4] поручения\b",
    r"\b[2-4] дней\b",
    r"Изменить делегация",
    r"был успешно",
    r"\(\+0\d\)",
    r"\(\+0\d:00\)",
    r"403 Forbidden",
    r"\bУчаствовал\b",
    r"\bОтсутствовал\b",
]
# Strings of the interface's frame that must be translated on a Russian or a Kazakh page.
ENGLISH_FRAME = [">Log out<", ">Action plan<", "Skip to content", ">Home<", "Next step:", "What will happen"]


def _wrong_forms(text: str, language: str) -> list[str]:
    found = [pattern for pattern in WRONG_EVERYWHERE if re.search(pattern, text)]
    if language in ("ru", "kk"):
        found += [phrase for phrase in ENGLISH_FRAME if phrase in text]
    return found


def _client(user, language: str) -> Client:
    client = Client()
    client.cookies["django_language"] = language
    client.force_login(user)
    return client


def _get_urls(world) -> list[str]:
    """Every address the matrix reads with GET and the secretariat may open, with its agency A object."""
    urls = []
    for name, decision in sorted(DECISIONS.items()):
        for check in decision.checks:
            if check.method != "get" or check.a.get("sec") != 200 or decision.bearer:
                continue
            query = check.query(world)
            url = reverse(name, kwargs=decision.a(world))
            if query:
                from urllib.parse import urlencode

                url += "?" + urlencode(query, doseq=True)
            urls.append(url)
            break
    return urls


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_is_free_of_known_wrong_forms(world, language):
    problems = {}
    for account in (world.secretariat, world.staff_a):
        client = _client(account, language)
        for url in _get_urls(world):
            response = client.get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            found = _wrong_forms(response.content.decode(), language)
            if found:
                problems[f"{account.username} {url}"] = found
    assert problems == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_admin_list_and_change_page_is_free_of_known_wrong_forms(world, language):
    """The Django admin as the secretariat (who may open every model) and a ministry: every list, every add page
    and the change page of the first object listed, in each language."""
    from django.contrib import admin

    problems = {}
    for account in (world.secretariat, world.staff_a):
        client = _client(account, language)
        for model in admin.site._registry:
            opts = model._meta
            pages = [reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")]
            pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
            first = admin.site._registry[model].get_queryset(_request_for(account)).order_by("pk").first()
            if first is not None:
                pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk]))
            for url in pages:
                response = client.get(url)
                if response.status_code != 200:
                    continue
                found = _wrong_forms(response.content.decode(), language)
                if found:
                    problems[f"{account.username} {url}"] = found
    assert problems == {}


def _request_for(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request


@pytest.mark.parametrize("language", LANGUAGES)
def test_refusals_and_missing_pages_are_the_sites_own_in_the_language(world, language):
    client = _client(world.staff_a, language)
    expected = {"ru": "Нет доступа", "kk": "Қолжетімділік жоқ", "en": "No access"}[language]
    missing = {"ru": "Такой страницы нет", "kk": "Мұндай бет жоқ", "en": "There is no such page"}[language]

    refused = client.get(reverse("workplan:task_create"))
    gone = client.get("/tasks/999999/")

    assert refused.status_code == 403
    assert expected in refused.content.decode()
    assert "403 Forbidden" not in refused.content.decode()
    assert 'href="/"' in refused.content.decode()
    assert gone.status_code == 404
    assert missing in gone.content.decode()


def test_the_500_page_renders_without_a_database_or_a_request(settings):
    from django.template import loader
    from django.utils import translation

    with translation.override("ru"):
        html = loader.get_template("500.html").render()
    assert "На нашей стороне что-то пошло не так" in html
    assert 'href="/"' in html


def test_csrf_failure_is_the_sites_own_page(world):
    client = Client(enforce_csrf_checks=True)
    client.cookies["django_language"] = "ru"
    client.force_login(world.staff_a)

    response = client.post(reverse("workplan:task_comment", args=[world.task_a.pk]), {"text": "x"})

    assert response.status_code == 403
    assert "Форму не удалось отправить" in response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_mail_is_free_of_known_wrong_forms_and_names_the_zone(world, language, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for user in (world.staff_a, world.secretariat):
        user.language, user.email, user.time_zone = language, f"{user.username}@example.org", "Asia/Omsk"
        user.save()
    meeting = world.meeting
    meeting.chair = world.secretariat
    meeting.save()
    notices.meeting_notify(meeting=meeting, change="created")
    notices.task_assignment_notify(task=world.task_a)
    committee_services.meeting_cancel(actor=world.secretariat, meeting=meeting)
    Notification.objects.update(
        next_attempt_at=meeting.starts_at.replace(year=2000), scheduled_for=meeting.starts_at.replace(year=2000)
    )
    mail.outbox = []

    dispatch.outbox_dispatch(sync=True)

    assert {m.to[0] for m in mail.outbox} >= {"staff_a@example.org"}
    kinds = set(Notification.objects.filter(state="sent").values_list("kind", flat=True))
    assert {"meeting_cancelled", "assignment"} <= kinds
    zone = {"ru": "(Омск)", "kk": "(Омбы)", "en": "(Omsk)"}[language]
    for message in mail.outbox:
        bodies = [message.subject, message.body, *(content for content, _type in message.alternatives)]
        text = "\n".join(bodies)
        assert _wrong_forms(text, language) == [], message.subject
    # The meeting starts at 05:00 UTC: 11:00 in Omsk, shown with the zone's name.
    meeting_mail = [m for m in mail.outbox if "01.09.2026" in m.body]
    assert meeting_mail
    assert all(f"01.09.2026 11:00 {zone}" in m.body for m in meeting_mail)
