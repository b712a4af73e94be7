"""Issue 12's committee "done when", in headless Chromium: an administrator drafts a committee
report, sends it along a two-step route (the second body is refused until the first has
approved; a condition holds the issue until it is resolved) and issues it; the issued PDF and
Word files download, and the report page fits a 390 px screen."""

import re

import pytest

from tests import test_browser as shared

browser, page, log_in = shared.browser, shared.page, shared.log_in  # the same fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def record_decision(page, body: str, decision: str) -> None:
    page.get_by_role("link", name=f"Record decision of {body}").click()
    page.get_by_label("Decision").select_option(label=decision)
    page.get_by_role("button", name="Save").click()


def test_draft_route_and_issue_a_committee_report(page):
    from playwright.sync_api import expect

    log_in(page, "swp-admin")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Committee reports").click()
    expect(page.get_by_role("link", name=re.compile("Safer Wolverhampton Community Safety"))
           ).to_have_count(1)
    page.get_by_role("link", name="New committee report").click()
    page.get_by_label("Report title").fill("Canal path lighting")
    page.get_by_label("Report to").fill("Cabinet")
    page.get_by_label("Meeting date").fill("2021-03-24")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Canal path lighting", exact=True)).to_be_visible()

    page.get_by_role("link", name="Add a paragraph to Purpose").click()
    page.get_by_label("Text").fill("This report asks Cabinet to fund lighting on the canal path.")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Add a recommendation").click()
    page.get_by_label("Text").fill("Approve £20,000 for lighting.")
    page.get_by_role("button", name="Save").click()

    page.get_by_role("link", name="Edit the route and record decisions").click()
    for body, day in (("Scrutiny Board", "2021-02-02"), ("Senior Executive Board", "2021-02-17")):
        page.get_by_label("Body").fill(body)
        page.get_by_label("Meeting date").fill(day)
        page.get_by_role("button", name="Add to the route").click()
    rows = page.get_by_role("table", name=re.compile("Approval route")).locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Tue 19 Jan 2021")  # 10 working days before Tue 2 Feb

    record_decision(page, "Senior Executive Board", "Approved")  # out of order
    expect(page.get_by_text("Scrutiny Board has not yet approved the report")).to_be_visible()
    page.get_by_role("link", name="Cancel").click()

    record_decision(page, "Scrutiny Board", "Approved with conditions")
    page.get_by_role("link", name="Add condition of Scrutiny Board").click()
    page.get_by_label("Condition").fill("Say who maintains the lights.")
    page.get_by_role("button", name="Save").click()
    record_decision(page, "Senior Executive Board", "Approved")
    expect(rows.nth(1)).to_contain_text("Approved")

    page.get_by_role("link", name="Canal path lighting").click()
    expect(page.get_by_role("alert")).to_contain_text("condition is not resolved")
    page.get_by_role("link", name="Edit the route and record decisions").click()
    page.get_by_role("link", name="Resolve").click()
    page.get_by_label("Resolved on").fill("2021-02-10")
    page.get_by_label("How it was resolved").fill("Section 2 names the lighting team.")
    page.get_by_role("button", name="Save").click()
    expect(rows.first).to_contain_text("resolved 10 Feb 2021")

    page.get_by_role("link", name="Canal path lighting").click()
    page.get_by_label(re.compile("issue it and freeze its content")).check()
    page.get_by_role("button", name="Issue the report").click()
    expect(page.get_by_text("Issued Canal path lighting; its content is frozen.")).to_be_visible()
    expect(page.get_by_role("link", name="Edit the header")).to_have_count(0)

    pdf = page.request.get(page.get_by_role("link", name="PDF", exact=True).get_attribute("href"))
    assert pdf.ok and pdf.body()[:5] == b"%PDF-"
    word = page.request.get(page.get_by_role("link", name="Word", exact=True).get_attribute("href"))
    assert word.ok and word.body()[:2] == b"PK"

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
