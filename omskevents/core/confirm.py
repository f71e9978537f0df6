"""Confirmation pages for destructive and mass-mailing actions: the action's POST without `confirm=yes` changes
nothing and answers with a page saying what will happen and to whom mail will go; the page posts the same data back
with the confirmation added. Works without JavaScript."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# How long a cancelled meeting or task can be restored; the cancellation's mail waits until the window has passed.
UNDO_WINDOW = dt.timedelta(minutes=10)
CONFIRM_FIELD = "confirm"
CONFIRM_VALUE = "yes"
# Never replayed from the first POST: the token is the page's own, the confirmation is the page's button.
NOT_REPLAYED = frozenset({"csrfmiddlewaretoken", CONFIRM_FIELD})


def is_confirmed(request: HttpRequest) -> bool:
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == CONFIRM_VALUE


@dataclass(frozen=True)
class Confirmation:
    """What the page says. `recipients` are the names (with addresses) of those who will get mail; `mail_note`
    says what the mail is ("a cancellation with a calendar update"), empty when nothing is mailed."""

    title: str
    consequences: Sequence[str]
    button: str
    action_url: str
    back_url: str
    recipients: Sequence[str] = field(default_factory=tuple)
    mail_note: str = ""
    undo_note: str = ""


def confirm_page(request: HttpRequest, confirmation: Confirmation) -> HttpResponse:
    """The page; the first POST's fields (not the token) travel back as hidden fields."""
    replay = [
        (name, value)
        for name in (request.POST if request.method == "POST" else {})
        if name not in NOT_REPLAYED
        for value in request.POST.getlist(name)
    ]
    context = {"confirmation": confirmation, "replay": replay, "confirm_field": CONFIRM_FIELD}
    context["confirm_value"] = CONFIRM_VALUE
    return render(request, "core/confirm.html", context)
