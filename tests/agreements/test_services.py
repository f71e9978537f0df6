"""Agreements: the model's rules, the workflow (who may make which move), the stage deadlines and their history."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from omskevents.agreements import services
from omskevents.agreements.enums import Stage
from omskevents.agreements.models import Agreement, AgreementMove, AgreementStage
from omskevents.agreements.permissions import stage_targets
from omskevents.events.services import event_save
from tests.factories.agreements import make_agreement

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TODAY = dt.datetime(2026, 11, 20, 6, 0, tzinfo=dt.UTC)


def move(agreement: Agreement, actor, stage: str, **kwargs) -> Agreement:
    return services.agreement_move(actor=actor, agreement=agreement, stage=stage, **kwargs)


def stages_of(agreement: Agreement) -> dict[str, dt.date]:
    return dict(AgreementStage.objects.filter(agreement=agreement).values_list("stage", "deadline"))


# --- model rules ------------------------------------------------------------------------------------


def test_new_agreement_is_proposed_with_every_stage_planned(w):
    a = w.agreement
    assert a.stage == Stage.PROPOSED
    assert (a.next_stage, a.next_deadline) == (Stage.DRAFT_READY, dt.date(2026, 9, 16))
    assert list(a.moves.values_list("from_stage", "to_stage", "actor")) == [("", "proposed", w.sec.pk)]


def test_a_kazakh_agency_cannot_be_a_russian_party(w):
    with pytest.raises(ValidationError) as error:
        make_agreement(actor=w.sec, event=w.event, ru=w.ru, kz=w.kz, ru_parties=[w.kz], title="x")
    assert error.value.message_dict == {"ru_parties": ["A Kazakh agency cannot be a party of the Russian side."]}
    assert Agreement.objects.count() == 1


def test_russian_agency_cannot_answer_for_the_kazakh_side(w):
    with pytest.raises(ValidationError) as error:
        make_agreement(actor=w.sec, event=w.event, ru=w.ru, kz=w.other, title="x")
    assert "kz_responsible" in error.value.message_dict or "kz_parties" in error.value.message_dict
    assert Agreement.objects.count() == 1


def test_ceremony_must_fall_on_a_day_of_the_event(w):
    with pytest.raises(ValidationError) as error:
        services.agreement_update(actor=w.sec, agreement=w.agreement, ceremony_day=3)
    assert error.value.message_dict == {
        "ceremony_day": ["The event lasts 2 day(s): the ceremony must be on one of them."]
    }
    services.agreement_update(actor=w.sec, agreement=w.agreement, ceremony_day=2)
    assert stages_of(w.agreement)[Stage.SIGNED] == dt.date(2026, 12, 11)


def test_database_refuses_a_signed_agreement_without_a_date(w):
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.filter(pk=w.agreement.pk).update(stage=Stage.SIGNED)


def test_two_agreements_cannot_share_a_place_in_the_order_of_signing(w):
    services.agreement_update(actor=w.sec, agreement=w.agreement, signing_order=1)
    with pytest.raises(ValidationError) as error:
        make_agreement(actor=w.sec, event=w.event, ru=w.ru, kz=w.kz, title="Второе", signing_order=1)
    assert error.value.messages == ["Another agreement of this event has this place in the order of signing."]


def test_only_the_secretariat_registers_and_edits(w):
    with pytest.raises(PermissionDenied):
        make_agreement(actor=w.ru_staff, event=w.event, ru=w.ru, kz=w.kz)
    with pytest.raises(PermissionDenied):
        services.agreement_update(actor=w.kz_staff, agreement=w.agreement, title="Другое")
    assert Agreement.objects.get().title == "Соглашение о сотрудничестве в сфере транспорта"


def test_language_versions_are_numbered_and_kept(w):
    for name in ("проект.pdf", "проект-2.pdf"):
        services.agreement_version_add(
            actor=w.ru_staff,
            agreement=w.agreement,
            language="ru",
            upload=SimpleUploadedFile(name, PDF, content_type="application/pdf"),
        )
    services.agreement_version_add(
        actor=w.kz_staff,
        agreement=w.agreement,
        language="kk",
        upload=SimpleUploadedFile("жоба.pdf", PDF, content_type="application/pdf"),
    )
    rows = list(
        w.agreement.versions.order_by("language", "version").values_list("language", "version", "original_name")
    )
    assert rows == [("kk", 1, "жоба.pdf"), ("ru", 1, "проект.pdf"), ("ru", 2, "проект-2.pdf")]


def test_a_text_that_is_not_what_it_claims_is_refused(w):
    with pytest.raises(ValidationError) as error:
        services.agreement_version_add(
            actor=w.sec,
            agreement=w.agreement,
            language="ru",
            upload=SimpleUploadedFile("текст.pdf", b"MZ\x90\x00", content_type="application/pdf"),
        )
    assert error.value.messages == ["“текст.pdf” is not a real PDF file."]
    assert w.agreement.versions.count() == 0


def test_an_outsider_cannot_add_a_text(w):
    with pytest.raises(PermissionDenied):
        services.agreement_version_add(
            actor=w.outsider,
            agreement=w.agreement,
            language="ru",
            upload=SimpleUploadedFile("x.pdf", PDF, content_type="application/pdf"),
        )


# --- workflow ---------------------------------------------------------------------------------------


def test_who_may_move_at_each_stage(w):
    a = w.agreement
    assert stage_targets(w.ru_staff, a) == [Stage.DRAFT_READY]
    assert stage_targets(w.kz_staff, a) == []
    assert stage_targets(w.outsider, a) == []
    assert stage_targets(w.sec, a) == [Stage.DRAFT_READY, Stage.WITHDRAWN]
    a = move(move(move(a, w.ru_staff, Stage.DRAFT_READY), w.ru_staff, Stage.RU_AGREED), w.ru_staff, Stage.SENT)
    assert stage_targets(w.ru_staff, a) == []
    assert stage_targets(w.kz_staff, a) == [Stage.PARTNER_COMMENTS, Stage.BOTH_AGREED]


@time_machine.travel(TODAY, tick=False)
def test_main_path_to_signing_is_kept_in_the_history(w):
    a = w.agreement
    a = move(a, w.ru_staff, Stage.DRAFT_READY, comment="Проект подготовлен")
    a = move(a, w.ru_staff, Stage.RU_AGREED)
    a = move(a, w.sec, Stage.SENT)
    a = move(a, w.kz_staff, Stage.PARTNER_COMMENTS, comment="Замечания к статье 3")
    a = move(a, w.ru_staff, Stage.SENT, comment="Замечания учтены")
    a = move(a, w.kz_staff, Stage.BOTH_AGREED)
    a = move(a, w.sec, Stage.TEXTS_CHECKED)
    a = move(a, w.sec, Stage.READY)
    a = move(
        a, w.sec, Stage.SIGNED, signed_on=dt.date(2026, 11, 20), signed_place="Омск, Конгресс-холл",
        signed_by="В. П. Хоценко; А. Ж. Байханов",
    )  # fmt: skip
    a.refresh_from_db()
    assert (a.stage, a.signed_on, a.next_stage, a.next_deadline) == ("signed", dt.date(2026, 11, 20), "", None)
    moves = list(
        AgreementMove.objects.filter(agreement=a).order_by("pk").values_list("to_stage", "actor__username", "comment")
    )
    assert moves[4] == ("partner_comments", "kz_staff", "Замечания к статье 3")
    assert len(moves) == 10
    history = list(a.history.order_by("history_id").values_list("stage", "history_user__username"))
    assert history[-1] == ("signed", "sec")
    assert a.history.order_by("history_id").last().history_change_reason == "Signed"
    reached = AgreementStage.objects.filter(agreement=a, reached_at__isnull=False).count()
    assert reached == 8


def test_a_move_the_workflow_does_not_allow_changes_nothing(w):
    with pytest.raises(ValidationError) as error:
        move(w.agreement, w.sec, Stage.SIGNED)
    assert error.value.message_dict == {
        "stage": ["An agreement cannot go from “Proposed” to “Signed” by your decision."]
    }
    with pytest.raises(ValidationError):
        move(w.agreement, w.kz_staff, Stage.DRAFT_READY)  # the Russian side drafts
    with pytest.raises(PermissionDenied):
        move(w.agreement, w.outsider, Stage.DRAFT_READY)
    w.agreement.refresh_from_db()
    assert w.agreement.stage == Stage.PROPOSED
    assert w.agreement.moves.count() == 1


def test_signing_needs_date_place_and_signatories(w):
    a = w.agreement
    for stage in (Stage.DRAFT_READY, Stage.RU_AGREED, Stage.SENT, Stage.BOTH_AGREED, Stage.TEXTS_CHECKED, Stage.READY):
        a = move(a, w.sec, stage)
    with pytest.raises(ValidationError) as error:
        move(a, w.sec, Stage.SIGNED, signed_on=dt.date(2099, 1, 1))
    assert error.value.message_dict == {
        "signed_on": ["The date of signing cannot be in the future."],
        "signed_place": ["Give the place of signing."],
        "signed_by": ["Say who signed the agreement."],
    }
    a.refresh_from_db()
    assert a.stage == Stage.READY


def test_withdrawal_needs_a_reason_and_only_the_secretariat_restores(w):
    with pytest.raises(ValidationError) as error:
        move(w.agreement, w.sec, Stage.WITHDRAWN, comment="  ")
    assert error.value.message_dict == {"comment": ["Say why the agreement is withdrawn."]}
    a = move(w.agreement, w.sec, Stage.WITHDRAWN, comment="Сторона отказалась")
    assert (a.next_stage, a.next_deadline) == ("", None)
    assert stage_targets(w.ru_staff, a) == []
    a = move(a, w.sec, Stage.PROPOSED)
    assert (a.next_stage, a.next_deadline) == (Stage.DRAFT_READY, dt.date(2026, 9, 16))


# --- deadlines --------------------------------------------------------------------------------------


def test_deadlines_count_back_working_days_of_the_acting_side(w):
    # 4 November is a holiday in Russia, not in Kazakhstan: 30 working days before 10 December are
    # 29 October by the Kazakh calendar (the partner's comments) and 28 October by the Russian one.
    assert stages_of(w.agreement) == {
        "draft_ready": dt.date(2026, 9, 16),
        "ru_agreed": dt.date(2026, 10, 7),
        "sent": dt.date(2026, 10, 14),
        "partner_comments": dt.date(2026, 10, 29),
        "both_agreed": dt.date(2026, 11, 12),
        "texts_checked": dt.date(2026, 11, 26),
        "ready": dt.date(2026, 12, 3),
        "signed": dt.date(2026, 12, 10),
    }
    row = AgreementStage.objects.get(agreement=w.agreement, stage="partner_comments")
    assert row.side == "KZ"


def test_deadlines_follow_the_event_when_its_dates_change(w):
    event = w.event
    event.start_date, event.end_date = dt.date(2026, 12, 17), dt.date(2026, 12, 18)
    messages = event_save(actor=w.sec, event=event, changed=["start_date", "end_date"])
    assert "The stage deadlines of 1 agreement followed the new dates." in messages
    assert stages_of(w.agreement) == {
        "draft_ready": dt.date(2026, 9, 23),
        "ru_agreed": dt.date(2026, 10, 14),
        "sent": dt.date(2026, 10, 21),
        # 16 December is Independence Day in Kazakhstan: the partner's stages lose one more day.
        "partner_comments": dt.date(2026, 11, 4),
        "both_agreed": dt.date(2026, 11, 18),
        "texts_checked": dt.date(2026, 12, 3),
        "ready": dt.date(2026, 12, 10),
        "signed": dt.date(2026, 12, 17),
    }
    w.agreement.refresh_from_db()
    assert w.agreement.next_deadline == dt.date(2026, 9, 23)
    assert w.agreement.history.latest().history_change_reason == "The event's dates changed"


def test_a_closed_agreement_keeps_its_deadlines_when_the_event_moves(w):
    move(w.agreement, w.sec, Stage.WITHDRAWN, comment="Снято")
    before = stages_of(w.agreement)
    w.event.start_date, w.event.end_date = dt.date(2026, 12, 17), dt.date(2026, 12, 18)
    assert event_save(actor=w.sec, event=w.event, changed=["start_date"]) == []
    assert stages_of(w.agreement) == before
