"""Search in the action plan that understands Russian: by title, description and number, by the agencies taking
part (short and full name) and by the responsible person, with word forms matched ("смета" finds "смету").

On PostgreSQL the title and description are searched with full-text search in the 'russian' configuration (the
GIN index `workplan_task_search_ru` of migration 0004 holds the very expression below) and the results are ranked;
agencies and people are few and are matched by the stems of the words. On SQLite (the zero-setup run) every word is
matched by its stem as a substring, in any of its letter cases (SQLite folds only ASCII letters).
"""

import re
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, SearchVectorField
from django.db import connection
from django.db.models import Case, Expression, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from omskevents.accounts.models import User
from omskevents.agencies.models import Agency

from .models import Task

# Endings of Russian nouns, adjectives and verbs, longest first: what a stem loses to match other forms of a word.
_ENDINGS_TEXT = (
    "иями ями ами ией ий ия ие ье ья ью ьи ем ом ам ям ах ях ой ей ов ев ею ою ую юю ая яя ое ее ые ие ый ий ого "
    "его ому ему ым им ых их ими ыми ость ости остью ение ения ению ением ении ать ять ить еть ут ют ат ят ет ит "
    "ешь ишь а я о е ы и у ю ь й"
)
ENDINGS = tuple(sorted(set(_ENDINGS_TEXT.split()), key=len, reverse=True))
MIN_STEM = 3
MAX_WORDS = 8
WORD = re.compile(r"[\w.\-]+", re.UNICODE)
CONFIG = "russian"


def russian_stem(word: str) -> str:
    """The word without its ending (a light stemmer: enough to match "смета", "смету" and "сметы")."""
    word = word.lower().replace("ё", "е")
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            return word[: -len(ending)]
    return word


def words(query: str) -> list[str]:
    """The query's words; one- and two-letter ones ("в", "по") only when nothing longer is asked. Numbers are
    always kept: "этап 4" asks for the fourth stage, not for every stage."""
    found = WORD.findall(query)
    return ([w for w in found if len(w) >= MIN_STEM or w.isdigit()] or found)[:MAX_WORDS]


def _variants(text: str) -> set[str]:
    return {text, text.lower(), text.upper(), text.capitalize()}


def _contains_any(fields: tuple[str, ...], stem: str) -> Q:
    condition = Q()
    for variant in _variants(stem):
        for name in fields:
            condition |= Q(**{f"{name}__icontains": variant})
    return condition


def _agencies_matching(stem: str) -> QuerySet[Agency]:
    return Agency.objects.filter(_contains_any(("short_name", "name"), stem))


def _people_matching(stem: str) -> QuerySet[User]:
    return User.objects.filter(_contains_any(("last_name", "first_name"), stem))


def _word_by_agency_or_person(word: str) -> Q:
    """Tasks whose lead agency, a co-executor or the responsible person answers to the word."""
    stem = russian_stem(word)
    agencies = _agencies_matching(stem).values("pk")
    co_executed = Task.co_executors.through.objects.filter(agency__in=agencies).values("task_id")
    return Q(lead_agency__in=agencies) | Q(pk__in=co_executed) | Q(responsible__in=_people_matching(stem).values("pk"))


def TaskDocument() -> RawSQL:
    """to_tsvector('russian', title || ' ' || description): the expression the GIN index holds, word for word."""
    table = connection.ops.quote_name(Task._meta.db_table)
    sql = (
        f"to_tsvector('{CONFIG}'::regconfig, COALESCE({table}.\"title\", '') || ' ' || "
        f"COALESCE({table}.\"description\", ''))"
    )
    return RawSQL(sql, [], output_field=SearchVectorField())  # noqa: S611 - constant SQL, no user input


def text_matches(ts_query: SearchQuery) -> QuerySet[Any, Any]:
    """The ids of the tasks whose title or description matches: a query of its own, answered from the GIN index."""
    return Task.objects.alias(search_document=TaskDocument()).filter(search_document=ts_query).values("pk")


def uses_full_text() -> bool:
    return connection.vendor == "postgresql"


def task_search(tasks: QuerySet[Task], query: str, *, rank: bool) -> QuerySet[Task]:
    """The tasks answering to the query; with `rank`, ordered by how well they answer (then by deadline)."""
    query = query.strip()
    parts = words(query)
    if not parts:
        return tasks.filter(number__iexact=query) if query else tasks
    if uses_full_text():
        ts_query = SearchQuery(" ".join(parts), config=CONFIG, search_type="plain")
        by_text = text_matches(ts_query)
        by_people = Q()
        for word in parts:
            by_people &= _word_by_agency_or_person(word)
        tasks = tasks.filter(Q(pk__in=by_text) | Q(number__iexact=query) | by_people)
        if rank:
            # A word in the title weighs more than one in the description.
            weighted = SearchVector("title", weight="A", config=CONFIG) + SearchVector(
                "description", weight="B", config=CONFIG
            )
            tasks = tasks.alias(search_rank=SearchRank(weighted, ts_query)).order_by(
                F("search_rank").desc(), "deadline", "pk"
            )
        return tasks
    condition = Q()
    for word in parts:
        if word.isdigit():  # a number as a whole number: "4" finds "этап 4", not "этап 14"
            pattern = rf"(^|[^0-9]){word}([^0-9]|$)"
            condition &= Q(title__regex=pattern) | Q(description__regex=pattern)
            continue
        stem = russian_stem(word)
        condition &= _contains_any(("title", "description"), stem) | _word_by_agency_or_person(word)
    tasks = tasks.filter(condition | Q(number__iexact=query))
    if rank:
        title_hit: Expression = Case(
            When(Q(number__iexact=query), then=Value(0)),
            When(_contains_any(("title",), russian_stem(parts[0])), then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        tasks = tasks.alias(search_rank=title_hit).order_by("search_rank", "deadline", "pk")
    return tasks
