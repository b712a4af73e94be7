"""End to end in headless Chromium (Debian's), driven by Playwright: log in, filter the action
plan, post an update and see it appear. Skipped, with the reason shown, when Chromium is absent."""

import os
import shutil

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PASSWORD = "browser-test-password"


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM:
        pytest.skip("Chromium is not installed (make test installs it with apt when root)")
    # Playwright's sync API runs an event loop in this thread; the Django ORM calls made by the
    # test itself are synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    call_command("demo", "--password", PASSWORD, "--no-migrate")
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.console_errors = errors
    yield page
    context.close()


def log_in(page, username):
    page.goto("/")  # the public front door, with its login link
    page.get_by_role("link", name="Log in").click()
    page.wait_for_url("**/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/p/swp/")


def test_filter_plan_and_post_update(page):
    from playwright.sync_api import expect

    from saferplaces.strategy.models import Action

    log_in(page, "wmp-officer")
    expect(page.get_by_role("heading", name="Safer Wolverhampton Partnership")).to_be_visible()
    page.get_by_role("link", name="Action plan 2020/21").first.click()
    page.wait_for_url("**/p/swp/plans/*/")  # the click only starts the navigation
    rows = page.locator("#actions tbody tr")
    total = rows.count()
    assert total > 10

    # Filtering swaps the table in place (htmx) and pushes the filter into the address.
    page.get_by_label("Lead organisation").select_option(label="West Midlands Police")
    page.wait_for_url("**lead_organisation=*")
    page.wait_for_function(f"document.querySelectorAll('#actions tbody tr').length < {total}")
    leads = rows.locator("td:nth-child(4)").all_inner_texts()
    assert leads and set(leads) == {"WMP"}
    expected = Action.objects.filter(plan__year=2020, lead_organisation__short_name="WMP").count()
    assert len(leads) == expected

    # Open one of ours and post an update.
    rows.first.locator("td:nth-child(2) a").click()
    page.get_by_label("Status").select_option(label="At risk")
    page.get_by_label("What has happened").fill("Browser test: partner staff redeployed.")
    page.get_by_role("button", name="Post update").click()
    expect(page.locator("#update-list li").first).to_contain_text(
        "Browser test: partner staff redeployed.")
    expect(page.locator("#action-status")).to_contain_text("At risk")
    # The confirmation comes with the swapped panel, not from a reloaded page.
    expect(page.locator("#updates .messages")).to_have_text("Update posted.")
    expect(page.locator("main > .messages")).to_have_count(0)
    assert page.console_errors == []


def test_officer_sees_no_update_form_on_unrelated_action(page):
    from playwright.sync_api import expect

    from saferplaces.strategy.models import Action

    unrelated = Action.objects.filter(lead_organisation__short_name="WMFS").exclude(
        partner_organisations__short_name="WMP").first()
    log_in(page, "wmp-officer")
    page.goto(f"/p/swp/actions/{unrelated.pk}/")
    expect(page.get_by_role("heading", name="Progress updates")).to_be_visible()
    expect(page.get_by_role("button", name="Post update")).to_have_count(0)


def test_evidence_pages_render_charts_and_map(page):
    from playwright.sync_api import expect

    log_in(page, "board-member")
    page.get_by_role("link", name="Evidence").first.click()
    expect(page.get_by_role("heading", name="Evidence: Wolverhampton")).to_be_visible()
    expect(page.locator(".simulated")).to_contain_text("Simulated demonstration data")
    # Charts are drawn one after the other, so wait for both rather than count the first.
    expect(page.locator(".vega-chart svg")).to_have_count(2)  # trend and crime mix

    page.get_by_role("link", name="Ward map").first.click()
    expect(page.locator(".simulated")).to_be_visible()
    expect(page.locator("#ward-map path.leaflet-interactive")).to_have_count(20)
    expect(page.locator(".map-legend")).to_be_visible()
    expect(page.locator(".leaflet-tile")).to_have_count(0)  # no tiles: nothing leaves the machine

    page.locator("#ward-map path.leaflet-interactive").first.click()
    page.wait_for_url("**/evidence/wards/E050*/")
    expect(page.locator(".simulated")).to_be_visible()
    expect(page.locator(".vega-chart svg").first).to_be_visible()
    expect(page.get_by_role("heading", name="Hotspots")).to_be_visible()

    page.goto("/p/swp/evidence/types/burglary/")
    expect(page.locator(".vega-chart svg")).to_have_count(1)
    assert page.console_errors == []


def test_performance_scorecard_indicator_and_report(page):
    from playwright.sync_api import expect

    log_in(page, "board-member")
    page.get_by_role("link", name="Performance").first.click()
    expect(page.get_by_role("heading", name="Performance scorecard: Oct–Dec 2020 (2020/21 Q3)")
           ).to_be_visible()
    expect(page.locator(".illustrative").first).to_be_visible()
    page.get_by_role("link", name="PV1").first.click()
    expect(page.locator(".vega-chart svg")).to_have_count(1)
    page.get_by_role("link", name="Board reports").click()
    title = "Board performance report: Oct–Dec 2020 (2020/21 Q3)"
    page.get_by_role("link", name=title).first.click()
    expect(page.get_by_role("link", name="Download PDF")).to_be_visible()
    assert page.console_errors == []


@pytest.mark.parametrize("width, height", [(1366, 900), (390, 844)])
def test_front_door_and_board_fit_the_screen(page, width, height):
    page.set_viewport_size({"width": width, "height": height})
    page.goto("/")
    assert page.get_by_role("heading", name="Safer Wolverhampton Partnership").is_visible()
    assert page.get_by_role("heading", name="2. Preventing violence").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    log_in(page, "board-member")
    page.goto("/p/swp/board/")
    assert page.get_by_text("also acts as the local Police and Crime Board").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.console_errors == []
