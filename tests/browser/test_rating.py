"""Product staff rate benchmark outputs blind with the keyboard, compare pairs, read the
leaderboard, and cannot switch a slot."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.cluster]

ITEM_URL = re.compile(r"/rate/item/([\w-]+)/$")  # the item's public id, random


def item_id(page) -> str:
    return ITEM_URL.search(page.url).group(1)


def test_it_rates_an_output_with_the_keyboard_and_opens_the_next(staff_page, finished_benchmark, screenshot):
    page = staff_page
    page.goto("/rate/")
    expect(page.locator(".big")).to_have_text(re.compile(r"^\d+ outputs? waiting for you$"))
    page.get_by_role("link", name="Start rating").click()

    expect(page).to_have_url(ITEM_URL)
    first = item_id(page)
    expect(page.get_by_role("heading", name="The recommendation")).to_be_visible()
    for model in ("builtin/rules", "local/gemma"):  # blind: no model name anywhere on the page
        expect(page.locator("#content")).not_to_contain_text(model)

    for key in "4wf":  # why 4, values 2, overall 4
        page.keyboard.press(key)
    page.keyboard.press("h")  # flag: hallucinated number
    expect(page.locator("[data-keys='12345'] input[value='4']")).to_be_checked()
    expect(page.locator("[data-keys='qwert'] input[value='2']")).to_be_checked()
    expect(page.locator("[data-keys='asdfg'] input[value='4']")).to_be_checked()
    expect(page.get_by_label("Hallucinated number")).to_be_checked()
    page.get_by_label("Comment").fill("browser suite: the why names the wrong month")
    page.keyboard.press("Escape")  # leave the comment box, so the next key is a shortcut again
    screenshot("rating-item")
    page.keyboard.press("Enter")

    expect(page.locator(".messagelist .success")).to_have_text(f"Saved your rating of output {first}.")
    expect(page).to_have_url(ITEM_URL)
    assert item_id(page) != first
    expect(page.get_by_role("heading", name="Your rating", exact=True)).to_be_visible()

    page.goto(f"/rate/item/{first}/")
    expect(page.get_by_role("heading", name="Your rating (edit)")).to_be_visible()
    expect(page.locator("[data-keys='12345'] input[value='4']")).to_be_checked()
    expect(page.get_by_label("Comment")).to_have_value("browser suite: the why names the wrong month")


def test_it_skips_an_output_with_the_n_key(staff_page, finished_benchmark):
    page = staff_page
    page.goto("/rate/next/")
    expect(page).to_have_url(ITEM_URL)
    skipped = item_id(page)

    page.keyboard.press("n")

    expect(page).not_to_have_url(f"/rate/item/{skipped}/")
    expect(page).to_have_url(ITEM_URL)


def test_it_records_a_pairwise_choice_and_ranks_the_models(staff_page, finished_benchmark, server, screenshot):
    page = staff_page
    page.goto("/rate/pair/")
    expect(page.get_by_role("heading", name="A", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="B", exact=True)).to_be_visible()
    expect(page.locator("#content")).not_to_contain_text("builtin/rules")

    page.keyboard.press("a")

    expect(page.locator(".messagelist .success")).to_have_text("Choice recorded.")
    page.get_by_role("link", name="Rate outputs").click()
    expect(page.locator("#content-main")).to_contain_text(re.compile(r"compared [1-9]\d* pairs?"))

    # The rater's own leaderboard names no model, not even in order: their vote would say which they picked.
    page.goto("/rate/leaderboard/")
    expect(page.get_by_role("heading", name="Standings per model")).to_be_visible()
    expect(page.locator("#content-main")).not_to_contain_text("builtin/rules")
    expect(page.get_by_role("heading", name="Agreement")).to_be_visible()

    page.context.clear_cookies()
    log_in(page, "operator", server.password)
    page.goto("/rate/leaderboard/")
    ranking = page.locator(".module").filter(has=page.get_by_role("heading", name="Pairwise ranking (Bradley–Terry)"))
    rows = ranking.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(ranking).to_contain_text("builtin/rules")
    expect(ranking).to_contain_text("builtin/rules-b")
    expect(page.get_by_role("heading", name="Quality per model")).to_be_visible()
    expect(page.get_by_role("heading", name="Agreement")).to_be_visible()
    screenshot("leaderboard")


def test_it_shows_staff_the_switchboard_without_switch_controls(staff_page):
    page = staff_page
    page.goto("/admin/switchboard/")

    expect(page.get_by_role("heading", name="Slots")).to_be_visible()
    expect(page.get_by_text("changing a slot needs the evaluation.switch_slot permission")).to_be_visible()
    expect(page.locator("#content-main form")).to_have_count(0)
    expect(page.locator("#content-main").get_by_role("button")).to_have_count(0)
    expect(page.get_by_text(re.compile("Preview switch|Roll back|Start canary"))).to_have_count(0)


def test_it_refuses_a_switch_from_staff_in_the_admin_and_the_api(staff_page, staff_key, server):
    page = staff_page
    page.goto("/admin/switchboard/")
    before = page.locator("#slot-fast h2").inner_text()
    csrf_token = next(cookie["value"] for cookie in page.context.cookies() if cookie["name"] == "csrftoken")

    refused = page.request.post("/admin/switchboard/slots/fast/switch/", form={
        "csrfmiddlewaretoken": csrf_token, "model": "builtin/rules-b", "reason": "staff tries", "confirm": "yes"})
    assert refused.status == 403
    api = page.request.put("/api/v1/slots/fast", headers={"Authorization": f"Bearer {staff_key}"},
                           data={"model": "builtin/rules-b", "reason": "staff tries"})
    assert api.status == 403, api.text()

    page.reload()
    expect(page.locator("#slot-fast h2")).to_have_text(before)
    expect(page.locator("#content-main")).not_to_contain_text("staff tries")
