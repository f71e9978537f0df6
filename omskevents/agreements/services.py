"""Writes to agreements: create, edit, move along the pipeline, add a language version, follow the event's dates."""

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from omskevents.accounts.models import User
from omskevents.agencies.enums import Country
from omskevents.agencies.models import Agency
from omskevents.calendars.services import WorkingCalendar, calendar_country
from omskevents.core.history import history_reason_set, history_user_set
from omskevents.events.models import Event
from omskevents.workplan.uploads import inspect_upload

from . import permissions, signals
from .enums import Language, Side, Stage
from .models import Agreement, AgreementMove, AgreementStage, AgreementVersion
from .workflow import STAGE_PLAN, is_transition, next_stage

EDITABLE_FIELDS = (
    "event",
    "number",
    "title",
    "title_kk",
    "title_en",
    "kind",
    "ru_organisations",
    "kz_organisations",
    "ru_responsible",
    "kz_responsible",
    "ru_signatory",
    "kz_signatory",
    "ceremony_day",
    "signing_order",
    "ru_seat",
    "kz_seat",
    "notes",
)


def _side_country(agreement: Agreement, side: str) -> str:
    """Whose working days count for a side: its responsible agency's calendar (Kazakhstan's when none is named)."""
    if side == Side.RU:
        return calendar_country(agreement.ru_responsible)
    if agreement.kz_responsible is not None:
        return calendar_country(agreement.kz_responsible)
    return Country.KZ


def stage_deadlines(agreement: Agreement) -> dict[str, tuple[dt.date, str, str]]:
    """Per planned stage: (deadline, acting side, note), counted back in the acting side's working days from
    the signing ceremony, which stands on a day of the event and moves with it."""
    ceremony = agreement.ceremony_date
    calendars: dict[str, WorkingCalendar] = {}
    plan: dict[str, tuple[dt.date, str, str]] = {}
    for stage, (days, side) in STAGE_PLAN.items():
        country = _side_country(agreement, side)
        if country not in calendars:
            calendars[country] = WorkingCalendar(country, ceremony - dt.timedelta(days=120), ceremony)
        if days:
            deadline = calendars[country].add(ceremony, -days)
            note = _("%(days)d working days (%(country)s) before the ceremony on %(date)s") % {
                "days": days,
                "country": Country(country).label,
                "date": formats.date_format(ceremony, "SHORT_DATE_FORMAT"),
            }
        else:
            deadline, note = ceremony, _("The day of the ceremony")
        plan[stage] = (deadline, side, note)
    return plan


def _stages_sync(agreement: Agreement) -> bool:
    """Bring the stage rows and the agreement's next deadline in line with the plan; True when a date moved."""
    plan = stage_deadlines(agreement)
    existing = {row.stage: row for row in agreement.stages.all()}
    moved = False
    for stage, (deadline, side, note) in plan.items():
        row = existing.get(stage)
        if row is None:
            AgreementStage.objects.create(
                agreement=agreement, stage=stage, side=side, deadline=deadline, deadline_note=note
            )
            continue
        if (row.deadline, row.side, row.deadline_note) != (deadline, side, note):
            moved = moved or row.deadline != deadline
            row.deadline, row.side, row.deadline_note = deadline, side, note
            row.save(update_fields=["deadline", "side", "deadline_note", "updated"])
    heading = next_stage(agreement.stage)
    agreement.next_stage = heading
    agreement.next_deadline = plan[heading][0] if heading else None
    return moved


def _check_parties(ru_parties: Iterable[Agency], kz_parties: Iterable[Agency]) -> tuple[list[Agency], list[Agency]]:
    ru, kz = list(ru_parties), list(kz_parties)
    errors: dict[str, list[str]] = {}
    if any(a.country == Country.KZ for a in ru):
        errors["ru_parties"] = [_("A Kazakh agency cannot be a party of the Russian side.")]
    if any(a.country != Country.KZ for a in kz):
        errors["kz_parties"] = [_("Only Kazakh agencies can be parties of the Kazakh side.")]
    if errors:
        raise ValidationError(errors)
    return ru, kz


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown agreement fields: {sorted(unknown)}")


def _save(agreement: Agreement, actor: User, reason: str | None = None) -> None:
    agreement.full_clean()
    history_user_set(agreement, actor)
    history_reason_set(agreement, reason[:100] if reason else None)
    agreement.save()


@transaction.atomic
def agreement_create(
    *,
    actor: User,
    event: Event,
    title: str,
    kind: str,
    ru_responsible: Agency,
    ru_parties: Sequence[Agency] = (),
    kz_parties: Sequence[Agency] = (),
    **fields: Any,
) -> Agreement:
    if not permissions.can_manage_agreements(actor):
        raise PermissionDenied(_("Only the committee secretariat registers agreements."))
    _check_fields(fields)
    ru, kz = _check_parties(ru_parties, kz_parties)
    agreement = Agreement(
        event=event, title=title, kind=kind, ru_responsible=ru_responsible, created_by=actor, **fields
    )
    _save(agreement, actor)
    agreement.ru_parties.set(ru)
    agreement.kz_parties.set(kz)
    _stages_sync(agreement)
    agreement.save(update_fields=["next_stage", "next_deadline", "updated"])
    AgreementMove.objects.create(agreement=agreement, from_stage="", to_stage=Stage.PROPOSED, actor=actor)
    return agreement


