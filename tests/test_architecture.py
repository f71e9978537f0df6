"""The apps depend one way (docs/architecture.md): a test that reads the imports keeps it so."""

from pathlib import Path

from django.apps import apps

from tests.support.architecture import (
    APP_ORDER,
    DEV_LIBRARIES,
    TOOL_PACKAGES,
    against_the_order,
    app_edges,
    circles,
    forbidden_in_production,
    imports_of,
)

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "omskevents"


def test_every_app_of_the_project_has_its_place_in_the_order():
    # By the apps' names: an AppConfig of a library's app kept here (the admin's, core.admin_site) is not an app.
    names = [config.name for config in apps.get_app_configs()]
    installed = [name.split(".", 1)[1] for name in names if name.startswith("omskevents.")]
    assert [app for app in installed if app not in TOOL_PACKAGES] == list(APP_ORDER)


def test_apps_import_only_apps_below_them():
    edges = app_edges(imports_of(PACKAGE), "omskevents", APP_ORDER)
    assert against_the_order(edges, APP_ORDER) == []


def test_apps_form_no_circle():
    edges = app_edges(imports_of(PACKAGE), "omskevents", APP_ORDER)
    assert circles(edges) == []


def test_production_modules_import_no_tool_and_no_development_library():
    assert forbidden_in_production(imports_of(PACKAGE), "omskevents", TOOL_PACKAGES, DEV_LIBRARIES) == []


def test_docs_state_the_order_the_test_keeps():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert (
        "core ← accounts ← agencies ← calendars ← events ← committee ← workplan ← agreements ← protocol ← notifications"
        " ← overview" in text
    )
    assert " ← ".join(APP_ORDER) in text


# --- the test of the test: a made-up package with a back-edge and a circle ---------------------------------------


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "proj"
    for name, body in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    for folder in [root, *[p for p in root.rglob("*") if p.is_dir()]]:
        (folder / "__init__.py").touch()
    return root


def test_the_check_finds_a_new_back_edge_even_inside_a_function(tmp_path):
    root = _package(
        tmp_path,
        {
            "low/models.py": "X = 1\n",
            "low/services.py": "def f():\n    from proj.high.views import g\n    return g\n",
            "high/views.py": "from ..low.models import X\n\ndef g():\n    return X\n",
        },
    )
    edges = app_edges(imports_of(root), "proj", ("low", "high"))
    assert sorted(edges) == [("high", "low"), ("low", "high")]
    problems = against_the_order(edges, ("low", "high"))
    assert problems == [f"{root / 'low' / 'services.py'}:2: low imports proj.high.views (high stands above low)"]
    assert circles(edges) == [["high", "low"]]


def test_the_check_passes_a_package_that_follows_its_order(tmp_path):
    root = _package(
        tmp_path,
        {
            "low/models.py": "X = 1\n",
            "high/views.py": "from proj.low import models\nfrom proj.low.models import X\n",
        },
    )
    edges = app_edges(imports_of(root), "proj", ("low", "high"))
    assert against_the_order(edges, ("low", "high")) == []
    assert circles(edges) == []


def test_the_check_finds_a_tool_or_a_development_library_in_production_code(tmp_path):
    root = _package(
        tmp_path,
        {
            "app/models.py": "import aiosmtpd\n",
            "app/views.py": "from proj.demo import seed\n",
            "demo/seed.py": "import factory\n",
        },
    )
    found = forbidden_in_production(imports_of(root), "proj", ("demo",), ("aiosmtpd", "factory"))
    assert found == [
        f"{root / 'app' / 'models.py'}:1: proj.app.models imports aiosmtpd",
        f"{root / 'app' / 'views.py'}:1: proj.app.views imports proj.demo",
    ]
