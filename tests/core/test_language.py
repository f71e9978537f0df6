"""The interface language: Russian by default, the user's own, the visitor's choice; the catalogues behind it."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from omskevents.workplan.enums import TaskStatus
from tests.factories.events import EventFactory

LOCALE = Path(settings.BASE_DIR) / "omskevents" / "locale"


def _catalogue(language: str):
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as po:
        return read_po(po, locale=language)


@pytest.mark.django_db
def test_login_page_is_russian_when_nobody_chose(client):
    content = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="ru">' in content
    assert '<h1 class="h3 mb-3">Войти</h1>' in content


@pytest.mark.django_db
def test_user_language_applies_without_a_cookie(client, staff_a):
    staff_a.language = "kk"
    staff_a.save(update_fields=["language"])
    client.force_login(staff_a)
    content = client.get(reverse("dashboard:home")).content.decode()
    assert '<html lang="kk">' in content
    assert "Басты бет" in content


@pytest.mark.django_db
def test_language_cookie_wins_over_the_user_language(client, staff_a):
    client.force_login(staff_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    content = client.get(reverse("dashboard:home")).content.decode()
    assert '<html lang="en">' in content
    assert "Action plan" in content
    assert "План мероприятий" not in content


@pytest.mark.django_db
def test_language_switch_sets_the_cookie(client, staff_a):
    client.force_login(staff_a)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("dashboard:home")})
    assert (response.status_code, response.url) == (302, reverse("dashboard:home"))
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in client.get(reverse("dashboard:home")).content.decode()


def test_task_status_reads_in_russian():
    with translation.override("ru"):
        assert [str(label) for label in TaskStatus.labels] == [
            "Выдано",
            "На исполнении",
            "Представлен отчёт",
            "Исполнено (снято с контроля)",
            "Возвращено на доработку",
            "Отменено",
        ]


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "1 поручение"),
        (3, "3 поручения"),
        (5, "5 поручений"),
        (11, "11 поручений"),
        (21, "21 поручение"),
        (104, "104 поручения"),
    ],
)
def test_russian_plural_forms(count, expected):
    with translation.override("ru"):
        assert ngettext("%(counter)s task", "%(counter)s tasks", count) % {"counter": count} == expected


def test_russian_catalogue_translates_every_message():
    catalogue = _catalogue("ru")
    untranslated = [
        message.id
        for message in catalogue
        if message.id and (message.fuzzy or not (all(message.string) if message.pluralizable else message.string))
    ]
    assert untranslated == []
    assert catalogue.num_plurals == 4


@pytest.mark.parametrize("language", ["ru", "en", "kk"])
def test_catalogue_keeps_placeholders_and_is_not_fuzzy(language):
    catalogue = _catalogue(language)
    problems = [(message.id, [str(error) for error in errors]) for message, errors in catalogue.check()]
    assert problems == []
    assert catalogue.fuzzy is False


@pytest.mark.parametrize(("language", "title"), [("ru", "Форум F"), ("kk", "Форум F"), ("en", "Forum F")])
def test_event_title_follows_the_language(language, title):
    event = EventFactory.build(number="F", title_ru="Форум F", title_en="Forum F")
    with translation.override(language):
        assert event.title == title
