import pytest

from tests.e2e.conftest import login
from tests.factories.events import EventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_page_then_home_names_the_events_without_browser_errors(page, staff_a):
    EventFactory(short_title="XXII Форум", title_ru="XXII Форум межрегионального сотрудничества России и Казахстана")
    login(page, "staff_a", "correct horse battery staple")
    assert page.url.endswith("/")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.get_by_text("XXII Форум межрегионального сотрудничества России и Казахстана").count() >= 1


def test_admin_login_and_index_render_under_the_csp(page, secretariat):
    page.goto("/admin/login/")
    page.fill("input[name=username]", "sec")
    page.fill("input[name=password]", "correct horse battery staple")
    page.click("input[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/admin/")
    page.goto("/admin/workplan/task/")
    page.wait_for_load_state("networkidle")
    assert page.locator("#changelist").count() == 1
