"""What mail providers enforce now, for every kind of mail: a plain-text part, no remote images (tracking pixels),
and on bulk kinds a one-click unsubscribe (RFC 8058) that works without cookies and switches off exactly its kind."""

import datetime as dt
import email
from email import policy
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import signing
from django.test import Client

from omskevents.notifications import emails, links
from omskevents.notifications.enums import BULK_KINDS, Delivery, Kind
from omskevents.notifications.models import NotificationPreference
from tests.security.test_xss import _mail_rows, hostile  # noqa: F401 - the fixture is used by name

pytestmark = pytest.mark.django_db
CLOCK = dt.datetime(2026, 11, 20, 3, 0, tzinfo=dt.UTC)


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.remote: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("src", "background", "srcset"):
            value = (values.get(name) or "").strip()
            if value and not value.startswith(("cid:", "data:")):
                self.remote.append(f"<{tag} {name}={value}>")
        style = values.get("style") or ""
        if "url(" in style and "url(data:" not in style and "url(cid:" not in style:
            self.remote.append(f"<{tag} style={style}>")


def _rendered(w):
    with time_machine.travel(CLOCK, tick=False):
        for row in _mail_rows(w):
            message = emails.build_message(row, message_id="<x@example.org>")
            yield row, email.message_from_bytes(message.message().as_bytes(), policy=policy.default)


def test_every_kind_has_a_plain_text_part_and_no_remote_image(hostile):  # noqa: F811
    seen = set()
    for row, parsed in _rendered(hostile):
        seen.add(row.kind)
        texts = [p for p in parsed.walk() if p.get_content_type() == "text/plain" and not p.get_filename()]
        assert texts, f"{row.kind}: no text/plain part"
        assert texts[0].get_content().strip(), f"{row.kind}: an empty text/plain part"
        for part in parsed.walk():
            if part.get_content_type() == "text/html":
                images = _Images()
                images.feed(part.get_content())
                assert images.remote == [], f"{row.kind}: remote images {images.remote}"
                assert "<img" not in part.get_content().lower() or not images.remote
    assert seen == set(Kind.values)


def test_bulk_kinds_carry_one_click_unsubscribe_and_the_others_do_not(hostile):  # noqa: F811
    for row, parsed in _rendered(hostile):
        header = parsed.get("List-Unsubscribe")
        if row.kind in BULK_KINDS:
            assert header is not None, row.kind
            url = "".join(str(header).split()).strip("<>")
            assert urlsplit(url).scheme in ("http", "https"), row.kind
            assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click", row.kind
            assert links.unsubscribe_read(urlsplit(url).path.rstrip("/").rsplit("/", 1)[1]) == (
                row.recipient_id,
                row.kind,
            )
            assert url in next(p for p in parsed.walk() if p.get_content_type() == "text/plain").get_content()
        else:
            assert header is None, row.kind
            assert parsed.get("List-Unsubscribe-Post") is None, row.kind


def _path(url: str) -> str:
    return urlsplit(url).path


def test_one_click_post_without_cookies_or_csrf_switches_off_exactly_that_kind(world):
    mail_client = Client(enforce_csrf_checks=True)  # a mail provider: no session, no CSRF cookie or token
    url = _path(links.unsubscribe_url(user=world.staff_a, kind=Kind.OVERDUE))
    response = mail_client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    pref = NotificationPreference.objects.get(user=world.staff_a)
    assert pref.muted_kinds == [Kind.OVERDUE]
    assert (pref.reminders_mode, pref.digests, pref.delivery) == ("mail", True, Delivery.IMMEDIATE)
    assert not NotificationPreference.objects.filter(user=world.staff_b).exists()
    again = mail_client.post(url, {"List-Unsubscribe": "One-Click"})
    assert again.status_code == 200
    assert NotificationPreference.objects.get(user=world.staff_a).muted_kinds == [Kind.OVERDUE]


def test_a_get_only_asks_and_never_unsubscribes(world):
    url = _path(links.unsubscribe_url(user=world.staff_a, kind=Kind.READINESS))
    response = Client().get(url)
    assert response.status_code == 200
    assert 'method="post"' in response.content.decode()
    assert "Еженедельная сводка" in response.content.decode() or "Weekly readiness summary" in response.content.decode()
    assert not NotificationPreference.objects.exists()


