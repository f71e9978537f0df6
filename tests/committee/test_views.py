import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from docx import Document

from omskevents.committee.models import AgendaItem, Decision, Meeting
from tests.factories.accounts import UserFactory
from tests.factories.committee import (
    AttendanceFactory,
    CommitteeFactory,
    CommitteeMemberFactory,
    DecisionFactory,
    MeetingFactory,
)
from tests.support.web import login_in_english as _login

pytestmark = pytest.mark.django_db


def test_meeting_list_requires_login(client):
    response = client.get(reverse("committee:meeting_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_meeting_list_shows_meetings_to_agency_staff_without_manage_button(client, staff_a):
    MeetingFactory(number=7, title="Логистика Иртыша")
    response = _login(client, staff_a).get(reverse("committee:meeting_list"))
    content = response.content.decode()
    assert "Meeting No. 7" in content
    assert "Логистика Иртыша" in content
    assert reverse("committee:meeting_create") not in content
    assert reverse("calendar:settings") in content


def test_meeting_list_shows_schedule_button_to_secretariat(client, secretariat):
    response = _login(client, secretariat).get(reverse("committee:meeting_list"))
    assert reverse("committee:meeting_create") in response.content.decode()


@pytest.mark.parametrize("count", [1, 30])
def test_meeting_list_query_count_does_not_grow(client, secretariat, django_assert_num_queries, count):
    committee = CommitteeFactory()
    for n in range(count):
        meeting = MeetingFactory(
            committee=committee,
            chair=secretariat,
            starts_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=n),
        )
        DecisionFactory(meeting=meeting)
    _login(client, secretariat)
    with django_assert_num_queries(7 + 1):  # + 1: the menu's unread count
        response = client.get(reverse("committee:meeting_list"))
    assert response.content.decode().count('class="meeting-row"') == min(count, 25)


@pytest.mark.parametrize("count", [1, 12])
def test_meeting_calendar_query_count_does_not_grow(client, staff_a, django_assert_num_queries, count):
    committee = CommitteeFactory()
    for n in range(count):
        MeetingFactory(committee=committee, starts_at=dt.datetime(2026, 12, 1, 5, tzinfo=dt.UTC) + dt.timedelta(days=n))
    _login(client, staff_a)
    with django_assert_num_queries(6 + 1):  # + 1: the menu's unread count
        response = client.get(reverse("committee:meeting_calendar"), {"month": "2026-12"})
    assert response.content.decode().count('class="d-block small calendar-meeting') == count


def test_meeting_calendar_places_a_meeting_on_its_local_day(client, staff_a):
    # 20:00 UTC on 1 December is 02:00 on 2 December in Omsk (the reader's zone).
    MeetingFactory(number=3, starts_at=dt.datetime(2026, 12, 1, 20, 0, tzinfo=dt.UTC))
    response = _login(client, staff_a).get(reverse("committee:meeting_calendar"), {"month": "2026-12"})
    weeks = response.context["weeks"]
    days = {day["date"]: [str(m) for m in day["meetings"]] for week in weeks for day in week}
    assert days[dt.date(2026, 12, 2)] == ["Meeting No. 3"]
    assert days[dt.date(2026, 12, 1)] == []
    assert "02:00 Meeting No. 3" in response.content.decode()


@time_machine.travel(dt.datetime(2026, 11, 25, 6, 0, tzinfo=dt.UTC))
def test_meeting_calendar_with_a_malformed_month_shows_this_month(client, staff_a):
    response = _login(client, staff_a).get(reverse("committee:meeting_calendar"), {"month": "2026-13"})
    assert response.status_code == 200
    assert response.context["month"] == dt.date(2026, 11, 1)
    assert (response.context["previous_month"], response.context["next_month"]) == ("2026-10", "2026-12")


def test_meeting_detail_shows_agenda_attendance_decisions(client, staff_a, agency_a, agency_b):
    meeting = MeetingFactory(number=4)
    AgendaItem.objects.create(meeting=meeting, order=1, title="О ходе подготовки Форума", speaker="Капырин И.В.")
    AttendanceFactory(meeting=meeting, user=staff_a, status="present")
    DecisionFactory(
        meeting=meeting, number="1", text="Подготовить причал", lead_agency=agency_a, co_executors=[agency_b]
    )
    content = _login(client, staff_a).get(meeting.get_absolute_url()).content.decode()
    assert "О ходе подготовки Форума" in content
    assert "Капырин И.В." in content
    assert "Present" in content
    assert "Подготовить причал" in content
    assert "Акимат Павлодарской обл." in content
    assert "Make a task" not in content
    assert reverse("committee:agenda_add", args=[meeting.pk]) not in content


def test_meeting_detail_for_an_unknown_meeting_is_404(client, staff_a):
    assert _login(client, staff_a).get(reverse("committee:meeting_detail", args=[999])).status_code == 404


def test_meeting_detail_for_a_deactivated_person_asks_to_log_in(client, staff_a):
    meeting = MeetingFactory()
    _login(client, staff_a)
    staff_a.is_active = False
    staff_a.save()
    response = client.get(meeting.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_meeting_create_by_secretariat_schedules_and_redirects(client, secretariat, staff_a):
    committee = CommitteeFactory()
    response = _login(client, secretariat).post(
        reverse("committee:meeting_create"),
        {
            "committee": committee.pk,
            "title": "Заседание оргкомитета",
            "starts_at": "2026-12-01T11:00",
            "place": "Омск, ул. Красный Путь, 1",
            "invitees": [staff_a.pk],
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url()
    # 11:00 in Omsk (the secretary's zone) is 05:00 UTC.
    assert meeting.starts_at == dt.datetime(2026, 12, 1, 5, 0, tzinfo=dt.UTC)
    assert (meeting.number, list(meeting.attendance.values_list("user", flat=True))) == (1, [staff_a.pk])


def test_meeting_create_without_place_shows_the_error(client, secretariat):
    committee = CommitteeFactory()
    response = _login(client, secretariat).post(
        reverse("committee:meeting_create"), {"committee": committee.pk, "starts_at": "2026-12-01T11:00"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"place": ["Give a place or a video link."]}
    assert Meeting.objects.count() == 0


def test_meeting_create_with_end_before_start_shows_the_error(client, secretariat):
    committee = CommitteeFactory()
    response = _login(client, secretariat).post(
        reverse("committee:meeting_create"),
        {"committee": committee.pk, "starts_at": "2026-12-01T11:00", "ends_at": "2026-12-01T10:00", "place": "Зал"},
    )
    assert response.context["form"].errors == {"ends_at": ["The end cannot be before the start."]}
    assert Meeting.objects.count() == 0


def test_meeting_create_with_a_taken_number_shows_the_error(client, secretariat):
    meeting = MeetingFactory(number=1)
    response = _login(client, secretariat).post(
        reverse("committee:meeting_update", args=[meeting.pk]),
        {"starts_at": "2026-12-01T11:00", "ends_at": "garbage", "place": "Зал"},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["ends_at"]


def test_meeting_create_by_agency_staff_is_forbidden(client, staff_a):
    committee = CommitteeFactory()
    response = _login(client, staff_a).post(
        reverse("committee:meeting_create"),
        {"committee": committee.pk, "starts_at": "2026-12-01T11:00", "place": "Зал"},
    )
    assert response.status_code == 403
    assert Meeting.objects.count() == 0


def test_meeting_update_changes_the_place(client, secretariat):
    meeting = MeetingFactory()
    response = _login(client, secretariat).post(
        reverse("committee:meeting_update", args=[meeting.pk]),
        {"starts_at": "2026-12-01T11:00", "place": "Дом дружбы", "title": ""},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.place, meeting.sequence) == ("Дом дружбы", 1)


def test_meeting_close_saves_minutes(client, secretariat):
    meeting = MeetingFactory()
    response = _login(client, secretariat).post(
        reverse("committee:meeting_close", args=[meeting.pk]), {"minutes": "Заслушали: доклад Минтранса."}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.minutes) == ("held", "Заслушали: доклад Минтранса.")


def test_meeting_close_by_agency_staff_is_forbidden(client, staff_a):
    meeting = MeetingFactory()
    response = _login(client, staff_a).post(reverse("committee:meeting_close", args=[meeting.pk]), {"minutes": "x"})
    assert response.status_code == 403
    meeting.refresh_from_db()
    assert meeting.minutes == ""


def test_meeting_cancel_by_secretariat(client, secretariat):
    meeting = MeetingFactory()
    _login(client, secretariat).post(reverse("committee:meeting_cancel", args=[meeting.pk]), {"confirm": "yes"})
    meeting.refresh_from_db()
    assert meeting.status == "cancelled"


def test_agenda_add_and_delete(client, secretariat):
    meeting = MeetingFactory()
    _login(client, secretariat)
    response = client.post(
        reverse("committee:agenda_add", args=[meeting.pk]), {"agenda-title": "Открытие", "agenda-speaker": ""}
    )
    assert response["Location"] == meeting.get_absolute_url() + "#agenda"
    item = AgendaItem.objects.get()
    assert (item.order, item.title) == (1, "Открытие")
    client.post(reverse("committee:agenda_delete", args=[meeting.pk, item.pk]), {"confirm": "yes"})
    assert AgendaItem.objects.count() == 0


def test_agenda_add_empty_shows_the_error_on_the_page(client, secretariat):
    meeting = MeetingFactory()
    response = _login(client, secretariat).post(
        reverse("committee:agenda_add", args=[meeting.pk]), {"agenda-title": ""}
    )
    assert response.status_code == 200
    assert response.context["agenda_form"].errors == {"title": ["This field is required."]}
    assert AgendaItem.objects.count() == 0


def test_attendance_set_by_secretariat(client, secretariat, staff_a):
    meeting = MeetingFactory()
    _login(client, secretariat).post(
        reverse("committee:attendance_set", args=[meeting.pk]),
        {"attendance-user": staff_a.pk, "attendance-status": "remote"},
    )
    assert list(meeting.attendance.values_list("user", "status")) == [(staff_a.pk, "remote")]


def test_decision_add_with_lead_as_co_executor_shows_the_error(client, secretariat, agency_a):
    meeting = MeetingFactory()
    response = _login(client, secretariat).post(
        reverse("committee:decision_add", args=[meeting.pk]),
        {"decision-text": "Обеспечить", "decision-lead_agency": agency_a.pk, "decision-co_executors": [agency_a.pk]},
    )
    assert response.context["decision_form"].errors == {
        "co_executors": ["The lead executor cannot also be a co-executor."]
    }
    assert Decision.objects.count() == 0


def test_decision_add_with_a_bad_date_shows_the_error(client, secretariat):
    meeting = MeetingFactory()
    response = _login(client, secretariat).post(
        reverse("committee:decision_add", args=[meeting.pk]),
        {"decision-text": "Обеспечить", "decision-deadline": "31.02.2026"},
    )
    assert response.context["decision_form"].errors == {"deadline": ["Enter a valid date."]}
    assert Decision.objects.count() == 0


def test_decision_add_with_a_text_too_long_or_a_year_out_of_range_shows_the_errors(client, secretariat):
    meeting = MeetingFactory()
    response = _login(client, secretariat).post(
        reverse("committee:decision_add", args=[meeting.pk]),
        {"decision-text": "ы" * 6000, "decision-deadline": "0001-01-01"},
    )
    errors = response.context["decision_form"].errors
    assert errors["text"] == ["Ensure this value has at most 5000 characters (it has 6000)."]
    assert Decision.objects.count() == 0
    response = _login(client, secretariat).post(
        reverse("committee:decision_add", args=[meeting.pk]),
        {"decision-text": "Обеспечить", "decision-deadline": "0001-01-01"},
    )
    assert response.context["decision_form"].errors == {"deadline": ["Enter a date from 01.01.2000 to 31.12.2099."]}
    assert Decision.objects.count() == 0


def test_decision_add_by_agency_staff_is_forbidden(client, staff_a):
    meeting = MeetingFactory()
    response = _login(client, staff_a).post(
        reverse("committee:decision_add", args=[meeting.pk]), {"decision-text": "x"}
    )
    assert response.status_code == 403
    assert Decision.objects.count() == 0


def test_minutes_docx_holds_the_meeting_ready_to_sign(client, staff_a, agency_a, agency_b):
    committee = CommitteeFactory(name="Оргкомитет Форума")
    chair = UserFactory(username="chair", first_name="Виталий", last_name="Хоценко", patronymic="", agency=agency_a)
    secretary = UserFactory(
        username="secretary", first_name="Анна", last_name="Секретарёва", patronymic="", agency=agency_a
    )
    CommitteeMemberFactory(committee=committee, user=chair, role="chair")
    CommitteeMemberFactory(committee=committee, user=secretary, role="secretary")
    meeting = MeetingFactory(
        committee=committee, number=5, place="Омск, Дом Правительства", minutes="Заслушали доклад.", status="held"
    )
    AgendaItem.objects.create(meeting=meeting, order=1, title="О подготовке XXII Форума")
    AttendanceFactory(meeting=meeting, user=staff_a, status="present")
    AttendanceFactory(meeting=meeting, user=secretary, status="absent")
    DecisionFactory(
        meeting=meeting,
        number="1",
        text="Обеспечить навигацию",
        lead_agency=agency_a,
        co_executors=[agency_b],
        deadline=dt.date(2026, 12, 3),
    )
    response = _login(client, staff_a).get(reverse("committee:minutes_docx", args=[meeting.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="minutes-5-2026-12-01.docx"'
    text = [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
    assert text[:3] == ["ОРГКОМИТЕТ ФОРУМА", "MINUTES No. 5", "of the meeting of the organising committee"]
    assert "Date: 01.12.2026, 11:00" in text
    assert "Place: Омск, Дом Правительства" in text
    assert f"{staff_a.get_full_name()} (МИД России ДСФ)" in text
    assert text[text.index("Absent:") + 1] == "Секретарёва Анна (МИД России ДСФ)"
    assert "1. О подготовке XXII Форума" in text
    assert "Заслушали доклад." in text
    assert "1. Обеспечить навигацию" in text
    assert "Lead executor: МИД России ДСФ; co-executors: Акимат Павлодарской обл.; deadline: 03.12.2026." in text
    assert text[-2:] == [
        "Chair ____________________ Хоценко Виталий",
        "Secretary ____________________ Секретарёва Анна",
    ]


def test_minutes_of_a_meeting_not_yet_held_are_a_draft_listing_the_invited(client, staff_a, agency_a):
    """Before the meeting nobody has been marked present: the document says DRAFT and lists the people invited
    as invited, not as present."""
    meeting = MeetingFactory(number=6, place="Омск", status="planned")
    AttendanceFactory(meeting=meeting, user=staff_a, status="invited")

    response = _login(client, staff_a).get(reverse("committee:minutes_docx", args=[meeting.pk]))

    text = [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
    assert text[0] == "DRAFT"
    assert "Present:" not in text
    assert text[text.index("Invited:") + 1] == f"{staff_a.get_full_name()} (МИД России ДСФ)"


def test_minutes_docx_requires_login(client):
    meeting = MeetingFactory()
    assert client.get(reverse("committee:minutes_docx", args=[meeting.pk])).status_code == 302


def test_minutes_docx_is_on_the_official_a4_page(client, secretariat):
    from docx.shared import Pt

    meeting = MeetingFactory()
    response = _login(client, secretariat).get(reverse("committee:minutes_docx", args=[meeting.pk]))

    doc = Document(io.BytesIO(response.content))
    page = doc.sections[0]
    assert (round(page.page_width.mm), round(page.page_height.mm)) == (210, 297)
    margins = (page.left_margin, page.right_margin, page.top_margin, page.bottom_margin)
    assert [round(m.mm) for m in margins] == [30, 15, 20, 20]
    normal = doc.styles["Normal"]
    assert (normal.font.name, normal.font.size, normal.paragraph_format.line_spacing) == (
        "Times New Roman",
        Pt(14),
        1.0,
    )


def test_meeting_print_page_shows_the_agenda_with_the_zone_named(client, secretariat, settings):
    meeting = MeetingFactory()
    AgendaItem.objects.create(meeting=meeting, order=1, title="О готовности площадок")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    client.force_login(secretariat)

    html = client.get(reverse("committee:meeting_print", args=[meeting.pk])).content.decode()

    assert "О готовности площадок" in html
    assert "01.12.2026 11:00 (Омск)" in html
    assert "(+06)" not in html
    assert 'href="/static/css/print.css"' in html