@transaction.atomic
def agreement_update(
    *,
    actor: User,
    agreement: Agreement,
    ru_parties: Sequence[Agency] | None = None,
    kz_parties: Sequence[Agency] | None = None,
    reason: str = "",
    **fields: Any,
) -> Agreement:
    if not permissions.can_manage_agreements(actor):
        raise PermissionDenied(_("Only the committee secretariat edits agreements."))
    _check_fields(fields)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    ru, kz = _check_parties(
        ru_parties if ru_parties is not None else agreement.ru_parties.all(),
        kz_parties if kz_parties is not None else agreement.kz_parties.all(),
    )
    for name, value in fields.items():
        setattr(agreement, name, value)
    _stages_sync(agreement)
    _save(agreement, actor, reason)
    if ru_parties is not None:
        agreement.ru_parties.set(ru)
    if kz_parties is not None:
        agreement.kz_parties.set(kz)
    return agreement


@transaction.atomic
def agreement_move(
    *,
    actor: User,
    agreement: Agreement,
    stage: str,
    comment: str = "",
    signed_on: dt.date | None = None,
    signed_place: str = "",
    signed_by: str = "",
) -> Agreement:
    """Move an agreement along the pipeline; a move the workflow does not allow this person changes nothing."""
    agreement = (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("event", "ru_responsible", "kz_responsible")
        .get(pk=agreement.pk)
    )
    if not permissions.can_view_agreement(actor, agreement):
        raise PermissionDenied(_("You cannot see this agreement."))
    label = Stage(stage).label if stage in Stage.values else stage
    if not is_transition(agreement.stage, stage) or not permissions.can_move(actor, agreement, stage):
        raise ValidationError(
            {
                "stage": _("An agreement cannot go from “%(old)s” to “%(new)s” by your decision.")
                % {"old": Stage(agreement.stage).label, "new": label}
            }
        )
    comment = comment.strip()
    if stage == Stage.WITHDRAWN and not comment:
        raise ValidationError({"comment": _("Say why the agreement is withdrawn.")})
    if stage == Stage.SIGNED:
        errors: dict[str, list[str]] = {}
        if signed_on is None:
            errors["signed_on"] = [_("Give the date of signing.")]
        elif signed_on > timezone.localdate():
            errors["signed_on"] = [_("The date of signing cannot be in the future.")]
        if not signed_place.strip():
            errors["signed_place"] = [_("Give the place of signing.")]
        if not signed_by.strip():
            errors["signed_by"] = [_("Say who signed the agreement.")]
        if errors:
            raise ValidationError(errors)
        agreement.signed_on, agreement.signed_place, agreement.signed_by = signed_on, signed_place, signed_by
    old = agreement.stage
    agreement.stage = stage
    _stages_sync(agreement)
    _save(agreement, actor, comment or str(Stage(stage).label))
    AgreementStage.objects.filter(agreement=agreement, stage=stage).update(reached_at=timezone.now())
    move = AgreementMove.objects.create(
        agreement=agreement, from_stage=old, to_stage=stage, actor=actor, comment=comment
    )
    signals.agreement_stage_changed.send(sender=Agreement, agreement=agreement, old_stage=old, move=move)
    return agreement


@transaction.atomic
def agreement_version_add(
    *, actor: User, agreement: Agreement, language: str, upload: "UploadedFile[bytes]", comment: str = ""
) -> AgreementVersion:
    """A new version of a language text; the earlier ones are kept. The file passes the report files' checks."""
    agreement = Agreement.objects.select_for_update(of=("self",)).get(pk=agreement.pk)
    if not permissions.can_upload_version(actor, agreement):
        raise PermissionDenied(_("You cannot add texts to this agreement."))
    if language not in Language.values:
        raise ValidationError({"language": _("Choose the language of the text.")})
    info = inspect_upload(upload)
    latest = agreement.versions.filter(language=language).aggregate(n=Max("version"))["n"] or 0
    version = AgreementVersion(
        agreement=agreement,
        language=language,
        version=latest + 1,
        file=upload,
        original_name=info.name,
        content_type=info.content_type,
        size=info.size,
        comment=comment.strip()[:500],
        uploaded_by=actor,
    )
    version.full_clean(exclude=["file"])
    version.save()
    return version


@transaction.atomic
def event_agreements_plan(*, event: Event) -> list[tuple[Agreement, AgreementStage | None, str, dt.date]]:
    """The stage deadlines of `event`'s open agreements that would move if the event had its dates (`event` may be
    an unsaved copy with new dates): (agreement, its stage row or None when the row is still to make, stage, new
    deadline). What `event_agreements_follow` does, and the dates' preview shows; writes nothing."""
    plan: list[tuple[Agreement, AgreementStage | None, str, dt.date]] = []
    for agreement in Agreement.objects.filter(event_id=event.pk).open().prefetch_related("stages").order_by("pk"):
        agreement.event = event
        existing = {row.stage: row for row in agreement.stages.all()}
        for stage, (deadline, _side, _note) in stage_deadlines(agreement).items():
            row = existing.get(stage)
            if row is None or row.deadline != deadline:
                plan.append((agreement, row, stage, deadline))
    return plan


def event_agreements_follow(*, actor: User, event: Event) -> int:
    """Recompute the stage deadlines of an event's open agreements after its dates change. Returns how many moved."""
    moved = 0
    for agreement in (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("event", "ru_responsible", "kz_responsible")
        .filter(event=event)
        .open()
    ):
        agreement.event = event
        old_next = agreement.next_deadline
        changed = _stages_sync(agreement)
        if changed or old_next != agreement.next_deadline:
            history_user_set(agreement, actor)
            history_reason_set(agreement, _("The event's dates changed"))
            agreement.save(update_fields=["next_stage", "next_deadline", "updated"])
            moved += 1
    return moved
