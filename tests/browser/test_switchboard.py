"""An operator switches the `fast` slot on the switchboard, sees the change and its audit row, and
rolls it back."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.cluster]


def fast_slot_model(page) -> str:
    """The model key the board's slot table shows for `fast`."""
    row = page.locator(".switchboard tbody tr").filter(has=page.get_by_role("link", name="fast", exact=True))
    return row.locator("td strong").first.inner_text().strip()


def switch_form(page):
    return page.locator("#slot-fast form").filter(has=page.get_by_role("button", name="Preview switch"))


def other_rules_model(current: str) -> str:
    return "builtin/rules-b" if current == "builtin/rules" else "builtin/rules"


def test_it_shows_both_slots_with_their_models_to_an_operator(operator_page, screenshot):
    page = operator_page
    page.goto("/admin/switchboard/")

    expect(page.get_by_role("heading", name="Slots")).to_be_visible()
    for slot in ("fast", "accurate"):
        expect(page.get_by_role("link", name=slot, exact=True)).to_be_visible()
        expect(page.locator(f"#slot-{slot}").get_by_role("button", name="Preview switch")).to_be_visible()
    expect(page.get_by_role("heading", name="Recent changes")).to_be_visible()
    expect(page.locator(".switchboard").get_by_text("initial seed").first).to_be_visible()
    screenshot("switchboard")


def test_it_previews_switches_audits_and_rolls_back_the_fast_slot(operator_page):
    page = operator_page
    page.goto("/admin/switchboard/")
    before = fast_slot_model(page)
    target = other_rules_model(before)
    reason = f"browser suite: {before} is slow today"
    panel = page.locator("#slot-fast")

    form = switch_form(page)
    form.get_by_label("Model").select_option(target)
    form.get_by_label("Reason").fill(reason)
    form.get_by_role("button", name="Preview switch").click()

    expect(page.get_by_role("heading", name="Switch fast?")).to_be_visible()
    expect(page.locator("#content-main")).to_contain_text(f"Switch the fast slot from {before} to {target}")
    expect(page.get_by_text(reason)).to_be_visible()
    page.get_by_role("button", name="Confirm switch").click()

    expect(page).to_have_url("/admin/switchboard/")
    expect(page.locator(".messagelist .success")).to_contain_text(f"fast: Switch {before} → {target}", ignore_case=True)
    assert fast_slot_model(page) == target
    expect(panel.get_by_role("heading", level=2)).to_have_text(f"fast — {target}")
    newest = page.locator(".module").filter(has=page.get_by_role("heading", name="Recent changes")).locator("tbody tr").first
    expect(newest).to_contain_text("operator")
    expect(newest).to_contain_text(f"{before} → {target}")
    expect(newest).to_contain_text(reason)

    rollback = panel.get_by_role("button", name=f"Roll back to {before}")
    expect(rollback).to_be_visible()
    rollback.click()

    expect(page.locator(".messagelist .success")).to_contain_text(f"{target} → {before}")
    assert fast_slot_model(page) == before
    expect(newest).to_contain_text(f"{target} → {before}")
    expect(newest).to_contain_text("Rollback")


def test_it_changes_nothing_without_a_reason(operator_page):
    page = operator_page
    page.goto("/admin/switchboard/")
    before = fast_slot_model(page)
    form = switch_form(page)

    form.get_by_label("Model").select_option(other_rules_model(before))
    form.get_by_label("Reason").fill(" ")  # blank after stripping: the browser lets it through, the form does not
    form.get_by_role("button", name="Preview switch").click()

    expect(page.locator(".messagelist .error")).to_contain_text("Nothing changed — reason: This field is required.")
    assert fast_slot_model(page) == before
