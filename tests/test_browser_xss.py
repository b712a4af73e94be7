"""Text from the data stays text in the browser: a ward and a crime type named like markup
show literally in the ward map's tooltip, the chart's axis and the chart's tooltip, and run
nothing. Headless Chromium through Playwright, on the demo (skipped when Chromium is absent)."""

import pytest
from django.core.cache import cache
from django.db.models import Sum

from tests import test_browser as shared

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
browser, page, log_in = shared.browser, shared.page, shared.log_in  # the same fixtures

PAYLOAD = "<img src=x onerror=window.__xss=1>"


def name_wards_like_markup() -> None:
    from saferplaces.areas.models import Area, AreaLevel

    for ward in Area.objects.filter(level=AreaLevel.WARD):
        ward.name = f"{PAYLOAD} {ward.code}"
        ward.save(update_fields=["name"])
    cache.clear()


def name_commonest_crime_type_like_markup() -> None:
    from saferplaces.crime.models import CrimeCount

    commonest = CrimeCount.objects.values("crime_type").annotate(n=Sum("count")) \
        .order_by("-n")[0]["crime_type"]
    CrimeCount.objects.filter(crime_type=commonest).update(crime_type=PAYLOAD)
    cache.clear()


def assert_nothing_ran(page) -> None:
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator("img[src='x']").count() == 0


def test_ward_map_tooltip_shows_a_ward_name_as_text(page):
    from playwright.sync_api import expect

    name_wards_like_markup()
    log_in(page, "board-member")
    page.goto("/p/swp/evidence/map/")
    wards = page.locator("#ward-map path.leaflet-interactive")
    expect(wards).to_have_count(20)
    wards.first.hover()
    tooltip = page.locator(".leaflet-tooltip")
    expect(tooltip).to_contain_text(PAYLOAD)  # the markup shown as its characters
    expect(tooltip.locator("img")).to_have_count(0)
    assert_nothing_ran(page)


def test_chart_axis_and_tooltip_show_a_label_as_text(page):
    from playwright.sync_api import expect

    name_commonest_crime_type_like_markup()
    log_in(page, "board-member")
    page.goto("/p/swp/evidence/")
    expect(page.locator(".vega-chart svg")).to_have_count(2)  # trend and crime mix
    mix = page.locator(".vega-chart").nth(1)
    expect(mix.locator("svg text", has_text=PAYLOAD)).to_have_count(1)  # the axis label
    bars = mix.locator("g.mark-rect path")
    tooltip = page.locator("#vg-tooltip-element")
    for i in range(bars.count()):
        bars.nth(i).hover()
        expect(tooltip).to_be_visible()
        if PAYLOAD in tooltip.inner_text():
            break
    expect(tooltip).to_contain_text(PAYLOAD)
    expect(tooltip.locator("img")).to_have_count(0)
    assert_nothing_ran(page)
