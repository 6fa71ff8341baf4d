"""Edge cases of the web app and the Markdown report: odd numbers, redirects, Host
headers, the address served on and link schemes, each against the real app."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from newsprism.collection.ingest import ingest
from newsprism.report.markdown import render_markdown
from newsprism.store import Store
from newsprism.web import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from test_report import build_coverage

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "sample"
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("web-edges") / "web.db"
    with Store(path) as store:
        assert ingest([SAMPLE], store).ingested == 4
    return path


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db, None), base_url="http://127.0.0.1") as c:
        yield c


@pytest.mark.parametrize(
    "limit",
    [
        pytest.param("٣", id="arabic-indic-digit"),
        pytest.param("²", id="superscript"),
        pytest.param("3" * 4301, id="4301-digits"),
        pytest.param("0" * 5000 + "3" * 7, id="zeros-then-too-big"),
        pytest.param("1e3", id="exponent"),
    ],
)
def test_odd_limits_are_bad_requests(client: TestClient, limit: str) -> None:
    for path in ("/api/stories", "/api/search?q=Valencia"):
        sep = "&" if "?" in path else "?"
        r = client.get(f"{path}{sep}limit={limit}")
        assert r.status_code == 400, (path, r.text[:200])
        message = r.json()["error"]["message"]
        assert "is not a number from 1 to" in message and len(message) < 200


def test_leading_zeros_are_still_a_number(client: TestClient) -> None:
    assert client.get("/api/stories?limit=0005").status_code == 200


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("//evil.example/", "/evil.example/"),
        ("/\\evil.example/", "/evil.example/"),
        ("/story/x", "/story/x"),
    ],
)
def test_token_redirect_stays_on_the_app(db: Path, path: str, location: str) -> None:
    app = create_app(db, "s3cret")
    with TestClient(app, base_url="http://127.0.0.1") as c:
        r = c.get(f"http://127.0.0.1{path}?token=s3cret", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == location


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1:80@evil.example", "127.0.0.1:80/evil.example", "127.0.0.1:x", "evil.example"],
)
def test_host_check_refuses_smuggled_names(db: Path, host: str) -> None:
    with TestClient(create_app(db, None), base_url="http://127.0.0.1") as c:
        r = c.get("/api/stories", headers={"host": host})
    assert r.status_code == 400
    assert "is not served" in r.json()["error"]["message"]


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.1:8000", "localhost:1", "[::1]:80"])
def test_host_check_accepts_loopback_names_with_ports(db: Path, host: str) -> None:
    with TestClient(create_app(db, None), base_url="http://127.0.0.1") as c:
        assert c.get("/api/stories", headers={"host": host}).status_code == 200


def _free_port(host: str) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        port: int = s.getsockname()[1]
        return port


def test_serve_answers_on_another_loopback_address(db: Path) -> None:
    host = "127.0.0.2"
    try:
        port = _free_port(host)
    except OSError as err:  # pragma: no cover - a system without 127.0.0.0/8 on loopback
        pytest.skip(f"cannot listen on {host}: {err}")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cmd = [sys.executable, "-m", "newsprism", "serve", "--db", str(db), "--host", host,
           "--port", str(port)]  # fmt: skip
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://{host}:{port}/api/stories", timeout=5) as r:
                    status = r.status
                break
            except urllib.error.HTTPError as err:
                status = err.code
                break
            except OSError:
                assert proc.poll() is None, proc.communicate()
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.3)
        assert status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,<b>x</b>", "vbscript:x"],
)
def test_markdown_keeps_only_web_links(url: str) -> None:
    cov = build_coverage()
    first = replace(cov.articles[0], url=url)
    md = render_markdown(replace(cov, articles=(first, *cov.articles[1:])))
    assert url.strip().split(":")[0].lower() + ":" not in md.lower()
    assert "Kremlin calls up reservists" in md
    assert "https://" in render_markdown(cov)
