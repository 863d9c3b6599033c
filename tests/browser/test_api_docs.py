"""An API client reads the API docs (Swagger UI, served by the app itself), authorizes with a key
and asks for a recommendation from the page."""

import json
import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.cluster]

# The README's curl body.
RECOMMENDATION = {"monthly_usage_kwh": [900, 850, 800, 900, 1100, 1500, 1800, 1900, 1500, 1100, 900, 950],
                  "preferences": {"prefer_renewable": True, "max_contract_months": 12},
                  "current_plan": {"rate_cents": 16.5, "base_fee": 9.95},
                  "top_n": 3, "mode": "fast"}
# The fast slot may run the embedded model: a few seconds, more on a busy machine.
RECOMMENDATION_TIMEOUT_MS = 90_000


def operation(page, method: str, path: str):
    """The operation's block (summary and, once opened, its details) in Swagger UI."""
    return page.locator(".opblock").filter(
        has=page.locator(".opblock-summary-method", has_text=re.compile(f"^{method}$"))).filter(
        has=page.locator(f".opblock-summary-path[data-path='{path}']"))


def test_it_lists_the_operations_with_swagger_ui_styled(page, screenshot):
    page.goto("/api/v1/docs")

    recommendations = operation(page, "POST", "/api/v1/recommendations")
    expect(recommendations).to_be_visible()
    for method, path in (("GET", "/api/v1/plans"), ("GET", "/api/v1/health"), ("PUT", "/api/v1/slots/{slot}"),
                         ("POST", "/api/v1/benchmarks")):
        expect(operation(page, method, path)).to_be_visible()
    # Swagger UI's stylesheet at work: coloured method badges in a sans-serif page, not browser defaults.
    badge = recommendations.locator(".opblock-summary-method")
    assert badge.evaluate("element => getComputedStyle(element).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")
    title_font = page.locator(".swagger-ui .info .title").evaluate("element => getComputedStyle(element).fontFamily")
    assert "sans-serif" in title_font
    screenshot("api-docs")


def test_it_asks_for_a_recommendation_from_the_page_with_an_api_key(page, server):
    page.goto("/api/v1/docs")
    page.get_by_role("button", name="Authorize").first.click()
    dialog = page.locator(".modal-ux")
    dialog.locator("#auth-bearer-value").fill(server.api_key)
    dialog.get_by_role("button", name="Apply credentials").click()
    expect(dialog.get_by_role("button", name="Remove authorization")).to_be_visible()
    dialog.get_by_role("button", name="Close", exact=True).click()
    expect(dialog).to_be_hidden()

    recommendations = operation(page, "POST", "/api/v1/recommendations")
    recommendations.locator(".opblock-summary").click()
    recommendations.get_by_role("button", name="Try it out").click()
    recommendations.locator("textarea.body-param__text").fill(json.dumps(RECOMMENDATION, indent=2))
    recommendations.get_by_role("button", name="Execute").click()

    live = recommendations.locator(".live-responses-table .response")
    expect(live.locator(".response-col_status")).to_have_text("200", timeout=RECOMMENDATION_TIMEOUT_MS)
    body = live.locator(".response-col_description pre").first
    expect(body).to_contain_text('"recommendations"')
    expect(body).to_contain_text('"projected_annual_cost"')
    expect(recommendations.locator("pre.curl")).to_contain_text("Authorization: Bearer")