# Tokens made when the test runs (a signed token carries its time): the collected ids stay the same in every
# process of a parallel run.
BAD_TOKENS = {
    "nonsense": lambda: "nonsense",
    "three-parts": lambda: "x:y:z",
    "old-design-no-kind": lambda: signing.dumps({"u": 1}, salt=links.UNSUBSCRIBE_SALT),
    "not-a-bulk-kind": lambda: signing.dumps({"u": 1, "k": "assignment"}, salt=links.UNSUBSCRIBE_SALT),
    "another-purpose": lambda: signing.dumps({"u": 1, "k": "overdue"}, salt="another.purpose"),
}


@pytest.mark.parametrize("case", list(BAD_TOKENS))
def test_a_bad_token_answers_400_and_changes_nothing(world, case):
    token = BAD_TOKENS[case]()
    response = Client(enforce_csrf_checks=True).post(f"/notifications/unsubscribe/{token}/")
    assert response.status_code == 400
    assert "Ссылка недействительна" in response.content.decode() or "not valid" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_a_token_of_a_person_gone_answers_404_and_changes_nothing(world):
    token = links.unsubscribe_token(user=world.staff_a, kind=Kind.OVERDUE)
    world.staff_a.is_active = False
    world.staff_a.save()
    response = Client(enforce_csrf_checks=True).post(f"/notifications/unsubscribe/{token}/")
    assert response.status_code == 404
    assert not NotificationPreference.objects.exists()


def test_an_altered_token_of_another_person_is_refused(world):
    token = links.unsubscribe_token(user=world.staff_a, kind=Kind.OVERDUE)
    payload = signing.b64_encode(b'{"u":%d,"k":"overdue"}' % world.staff_b.pk).decode()
    forged = token.replace(token.split(":")[0], payload)
    response = Client(enforce_csrf_checks=True).post(f"/notifications/unsubscribe/{forged}/")
    assert response.status_code == 400
    assert not NotificationPreference.objects.exists()


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_every_kind_of_mail_is_free_of_known_wrong_forms_in_each_language(hostile, language):  # noqa: F811
    """Every kind rendered for people who read it in `language` (agency contact addresses get Russian)."""
    from omskevents.accounts.models import User
    from tests.security.test_language_forms import _wrong_forms

    User.objects.update(language=language)
    NotificationPreference.objects.update(language="")
    seen = set()
    for row, parsed in _rendered(hostile):
        seen.add(row.kind)
        read_in = language if row.recipient_id is not None else "ru"
        assert _wrong_forms(str(parsed["Subject"]), read_in) == [], (row.kind, read_in, str(parsed["Subject"]))
        for part in parsed.walk():
            if part.get_content_type() in ("text/plain", "text/html") and not part.get_filename():
                assert _wrong_forms(part.get_content(), read_in) == [], (row.kind, read_in)
    assert seen == set(Kind.values)


@pytest.mark.parametrize("language", ["ru", "en", "kk"])
def test_the_delivered_bytes_are_those_django_would_send_for_every_kind(world, hostile, language):  # noqa: F811
    """The worker writes messages with emails.SHORT_HEADERS_CRLF (one-line ASCII headers as they stand); for every
    kind of mail, names and titles with line breaks, quotes and markup in them, each language, the bytes are
    those of Django's own `message().as_bytes(linesep="\\r\\n")`."""
    compared = 0
    with time_machine.travel(CLOCK, tick=False):
        for row in _mail_rows(hostile):
            if row.recipient is not None:
                NotificationPreference.objects.update_or_create(user=row.recipient, defaults={"language": language})
            mime = emails.build_message(row, message_id=f"<outbox-{row.pk}@example.org>").message()
            django_bytes = mime.as_bytes(linesep="\r\n")  # sets the multipart boundary, which the next one reuses
            assert emails.mime_bytes(mime) == django_bytes, row.kind
            compared += 1
    assert compared >= len(Kind.values)
