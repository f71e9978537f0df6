"""The agreement pipeline: which moves exist, who may make them, and who acts at each stage."""

from enum import Enum

from .enums import PIPELINE, Side
from .enums import Stage as S


class Actor(Enum):
    RU = "ru"  # staff of an agency of the Russian side (a party or the responsible agency)
    KZ = "kz"  # staff of an agency of the Kazakh side
    SECRETARIAT = "secretariat"  # the committee secretariat


RU, KZ, SEC = Actor.RU, Actor.KZ, Actor.SECRETARIAT

TRANSITIONS: dict[tuple[str, str], frozenset[Actor]] = {
    (S.PROPOSED, S.DRAFT_READY): frozenset({RU, SEC}),
    (S.DRAFT_READY, S.RU_AGREED): frozenset({RU, SEC}),
    (S.RU_AGREED, S.SENT): frozenset({RU, SEC}),
    (S.SENT, S.PARTNER_COMMENTS): frozenset({KZ, SEC}),
    # A partner who agrees the text as sent skips the comments.
    (S.SENT, S.BOTH_AGREED): frozenset({KZ, SEC}),
    # The comments are taken in and the text goes back to the partner, or both sides agree it now.
    (S.PARTNER_COMMENTS, S.SENT): frozenset({RU, SEC}),
    (S.PARTNER_COMMENTS, S.BOTH_AGREED): frozenset({RU, KZ, SEC}),
    (S.BOTH_AGREED, S.TEXTS_CHECKED): frozenset({SEC}),
    (S.TEXTS_CHECKED, S.READY): frozenset({SEC}),
    (S.READY, S.SIGNED): frozenset({SEC}),
    # A check that finds a fault sends the text back to be agreed again.
    (S.TEXTS_CHECKED, S.BOTH_AGREED): frozenset({SEC}),
    (S.READY, S.TEXTS_CHECKED): frozenset({SEC}),
    **{(stage, S.WITHDRAWN): frozenset({SEC}) for stage in PIPELINE if stage != S.SIGNED},
    (S.WITHDRAWN, S.PROPOSED): frozenset({SEC}),
}

# Working days before the signing ceremony by which each stage must be reached, and the side that acts.
STAGE_PLAN: dict[str, tuple[int, str]] = {
    S.DRAFT_READY: (60, Side.RU),
    S.RU_AGREED: (45, Side.RU),
    S.SENT: (40, Side.RU),
    S.PARTNER_COMMENTS: (30, Side.KZ),
    S.BOTH_AGREED: (20, Side.KZ),
    S.TEXTS_CHECKED: (10, Side.RU),
    S.READY: (5, Side.RU),
    S.SIGNED: (0, Side.RU),
}


def allowed_targets(current: str, actors: set[Actor]) -> list[str]:
    """Stages reachable from `current` by someone acting as any of `actors`, in the order of the pipeline."""
    order = list(S.values)
    targets = {new for (old, new), who in TRANSITIONS.items() if old == current and who & actors}
    return sorted(targets, key=order.index)


def is_transition(current: str, new: str) -> bool:
    return (current, new) in TRANSITIONS


def next_stage(current: str) -> str:
    """The stage the agreement is heading for ('' once signed or withdrawn)."""
    if current not in PIPELINE or current == S.SIGNED:
        return ""
    return PIPELINE[PIPELINE.index(current) + 1]
