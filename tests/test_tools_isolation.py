"""Tools stay out of production: no production module imports the demo data, the benchmarks or aiosmtpd."""

import ast
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "omskevents"
TOOLS = ("omskevents.demo", "omskevents.bench", "aiosmtpd")


def _is_tool(module: str) -> bool:
    return any(module == tool or module.startswith(f"{tool}.") for tool in TOOLS)


def _imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module the file imports, at the top or inside a function, relative imports resolved."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def test_no_production_module_imports_a_development_tool():
    production = [
        path for path in sorted(PACKAGE.rglob("*.py")) if path.relative_to(PACKAGE).parts[0] not in ("demo", "bench")
    ]

    offending = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in production
        for line, module in _imported_modules(path)
        if _is_tool(module)
    ]

    assert len(production) > 100  # the walk found the package
    assert offending == []


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
