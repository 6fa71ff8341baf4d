"""The web app over the shipped sample: every page and API route, errors, security."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import click
import pytest
from click.testing import CliRunner

from newsprism.collection import Collection
from newsprism.collection.ingest import ingest
from newsprism.collection.stories import list_stories
from newsprism.report import render
from newsprism.report.html import anchor, coverage_css
from newsprism.store import Store

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


from newsprism.web import create_app
from newsprism.web.app import CSP

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "sample"
BASE = "http://127.0.0.1"
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("web") / "web.db"
    with Store(path) as store:
        summary = ingest([SAMPLE], store)
        assert summary.ingested == 4
        # An old id that was merged into the live story, to check the redirect.
        live = list_stories(store)[0].id
        store.connection.execute(
            "INSERT INTO stories (id, title, founder, created_at, updated_at, merged_into)"
            " VALUES ('st-merged', 'old', 'x', 'now', 'now', ?)",
            (live,),
        )
    return path


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db, None), base_url=BASE) as c:
        yield c


@pytest.fixture(scope="module")
def story_id(db: Path) -> str:
    with Store(db) as store:
        return list_stories(store)[0].id


def _error(body: dict[str, object], status: int) -> None:
    error = body["error"]
    assert isinstance(error, dict)
    assert error["status"] == status
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["hint"], str) and error["hint"]


def test_stories_page_lists_the_story_with_filters(client: TestClient, story_id: str) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert r.headers["content-security-policy"] == CSP
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert f'href="/story/{story_id}"' in r.text
    assert "4</strong> articles" in r.text and "independent source" in r.text
    for code in ("de", "en", "es", "fr"):
        assert f'<option value="{code}"' in r.text
    assert "2025-10-14" in r.text
    assert "<script>" not in r.text and 'src="/static/app.js"' in r.text
    assert "1 story" in client.get("/?language=fr").text
    assert "0 stories" in client.get("/?language=ru").text
    assert "0 stories" in client.get("/?since=2030-01-01").text
    assert "1 story" in client.get("/?until=2025-10-14").text


def test_search_page_links_articles_and_stories(client: TestClient, story_id: str) -> None:
    r = client.get("/", params={"q": "Kovalenko"})
    assert r.status_code == 200
    assert "<mark>Kovalenko</mark>" in r.text
    assert 'href="/article/en-harbour-post"' in r.text
    assert f'href="/story/{story_id}"' in r.text
    bad = client.get("/", params={"since": "yesterday"})
    assert bad.status_code == 400
    _error(bad.json(), 400)


def test_story_page_shows_the_conflict_side_by_side(client: TestClient, story_id: str) -> None:
    r = client.get(f"/story/{story_id}")
    assert r.status_code == 200
    text = r.text
    conflicts = text.index('id="conflicts"')
    shared = text.index('id="shared"')
    unique = text.index('id="unique"')
    assert conflicts < shared < unique < text.index('id="matrix"')
    block = text[conflicts:shared]
    assert "<mark>unas 400 toneladas</mark>" in block
    assert "<mark>près de 2 000 tonnes</mark>" in block
    assert "cannot both be true" in block
    assert block.count("<blockquote") >= 3
    assert 'href="/article/es-diario-costa#s-' in block
    for section in ("entities", "quotes", "timeline", "history"):
        assert f'id="{section}"' in text
    assert "Kovalenko" in text[text.index('id="entities"') :]
    assert "Oleksandr Kovalenko" in text[text.index('id="quotes"') :]
    history = text[text.index('id="history"') :]
    assert "joined" in history and "average link" in history
    timeline = text[text.index('id="timeline"') : text.index('id="history"')]
    assert timeline.index("2025-10-14") < timeline.index("2025-10-15")


def test_story_page_shows_the_coverage_view_of_the_library(
    client: TestClient, db: Path, story_id: str
) -> None:
    """One HTML renderer: the facts, matrix, entities and quotes of the story page are those
    of `render(coverage, "html")` for the story's coverage, with links to the article pages
    instead of links inside the page."""
    with Collection(db) as collection:
        coverage = collection.story(story_id).coverage
    page = client.get(f"/story/{story_id}").text

    def view(html: str) -> str:
        return html[html.index('<section id="conflicts">') : html.index('<section id="timeline">')]

    def in_page(link: re.Match[str]) -> str:
        return f'href="#article-{anchor(unquote(link.group(1)))}"'

    ours = view(page)
    assert 'href="/article/' in ours
    assert re.sub(r'href="/article/([^"#]+)(?:#s-\d+)?"', in_page, ours) == view(
        render(coverage, "html")
    )


def test_merged_story_id_redirects_to_the_live_story(client: TestClient, story_id: str) -> None:
    r = client.get("/story/st-merged", follow_redirects=False)
    assert r.status_code == 308 and r.headers["location"] == f"/story/{story_id}"
    api = client.get("/api/stories/st-merged", follow_redirects=False)
    assert api.status_code == 308 and api.headers["location"] == f"/api/stories/{story_id}"


def test_article_page_marks_annotations_and_links_facts(client: TestClient, story_id: str) -> None:
    r = client.get("/article/es-diario-costa")
    assert r.status_code == 200
    assert 'class="ann entity"' in r.text and 'class="ann quote"' in r.text
    assert re.search(r'<a class="ann figure"[^>]*href="/story/st-[0-9a-f]+#fact-F\d+"', r.text)
    assert 'id="s-0"' in r.text
    assert f'href="/story/{story_id}">← Back to the story' in r.text


def test_api_routes(client: TestClient, story_id: str) -> None:
    stories = client.get("/api/stories").json()["stories"]
    assert [s["id"] for s in stories] == [story_id]
    assert stories[0]["articles"] == 4 and stories[0]["languages"] == ["de", "en", "es", "fr"]
    assert client.get("/api/stories", params={"language": "ru"}).json() == {"stories": []}
    story = client.get(f"/api/stories/{story_id}").json()
    assert story["story"] == story_id and len(story["articles"]) == 4
    statuses = [f["status"] for f in story["coverage"]["facts"]]
    assert "conflict" in statuses and story["events"][0]["kind"] == "created"
    article = client.get("/api/articles/en-harbour-post").json()
    assert article["story"] == story_id
    for q in article["quantities"]:
        assert article["text"][q["start"] : q["end"]] == q["text"]
    assert article["quotes"] and article["mentions"] and article["sentences"]
    hits = client.get("/api/search", params={"q": "Kovalenko"}).json()
    assert hits["query"] == "Kovalenko"
    assert {h["id"] for h in hits["hits"]} >= {"en-harbour-post"}
    assert all(h["story"] == story_id for h in hits["hits"])


def test_api_keys_come_in_their_documented_order(client: TestClient, story_id: str) -> None:
    story = client.get(f"/api/stories/{story_id}").json()
    assert list(story) == [
        "story", "requested", "title", "articles", "compared", "events", "coverage"
    ]  # fmt: skip
    assert list(story["articles"][0])[:2] == ["id", "title"]
    assert list(story["coverage"]) == [
        "articles", "facts", "entities", "quotes", "quantities", "dates", "failures",
        "warnings", "summary",
    ]  # fmt: skip
    article = client.get("/api/articles/fr-le-littoral").json()
    assert list(article)[:3] == ["id", "text", "title"] and list(article)[-1] == "story"
    assert "info" not in article and "coverage" not in article
    (hit, *_) = client.get("/api/search", params={"q": "Kovalenko"}).json()["hits"]
    assert list(hit)[:2] == ["id", "title"] and list(hit)[-3:] == ["snippet", "score", "story"]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/nope", 404),
        ("GET", "/api/stories/st-none", 404),
        ("GET", "/api/articles/none", 404),
        ("GET", "/story/st-none", 404),
        ("GET", "/article/none", 404),
        ("GET", "/api/search", 400),
        ("GET", "/api/stories?since=soon", 400),
        ("GET", "/api/stories?limit=0", 400),
        ("POST", "/api/stories", 405),
        ("DELETE", "/story/x", 405),
    ],
)
def test_errors_have_one_shape(client: TestClient, method: str, path: str, status: int) -> None:
    r = client.request(method, path)
    assert r.status_code == status
    assert r.headers["content-security-policy"] == CSP
    _error(r.json(), status)


def test_browsers_get_an_html_error_page(client: TestClient) -> None:
    r = client.get("/story/st-none", headers={"accept": "text/html"})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "no such story" in r.text


def test_server_errors_have_the_error_shape(db: Path, tmp_path: Path) -> None:
    app = create_app(db, None)
    app.state.db = tmp_path / "gone.db"  # the collection disappears under the server
    with TestClient(app, base_url=BASE, raise_server_exceptions=False) as c:
        r = c.get("/api/stories")
    assert r.status_code == 500 and r.headers["content-security-policy"] == CSP
    _error(r.json(), 500)


def test_static_files(client: TestClient) -> None:
    css = client.get("/static/style.css")
    assert css.status_code == 200 and "text/css" in css.headers["content-type"]
    view = client.get("/static/coverage.css")  # the stylesheet of the coverage view
    assert view.status_code == 200 and "text/css" in view.headers["content-type"]
    assert view.text == coverage_css() and ".fact.conflict" in view.text
    assert ".fact{" not in css.text and "header.top" in css.text
    assert client.get("/static/app.js").headers["content-security-policy"] == CSP


def test_token_is_required_when_set(db: Path) -> None:
    with TestClient(create_app(db, "s3cret"), base_url="http://example.test") as c:
        r = c.get("/api/stories")
        assert r.status_code == 401 and r.headers["content-security-policy"] == CSP
        _error(r.json(), 401)
        assert c.get("/", params={"token": "wrong"}).status_code == 401
        auth = {"Authorization": "Bearer s3cret"}
        assert c.get("/api/stories", headers=auth).status_code == 200
        r = c.get("/?token=s3cret&language=en", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/?language=en"
        assert "newsprism_token=s3cret" in r.headers["set-cookie"]
        assert "httponly" in r.headers["set-cookie"].lower()
        c.cookies.set("newsprism_token", "s3cret")
        assert c.get("/api/stories").status_code == 200


def test_without_token_only_loopback_names_are_served(db: Path) -> None:
    with TestClient(create_app(db, None), base_url="http://evil.example") as c:
        r = c.get("/api/stories")
    assert r.status_code == 400
    _error(r.json(), 400)


def test_story_html_is_one_self_contained_file(db: Path, story_id: str, tmp_path: Path) -> None:
    from newsprism.cli.main import main

    out = tmp_path / "story.html"
    args = ["story", story_id, "--db", str(db), "--format", "html", "-o", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "<style>" in html and "<mark>unas 400 toneladas</mark>" in html
    assert not re.search(r'(src|href)="(https?:)?//', html.replace('class="ext" href', ""))
    assert "<script" not in html and 'rel="stylesheet"' not in html
    assert 'href="#article-es-diario-costa"' in html and 'id="article-es-diario-costa"' in html


def _serve_group() -> click.Group:
    from newsprism.cli.serve import register

    @click.group()
    def main() -> None:
        """newsprism"""

    register(main)
    return main


def test_serve_refuses_other_hosts_without_token(db: Path) -> None:
    result = CliRunner().invoke(_serve_group(), ["serve", "--db", str(db), "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "--token" in result.output and "hint" in result.output


def test_serve_needs_an_existing_collection(tmp_path: Path) -> None:
    result = CliRunner().invoke(_serve_group(), ["serve", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2 and "no collection here" in result.output


def test_loopback_hosts() -> None:
    from newsprism.cli.serve import is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert is_loopback("127.0.0.2") and not is_loopback("0.0.0.0")
    assert not is_loopback("192.168.1.2") and not is_loopback("example.org")
