"""The real-browser suite's shared cast: one live server for the session (the whole product as
`make run` serves it), Debian's chromium driven by Playwright, and a `page` whose every document,
request and console line is watched; each test ends with `assert_clean` on what the page did.

Every fixture here lives for the package, not the session: Playwright's sync API runs an event
loop in the main thread while it is open, and the rest of the suite (async_to_sync, asyncio.run)
must not find one there.

Runs whenever chromium is installed. Without it the suite skips, unless BROWSER_TESTS=required
(CI), where a missing browser is a failure.
"""

import json
import os
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from tests.live_server import LiveServer, live_server

BASE_DIR = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = BASE_DIR / "docs" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 900}
EXPECT_TIMEOUT_MS = 15_000
BENCHMARK_DEADLINE_S = 180
SECOND_RULES_KEY = "builtin/rules-b"
# base.96c479cedf7a.css: ManifestStaticFilesStorage puts 12 hex digits before the extension.
HASHED_STATIC = re.compile(r"^/static/.+\.[0-9a-f]{12}\.[A-Za-z0-9]+$")
ASSET_TYPES = {"stylesheet", "script", "image", "font", "media"}
# Scripts that are views, not files: the admin's JavaScript translation catalog.
DYNAMIC_SCRIPTS = {"/admin/jsi18n/"}
STYLE_REPORT = "browser-suite:style "
# Runs in every document before its own scripts: once everything has loaded, report what a person
# would see of the styling: each stylesheet's rule count and the computed styles that the admin's
# CSS sets (the browser's defaults are a serif body font and a transparent header).
STYLE_PROBE = """
window.addEventListener("load", function () {
  var header = document.querySelector("#header");
  console.debug("STYLE_REPORT" + JSON.stringify({
    url: location.href,
    sheets: Array.from(document.querySelectorAll("link[rel=stylesheet]")).map(function (link) {
      var rules = null;
      try { rules = link.sheet ? link.sheet.cssRules.length : null; } catch (error) { rules = null; }
      return {href: link.href, rules: rules};
    }),
    bodyFont: getComputedStyle(document.body).fontFamily,
    headerBackground: header ? getComputedStyle(header).backgroundColor : null
  }));
});
""".replace("STYLE_REPORT", STYLE_REPORT)
UNSTYLED_FONTS = {"", "Times New Roman", '"Times New Roman"', "serif", "Times"}
TRANSPARENT = {"", "transparent", "rgba(0, 0, 0, 0)"}


def chromium_path() -> str | None:
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return shutil.which("chromium")


