"""The demo as at its "shown as at" date, live update panels, roll-forward re-dating and pages
that fit a phone, in headless Chromium at desktop and phone sizes. axe-core runs when it is
installed (`npm install --prefix ~/.cache/axe axe-core`, or AXE=path/to/axe.min.js)."""

import os
from pathlib import Path

import pytest

from tests import test_browser as shared

browser, page, log_in = shared.browser, shared.page, shared.log_in  # the same fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = [(1366, 900), (390, 844)]
ROLES = ["swp-admin", "cwc-officer", "wmp-officer", "board-member"]
OVERDUE_AT_15_FEB_2021 = {"CC-06", "PV-06", "PV-10", "RH-01", "RH-09", "RO-03"}

# How many lines of text an element takes: distinct tops of its text's line boxes.
LINES = """el => { const r = document.createRange(); r.selectNodeContents(el);
  return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; }"""


def _axe_source() -> str | None:
    for path in (os.environ.get("AXE"),
                 Path.home() / ".cache/axe/node_modules/axe-core/axe.min.js"):
        if path and Path(path).is_file():
            return Path(path).read_text()
    return None


def _check_page(page, width):
    from playwright.sync_api import expect

    expect(page.locator(".shown-as-at")).to_have_text("Shown as at 15 February 2021")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url
    for banner in page.locator(".illustrative.banner").all():
        assert banner.evaluate(LINES) <= 1 or width > 600, page.url
    axe = _axe_source()
    if axe:
        page.evaluate(axe)
        violations = page.evaluate(
            "async () => (await axe.run()).violations.map(v => v.id)")
        assert violations == [], (page.url, violations)


@pytest.mark.parametrize("width, height", SIZES)
@pytest.mark.parametrize("username", ROLES)
def test_demo_dashboard_as_each_role_is_judged_at_15_february_2021(page, username, width,
                                                                   height):
    from playwright.sync_api import expect

    page.set_viewport_size({"width": width, "height": height})
    log_in(page, username)
    expect(page.locator("#overdue-count")).to_be_visible()
    _check_page(page, width)
    rows = page.locator("table").first.locator("tbody tr")
    flagged = rows.filter(has=page.locator(".flag.overdue"))
    refs = set(flagged.locator("td:first-child").all_inner_texts())
    assert refs <= OVERDUE_AT_15_FEB_2021
    count = int(page.locator("#overdue-count").inner_text().split()[0])
    assert len(refs) == count
    assert page.get_by_text("Not completed in").count() == 0  # the 2020/21 plan is running
    if username == "swp-admin":  # CWC leads CC-03, CC-09 and CC-10, never updated
        expect(rows.filter(has_text="CC-03").locator(".flag.stale")).to_have_text(
            "No update yet")
    assert page.console_errors == []


@pytest.mark.parametrize("width, height", SIZES)
def test_pages_fit_the_screen_with_no_accessibility_violations(page, width, height):
    from playwright.sync_api import expect

    from saferplaces.strategy.models import ActionPlan

    page.set_viewport_size({"width": width, "height": height})
    log_in(page, "swp-admin")
    plan = ActionPlan.objects.get(strategy__partnership__slug="swp", year=2020)
    for path in (f"/p/swp/plans/{plan.pk}/", "/p/swp/performance/", "/p/swp/evidence/",
                 "/p/swp/evidence/map/", "/p/swp/performance/reports/"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        _check_page(page, width)
    page.get_by_role("link", name="Board performance report").first.click()
    expect(page.get_by_role("link", name="Download PDF")).to_be_visible()
    page.wait_for_load_state("networkidle")
    _check_page(page, width)
    assert page.console_errors == []


def test_posted_update_refreshes_flags_last_update_and_history(page):
    from playwright.sync_api import expect

    from saferplaces.strategy.models import Action

    overdue = Action.objects.get(reference="RO-03")  # WMP-led, due 30 Nov 2020
    log_in(page, "swp-admin")
    page.goto(f"/p/swp/actions/{overdue.pk}/")
    expect(page.locator("#action-status .flag.overdue")).to_have_count(1)
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Status").select_option(label="Complete")
    page.get_by_label("Date:", exact=True).fill("2021-02-15")
    page.get_by_label("What has happened").fill("Browser test: finished.")
    page.get_by_role("button", name="Post update").click()
    expect(page.locator("#updates .messages")).to_have_text("Update posted.")
    expect(page.locator("#action-status .flag")).to_have_count(0)
    expect(page.locator("#action-facts")).to_contain_text("15 Feb 2021")
    expect(page.locator("#action-history")).to_contain_text("Progress update")
    assert page.evaluate("window.notReloaded") is True
    assert page.console_errors == []


def test_roll_forward_redates_late_actions(page):
    from playwright.sync_api import expect

    from saferplaces.strategy.models import Action, ActionPlan

    plan = ActionPlan.objects.get(strategy__partnership__slug="swp", year=2020)
    log_in(page, "swp-admin")
    page.goto(f"/p/swp/plans/{plan.pk}/roll-forward/")
    page.get_by_role("button", name="Roll forward").click()
    expect(page.locator("#late-count")).to_contain_text("due before 2021/22 starts")
    boxes = page.locator("#redate input[type=checkbox], form.card input[type=checkbox]")
    late = boxes.count()
    assert late > 0
    for box in boxes.all():
        box.check()
    page.get_by_label("New due date").fill("2021-06-30")
    page.get_by_label("Reason").fill("Carried from 2020/21")
    page.get_by_role("button", name="Re-date the chosen actions").click()
    expect(page.locator(".messages")).to_contain_text(f"Re-dated {late} action")
    expect(page.locator("#late-count")).to_have_count(0)
    new_plan = ActionPlan.objects.get(strategy=plan.strategy, year=2021)
    assert not Action.objects.filter(plan=new_plan, due_date__lt=new_plan.start_date,
                                     status__in=["on_track", "at_risk", "off_track",
                                                 "not_started"]).exists()
    assert page.console_errors == []
