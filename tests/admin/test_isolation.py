"""Every registered admin model, walked as every kind of account: exactly what each may see and do.

The table DECISIONS names, per model and account, which objects of the world are visible, and whether the
account may add and delete. A model registered without a row here fails the walk.
"""

import datetime as dt
import json
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from axes.models import AccessLog
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from omskevents.accounts.audit import security_events_purge
from tests.admin.conftest import snapshot
from tests.support.db_state import fresh_copy

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(module_world, db):
    """Every test here stands on the same world, made once for the module; each test's writes are rolled back."""
    return fresh_copy(module_world)


# agency_b is Kazakh: the Kazakh secretariat ("kz_secretariat") sees what belongs to its tasks, and no more.
ACCOUNTS = ("secretariat", "staff_a", "head_a", "staff_b", "kz_secretariat")


@dataclass(frozen=True)
class Access:
    visible: frozenset[str] = frozenset()  # world attributes of the objects on the changelist
    module: bool = False  # the model shows on the index and its changelist opens
    add: bool = False
    delete: bool = False  # on the visible objects
    revert: bool = False  # may restore an old version (the walk's junk POST is then the form again, unsaved)


NOTHING = Access()


def _all(*names: str) -> Access:
    return Access(visible=frozenset(names), module=True, add=True, delete=True)


def _secretariat_only(*names: str, add: bool = True) -> dict[str, Access]:
    secretariat = Access(visible=frozenset(names), module=True, add=add, delete=True)
    return {
        "secretariat": secretariat,
        "staff_a": NOTHING,
        "head_a": NOTHING,
        "staff_b": NOTHING,
        "kz_secretariat": NOTHING,
    }


def _view(*names: str) -> Access:
    return Access(visible=frozenset(names), module=True)


DECISIONS: dict[str, dict[str, Access]] = {
    "accounts.user": {
        "secretariat": _all("secretariat", "staff_a", "head_a", "staff_b", "kz_secretariat"),
        "staff_a": NOTHING,
        "head_a": Access(visible=frozenset({"staff_a", "head_a"}), module=True, add=True),
        "staff_b": NOTHING,
        "kz_secretariat": NOTHING,
    },
    "agencies.agency": {
        "secretariat": _all("agency_a", "agency_b", "agency_c"),
        "staff_a": _view("agency_a"),
        "head_a": _view("agency_a"),
        "staff_b": _view("agency_b"),
        "kz_secretariat": _view("agency_b"),
    },
    # Agreements are managed on their own pages; the admin shows each to whoever may see it, read-only.
    "agreements.agreement": {
        "secretariat": _view("agreement_a", "agreement_b"),
        "staff_a": _view("agreement_a"),
        "head_a": _view("agreement_a"),
        "staff_b": _view("agreement_b"),
        # Every agreement has a Kazakh side: the Kazakh secretariat sees them all, read-only here too.
        "kz_secretariat": _view("agreement_a", "agreement_b"),
    },
    "calendars.calendarday": _secretariat_only("day"),
    "events.event": _secretariat_only("event"),
    "events.venue": _secretariat_only("venue"),
    "events.delegation": _secretariat_only("delegation"),
    # Delegates' personal data: in the admin for the secretariat only (agencies see theirs on the delegation page).
    "events.delegate": _secretariat_only("delegate"),
    "committee.committee": _secretariat_only("committee"),
    "committee.meeting": _secretariat_only("meeting"),
    # Login records: read and deleted (to lift a lockout) by the secretariat; the world has none.
    "axes.accessattempt": _secretariat_only(add=False),
    "axes.accesslog": _secretariat_only(add=False),
    "axes.accessfailurelog": _secretariat_only(add=False),
    # Second-factor devices: seen and deleted (a lost phone) by the secretariat only; the world has none.
    "otp_totp.totpdevice": _secretariat_only(add=False),
    "otp_static.staticdevice": _secretariat_only(add=False),
    "accounts.securitykey": _secretariat_only(add=False),
    # The security log: read (and exported) by the secretariat only; never added, changed or deleted.
    "accounts.securityevent": {
        "secretariat": Access(module=True),
        "staff_a": NOTHING,
        "head_a": NOTHING,
        "staff_b": NOTHING,
        "kz_secretariat": NOTHING,
    },
    # Absences: recorded by the secretariat (through the service, as on the site), never edited, deleted if wrong.
    "accounts.absence": _secretariat_only("absence"),
    # The outbox and reminder rules: the secretariat's; mail rows change only through the actions.
    "notifications.notification": _secretariat_only(add=False),
    "notifications.remindersettings": _secretariat_only(),
    "notifications.notificationpreference": _secretariat_only(),
    # Holds of mail for a day: whoever may use the morning page (the secretariat); made and lifted, never edited.
    "notifications.mailhold": _secretariat_only("hold"),
    # Webhooks: each endpoint is its owner's alone (an agency's head, a secretariat's members), read-only here
    # (registered and edited in the workspace, where the address is checked and the secret shown once).
    "webhooks.endpoint": {
        "secretariat": Access(visible=frozenset({"endpoint_sec"}), module=True, delete=True),
        "staff_a": NOTHING,
        "head_a": Access(visible=frozenset({"endpoint_a"}), module=True, delete=True),
        "staff_b": NOTHING,
        "kz_secretariat": Access(visible=frozenset({"endpoint_kz"}), module=True, delete=True),
    },
    "webhooks.delivery": {
        "secretariat": Access(module=True),
        "staff_a": NOTHING,
        "head_a": _view("delivery_a"),
        "staff_b": NOTHING,
        "kz_secretariat": Access(module=True),
    },
    "workplan.task": {
        # Deleting a task is for a superuser only; the secretariat cancels.
        "secretariat": Access(visible=frozenset({"task_a", "task_b"}), module=True, add=True),
        "staff_a": _view("task_a"),
        "head_a": _view("task_a"),
        "staff_b": _view("task_b"),
        # The Kazakh side's tasks: added (with a Kazakh lead), edited and moved on; deleted by no secretariat.
        "kz_secretariat": Access(visible=frozenset({"task_b"}), module=True, add=True, revert=True),
    },
    "workplan.progressreport": {
        "secretariat": _view("report_a", "report_b"),
        "staff_a": _view("report_a"),
        "head_a": _view("report_a"),
        "staff_b": _view("report_b"),
        "kz_secretariat": _view("report_b"),
    },
    "workplan.extensionrequest": {
        "secretariat": _view("extension_a", "extension_b"),
        "staff_a": _view("extension_a"),
        "head_a": _view("extension_a"),
        "staff_b": _view("extension_b"),
        "kz_secretariat": _view("extension_b"),
    },
}

