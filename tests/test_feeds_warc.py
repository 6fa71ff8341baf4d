"""RSS/Atom feed files and WARC files: real files written here, read by the real readers."""

from __future__ import annotations

import gzip
import io
from datetime import date
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsprism.collection.ingest import collect_files, ingest, read_file
from newsprism.errors import EmptyDocument, MalformedDocument
from newsprism.read import ReadOptions
from newsprism.read.feeds import html_to_text
from newsprism.store import Store

OPTS = ReadOptions(detect_language=False)

STORM = (
    "More than 1,300 people were evacuated from the harbour district on Monday, the mayor "
    "said. Emergency crews worked through the night to reinforce the sea wall."
)
FERRY = (
    "Ferry services resumed on Tuesday after the storm passed, the port authority said. "
    "Passengers queued for hours at the terminal before the first boat left."
)

RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Harbour Daily</title><link>https://harbour.example/</link><language>en</language>
  <item>
    <title>Storm closes the harbour</title>
    <link>https://www.harbour.example/news/storm</link>
    <pubDate>Mon, 04 Mar 2024 09:30:00 +0000</pubDate>
    <description>Short teaser only.</description>
    <content:encoded><![CDATA[<p>{STORM}</p><script>var x = 1;</script>
      <p>The mayor&nbsp;said more rain is due.</p>]]></content:encoded>
  </item>
  <item>
    <title>Ferries back</title>
    <link>https://harbour.example/news/ferry</link>
    <pubDate>not a date</pubDate>
    <description>&lt;p&gt;{FERRY}&lt;/p&gt;</description>
  </item>
  <item><title>Only a title</title><link>https://harbour.example/x</link></item>
</channel>
</rss>
"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>Port News</title>
  <link href="https://port.example/"/>
  <entry>
    <title type="html">Ferries &amp;amp; storms</title>
    <link rel="alternate" href="https://port.example/ferries"/>
    <link rel="self" href="https://port.example/feed/1"/>
    <updated>2024-03-05T10:00:00Z</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>{FERRY}</p></div></content>
  </entry>
  <entry>
    <title>Storm</title>
    <link href="https://port.example/storm"/>
    <published>2024-03-04</published>
    <summary>{STORM}</summary>
  </entry>
</feed>
"""

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">]>
<rss version="2.0"><channel><item><title>&lol2;</title><description>x</description></item>
</channel></rss>
"""


def page(title: str, body: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split(". "))
    return (
        f"<html><head><title>{title}</title></head><body><nav>Home | World</nav>"
        f"<article><h1>{title}</h1>{paragraphs}</article><footer>© 2024</footer></body></html>"
    )


# --- feeds ------------------------------------------------------------------------------


def test_rss_items_become_articles(tmp_path: Path) -> None:
    path = tmp_path / "harbour.rss"
    path.write_text(RSS, encoding="utf-8")
    result = read_file(path, OPTS)
    storm, ferry = result.articles
    assert storm.title == "Storm closes the harbour"
    assert storm.url == "https://www.harbour.example/news/storm"
    assert storm.source == "harbour.example"
    assert storm.published == date(2024, 3, 4)
    assert storm.language == "en"
    assert "1,300 people were evacuated" in storm.text
    assert "var x" not in storm.text and "teaser" not in storm.text  # content:encoded wins
    assert "mayor said more rain" in storm.text  # &nbsp; read, not an XML error
    assert ferry.text.startswith("Ferry services resumed") and "<p>" not in ferry.text
    assert ferry.published is None
    assert any("unreadable date 'not a date'" in w for w in result.warnings)
    assert [f.path for f in result.failures] == [f"{path}:item 3"]
    assert [a.id for a in result.articles] == ["harbour-1", "harbour-2"]


def test_atom_entries_become_articles(tmp_path: Path) -> None:
    path = tmp_path / "port.atom"
    path.write_text(ATOM, encoding="utf-8")
    ferries, storm = read_file(path, OPTS).articles
    assert ferries.title == "Ferries & storms"
    assert ferries.url == "https://port.example/ferries"  # the alternate link, not self
    assert ferries.published == date(2024, 3, 5)
    assert ferries.text.startswith("Ferry services resumed")
    assert ferries.language == "en"
    assert storm.url == "https://port.example/storm" and storm.published == date(2024, 3, 4)
    assert "1,300" in storm.text


def test_entity_declarations_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "laughs.xml"
    path.write_text(LAUGHS, encoding="utf-8")
    with pytest.raises(MalformedDocument, match="refused: the document declares a DOCTYPE"):
        read_file(path, OPTS)


@pytest.mark.parametrize(
    ("content", "error", "message"),
    [
        ("<rss><channel><item>", MalformedDocument, "invalid XML at line 1"),
        ("<html><body>hello</body></html>", MalformedDocument, "root element is <html>"),
        ("<rss><channel><title>x</title></channel></rss>", EmptyDocument, "no items"),
    ],
)
def test_bad_feeds_raise_typed_errors(
    tmp_path: Path, content: str, error: type[Exception], message: str
) -> None:
    path = tmp_path / "bad.xml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(error, match=message):
        read_file(path, OPTS)


