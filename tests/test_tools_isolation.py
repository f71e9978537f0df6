"""Tools stay out of production at run time: production settings load no demo, benchmark or aiosmtpd module.

(That no production module imports them is read from the source by tests/test_architecture.py.)
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "omskevents"
# Production settings, every URL, view, admin and Celery task module loaded: which tools came with them?
PRODUCTION_PROBE = """
import json
import sys

import django

django.setup()
from django.conf import settings
from django.core.management import get_commands

import omskevents.urls
from omskevents.celery import app

app.loader.import_default_modules()
tools = ("omskevents.demo", "omskevents.bench", "aiosmtpd")
print(json.dumps({
    "demo_installed": "omskevents.demo" in settings.INSTALLED_APPS,
    "seed_demo": "seed_demo" in get_commands(),
    "tools_loaded": sorted(name for name in sys.modules if name.startswith(tools)),
}))
"""


def test_production_settings_install_no_demo_app_and_load_no_tool(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "omskevents.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "orgcom.example.ru",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
            "STATIC_ROOT": str(tmp_path / "static"),
        }
    )

    done = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", PRODUCTION_PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )

    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {
        "demo_installed": False,
        "seed_demo": False,
        "tools_loaded": [],
    }


def test_development_and_test_settings_provide_seed_demo():
    from django.conf import settings
    from django.core.management import get_commands

    from omskevents.settings import local

    assert "omskevents.demo" in local.INSTALLED_APPS
    assert "omskevents.demo" in settings.INSTALLED_APPS  # the test settings
    assert get_commands()["seed_demo"] == "omskevents.demo"
