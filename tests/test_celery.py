"""omskevents/celery.py: the embedded filesystem broker works on a fresh checkout, with no folder made by hand."""

import json
import os
import subprocess
import sys
from pathlib import Path

from celery import Celery

from omskevents.celery import filesystem_broker_folders_create

ROOT = Path(__file__).resolve().parent.parent

# What `manage.py seed_demo` does on a first run: set Django up, then hand a notice to the broker.
PUBLISH = """
import django

django.setup()
from omskevents.celery import app

app.send_task("notifications.sweep")
"""


def test_filesystem_broker_first_publish_creates_its_folders_and_prints_nothing_alarming(tmp_path):
    broker = tmp_path / "broker"  # does not exist yet, like var/broker on a fresh clone
    env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "CELERY_BROKER_DIR")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "omskevents.settings.local",
            "CELERY_BROKER_DIR": str(broker),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        }
    )

    done = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", PUBLISH], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )

    alarming = [line for line in done.stderr.splitlines() if any(w in line for w in ("Traceback", "Error", "WARN"))]
    assert (done.returncode, alarming) == (0, [])
    assert sorted(p.name for p in broker.iterdir()) == ["control", "processed", "queue"]
    assert len(list((broker / "queue").iterdir())) == 1  # the message, waiting for the worker


def test_broker_folders_are_left_alone_for_redis(tmp_path):
    probe = Celery("probe")
    probe.conf.update(
        broker_url="redis://127.0.0.1:6379/0",
        broker_transport_options={"data_folder_in": str(tmp_path / "queue"), "visibility_timeout": 3600},
    )

    filesystem_broker_folders_create(sender=probe)

    assert list(tmp_path.iterdir()) == []


# A fresh process, as the worker's main process is before its pool forks: what worker_init leaves loaded.
WARM = """
import json
import sys

import django

django.setup()
from celery.signals import worker_init
from django.db import connection
from django.template import engines

import omskevents.celery  # noqa: F401 - connects its receivers

before = "omskevents.workplan.views" in sys.modules
worker_init.send(sender=None)
loaders = engines["django"].engine.template_loaders
cached = sorted(name for loader in loaders for name in getattr(loader, "get_template_cache", {}))
print(json.dumps({
    "before": before,
    "views": "omskevents.workplan.views" in sys.modules,
    "templates": cached,
    "connected": connection.connection is not None,
}))
"""


def test_the_worker_loads_urls_and_mail_templates_before_its_pool_forks(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "CELERY_BROKER_DIR")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "omskevents.settings.local",
            "CELERY_BROKER_DIR": str(tmp_path / "broker"),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
            "DEBUG": "off",
        }
    )

    done = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", WARM], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )

    assert done.returncode == 0, done.stderr[-3000:]
    state = json.loads(done.stdout.strip().splitlines()[-1])
    mail_templates = sorted(f"emails/{p.name}" for p in (ROOT / "templates" / "emails").iterdir() if p.is_file())
    assert (state["before"], state["views"]) == (False, True)  # the URLconf and every view it names
    assert set(mail_templates) <= set(state["templates"])
    assert state["connected"] is False  # no database connection for the children to share
