"""The web UI in a real browser: Debian's Chromium driven by Playwright.

The real server (uvicorn) runs in a thread on a free loopback port. Screenshots go to
a temporary folder (``NEWSPRISM_SCREENSHOTS`` names another one to keep them).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsprism.collection.ingest import ingest
from newsprism.collection.stories import list_stories
from newsprism.store import Store
from newsprism.web import create_app
from newsprism.web.app import CSP

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "sample"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip
INSTALL = "apt-get install -y chromium && pip install playwright"


def _need(ok: bool, what: str) -> None:
    """Skip without the browser, but fail in CI, where it must be installed."""
    if ok:
        return
    message = f"{what} is missing: install it with `{INSTALL}`"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


try:
    from playwright.sync_api import Browser, Dialog, Page, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None  # type: ignore[assignment]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class _Server:
    """uvicorn serving ``db`` on a free loopback port, in a thread."""

    def __init__(self, db: Path) -> None:
        import uvicorn

        self.port = _free_port()
        config = uvicorn.Config(create_app(db, None), host="127.0.0.1", port=self.port,
                                log_level="warning")  # fmt: skip
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> _Server:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


PWN = "window.__pwned = 1"
HOSTILE = [
    {
        "title": f"<script>{PWN}</script>Harbour crane collapses in Velmora",
        "source": '"><img src=x onerror="window.__pwned=2">',
        "url": "javascript:window.__pwned=3",
        "published": "2025-11-03",
        "language": "en",
        "text": (
            "A harbour crane collapsed in Velmora on Monday, injuring 3 workers, the port "
            f"authority said. <script>{PWN}</script> The crane had been inspected in May.\n\n"
            '"<img src=x onerror=alert(1)>We are shocked," said port director Hana '
            'Ostrowski. The damage was put at 4 million euros. <a href="javascript:alert(2)">'
            "details</a>"
        ),
    },
    {
        "title": 'Velmora crane collapse: 5 workers hurt"><svg onload=alert(3)>',
        "source": "<b onmouseover=alert(4)>Port Gazette</b>",
        "url": "https://gazette.example/velmora-crane?a=1&b=<script>",
        "published": "2025-11-04",
        "language": "en",
        "text": (
            "Five workers were hurt when a crane collapsed in the port of Velmora on Monday, "
            'the port authority said. Port director Hana Ostrowski said: "We are shocked '
            '</q><script>alert(5)</script>." The damage was put at 40 million euros.\n\n'
            "The crane had been inspected in May, the authority said."
        ),
    },
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    _need(sync_playwright is not None, "Playwright for Python")
    _need(CHROMIUM.exists(), str(CHROMIUM))
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    kept = os.environ.get("NEWSPRISM_SCREENSHOTS")
    folder = Path(kept) if kept else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _collection(folder: Path, paths: list[Path]) -> tuple[Path, str]:
    db = folder / "web.db"
    with Store(db) as store:
        summary = ingest(paths, store)
        assert summary.ingested == len(list(p for p in paths if p.is_file())) or paths == [SAMPLE]
        return db, list_stories(store)[0].id


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory, browser: Browser) -> Iterator[tuple[str, str]]:
    db, story = _collection(tmp_path_factory.mktemp("sample"), [SAMPLE])
    with _Server(db) as server:
        yield server.url, story


@pytest.fixture(scope="module")
def hostile(
    tmp_path_factory: pytest.TempPathFactory, browser: Browser
) -> Iterator[tuple[str, str]]:
    folder = tmp_path_factory.mktemp("hostile")
    paths = []
    for n, article in enumerate(HOSTILE):
        path = folder / f"hostile-{n}.json"
        path.write_text(json.dumps(article), encoding="utf-8")
        paths.append(path)
    db, story = _collection(folder, paths)
    with _Server(db) as server:
        yield server.url, story


def _page(browser: Browser, width: int = 1280) -> tuple[Page, list[str]]:
    page = browser.new_page(viewport={"width": width, "height": 900})
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return page, dialogs


def test_story_flow(browser: Browser, sample: tuple[str, str], shots: Path) -> None:
    base, story = sample
    page, dialogs = _page(browser)
    response = page.goto(base + "/")
    assert response is not None and response.headers["content-security-policy"] == CSP
    page.screenshot(path=str(shots / "stories.png"), full_page=True)
    page.click(f'a[href="/story/{story}"]')
    page.wait_for_url(f"**/story/{story}")
    conflict = page.locator("#conflicts article.fact.conflict").first
    text = conflict.inner_text()
    assert "400" in text and "2 000 tonnes" in text and "cannot both be true" in text
    sources = conflict.locator(".src a").all_inner_texts()
    assert "Diario de la Costa" in sources and "Le Littoral" in sources
    assert conflict.locator("mark").count() >= 3
    conflict.screenshot(path=str(shots / "conflict.png"))
    # The translated quote: the mayor's words in Spanish and in English, one group.
    group = page.locator("#quotes h3", has_text="Katarzyna Wojcik")
    quotes = group.locator("xpath=following-sibling::ul[1]")
    said = quotes.inner_text()
    assert "No hay ningún peligro" in said and "There is no danger" in said
    assert quotes.locator('q[lang="es"]').count() and quotes.locator('q[lang="en"]').count()
    page.screenshot(path=str(shots / "story.png"), full_page=True)
    # Evidence link to the article page, and back.
    link = conflict.locator('a.goto[href^="/article/es-diario-costa#s-"]').first
    link.click()
    page.wait_for_url("**/article/es-diario-costa#s-*")
    assert page.locator(".text mark, .text .ann.figure").count() > 0
    assert "unas 400 toneladas" in page.locator(".text").inner_text()
    page.screenshot(path=str(shots / "article.png"), full_page=True)
    page.click("text=← Back to the story")
    page.wait_for_url(f"**/story/{story}")
    assert page.locator("#matrix table").is_visible()
    assert not dialogs
    page.close()


def test_phone_width(browser: Browser, sample: tuple[str, str], shots: Path) -> None:
    base, story = sample
    page, _ = _page(browser, 375)
    for name, path in (("stories", "/"), ("story", f"/story/{story}"),
                       ("article", "/article/en-harbour-post")):  # fmt: skip
        page.goto(base + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{name} page is {width}px wide at 375px"
        page.screenshot(path=str(shots / f"{name}-375.png"), full_page=name != "story")
    page.close()


def _pwned(page: Page) -> Any:
    return page.evaluate("window.__pwned")


def test_hostile_articles_do_not_execute(
    browser: Browser, hostile: tuple[str, str], shots: Path
) -> None:
    base, story = hostile
    page, dialogs = _page(browser)
    urls = ["/", "/?q=crane", f"/story/{story}", "/article/hostile-0", "/article/hostile-1",
            "/story/%3Cscript%3Ealert(1)%3C%2Fscript%3E"]  # fmt: skip
    for n, path in enumerate(urls):
        response = page.goto(base + path)
        assert response is not None and response.headers["content-security-policy"] == CSP
        page.wait_for_load_state("load")
        page.mouse.move(200, 200)
        assert _pwned(page) is None, path
        assert page.locator('a[href^="javascript:" i]').count() == 0, path
        assert page.locator("img[src=x], svg[onload], [onmouseover], [onerror]").count() == 0
        scripts = page.locator("script").evaluate_all("els => els.map(e => e.src)")
        assert scripts == [f"{base}/static/app.js"], path
        page.screenshot(path=str(shots / f"hostile-{n}.png"), full_page=True)
    page.goto(base + "/article/hostile-0")
    assert "<script>" in page.locator("h1").inner_text()  # shown as text, not run
    page.goto(base + "/article/hostile-1")
    assert page.locator('a.ext[href^="https://gazette.example/"]').count() == 1
    assert not dialogs, dialogs
    page.close()


def test_chromium_is_required_in_ci() -> None:
    if os.environ.get("CI"):
        assert CHROMIUM.exists(), f"{CHROMIUM} is missing: `{INSTALL}`"
        assert shutil.which(str(CHROMIUM))
