"""Issue 10's "done when", in headless Chromium: an administrator builds and opens a
consultation; a resident answers it anonymously with the keyboard only on a 390 px screen
(axe-core finds nothing when installed); the results stay hidden until the consultation is
closed, analysed and "you said, we did" published."""

import re

import pytest

from tests import test_browser as shared
from tests.test_browser_clock import _axe_source

browser, page, log_in = shared.browser, shared.page, shared.log_in  # the same fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tab_to(page, selector: str, presses: int = 80) -> None:
    """Press Tab until the focused element matches `selector` (keyboard only)."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def no_axe_violations(page) -> None:
    axe = _axe_source()
    if axe:
        page.evaluate(axe)
        violations = page.evaluate("async () => (await axe.run()).violations.map(v => v.id)")
        assert violations == [], (page.url, violations)


def build_and_open(page) -> int:
    from playwright.sync_api import expect

    log_in(page, "swp-admin")
    page.goto("/p/swp/consultations/new/")
    page.get_by_label("Title").fill("Lighting on the canal path")
    page.get_by_label("Purpose").fill("Should the partnership ask for better lighting?")
    page.get_by_label("Subject").fill("Canal path lighting")
    page.get_by_label("Opens on").fill("2021-01-04")
    page.get_by_label("Closes on").fill("2021-03-29")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Lighting on the canal path")).to_be_visible()
    pk = int(re.search(r"/consultations/(\d+)/", page.url).group(1))
    page.get_by_role("link", name="Add a section").click()
    page.get_by_label("Title").fill("Your views")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Add a question to Your views").click()
    page.get_by_label("Kind").select_option(label="Single choice")
    page.get_by_label("Question").fill("Do you feel safe on the canal path after dark?")
    page.get_by_label("An answer is required").check()
    page.get_by_label("Options").fill("Yes\nNo")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Add a question to Your views").click()
    page.get_by_label("Kind").select_option(label="Free text")
    page.get_by_label("Question").fill("What would make it safer?")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Open").click()
    expect(page.locator(".messages")).to_contain_text("is now Open")
    page.get_by_role("button", name="Log out").click()
    return pk


def test_a_consultation_from_build_to_you_said_we_did(page, settings):
    from playwright.sync_api import expect

    from saferplaces.consultation.models import Response

    settings.CONSULTATION_MIN_FILL_SECONDS = 0
    pk = build_and_open(page)
    survey = f"/consult/swp/{pk}/"
    assert page.goto(f"{survey}results/").status == 404  # hidden while open

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(survey)
    expect(page.get_by_role("heading", name="Lighting on the canal path")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    no_axe_violations(page)
    # Send it empty first: the error summary links to the field.
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    no_axe_violations(page)
    tab_to(page, "input[type=radio][value]")  # the first option, "Yes"
    page.keyboard.press("ArrowDown")  # moves to and selects "No"
    tab_to(page, "textarea")
    page.keyboard.type("Lights, and cutting back the hedges.")
    tab_to(page, "input[name=consent]")
    page.keyboard.press("Space")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    response = Response.objects.get(consultation_id=pk)
    expect(page.locator(".reference")).to_contain_text(response.reference)
    assert response.answers.get(option__isnull=False).option.label == "No"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    no_axe_violations(page)

    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, "swp-admin")
    page.goto(f"/p/swp/consultations/{pk}/")
    page.get_by_role("button", name="Close").click()
    expect(page.locator(".messages")).to_contain_text("is now Closed")
    page.get_by_role("button", name="Log out").click()
    assert page.goto(f"{survey}results/").status == 404  # closed, not yet published

    log_in(page, "swp-admin")
    page.goto(f"/p/swp/consultations/{pk}/")
    page.get_by_role("button", name="Mark analysed").click()
    page.get_by_role("link", name="Results and who we heard from").click()
    expect(page.locator(".question-result").first).to_contain_text("No")
    page.goto(f"/p/swp/consultations/{pk}/you-said-we-did/new/")
    page.get_by_label("You said").fill("The path is too dark.")
    page.get_by_label("Outcome").select_option(label="We changed the strategy")
    page.get_by_label("We did").fill("Lighting added to the aim on safe places.")
    page.get_by_label("Aim").select_option(index=3)
    page.get_by_role("button", name="Save").click()
    page.goto(f"/p/swp/consultations/{pk}/")
    page.get_by_role("button", name="Publish results").click()
    page.get_by_role("button", name="Log out").click()

    page.goto(f"{survey}you-said-we-did/")
    expect(page.get_by_role("heading", name="You said, we did")).to_be_visible()
    expect(page.locator("table.you-said")).to_contain_text("The path is too dark.")
    # the two refused results pages (404) and the survey sent empty (422), nothing else
    assert len(page.console_errors) == 3
    assert all("status of 4" in e for e in page.console_errors), page.console_errors
