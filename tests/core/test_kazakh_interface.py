"""A Kazakh-speaking user sees the workspace in Kazakh: the menu, the page chrome and the headings of the main pages."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.factories.committee import MeetingFactory
from tests.factories.workplan import TaskFactory

# The daily items, then "More" (Тағы) with the rest.
KAZAKH_MENU = [
    "Басты бет",
    "Іс-шаралар жоспары",
    "Отырыстар",
    "Іс-шаралар",
    "Келісімдер",
    "Хабарламалар",
    "Тағы",
    "Уақыт кестесі",
    "Комиссия хаттамалары",
    "Ұйымдастыру комитеті",
    "Ведомстволар",
    "Вебхуктар",
    "Әкімшілендіру",
]
KAZAKH_CHROME_TEXTS = {"Мазмұнға өту", "Форумның ұйымдастыру комитеті", "Шығу", "Тіл", "Ауыстыру"}
KAZAKH_CHROME_LABELS = {"Басты мәзір", "Мәзірді көрсету немесе жасыру"}
# The same chrome as the Russian and the English catalogues give it: none of it may show through.
RUSSIAN_CHROME = {
    "Главная",
    "План мероприятий",
    "График",
    "Заседания",
    "Ведомства",
    "Уведомления",
    "Администрирование",
    "Перейти к содержимому",
    "Оргкомитет Форума",
    "Главное меню",
    "Показать или скрыть меню",
    "Выйти",
    "Язык",
    "Переключить",
}
ENGLISH_CHROME = {
    "Home",
    "Action plan",
    "Timeline",
    "Meetings",
    "Agencies",
    "Notifications",
    "Admin",
    "Skip to content",
    "Forum organising committee",
    "Main menu",
    "Toggle navigation",
    "Log out",
    "Language",
    "Switch",
}


class _Page(HTMLParser):
    """The visible text of a page, its aria-labels, the main menu's links and the h1/h2 headings (badges left out)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.texts: set[str] = set()
        self.labels: set[str] = set()
        self.menu: list[str] = []
        self.headings: list[str] = []
        self._skip = 0
        self._menu_depth = 0
        self._in_menu_link = False
        self._heading: list[str] | None = None
        self._badge_depth = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if attributes.get("aria-label"):
            self.labels.add(attributes["aria-label"] or "")
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "ul" and ("navbar-nav" in classes or self._menu_depth):
            self._menu_depth += 1
        elif tag == "a" and self._menu_depth:
            self._in_menu_link = True
            self.menu.append("")
        elif tag in ("h1", "h2"):
            self._heading = []
        elif tag == "span" and self._heading is not None and ("badge" in classes or self._badge_depth):
            self._badge_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1
        elif tag == "ul" and self._menu_depth:
            self._menu_depth -= 1
        elif tag == "a":
            self._in_menu_link = False
        elif tag in ("h1", "h2") and self._heading is not None:
            self.headings.append(" ".join("".join(self._heading).split()))
            self._heading = None
        elif tag == "span" and self._badge_depth:
            self._badge_depth -= 1

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        text = " ".join(data.split())
        if text:
            self.texts.add(text)
        if self._in_menu_link:
            self.menu[-1] += text
        if self._heading is not None and not self._badge_depth:
            self._heading.append(data)


@pytest.fixture
def kazakh_client(client, secretariat):
    secretariat.language = "kk"
    secretariat.save(update_fields=["language"])
    client.force_login(secretariat)
    return client


def _page(client, url: str) -> _Page:
    response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="kk">' in content
    return _Page(content)


def _task_url() -> str:
    task = TaskFactory(title="Подготовить причал на Иртыше")
    return reverse("workplan:task_detail", args=[task.pk])


PAGES = [
    (
        lambda: reverse("dashboard:home"),
        [
            "Шолу",
            "Дайындалып жатқан іс-шаралар",
            "Мерзімі өткен",
            "14 күн ішінде мерзімі келетіндер",
            "Менің тапсырмаларым",
            "Тапсырмалар мәртебесі бойынша, апта сайын",
            "Ұйымдастыру комитетінің келесі отырысы",
            "Бүгін жоқ",
            "Орындау тәртібі",
        ],
    ),
    (lambda: reverse("workplan:task_list"), ["Іс-шаралар жоспары", "Сүзгілер"]),
    (
        _task_url,
        [
            "Подготовить причал на Иртыше",
            "Тапсырма туралы мәліметтер",
            "Екінші тараптағы серіктес",
            "Әрекеттер",
            "Орындалуы туралы есептер",
            "Түсініктемелер",
            "Өзгерістер тарихы",
            "Мерзімді ұзарту",
            "Байланысты тапсырмалар",
            "Хабарламалар",
        ],
    ),
    (lambda: reverse("committee:meeting_list"), ["Ұйымдастыру комитетінің отырыстары"]),
    (lambda: reverse("agencies:list"), ["Ведомстволар"]),
    (lambda: reverse("notifications:preferences"), ["Хабарлама баптаулары"]),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("page_url", "headings"), PAGES, ids=["dashboard", "tasks", "task", "meetings", "agencies", "prefs"]
)
def test_main_pages_read_in_kazakh(kazakh_client, page_url, headings):
    MeetingFactory()
    page = _page(kazakh_client, page_url())
    assert page.menu == KAZAKH_MENU
    assert page.texts >= KAZAKH_CHROME_TEXTS
    assert page.labels >= KAZAKH_CHROME_LABELS
    assert (page.texts | page.labels) & (RUSSIAN_CHROME | ENGLISH_CHROME) == set()
    assert page.headings == headings


@pytest.mark.django_db
def test_task_statuses_read_in_kazakh_on_the_task_list(kazakh_client):
    TaskFactory(status="in_progress")
    page = _page(kazakh_client, reverse("workplan:task_list"))
    statuses = {"Берілді", "Орындалуда", "Есеп берілді", "Орындалды (бақылаудан алынды)", "Пысықтауға қайтарылды"}
    assert statuses <= page.texts
    assert {"Выдано", "На исполнении", "Assigned", "In progress"} & page.texts == set()