REGISTERED = sorted(model._meta.label_lower for model in admin.site._registry)


@dataclass
class Urls:
    label: str
    model: type
    model_admin: admin.ModelAdmin
    names: list[str] = field(default_factory=list)

    def _name(self, view: str) -> str:
        return f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_{view}"

    def changelist(self) -> str:
        return reverse(self._name("changelist"))

    def add(self) -> str:
        return reverse(self._name("add"))

    def change(self, obj) -> str:
        return reverse(self._name("change"), args=[obj.pk])

    def delete(self, obj) -> str:
        return reverse(self._name("delete"), args=[obj.pk])

    def history(self, obj) -> str:
        return reverse(self._name("history"), args=[obj.pk])

    def revert(self, obj) -> str | None:
        if not isinstance(self.model_admin, SimpleHistoryAdmin):
            return None
        record = obj.history.order_by("-history_id").first()
        return reverse(self._name("simple_history"), args=[obj.pk, record.history_id]) if record else None


def _urls(label: str) -> Urls:
    model = next(m for m in admin.site._registry if m._meta.label_lower == label)
    return Urls(label=label, model=model, model_admin=admin.site._registry[model])


def _world_objects(world, model) -> dict[str, object]:
    return {name: obj for name, obj in vars(world).items() if isinstance(obj, model)}


def _autocomplete_sources() -> dict[type, tuple[str, str, str]]:
    """For each model reachable by autocomplete, one (app_label, model_name, field_name) that points at it."""
    sources: dict[type, tuple[str, str, str]] = {}
    for model_admin in admin.site._registry.values():
        holders = [model_admin, *(inline(model_admin.model, admin.site) for inline in model_admin.inlines)]
        for holder in holders:
            for name in holder.autocomplete_fields:
                remote = holder.model._meta.get_field(name).remote_field.model
                sources.setdefault(remote, (holder.model._meta.app_label, holder.model._meta.model_name, name))
    return sources


