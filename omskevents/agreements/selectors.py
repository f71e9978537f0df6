"""Reads of agreements: what a person may see, the register with its filters and counts, one agreement's page."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from omskevents.accounts.permissions import is_agency_member, is_kz_secretariat, is_secretariat
from omskevents.accounts.types import AnyUser
from omskevents.events.models import Event

from .enums import CLOSED_STAGES, PIPELINE, Stage
from .models import Agreement, AgreementMove, AgreementQuerySet, AgreementStage, AgreementVersion


def _takes_part(agency_id: int) -> Q:
    return (
        Q(ru_responsible_id=agency_id)
        | Q(kz_responsible_id=agency_id)
        | Q(ru_parties__id=agency_id)
        | Q(kz_parties__id=agency_id)
    )


def agreements_visible_to(user: AnyUser) -> AgreementQuerySet:
    """The one scope of agreements: everything for the secretariat, the agency's own for its staff."""
    if is_secretariat(user) or is_kz_secretariat(user):
        return Agreement.objects.all()
    if is_agency_member(user) and user.agency_id is not None:
        own = Agreement.objects.filter(_takes_part(user.agency_id)).values("pk")
        return Agreement.objects.filter(pk__in=own)
    return Agreement.objects.none()


def versions_visible_to(user: AnyUser) -> QuerySet[AgreementVersion]:
    return AgreementVersion.objects.filter(agreement__in=agreements_visible_to(user).values("pk"))


@dataclass(frozen=True)
class RegisterFilter:
    event: Event | None = None
    kind: str = ""
    stage: str = ""
    agency_id: int | None = None
    overdue: bool = False


def register(user: AnyUser, flt: RegisterFilter, *, today: dt.date) -> AgreementQuerySet:
    """The register's rows in order, with what a row shows loaded in a fixed number of queries."""
    rows = agreements_visible_to(user)
    if flt.event is not None:
        rows = rows.filter(event=flt.event)
    if flt.kind:
        rows = rows.filter(kind=flt.kind)
    if flt.stage:
        rows = rows.filter(stage=flt.stage)
    if flt.agency_id is not None:
        rows = rows.filter(pk__in=Agreement.objects.filter(_takes_part(flt.agency_id)).values("pk"))
    if flt.overdue:
        rows = rows.overdue(today)
    return rows.select_related("event", "ru_responsible", "kz_responsible").prefetch_related("ru_parties", "kz_parties")


def stage_counts(rows: QuerySet[Agreement]) -> list[tuple[str, str, int]]:
    """(stage, label, how many) for every stage, in the order of the pipeline (withdrawn last)."""
    found = dict(rows.order_by().values_list("stage").annotate(n=Count("pk")))
    return [(stage, str(Stage(stage).label), found.get(stage, 0)) for stage in (*PIPELINE, Stage.WITHDRAWN)]


def overdue_state(agreement: Agreement, *, today: dt.date) -> str:
    """'overdue', 'today' or '' for the deadline of the stage the agreement is heading for."""
    if agreement.stage in CLOSED_STAGES or agreement.next_deadline is None:
        return ""
    if agreement.next_deadline < today:
        return "overdue"
    if agreement.next_deadline == today:
        return "today"
    return ""


def agreement_for_page(user: AnyUser, pk: int) -> Agreement | None:
    return (
        agreements_visible_to(user)
        .select_related("event", "ru_responsible", "kz_responsible", "created_by")
        .prefetch_related(
            "ru_parties",
            "kz_parties",
            Prefetch("stages", queryset=AgreementStage.objects.order_by("deadline", "pk")),
            Prefetch("moves", queryset=AgreementMove.objects.select_related("actor").order_by("created", "pk")),
            Prefetch("versions", queryset=AgreementVersion.objects.select_related("uploaded_by")),
        )
        .filter(pk=pk)
        .first()
    )


def signing_order(event: Event) -> list[Agreement]:
    """The agreements to be signed at the ceremony (ready or signed), in the order of signing."""
    return list(
        Agreement.objects.filter(event=event, stage__in=(Stage.READY, Stage.SIGNED))
        .select_related("ru_responsible", "kz_responsible")
        .prefetch_related("ru_parties", "kz_parties")
        .order_by("signing_order", "pk")
    )


@dataclass(frozen=True)
class SignedFigure:
    event: Event
    signed: int
    planned: int


def signed_of_planned(user: AnyUser, events: list[Event]) -> list[SignedFigure]:
    """Per event: the agreements signed and those planned (every one not withdrawn), within the user's scope."""
    if not events:
        return []
    rows = (
        agreements_visible_to(user)
        .filter(event__in=events)
        .order_by()
        .values("event")
        .annotate(
            signed=Count("pk", filter=Q(stage=Stage.SIGNED)),
            planned=Count("pk", filter=~Q(stage=Stage.WITHDRAWN)),
        )
    )
    found = {row["event"]: (row["signed"], row["planned"]) for row in rows}
    return [SignedFigure(e, *found[e.pk]) for e in events if e.pk in found]


def signed_at(user: AnyUser, event: Event) -> list[Agreement]:
    """The agreements signed at an event that the user may see, in the order of signing."""
    return list(
        agreements_visible_to(user)
        .filter(event=event, stage=Stage.SIGNED)
        .select_related("ru_responsible", "kz_responsible")
        .order_by("signed_on", "signing_order", "pk")
    )
