"""Issue 11's workshop "done when", in headless Chromium: an administrator sets up a small
workshop, two scorers score it (a board member on the web form as herself, one paper sheet
typed in by the administrator), the results show the ranking and the sensitivity, and the
chosen topic becomes a draft strategy's priority."""

import re

import pytest

from tests import test_browser as shared

browser, page, log_in = shared.browser, shared.page, shared.log_in  # the same fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CRITERIA = ["Physical harm", "Public concern"]


def set_up_workshop(page) -> str:
    """As swp-admin: a workshop with two candidates and two scorers; returns its address."""
    from playwright.sync_api import expect

    log_in(page, "swp-admin")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Workshops").click()
    page.get_by_role("link", name="New workshop").click()
    page.get_by_label("Title").fill("Small workshop")
    page.get_by_label("Financial year").fill("2020/21")
    page.get_by_label("Date held").fill("2021-02-10")
    page.get_by_label("Status").select_option(label="Scoring open")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Small workshop")).to_be_visible()
    address = re.search(r"/p/swp/workshops/\d+/", page.url).group(0)
    for topic in ("Knife crime", "Burglary"):
        page.get_by_role("link", name="Add a candidate topic").click()
        page.get_by_label("Topic").fill(topic)
        page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Add a scorer").click()
    page.get_by_label("Name").fill("Beverley Adams")
    page.get_by_label("Login").select_option(label="board-member")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Add a scorer").click()
    page.get_by_label("Name").fill("Paper Scorer")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main table").last.locator("tbody tr")).to_have_count(2)
    return address


def score(page, values: dict[tuple[str, str], int]) -> None:
    for (topic, criterion), value in values.items():
        page.get_by_label(re.compile(f"^{topic}: {criterion} ")).fill(str(value))
    page.get_by_role("button", name="Save scores").click()


def test_a_small_workshop_from_scoring_to_a_draft_strategy(page):
    from playwright.sync_api import expect

    address = set_up_workshop(page)
    page.get_by_role("link", name="Enter paper sheet for Paper Scorer").click()
    expect(page.get_by_role("heading", name="Paper sheet of Paper Scorer")).to_be_visible()
    score(page, {("Knife crime", "Physical harm"): 9})  # outside the 1-5 scale
    expect(page.get_by_role("alert")).to_contain_text("Nothing has been saved")
    expect(page.locator("td .error")).to_contain_text("less than or equal to 5")
    score(page, {("Knife crime", "Physical harm"): 5, ("Knife crime", "Public concern"): 4,
                 ("Burglary", "Physical harm"): 2, ("Burglary", "Public concern"): 4})
    expect(page.locator(".messages")).to_contain_text("Saved Paper Scorer's scores (4 changed)")
    page.get_by_role("button", name="Log out").click()

    log_in(page, "board-member")
    page.goto(address)
    page.get_by_role("link", name="Score for Beverley Adams").click()
    expect(page.get_by_role("heading", name="Your scores, Beverley Adams")).to_be_visible()
    # Keyboard only: the first cell has focus after one Tab from the last link before it.
    first = page.get_by_label(re.compile("^Knife crime: Physical harm "))
    first.focus()
    page.keyboard.type("4")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name").startswith("score_")
    score(page, {("Knife crime", "Public concern"): 5, ("Burglary", "Physical harm"): 1,
                 ("Burglary", "Public concern"): 5})
    expect(page.locator(".messages")).to_contain_text("Saved Beverley Adams's scores")
    page.get_by_role("button", name="Log out").click()

    log_in(page, "swp-admin")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(address + "results/")
    ranking = page.locator("#ranking tbody tr")
    expect(ranking).to_have_count(2)
    # Knife crime: (100 + 75) / 2 and (75 + 100) / 2 -> 87.5; Burglary: (25 + 75) / 2 and
    # (0 + 100) / 2 -> 50 and 50.
    expect(ranking.first).to_contain_text("Knife crime")
    expect(ranking.first).to_contain_text("87.5")
    expect(ranking.last).to_contain_text("50.0")
    expect(page.locator("#sensitivity-summary")).to_contain_text(
        "The ranking is stable under every ±25% move of a weight.")
    expect(page.locator("details.sensitivity summary")).to_have_count(9)
    expect(page.locator("details.sensitivity summary").first).to_contain_text(
        "Physical harm (weight 1.00 → 0.75 / 1.25): every topic keeps its place")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_label("Choose Knife crime").check()
    page.get_by_role("button", name="Create draft strategy").click()
    expect(page.get_by_role("heading", name="Community safety strategy 2021-2024 (draft)")
           ).to_be_visible()
    expect(page.locator("main")).to_contain_text("Knife crime")
    assert page.console_errors == []
