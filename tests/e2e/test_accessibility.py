"""axe-core (vendored in tests/e2e/assets/axe-core/, injected by the test only) over the main pages in each role:
the secretariat, a ministry's staff and the Kazakh secretariat. No serious or critical violation may remain.

axe is evaluated through the DevTools protocol, which the page's Content-Security-Policy does not govern: the
pages keep their strict policy and nothing is added to them."""

from pathlib import Path

import pytest
from django.utils import timezone

from tests.e2e.conftest import login
from tests.e2e.plan_world import make_plan
from tests.factories.agreements import make_agreement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "assets" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
PASSWORD = "correct horse battery staple"
ROLES = {"secretariat": "sec", "ministry": "staff_a", "kz-secretariat": "kz_sec"}


@pytest.fixture
def world(agency_a, agency_b, staff_a, secretariat, kz_secretariat):
    plan = make_plan(agency_a=agency_a, agency_b=agency_b, responsible=staff_a)
    make_agreement(actor=secretariat, event=plan.event, ru=agency_a, kz=agency_b)
    return plan


def _violations(page) -> list[str]:
    page.evaluate(AXE)
    result = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations
              .filter((v) => v.impact === "serious" || v.impact === "critical")
              .map((v) => {
                const where = v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ");
                return `${v.impact} ${v.id}: ${v.help} — ${where}`;
              });
        }"""
    )
    return list(result)


@pytest.mark.parametrize("width", [1440, 390])
@pytest.mark.parametrize("role", list(ROLES))
def test_main_pages_have_no_serious_accessibility_violation(page, world, role, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, ROLES[role], PASSWORD)
    task = world.task_b if role == "kz-secretariat" else world.task_a
    pages = {
        "dashboard": "/",
        "plan": "/tasks/",
        "task": f"/tasks/{task.pk}/",
        "meeting": f"/meetings/{world.meeting.pk}/",
        "event": f"/events/{world.event.pk}/",
        "agreements": "/agreements/",
        "timeline": "/tasks/timeline/",
    }
    found = {}
    for name, path in pages.items():
        response = page.goto(path)
        assert response is not None, (name, path)
        assert response.status == 200, (name, path)
        page.wait_for_load_state("networkidle")
        problems = _violations(page)
        if problems:
            found[name] = problems
    assert found == {}, f"{role} at {width} px ({timezone.localdate()}): {found}"
