"""Static files as `make run` serves them (uvicorn, DEBUG off, WhiteNoise): every asset a page
links is local, content-hashed, cached for good, compressed, and answers 200; the API docs load
Swagger UI from the app, not from a CDN."""

from html.parser import HTMLParser

import httpx
import pytest

from tests.live_server import live_server

pytestmark = pytest.mark.cluster
YEAR_S = 365 * 24 * 3600


class AssetLinks(HTMLParser):
    """The URLs of the stylesheets, scripts and icons a page loads."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and attributes.get("src"):
            self.urls.append(attributes["src"])
        if tag == "link" and attributes.get("href"):
            self.urls.append(attributes["href"])


class CsrfToken(HTMLParser):
    def __init__(self):
        super().__init__()
        self.value = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and attributes.get("name") == "csrfmiddlewaretoken":
            self.value = attributes["value"]


def logged_in(server, username: str) -> httpx.Client:
    client = httpx.Client(base_url=server.base_url, timeout=10)
    parser = CsrfToken()
    parser.feed(client.get("/admin/login/").text)
    response = client.post("/admin/login/", data={"username": username, "password": server.password,
                                                  "csrfmiddlewaretoken": parser.value, "next": "/admin/"})
    assert response.status_code == 302, response.text
    return client


def asset_urls(html: str) -> list[str]:
    parser = AssetLinks()
    parser.feed(html)
    return parser.urls


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with live_server(tmp_path_factory.mktemp("static")) as running:
        yield running


@pytest.mark.parametrize("path", ["/admin/login/", "/api/v1/docs", "/admin/", "/admin/switchboard/", "/admin/benchmarks/",
                                  "/admin/benchmarks/matrix/", "/rate/", "/rate/leaderboard/"])
def test_it_serves_every_asset_of_a_page_locally_hashed_and_cached(server, path):
    client = logged_in(server, "operator")
    try:
        page = client.get(path, follow_redirects=True)
    finally:
        client.close()
    assert page.status_code == 200, f"{path}: {page.status_code}"
    urls = asset_urls(page.text)
    assert any(url.endswith(".css") for url in urls), urls

    for url in (url for url in urls if not url.startswith("data:")):  # inline: nothing to fetch
        assert url.startswith("/static/"), f"{url} is not served by the app"
        name = url.rsplit("/", 1)[1]
        assert len(name.split(".")) >= 3, f"{url} has no content hash"  # base.96c479cedf7a.css
        asset = httpx.get(f"{server.base_url}{url}", timeout=10)  # no session: static files need none
        assert asset.status_code == 200, url
        assert "immutable" in asset.headers["cache-control"]
        assert f"max-age={YEAR_S}" in asset.headers["cache-control"] or "max-age=315360000" in asset.headers["cache-control"]


def test_it_compresses_what_it_serves(server):
    login = httpx.get(f"{server.base_url}/admin/login/", timeout=10)
    stylesheet = next(url for url in asset_urls(login.text) if "base." in url)

    brotli = httpx.get(f"{server.base_url}{stylesheet}", headers={"Accept-Encoding": "br"}, timeout=10)
    gzip = httpx.get(f"{server.base_url}{stylesheet}", headers={"Accept-Encoding": "gzip"}, timeout=10)
    plain = httpx.get(f"{server.base_url}{stylesheet}", headers={"Accept-Encoding": "identity"}, timeout=10)

    assert brotli.headers["content-encoding"] == "br"
    assert gzip.headers["content-encoding"] == "gzip"
    assert "content-encoding" not in plain.headers
    assert int(brotli.headers["content-length"]) < int(plain.headers["content-length"])
    assert brotli.headers["content-type"].startswith("text/css")


def test_it_serves_swagger_ui_from_the_app(server):
    docs = httpx.get(f"{server.base_url}/api/v1/docs", timeout=10)

    urls = asset_urls(docs.text)
    assert any("swagger-ui-bundle" in url for url in urls)
    assert any("swagger-ui" in url and url.endswith(".css") for url in urls)
    assert "cdn" not in docs.text.lower()
