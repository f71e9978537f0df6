"""The message catalogues are complete, keep every placeholder of their messages, and follow the glossary."""

import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "omskevents" / "locale"
GLOSSARY = Path(settings.BASE_DIR) / "docs" / "glossary.md"

# printf-style (`%(name)s`, `%(days)+d`, `%(seconds).1f`, `%s`), with `%%` as a literal; a `%` that starts no
# valid conversion is kept as itself, so a stray one in a translation differs from its message.
PERCENT = re.compile(r"%(?:\((?P<name>[^)]*)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?P<kind>[diouxXeEfFgGcrsa%])?")
BRACE = re.compile(r"\{\{|\}\}|\{[^{}]*\}")


def placeholders(text: str) -> tuple[Counter[str], list[str], Counter[str]]:
    """Named printf placeholders (as written), positional ones in order, and {brace} fields of a string."""
    named: Counter[str] = Counter()
    positional: list[str] = []
    for match in PERCENT.finditer(text):
        if match.group(0) == "%%":
            continue
        if match.group("name") is not None:
            named[match.group(0)] += 1
        else:
            positional.append(match.group(0))
    fields = Counter(field for field in BRACE.findall(text) if field not in ("{{", "}}"))
    return named, positional, fields


def catalogue(language: str) -> Catalog:
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as po:
        return read_po(po, locale=language)


def _strings(message: Message) -> list[str]:
    return list(message.string) if message.pluralizable else [message.string]


def untranslated(messages: Catalog) -> list[str]:
    """Messages with an empty translation, or an empty plural form."""
    return [_ident(message) for message in messages if message.id and not all(_strings(message))]


def fuzzy(messages: Catalog) -> list[str]:
    return [_ident(message) for message in messages if message.id and message.fuzzy]


def placeholder_mismatches(messages: Catalog) -> list[tuple[str, str]]:
    """(message, translation) pairs whose placeholders differ; each plural form is held to the plural message."""
    mismatches = []
    for message in messages:
        if not message.id:
            continue
        source = message.id[1] if message.pluralizable else message.id
        expected = placeholders(source)
        mismatches += [
            (_ident(message), string) for string in _strings(message) if string and placeholders(string) != expected
        ]
    return mismatches


def _ident(message: Message) -> str:
    return message.id[0] if message.pluralizable else message.id


def _plural_form_counts(messages: Catalog) -> set[int]:
    return {len(message.string) for message in messages if message.id and message.pluralizable}


# --- the checks themselves catch what they are for --------------------------------------------------------


def _tiny(*messages: Message) -> Catalog:
    tiny = Catalog(locale="kk")
    for message in messages:
        tiny[message.id] = message
    return tiny


def test_checks_catch_an_empty_translation_and_an_empty_plural_form():
    tiny = _tiny(
        Message("Task", "Тапсырма"),
        Message("Minutes", ""),
        Message(("%(n)s task", "%(n)s tasks"), ("%(n)s тапсырма", "")),
    )
    assert untranslated(tiny) == ["Minutes", "%(n)s task"]


def test_checks_catch_a_fuzzy_entry():
    tiny = _tiny(Message("Task", "Тапсырма"), Message("Minutes", "Хаттама", flags=["fuzzy"]))
    assert fuzzy(tiny) == ["Minutes"]


@pytest.mark.parametrize(
    ("msgid", "msgstr"),
    [
        ("Task “%(task)s”: %(error)s", "«%(title)s» тапсырмасы: %(error)s"),  # renamed
        ("Generated %(count)d tasks.", "Жасалған тапсырмалар: %(count)s."),  # another type
        ("Deadline moved by %(days)+d days", "Мерзім %(days)d күнге ауыстырылды"),  # lost its sign
        ("Readiness %(percent)s%%", "Дайындық %(percent)s%"),  # a stray %
        ("Hello %s", "Сәлем"),  # dropped
        ("Hello {name}", "Сәлем {person}"),  # brace field renamed
        ("Report of %(date)s", "%(date)s, %(date)s"),  # doubled
    ],
)
def test_checks_catch_a_placeholder_changed(msgid, msgstr):
    assert placeholder_mismatches(_tiny(Message(msgid, msgstr))) == [(msgid, msgstr)]


def test_checks_hold_each_plural_form_to_the_plural_message():
    tiny = _tiny(Message(("%(n)s task", "%(n)s tasks"), ("%(n)s тапсырма", "тапсырмалар")))
    assert placeholder_mismatches(tiny) == [("%(n)s task", "тапсырмалар")]


def test_checks_accept_reordered_named_placeholders_and_literal_percent():
    tiny = _tiny(
        Message("%(accepted)s of %(total)s (%(percent)s%%)", "%(total)s ішінен %(accepted)s (%(percent)s%%)"),
        Message("{{ count }} days", "{{ count }} күн"),
    )
    assert placeholder_mismatches(tiny) == []


# --- the catalogues ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_catalogue_translates_every_message(language):
    assert untranslated(catalogue(language)) == []


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_catalogue_has_no_fuzzy_entry(language):
    messages = catalogue(language)
    assert fuzzy(messages) == []
    assert messages.fuzzy is False


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_catalogue_keeps_the_placeholders_of_every_message(language):
    assert placeholder_mismatches(catalogue(language)) == []


@pytest.mark.parametrize(
    ("language", "forms", "rule"),
    [
        (
            "ru",
            4,
            "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<12 || n%100>14) ? 1 : "
            "n%10==0 || (n%10>=5 && n%10<=9) || (n%100>=11 && n%100<=14)? 2 : 3)",
        ),
        ("kk", 2, "(n!=1)"),
    ],
)
def test_catalogue_plural_forms_match_its_header(language, forms, rule):
    messages = catalogue(language)
    assert (messages.num_plurals, messages.plural_expr) == (forms, rule)
    assert _plural_form_counts(messages) == {forms}


def test_kazakh_catalogue_has_the_messages_of_the_russian_one():
    assert {_ident(message) for message in catalogue("kk")} == {_ident(message) for message in catalogue("ru")}


# --- the glossary -----------------------------------------------------------------------------------------


def _glossary() -> list[tuple[set[str], set[str], set[str]]]:
    """(Russian, Kazakh, English) forms of each term, case-folded; a cell may give forms separated by " / "."""
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if not line.startswith("| ") or line.startswith(("| ---", "| Русский |")):
            continue
        russian, kazakh, english = (cell.strip() for cell in line.strip().strip("|").split("|")[:3])
        rows.append(
            tuple({form.strip().casefold() for form in cell.split(" / ")} for cell in (russian, kazakh, english))
        )
    return rows


def test_catalogues_follow_the_glossary():
    russian, kazakh = catalogue("ru"), catalogue("kk")
    checked, departures = set(), []
    for russian_forms, kazakh_forms, english_forms in _glossary():
        for message in kazakh:
            if not message.id or message.pluralizable or message.id.casefold() not in english_forms:
                continue
            checked.add(message.id)
            translations = (russian.get(message.id).string, message.string)
            if translations[0].casefold() not in russian_forms or translations[1].casefold() not in kazakh_forms:
                departures.append((message.id, *translations))
    assert departures == []
    # The table is read at all: the central terms are among the messages checked.
    assert {"Task", "Lead executor", "Deadline", "Meeting", "Minutes", "Organising committee", "Agency"} <= checked
