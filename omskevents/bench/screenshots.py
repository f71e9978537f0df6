"""The README's screenshots, taken again in Chromium against the demo data: `make screenshots`.

    python -m omskevents.bench.screenshots          # serve the configured database, write docs/screenshots/
    python -m omskevents.bench.screenshots --url http://127.0.0.1:8000 --out /tmp/shots --all

Without --url it migrates and seeds the demo data (seed_demo is idempotent) in the configured database (DATABASE_URL,
SQLite under var/ otherwise) and serves it with runserver on a free port, signing in with the demo password (the
second factor is switched off for this server only: it has tests of its own). The images are reduced to a 256-colour
palette so that each stays well under 400 KB. --all adds the pages a reviewer looks at beside the README's
(the menu in three languages, the timeline, the admin's task list, the cards on a phone).
"""

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .common import ROOT, free_port, wait_for

DOCS_SHOTS = ROOT / "docs" / "screenshots"
PASSWORD = "omsk2026"  # noqa: S105 - the demo accounts' public password (README, "Demo accounts")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@dataclass(frozen=True)
class Shot:
    name: str
    path: str
    user: str = "secretariat"
    width: int = 1440
    height: int = 900
    language: str = "ru"
    full_page: bool = False
    printed: bool = False
    readme: bool = True


SHOTS = [
    Shot("dashboard-1440", "/"),
    Shot("plan-1440", "/tasks/?status=assigned&status=in_progress&status=reported&status=returned"),
    Shot(
        "plan-390", "/tasks/?status=assigned&status=in_progress&status=reported&status=returned", width=390, height=844
    ),
    Shot("task-1440", "/tasks/{task}/", height=1100),
    Shot("plan-printout", "/tasks/?status=reported&status=returned", width=1123, height=794, printed=True),
    # Beside the README: what a reviewer looks at.
    Shot("plan-1280-ministry", "/tasks/", user="omsk-transport", width=1280, readme=False),
    Shot("plan-390-filters", "/tasks/", width=390, height=844, readme=False),
    Shot("menu-1280-ru", "/", width=1280, height=300, readme=False),
    Shot("menu-1280-kk", "/", width=1280, height=300, language="kk", readme=False),
    Shot("menu-1280-en", "/", width=1280, height=300, language="en", readme=False),
    Shot("timeline-1440", "/tasks/timeline/", height=1000, readme=False),
    Shot("timeline-month-1440", "/tasks/timeline/?month={month}", height=1000, readme=False),
    Shot("timeline-390", "/tasks/timeline/", width=390, height=844, readme=False),
    Shot("task-form-1440", "/tasks/{task}/edit/", height=1100, readme=False),
    Shot("admin-tasks-1440", "/admin/workplan/task/", user="omsk-transport", readme=False),
    Shot("admin-tasks-secretariat-1440", "/admin/workplan/task/", readme=False),
    Shot("task-390", "/tasks/{task}/", width=390, height=844, readme=False),
    Shot("dashboard-390", "/", width=390, height=844, readme=False),
]


@contextmanager
def demo_server() -> Iterator[str]:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "omskevents.settings.local")
    env["SECOND_FACTOR_ENFORCED"] = "off"
    python = sys.executable
    # Fixed arguments only.
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)  # noqa: S603
    subprocess.run(  # noqa: S603
        [python, "manage.py", "seed_demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def _shrink(path: Path) -> None:
    """A 256-colour palette: screenshots of a user interface lose nothing a reader sees and shrink threefold."""
    from PIL import Image

    with Image.open(path) as image:
        reduced = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
        reduced.save(path, optimize=True)


def take(url: str, out: Path, *, everything: bool) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        contexts: dict[str, Any] = {}
        placeholders: dict[str, str] = {}
        try:
            for shot in SHOTS:
                if not (shot.readme or everything):
                    continue
                context = contexts.get(shot.user)
                if context is None:
                    context = browser.new_context(base_url=url, locale="ru-RU", timezone_id="Asia/Omsk")
                    page = context.new_page()
                    page.goto("/accounts/login/")
                    page.fill("input[name=username]", shot.user)
                    page.fill("input[name=password]", PASSWORD)
                    page.click("form button[type=submit]")
                    page.wait_for_load_state("networkidle")
                    page.close()
                    contexts[shot.user] = context
                if not placeholders:
                    placeholders = _placeholders(context)
                context.add_cookies([{"name": "django_language", "value": shot.language, "url": url}])
                page = context.new_page()
                page.set_viewport_size({"width": shot.width, "height": shot.height})
                page.goto(shot.path.format(**placeholders))
                page.wait_for_load_state("networkidle")
                target = out / f"{shot.name}.png"
                if shot.printed:
                    page.emulate_media(media="print")
                page.screenshot(path=str(target), full_page=shot.full_page)
                page.close()
                _shrink(target)
                written.append(target)
        finally:
            for context in contexts.values():
                context.close()
            browser.close()
    return written


def _placeholders(context: Any) -> dict[str, str]:
    """A task worth showing (reported, with a report and a co-executor) and the month of the Forum."""
    page = context.new_page()
    page.goto("/tasks/?status=reported&sort=deadline")
    link = page.locator("tr.task-row a.task-title").first.get_attribute("href") or "/tasks/1/"
    page.goto("/tasks/timeline/")
    month = (
        page.locator("[data-month]").first.get_attribute("data-month") if page.locator("[data-month]").count() else ""
    )
    page.close()
    return {"task": link.strip("/").split("/")[-1], "month": month or ""}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running server with the demo data (default: start one)")
    parser.add_argument("--out", type=Path, default=DOCS_SHOTS)
    parser.add_argument("--all", action="store_true", help="also the pages beside the README's")
    args = parser.parse_args(argv)
    if args.url:
        written = take(args.url, args.out, everything=args.all)
    else:
        with demo_server() as url:
            written = take(url, args.out, everything=args.all)
    for path in written:
        print(f"{path}  {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
