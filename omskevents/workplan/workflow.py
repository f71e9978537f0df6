"""The task status workflow: which transitions exist and who may make them."""

from enum import Enum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .enums import TaskStatus as S


class Actor(Enum):
    EXECUTOR = "executor"  # staff of the lead agency or a co-executor
    CONTROLLER = "controller"  # the secretariat (and the task's controller)


TRANSITIONS: dict[tuple[str, str], frozenset[Actor]] = {
    (S.ASSIGNED, S.IN_PROGRESS): frozenset({Actor.EXECUTOR, Actor.CONTROLLER}),
    (S.ASSIGNED, S.REPORTED): frozenset({Actor.EXECUTOR}),
    (S.IN_PROGRESS, S.REPORTED): frozenset({Actor.EXECUTOR}),
    (S.RETURNED, S.IN_PROGRESS): frozenset({Actor.EXECUTOR, Actor.CONTROLLER}),
    (S.RETURNED, S.REPORTED): frozenset({Actor.EXECUTOR}),
    (S.REPORTED, S.ACCEPTED): frozenset({Actor.CONTROLLER}),
    (S.REPORTED, S.RETURNED): frozenset({Actor.CONTROLLER}),
    (S.ACCEPTED, S.RETURNED): frozenset({Actor.CONTROLLER}),
    (S.ASSIGNED, S.CANCELLED): frozenset({Actor.CONTROLLER}),
    (S.IN_PROGRESS, S.CANCELLED): frozenset({Actor.CONTROLLER}),
    (S.REPORTED, S.CANCELLED): frozenset({Actor.CONTROLLER}),
    (S.RETURNED, S.CANCELLED): frozenset({Actor.CONTROLLER}),
    (S.CANCELLED, S.ASSIGNED): frozenset({Actor.CONTROLLER}),
}


def allowed_targets(current: str, actors: set[Actor]) -> list[str]:
    """Statuses reachable from `current` by someone acting as any of `actors`, in workflow order."""
    order = list(S.values)
    targets = {new for (old, new), who in TRANSITIONS.items() if old == current and who & actors}
    return sorted(targets, key=order.index)


def is_transition(current: str, new: str) -> bool:
    return (current, new) in TRANSITIONS


# The task page names each move by what it does, not by the state it leads to. A report of completion is not a
# button here: it is sent with the report form (one way to report), which moves the task to REPORTED itself.
ACTION_LABELS: dict[tuple[str, str], str | Promise] = {
    (S.ASSIGNED, S.IN_PROGRESS): _("Take into work"),
    (S.RETURNED, S.IN_PROGRESS): _("Resume the work"),
    (S.REPORTED, S.ACCEPTED): _("Accept and remove from control"),
    (S.REPORTED, S.RETURNED): _("Return for rework"),
    (S.ACCEPTED, S.RETURNED): _("Return for rework"),
    (S.ASSIGNED, S.CANCELLED): _("Cancel the task…"),
    (S.IN_PROGRESS, S.CANCELLED): _("Cancel the task…"),
    (S.REPORTED, S.CANCELLED): _("Cancel the task…"),
    (S.RETURNED, S.CANCELLED): _("Cancel the task…"),
    (S.CANCELLED, S.ASSIGNED): _("Reopen the task"),
}
# Moves reached only through another form of the page (the report form), never through a status button.
NOT_A_BUTTON = frozenset({S.REPORTED})
# Moves that need a confirmation page first (core.confirm).
NEEDS_CONFIRMATION = frozenset({S.CANCELLED})


def action_buttons(current: str, targets: list[str]) -> list[tuple[str, str, bool]]:
    """(status, what the button says, whether it is a destructive move) for the page's status buttons."""
    return [
        (target, str(ACTION_LABELS.get((current, target), target)), target in NEEDS_CONFIRMATION)
        for target in targets
        if target not in NOT_A_BUTTON
    ]


def next_step(current: str, actors: set[Actor]) -> str:
    """One line saying what happens next, for this person: what they do, or whom the task waits for."""
    if current == S.ACCEPTED:
        return str(_("Nothing more to do: the task is done and removed from control."))
    if current == S.CANCELLED:
        return str(_("Nothing to do: the task is cancelled."))
    executor, controller = Actor.EXECUTOR in actors, Actor.CONTROLLER in actors
    if current == S.REPORTED:
        if controller:
            return str(_("Check the report: accept it and remove the task from control, or return it for rework."))
        return str(_("The report has been sent: the secretariat checks it."))
    if executor:
        if current == S.RETURNED:
            return str(_("Do what the secretariat asked in its comment and send the report of completion again."))
        if current == S.ASSIGNED:
            return str(_("Take the task into work; when it is done, send the report of completion."))
        return str(
            _(
                "When the work is done, send the report of completion; "
                "if the deadline cannot be met, ask for an extension."
            )
        )
    return str(_("The executor is at work; the task waits for the report of completion."))