def _login(client, user) -> None:
    client.force_login(user)
    # Logging in writes an access record and a security event; the walk starts from the world alone.
    AccessLog.objects.all().delete()
    security_events_purge(before=timezone.now() + dt.timedelta(days=1))


def test_every_registered_model_has_a_decision():
    assert sorted(DECISIONS) == REGISTERED


def test_world_has_every_decided_object(world):
    for label, per_account in DECISIONS.items():
        model = _urls(label).model
        named = set(_world_objects(world, model))
        for access in per_account.values():
            assert access.visible <= named, label
        # The world holds nothing the table does not name, so "visible" is the whole changelist.
        assert model._default_manager.count() == len(named), label


@pytest.mark.parametrize("label", REGISTERED)
@pytest.mark.parametrize("account", ACCOUNTS)
def test_admin_walk(client, world, label, account):
    access = DECISIONS[label][account]
    urls = _urls(label)
    objects = _world_objects(world, urls.model)
    _login(client, getattr(world, account))

    index = client.get(reverse("admin:index"))
    listed = {m["object_name"].lower() for app in index.context["app_list"] for m in app["models"]}
    assert (urls.model._meta.model_name in listed) is access.module

    response = client.get(urls.changelist())
    if access.module:
        assert response.status_code == 200
        shown = {obj.pk for obj in response.context["cl"].result_list}
        assert shown == {objects[name].pk for name in access.visible}
    else:
        assert response.status_code == 403

    assert client.get(urls.add()).status_code == (200 if access.add else 403)

    for name, obj in objects.items():
        visible = name in access.visible
        assert client.get(urls.change(obj)).status_code == (200 if visible else 404), name
        assert client.get(urls.history(obj)).status_code == (200 if visible else 404), name
        expected_delete = (200 if access.delete else 403) if visible else 404
        assert client.get(urls.delete(obj)).status_code == expected_delete, name
        revert = urls.revert(obj)
        if revert:
            assert client.get(revert).status_code == (200 if visible else 404), name


@pytest.mark.parametrize("label", REGISTERED)
def test_admin_walk_anonymous_is_sent_to_login(client, world, label):
    urls = _urls(label)
    # Login records have no row in the world; the redirect comes before any lookup.
    obj = next(iter(_world_objects(world, urls.model).values()), SimpleNamespace(pk=1))
    login = reverse("admin:login")
    for url in (urls.changelist(), urls.add(), urls.change(obj), urls.history(obj), urls.delete(obj)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(login)


@pytest.mark.parametrize("account", ACCOUNTS)
def test_autocomplete_returns_only_visible_objects(client, world, account):
    _login(client, getattr(world, account))
    for remote, (app_label, model_name, field_name) in _autocomplete_sources().items():
        label = remote._meta.label_lower
        access = DECISIONS[label][account]
        objects = _world_objects(world, remote)
        response = client.get(
            reverse("admin:autocomplete"),
            {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": ""},
        )
        if not access.module:
            assert response.status_code == 403, label
            continue
        assert response.status_code == 200, label
        ids = {int(row["id"]) for row in json.loads(response.content)["results"]}
        assert ids == {objects[name].pk for name in access.visible}, label


def test_autocomplete_anonymous_is_sent_to_login(client, world):
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "workplan", "model_name": "task", "field_name": "parent", "term": ""},
    )
    assert response.status_code == 302


@pytest.mark.parametrize("label", REGISTERED)
@pytest.mark.parametrize("account", ["staff_a", "head_a", "staff_b", "kz_secretariat"])
def test_posts_to_objects_out_of_reach_change_nothing(client, world, label, account):
    """Change, delete and revert POSTs to what the account cannot touch: refused, and no row differs."""
    access = DECISIONS[label][account]
    urls = _urls(label)
    _login(client, getattr(world, account))
    for name, obj in _world_objects(world, urls.model).items():
        targets = []
        if name not in access.visible:
            targets.append((urls.change(obj), 404))
        if not access.delete:
            targets.append((urls.delete(obj), 403 if name in access.visible else 404))
        revert = urls.revert(obj)
        if revert:
            targets.append((revert, (200 if access.revert else 403) if name in access.visible else 404))
        for url, expected in targets:
            before = snapshot()
            response = client.post(url, {"post": "yes", "title": "x", "name": "x", "short_name": "x", "status": "x"})
            assert response.status_code == expected, url
            assert snapshot() == before, url
