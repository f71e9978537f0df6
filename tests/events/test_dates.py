"""An event's new dates: the preview lists exactly what the one atomic step then does; a stale preview is refused."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from omskevents.agreements.models import AgreementStage
from omskevents.calendars.services import calendar_seed
from omskevents.events.dates import event_dates_preview_make
from omskevents.events.models import Event, ProgrammeItem
from omskevents.events.services import StaleDatesPreview, event_dates_apply
from omskevents.events.signals import event_dates_changed
from omskevents.workplan.models import Task
from tests.factories.accounts import UserFactory
from tests.factories.agencies import AgencyFactory
from tests.factories.agreements import make_agreement
from tests.factories.committee import MeetingFactory
from tests.factories.events import EventFactory, ProgrammeItemFactory
from tests.factories.workplan import TaskFactory
from tests.support.web import login_in_english

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
UTC = dt.UTC


@pytest.fixture
def w(db):
    calendar_seed(countries=["RU", "KZ"], years=[2026, 2027])
    ru = AgencyFactory(short_name="Минтранс Омской обл.", country="RU", level="regional")
    kz = AgencyFactory(short_name="Акимат Павлодарской обл.", country="KZ", level="foreign", time_zone="Asia/Almaty")
    sec = UserFactory(username="sec", role="secretariat", agency=None, is_staff=True)
    staff = UserFactory(username="staff", role="agency_staff", agency=ru)
    event = EventFactory(short_title="Форум XXII", time_zone="Asia/Omsk",
                         start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 11))  # fmt: skip
    # Day 1 at 10:00 Omsk, day 2 at 01:00 Omsk (still the previous day in UTC), and the evening before the Forum.
    opening = ProgrammeItemFactory(event=event, title="Пленарное заседание",
                                   starts_at=dt.datetime(2026, 12, 10, 4, tzinfo=UTC),
                                   ends_at=dt.datetime(2026, 12, 10, 6, tzinfo=UTC))  # fmt: skip
    night = ProgrammeItemFactory(event=event, title="Ночной приём",
                                 starts_at=dt.datetime(2026, 12, 10, 19, tzinfo=UTC),
                                 ends_at=dt.datetime(2026, 12, 10, 21, tzinfo=UTC))  # fmt: skip
    eve = ProgrammeItemFactory(event=event, title="Встреча делегаций",
                               starts_at=dt.datetime(2026, 12, 9, 12, tzinfo=UTC),
                               ends_at=dt.datetime(2026, 12, 9, 13, tzinfo=UTC))  # fmt: skip
    relative = TaskFactory(event=event, lead_agency=ru, title="Подготовить залы", deadline=dt.date(2026, 11, 30),
                           deadline_anchor="start", deadline_offset_days=-10)  # fmt: skip
    relative_kz = TaskFactory(event=event, lead_agency=kz, title="Списки делегации", deadline=dt.date(2026, 12, 3),
                              deadline_anchor="start", deadline_offset_days=-7)  # fmt: skip
    fixed = TaskFactory(event=event, lead_agency=ru, title="Смета", deadline=dt.date(2026, 11, 2))
    agreement = make_agreement(actor=sec, event=event, ru=ru, kz=kz)
    meeting = MeetingFactory(event=event, title="О готовности к Форуму",
                             starts_at=dt.datetime(2026, 12, 1, 5, tzinfo=UTC))  # fmt: skip
    other_event = EventFactory(start_date=dt.date(2026, 6, 1), end_date=dt.date(2026, 6, 2))
    elsewhere = ProgrammeItemFactory(event=other_event, starts_at=dt.datetime(2026, 6, 1, 4, tzinfo=UTC),
                                     ends_at=dt.datetime(2026, 6, 1, 5, tzinfo=UTC))  # fmt: skip
    return SimpleNamespace(**locals())


NEW_START, NEW_END = dt.date(2026, 12, 17), dt.date(2026, 12, 18)


def snapshot(w) -> dict:
    """Everything the step may touch, as stored."""
    return {
        "event": Event.objects.filter(pk=w.event.pk).values_list("start_date", "end_date").get(),
        "programme": sorted(ProgrammeItem.objects.values_list("pk", "starts_at", "ends_at")),
        "tasks": sorted(Task.objects.values_list("pk", "deadline", "deadline_note")),
        "stages": sorted(AgreementStage.objects.values_list("pk", "deadline", "deadline_note")),
        "meetings": sorted(w.meeting.__class__.objects.values_list("pk", "starts_at")),
    }


def test_preview_lists_exactly_what_the_step_then_does(w):
    before = snapshot(w)
    preview = event_dates_preview_make(event=w.event, start_date=NEW_START, end_date=NEW_END)
    assert snapshot(w) == before  # the preview writes nothing
    assert [s.name for s in preview.sections] == ["programme", "tasks", "agreements", "meetings"]
    planned = {c.key: c.new for s in preview.sections if s.moves for c in s.changes}

    event_dates_apply(actor=w.sec, event=w.event, start_date=NEW_START, end_date=NEW_END,
                      fingerprint=preview.fingerprint)  # fmt: skip

    done = {}
    for pk, starts_at, _end in ProgrammeItem.objects.values_list("pk", "starts_at", "ends_at"):
        if (pk, starts_at) not in {(p, s) for p, s, _e in before["programme"]}:
            done[f"events.programmeitem:{pk}"] = starts_at
    for pk, deadline, _note in Task.objects.values_list("pk", "deadline", "deadline_note"):
        if (pk, deadline) not in {(p, d) for p, d, _n in before["tasks"]}:
            done[f"workplan.task:{pk}"] = deadline
    for agreement_id, stage, deadline in AgreementStage.objects.values_list("agreement", "stage", "deadline"):
        old = {(p, d) for p, d, _n in before["stages"]}
        row = AgreementStage.objects.get(agreement=agreement_id, stage=stage)
        if (row.pk, deadline) not in old:
            done[f"agreements.agreement:{agreement_id}:{stage}"] = deadline
    assert done == planned

    # What moved, as the secretary reads it: the same day of the event, the same local time.
    w.opening.refresh_from_db()
    w.night.refresh_from_db()
    w.eve.refresh_from_db()
    assert (w.opening.starts_at, w.opening.ends_at) == (dt.datetime(2026, 12, 17, 4, tzinfo=UTC),
                                                        dt.datetime(2026, 12, 17, 6, tzinfo=UTC))  # fmt: skip
    assert w.night.starts_at == dt.datetime(2026, 12, 17, 19, tzinfo=UTC)
    assert w.eve.starts_at == dt.datetime(2026, 12, 16, 12, tzinfo=UTC)
    assert Task.objects.get(pk=w.relative.pk).deadline == dt.date(2026, 12, 7)
    # 17 - 7 = 10 December, a working day in Kazakhstan too.
    assert Task.objects.get(pk=w.relative_kz.pk).deadline == dt.date(2026, 12, 10)
    assert Task.objects.get(pk=w.fixed.pk).deadline == dt.date(2026, 11, 2)
    assert AgreementStage.objects.get(agreement=w.agreement, stage="signed").deadline == NEW_START
    # Meetings are listed, not moved; the other event is untouched.
    meetings = preview.section("meetings")
    assert [c.key for c in meetings.changes] == [f"committee.meeting:{w.meeting.pk}"]
    assert "16 days before the new start" in meetings.changes[0].note
    assert snapshot(w)["meetings"] == before["meetings"]
    w.elsewhere.refresh_from_db()
    assert w.elsewhere.starts_at == dt.datetime(2026, 6, 1, 4, tzinfo=UTC)


def test_a_failing_receiver_leaves_nothing_changed(w):
    before = snapshot(w)
    preview = event_dates_preview_make(event=w.event, start_date=NEW_START, end_date=NEW_END)

    def fails(sender, **kwargs):
        raise RuntimeError("a receiver failed")

    event_dates_changed.connect(fails, dispatch_uid="test.fails")
    try:
        with pytest.raises(RuntimeError):
            event_dates_apply(actor=w.sec, event=w.event, start_date=NEW_START, end_date=NEW_END,
                              fingerprint=preview.fingerprint)  # fmt: skip
    finally:
        event_dates_changed.disconnect(dispatch_uid="test.fails")
    assert snapshot(w) == before


def test_a_stale_preview_is_refused_and_the_new_one_returned(w):
    preview = event_dates_preview_make(event=w.event, start_date=NEW_START, end_date=NEW_END)
    Task.objects.filter(pk=w.relative.pk).update(deadline_offset_days=-8)  # someone changed the plan meanwhile
    before = snapshot(w)
    with pytest.raises(StaleDatesPreview) as caught:
        event_dates_apply(actor=w.sec, event=w.event, start_date=NEW_START, end_date=NEW_END,
                          fingerprint=preview.fingerprint)  # fmt: skip
    assert snapshot(w) == before
    fresh = caught.value.preview
    assert fresh.fingerprint != preview.fingerprint
    new_deadlines = {c.key: c.new for c in fresh.section("tasks").changes}
    assert new_deadlines[f"workplan.task:{w.relative.pk}"] == dt.date(2026, 12, 9)


def test_only_the_secretariat_applies(w):
    preview = event_dates_preview_make(event=w.event, start_date=NEW_START, end_date=NEW_END)
    with pytest.raises(PermissionDenied):
        event_dates_apply(actor=w.staff, event=w.event, start_date=NEW_START, end_date=NEW_END,
                          fingerprint=preview.fingerprint)  # fmt: skip


def test_a_shorter_event_cannot_leave_an_item_after_its_end(w):
    with pytest.raises(ValidationError) as caught:
        event_dates_preview_make(event=w.event, start_date=NEW_START, end_date=NEW_START)
    assert "Ночной приём" in caught.value.messages[0]
    assert "day 2" in caught.value.messages[0]


# --- the pages -----------------------------------------------------------------------------------------------


def test_the_page_previews_then_applies(client, w):
    login_in_english(client, w.sec)
    url = reverse("events:dates", args=[w.event.pk])
    assert "Change the dates" in client.get(w.event.get_absolute_url()).content.decode()
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, {"start_date": "2026-12-17", "end_date": "2026-12-18"})
    content = response.content.decode()
    assert response.status_code == 200
    assert Event.objects.get(pk=w.event.pk).start_date == dt.date(2026, 12, 10)  # nothing saved yet
    assert "Пленарное заседание" in content
    assert "10.12.2026 10:00" in content
    assert "17.12.2026 10:00" in content
    assert "Подготовить залы" in content
    assert "30.11.2026" in content
    assert "07.12.2026" in content
    assert "not moved" in content
    assert "О готовности к Форуму" in content
    fingerprint = response.context["preview"].fingerprint
    assert f'value="{fingerprint}"' in content
    done = client.post(url, {"start_date": "2026-12-17", "end_date": "2026-12-18", "fingerprint": fingerprint})
    assert done.status_code == 302
    assert done["Location"] == w.event.get_absolute_url()
    assert Event.objects.get(pk=w.event.pk).start_date == NEW_START
    followed = client.get(done["Location"]).content.decode()
    assert "The event&#x27;s dates were changed." in followed
    assert "2 task deadlines followed the new dates." in followed


def test_the_page_shows_the_new_preview_when_the_old_one_is_stale(client, w):
    login_in_english(client, w.sec)
    url = reverse("events:dates", args=[w.event.pk])
    preview = client.post(url, {"start_date": "2026-12-17", "end_date": "2026-12-18"}).context["preview"]
    fingerprint = preview.fingerprint
    Event.objects.filter(pk=w.event.pk).update(end_date=dt.date(2026, 12, 12))
    before = snapshot(w)
    response = client.post(url, {"start_date": "2026-12-17", "end_date": "2026-12-18", "fingerprint": fingerprint})
    assert response.status_code == 200
    assert "changed since the preview" in response.content.decode()
    assert response.context["preview"].fingerprint != fingerprint
    assert snapshot(w) == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"start_date": "2026-12-18", "end_date": "2026-12-17"}, "Дата окончания не может быть раньше даты начала."),
        ({"start_date": "завтра", "end_date": "2026-12-17"}, "Введите правильную дату."),
        ({"start_date": "2026-02-30", "end_date": "2026-12-17"}, "Введите правильную дату."),
        ({"start_date": "", "end_date": ""}, "Обязательное поле."),
        ({"start_date": "2026-12-10", "end_date": "2026-12-11"}, "нечего менять"),
        ({"start_date": "2026-12-17", "end_date": "2026-12-17"}, "после новой даты окончания"),
        ({"start_date": "2026-12-17", "end_date": "2026-12-18", "fingerprint": "<script>"}, "изменилось"),
        ({"start_date": "2026-12-17", "end_date": "2026-12-18", "fingerprint": "x" * 5000}, "изменилось"),
        ({"start_date": "2026-12-17", "end_date": "2026-12-18", "fingerprint": "0" * 32}, "изменилось"),
    ],
)
def test_hostile_input_gets_a_clear_russian_message_and_changes_nothing(client, w, data, message):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    client.force_login(w.sec)
    before = snapshot(w)
    response = client.post(reverse("events:dates", args=[w.event.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert snapshot(w) == before


def test_the_admin_sends_new_dates_to_the_preview(client, w):
    client.force_login(w.sec)
    content = client.get(reverse("admin:events_event_change", args=[w.event.pk])).content.decode()
    assert reverse("events:dates", args=[w.event.pk]) in content
    assert 'name="start_date"' not in content


@pytest.mark.parametrize("count", [1, 12])
def test_the_preview_query_count_does_not_grow_with_the_programme(client, w, django_assert_num_queries, count):
    for n in range(count):
        ProgrammeItemFactory(event=w.event, venue=None, starts_at=dt.datetime(2026, 12, 10, 7, n, tzinfo=UTC),
                             ends_at=dt.datetime(2026, 12, 10, 8, tzinfo=UTC))  # fmt: skip
    login_in_english(client, w.sec)
    url = reverse("events:dates", args=[w.event.pk])
    client.post(url, {"start_date": "2026-12-17", "end_date": "2026-12-18"})  # the working calendars cached
    with django_assert_num_queries(NUM_PREVIEW_QUERIES):
        client.post(url, {"start_date": "2026-12-17", "end_date": "2026-12-18"})


NUM_PREVIEW_QUERIES = 17 + 1  # + 1: the menu's unread count