def test_html_to_text_is_flat_for_deep_nesting() -> None:
    deep = "<div>" * 50_000 + "Deep text." + "</div>" * 50_000
    assert html_to_text(deep) == "Deep text."
    assert html_to_text("<p>One</p><p>Two &amp; three</p>") == "One\n\nTwo & three"
    assert html_to_text("plain &amp; simple") == "plain & simple"


def test_gzipped_feed_is_read(tmp_path: Path) -> None:
    path = tmp_path / "harbour.rss.gz"
    path.write_bytes(gzip.compress(RSS.encode("utf-8")))
    result = read_file(path, OPTS)
    assert len(result.articles) == 2
    assert result.articles[0].path == str(path)


# --- WARC -------------------------------------------------------------------------------


def write_warc(path: Path, compress: bool) -> None:
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=compress)
        request = writer.create_warc_record(
            "https://news.example/storm",
            "request",
            payload=io.BytesIO(b"GET /storm HTTP/1.1\r\nHost: news.example\r\n\r\n"),
        )
        writer.write_record(request)
        pages = [
            ("https://news.example/storm", "200 OK", "text/html; charset=windows-1252",
             page("Storm closes the harbour", STORM + " Café owners were évacués.")
             .encode("cp1252")),
            ("https://news.example/img.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n"),
            ("https://news.example/old", "301 Moved Permanently", "text/html", b"moved"),
            ("https://news.example/ferry", "200 OK", "text/html",
             page("Ferries back", FERRY).encode("utf-8")),
            ("https://news.example/empty", "200 OK", "text/html", b""),
        ]  # fmt: skip
        for uri, status, ctype, body in pages:
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body), http_headers=headers
            )
            writer.write_record(record)


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_html_responses_become_articles(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    write_warc(path, compress=name.endswith(".gz"))
    result = read_file(path, OPTS)
    storm, ferry = result.articles
    assert storm.url == "https://news.example/storm"
    assert storm.source == "news.example"
    assert storm.title == "Storm closes the harbour"
    assert "1,300 people were evacuated" in storm.text
    assert "Café owners were évacués" in storm.text  # the HTTP charset was used
    assert "Home | World" not in storm.text
    assert ferry.url == "https://news.example/ferry" and "Ferry services" in ferry.text
    assert storm.id == "crawl-2" and ferry.id == "crawl-5"
    assert storm.path == str(path)
    assert [f.path for f in result.failures] == [f"{path}:record 6"]  # the empty page
    assert "empty page" in result.failures[0].reason


def test_broken_warc_keeps_pages_read_before_the_break(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, compress=True)
    data = path.read_bytes()
    broken = b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 999\r\n\r\n<html>"
    path.write_bytes(data + broken)  # a record that breaks off after its first bytes
    result = read_file(path, OPTS)
    assert len(result.articles) == 2
    (failure,) = [f for f in result.failures if f.path == str(path)]
    assert "not a readable WARC file after 6 records" in failure.reason


def test_not_a_warc_is_malformed(tmp_path: Path) -> None:
    path = tmp_path / "fake.warc"
    path.write_text("this is not a WARC file at all\n", encoding="utf-8")
    with pytest.raises(MalformedDocument, match="not a WARC file"):
        read_file(path, OPTS)


def test_feeds_and_warcs_are_ingested(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "harbour.rss").write_text(RSS, encoding="utf-8")
    (root / "port.atom").write_text(ATOM, encoding="utf-8")
    write_warc(root / "crawl.warc.gz", compress=True)
    files, _, skipped = collect_files([root])
    assert len(files) == 3 and skipped == 0
    with Store(tmp_path / "c.db") as store:
        summary = ingest([root], store)
        urls = {a.url for a in store}
    # 2 RSS + 2 Atom + 2 WARC pages; the Atom ferry copies the RSS one word for word
    assert (summary.ingested, summary.duplicates, summary.failed) == (5, 1, 2)
    assert summary.failed == 2  # the RSS item without text, the empty WARC page
    assert {"https://news.example/storm", "https://port.example/storm"} <= urls


@pytest.mark.parametrize(
    ("fragment", "text"),
    [
        ("<p>one</p><![CDAStorm x<p>two</p>", "one\n\ntwo"),  # found by the fuzz script
        ("<![if !supportLists]>item<![endif]>", "item"),
        ("<!DOCTYPE html [<!X>]><p>ok</p>", "]>\n\nok"),
    ],
)
def test_html_to_text_skips_malformed_declarations(fragment: str, text: str) -> None:
    assert html_to_text(fragment) == text


def test_feed_bytes_are_parsed_without_a_file() -> None:
    result = read_file(ATOM.encode("utf-8"), OPTS, name="https://port.example/feed.atom")
    assert [a.url for a in result] == ["https://port.example/ferries", "https://port.example/storm"]