@pytest.fixture(scope="package")
def chromium() -> str:
    path = chromium_path()
    if path is None:
        message = "chromium is not installed (apt-get install chromium)"
        if os.environ.get("BROWSER_TESTS") == "required":
            pytest.fail(f"BROWSER_TESTS=required but {message}", pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture(scope="package")
def server(chromium, tmp_path_factory) -> Iterator[LiveServer]:
    # No route can pass a p95 gate of 0 ms, so promoting from the decision matrix always goes
    # through the override (a reason, audited); nothing else in the suite reads the gates.
    with live_server(tmp_path_factory.mktemp("browser"), BENCHMARK_GATE_P95_MS="0") as running:
        # A second rules-engine model: a real, instant candidate to switch to and to benchmark
        # against builtin/rules (two models answering the same scenarios make rating pairs).
        running.manage("shell", "-c", (
            "from evaluation.models import AIModel\n"
            "rules = AIModel.objects.get(key='builtin/rules')\n"
            f"AIModel.objects.get_or_create(key='{SECOND_RULES_KEY}', defaults=dict(display_name='Rules engine (B)', "
            "provider=rules.provider, provider_model='rules', prompt_style=rules.prompt_style, status=rules.status))\n"
        ))
        yield running


@pytest.fixture(scope="package")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class PageWatch:
    """Everything a page did that a person would call broken."""

    origin: str
    failures: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    style_reports: dict[str, dict] = field(default_factory=dict)

    def attach(self, page) -> None:
        page.on("response", self.on_response)
        page.on("requestfailed", lambda request: self.failures.append(
            f"request failed: {request.method} {request.url} ({request.failure})"))
        page.on("request", self.on_request)
        page.on("console", self.on_console)
        page.on("pageerror", lambda error: self.failures.append(f"uncaught page error: {error}"))
        page.on("framenavigated", lambda frame: frame.parent_frame is None and self.documents.append(frame.url))

    def on_request(self, request) -> None:
        url = urlsplit(request.url)
        if url.scheme in ("data", "blob"):
            return
        if f"{url.scheme}://{url.netloc}" != self.origin:
            self.failures.append(f"loaded from another origin: {request.url}")
        elif self.is_static(request.resource_type, url.path) and not HASHED_STATIC.match(url.path):
            self.failures.append(f"{request.resource_type} not served as a content-hashed /static/ file: {request.url}")

    @staticmethod
    def is_static(resource_type: str, path: str) -> bool:
        return path.startswith("/static/") or (resource_type in ASSET_TYPES and path not in DYNAMIC_SCRIPTS)

    def on_response(self, response) -> None:
        if response.status >= 400:
            self.failures.append(f"HTTP {response.status}: {response.request.method} {response.url}")

    def on_console(self, message) -> None:
        if message.type == "error":
            self.failures.append(f"console error: {message.text} ({message.location.get('url')})")
        elif message.text.startswith(STYLE_REPORT):
            report = json.loads(message.text[len(STYLE_REPORT):])
            self.style_reports[report["url"]] = report

    def style_problems(self) -> list[str]:
        problems = []
        for report in self.style_reports.values():
            url = report["url"]
            if not report["sheets"]:
                problems.append(f"{url}: no stylesheet")
            problems += [f"{url}: stylesheet {sheet['href']} did not load" for sheet in report["sheets"] if not sheet["rules"]]
            if report["headerBackground"] is not None:  # an admin page: its CSS sets both
                if report["headerBackground"] in TRANSPARENT:
                    problems.append(f"{url}: the admin header has no background (admin CSS not applied)")
                if report["bodyFont"].split(",")[0].strip() in UNSTYLED_FONTS:
                    problems.append(f"{url}: body font is the browser default {report['bodyFont']!r}")
        return problems

    def assert_clean(self, page) -> None:
        page.wait_for_load_state("load")
        checked = {url.split("#")[0] for url in self.style_reports}
        unchecked = sorted({url for url in self.documents if url.split("#")[0] not in checked})
        problems = self.failures + self.style_problems() + [f"{url}: left before it finished loading" for url in unchecked]
        assert not problems, "the browser saw problems:\n" + "\n".join(problems)
        assert self.style_reports, "no page was checked"


@pytest.fixture
def page(browser, server) -> Iterator:
    from playwright.sync_api import expect

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    context = browser.new_context(base_url=server.base_url, viewport=VIEWPORT)
    context.add_init_script(STYLE_PROBE)
    opened = context.new_page()
    watch = PageWatch(origin=server.base_url)
    watch.attach(opened)
    opened.watch = watch
    yield opened
    try:
        watch.assert_clean(opened)
    finally:
        context.close()


def log_in(page, username: str, password: str) -> None:
    from playwright.sync_api import expect

    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#user-tools")).to_contain_text(username, ignore_case=True)
    # A person reads the index before going on: leaving first aborts its icons, which the watch reports.
    page.wait_for_load_state("load")


@pytest.fixture
def operator_page(page, server):
    log_in(page, "operator", server.password)
    return page


@pytest.fixture
def staff_page(page, server):
    log_in(page, "staff", server.password)
    return page


def api_key_for(server: LiveServer, username: str) -> str:
    """A new API key acting for `username` (create_api_key prints it as its last line)."""
    return server.manage("create_api_key", f"browser-{username}", "--user", username).strip().splitlines()[-1]


@pytest.fixture(scope="package")
def operator_key(server) -> str:
    return api_key_for(server, "operator")


@pytest.fixture(scope="package")
def staff_key(server) -> str:
    return api_key_for(server, "staff")


@pytest.fixture(scope="package")
def finished_benchmark(server, operator_key) -> dict:
    """A benchmark of builtin/rules against builtin/rules-b, started through the API and run by the
    real cluster: its outputs fill the rating queue and, two models per scenario, the pairs."""
    headers = {"Authorization": f"Bearer {operator_key}"}
    started = httpx.post(f"{server.base_url}/api/v1/benchmarks", headers=headers, timeout=10, json={
        "suite": "standard", "routes": ["builtin/rules", SECOND_RULES_KEY], "repetitions": 1, "warmup_repetitions": 0})
    assert started.status_code == 202, started.text
    # A bound, not a speed target: 18 instant units, but the cluster may still be busy (probes,
    # the benchmark flow's drivers) on a loaded machine.
    deadline = time.monotonic() + BENCHMARK_DEADLINE_S
    while True:
        run = httpx.get(f"{server.base_url}{started.json()['status_url']}", headers=headers, timeout=10).json()
        if run["status"] == "finished":
            assert run["progress"]["succeeded"] == run["progress"]["total"], run["progress"]
            return run
        assert time.monotonic() < deadline, (
            f"benchmark not finished after {BENCHMARK_DEADLINE_S} s: {run['progress']}\n{server.log()}")
        time.sleep(0.2)


@pytest.fixture
def screenshot(page):
    """Save docs/screenshots/NAME.png of the whole page, only when SCREENSHOTS=1, so ordinary runs
    leave the committed images alone."""

    def save(name: str) -> None:
        if os.environ.get("SCREENSHOTS") == "1":
            SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=True)

    return save
