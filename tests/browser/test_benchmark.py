"""An operator benchmarks two models from the model list, follows the run's live progress bar to
the end, reads the decision matrix and its chart, and promotes a model into a slot (overriding a
failed gate with a reason)."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.cluster]

ROUTES = ("builtin/rules", "builtin/rules-b")
# Enough units (2 routes x 9 scenarios x 25) that the run is still going when its page opens.
REPETITIONS = 25


def start_run_from_model_list(page) -> None:
    page.goto("/admin/evaluation/aimodel/")
    for key in ROUTES:
        row = page.get_by_role("row").filter(has=page.get_by_role("link", name=key, exact=True))
        row.get_by_role("checkbox").check()
    page.locator("select[name=action]").select_option(label="Benchmark selected models")
    page.get_by_role("button", name="Go").click()

    expect(page.get_by_role("heading", name="New benchmark run")).to_be_visible()
    for key in ROUTES:
        expect(page.get_by_label(key, exact=True)).to_be_checked()
    page.get_by_label("Repetitions").fill(str(REPETITIONS))
    page.get_by_label("Warm-up").fill("0")
    page.get_by_role("button", name="Start benchmark").click()


def progress_of(page) -> tuple[float, float]:
    return page.locator("#run-progress").evaluate("bar => [bar.value, bar.max]")


def current_model(page, slot: str) -> str:
    text = page.locator(".benchmarks").get_by_text("Current slots:").inner_text()
    return re.search(rf"{slot} → (\S+?)[,.]", text).group(1)


def test_it_follows_a_run_started_from_the_model_list_to_its_figures(operator_page, screenshot):
    page = operator_page
    polls = []
    page.on("response", lambda response: "/progress.json" in response.url and polls.append(response))

    start_run_from_model_list(page)

    expect(page).to_have_url(re.compile(r"/admin/benchmarks/runs/\d+/$"))
    expect(page.locator(".messagelist .success")).to_contain_text(f"{len(ROUTES) * 9 * REPETITIONS} units")
    value, maximum = progress_of(page)
    assert maximum == len(ROUTES) * 9 * REPETITIONS
    assert value < maximum, "the run finished before its page opened: nothing to watch"
    screenshot("run-progress")

    expect(page.locator("#run-status")).to_have_text("finished", timeout=90_000)
    expect(page.locator("#run-percent")).to_have_text("100.0")
    value, maximum = progress_of(page)
    assert value == maximum
    assert polls, "the page never polled its progress"
    assert all(response.ok for response in polls)
    expect(page.get_by_role("heading", name="Figures per route and per stage")).to_be_visible()
    for key in ROUTES:
        expect(page.get_by_role("rowheader", name=key, exact=True).first).to_be_visible()
    expect(page.get_by_text("No unit failed.")).to_be_visible()


def test_it_draws_the_decision_matrix_and_promotes_a_model_past_a_failed_gate(operator_page, finished_benchmark,
                                                                             screenshot):
    page = operator_page
    page.goto(f"/admin/benchmarks/runs/{finished_benchmark['id']}/")
    page.get_by_role("link", name="Decision matrix", exact=True).click()

    expect(page.get_by_role("heading", name=re.compile("^Decision matrix — monthly cost"))).to_be_visible()
    chart = page.locator("svg.latency-quality-chart")
    expect(chart).to_be_visible()
    expect(chart.locator("circle.point")).to_have_count(len(ROUTES))
    box = chart.bounding_box()
    assert box["width"] > 200
    assert box["height"] > 100
    screenshot("decision-matrix")

    before = current_model(page, "accurate")
    target = ROUTES[1] if before != ROUTES[1] else ROUTES[0]
    heading = re.compile(rf"^{re.escape(target)} ".replace("/", r"\/"))  # Playwright needs the slash escaped
    form = page.locator("form").filter(has=page.get_by_role("heading", name=heading))
    expect(form.locator(".failed")).to_have_text("gates fail")

    form.get_by_label("Reason").fill("browser suite: cheaper and as good")
    form.get_by_role("button", name="Promote to accurate").click()
    expect(page.locator(".messagelist .error")).to_contain_text(f"Promotion refused: {target} fails the gates (p95")
    assert current_model(page, "accurate") == before

    reason = "browser suite: the p95 gate is too strict for this demo"
    form.get_by_label("Reason").fill(reason)
    form.get_by_label("Override gates").check()
    form.get_by_role("button", name="Promote to accurate").click()
    expect(page.locator(".messagelist .success")).to_contain_text(f"accurate: {before} → {target}", ignore_case=True)
    assert current_model(page, "accurate") == target

    page.get_by_role("link", name="switchboard").click()
    accurate = page.locator(".switchboard tbody tr").filter(has=page.get_by_role("link", name="accurate", exact=True))
    expect(accurate.locator("td strong").first).to_have_text(target)
    newest = page.locator(".module").filter(has=page.get_by_role("heading", name="Recent changes")).locator("tbody tr").first
    expect(newest).to_contain_text(f"{before} → {target}")
    expect(newest).to_contain_text(reason)
    expect(newest).to_contain_text(f"Promoted from benchmark run {finished_benchmark['id']}")
    expect(newest).to_contain_text("Gates overridden: p95")
