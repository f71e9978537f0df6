"""The task status workflow: which transitions exist and who may make them."""

from enum import Enum

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
