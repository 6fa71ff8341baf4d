"""``compare`` reads every input format exactly as ``ingest`` does.

Real files written here — CSV, RSS, Atom, WARC, gzip copies and a folder — are read by
the reader of ``compare`` (``read_all``, behind ``compare_paths`` and the CLI) and by the
reader of ``ingest`` (``read_files``, the task both engines run): the articles are the
rows, feed items, WARC pages and decompressed files, with the same ids, titles and
texts, never the raw text of the file. A bad record fails alone, with its reason.
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsprism.cli.main import main
from newsprism.collection.ingest import IngestOptions, ingest
from newsprism.collection.tasks import FileInput, read_files
from newsprism.model import Article
from newsprism.pipeline.run import PipelineOptions, compare_paths, read_all
from newsprism.read import ReadOptions
from newsprism.store import Store

TEXTS = {
    "wall": "The council approved a new sea wall costing 12 million euros on Friday, officials "
    "said. Work on the wall starts in May and should take two years.",
    "dune": "Volunteers planted 4,000 shrubs on the dunes north of the harbour on Saturday. "
    "The shrubs should hold the sand in place during the winter storms.",
    "storm": "More than 1,300 people were evacuated from the harbour district on Monday, the "
    "mayor said. Emergency crews worked through the night to reinforce the sea wall.",
    "ferry": "Ferry services resumed on Tuesday after the storm passed, the port authority "
    "said. Passengers queued for hours at the terminal before the first boat left.",
    "school": "Schools in the coastal towns reopened on Wednesday after two days of closures. "
    "Teachers said that about 40 pupils were still missing from their classes.",
    "bridge": "Engineers inspected the old bridge over the river on Thursday and found three "
    "cracks in its main arch. The bridge stays closed to lorries until further notice.",
    "market": "The Saturday market moved to the town square because the quay was flooded. "
    "Traders said that sales were down by a third compared with an ordinary week.",
    "power": "About 9,000 homes lost power on Monday night when the storm brought down "
    "lines near the coast. The grid operator restored most of them by Tuesday noon.",
    "museum": "The maritime museum closed its lower floor after water reached the basement. "
    "Staff moved about 200 paintings and models to the upper rooms overnight.",
    "farm": "Farmers on the marsh said that the flood had ruined most of the winter wheat. "
    "The agriculture ministry promised to assess the damage within a fortnight.",
    "train": "Trains between the harbour and the capital ran again on Wednesday morning. "
    "The rail company said that a landslide had blocked the line for two days.",
    "tide": "The spring tide reached its highest level in thirty years on Sunday evening. "
    "Forecasters expect the water to stay high until the middle of next week.",
}


def _csv() -> str:
    rows = [f'wall,Sea wall approved,"{TEXTS["wall"]}",2024-03-08', "empty,Nothing here,,"]
    rows.append(f'dune,Shrubs on the dunes,"{TEXTS["dune"]}",2024-03-09')
    return "id,title,text,published\n" + "\n".join(rows) + "\n"


def _rss(first: str, second: str) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Harbour Daily</title><link>https://harbour.example/</link>
<item><title>Title of {first}</title><link>https://harbour.example/{first}</link>
<pubDate>Mon, 04 Mar 2024 09:30:00 +0000</pubDate>
<description>&lt;p&gt;{TEXTS[first]}&lt;/p&gt;</description></item>
<item><title>Only a title</title><link>https://harbour.example/none</link></item>
<item><title>Title of {second}</title><link>https://harbour.example/{second}</link>
<description><![CDATA[<p>{TEXTS[second]}</p><script>var x = 1;</script>]]></description></item>
</channel></rss>"""


def _atom(key: str) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en"><title>Port News</title>
<entry><title>Title of {key}</title><link href="https://port.example/{key}"/>
<updated>2024-03-05T10:00:00Z</updated><summary>{TEXTS[key]}</summary></entry></feed>"""


def _page(key: str) -> bytes:
    return (
        f"<html><head><title>Title of {key}</title></head><body><nav>Home | World</nav>"
        f"<article><h1>Title of {key}</h1><p>{TEXTS[key]}</p></article></body></html>"
    ).encode()


def _warc(path: Path, keys: list[str]) -> None:
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for key in keys:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], "HTTP/1.1")
            record = writer.create_warc_record(
                f"https://news.example/{key}",
                "response",
                payload=io.BytesIO(_page(key)),
                http_headers=headers,
            )
            writer.write_record(record)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One file per format (a folder too), each with its own articles."""
    root = tmp_path_factory.mktemp("inputs")
    paths = {
        "csv": root / "rows.csv",
        "rss": root / "harbour.rss",
        "atom.gz": root / "port.atom.gz",
        "warc.gz": root / "crawl.warc.gz",
        "jsonl.gz": root / "notes.jsonl.gz",
        "txt.gz": root / "farm.txt.gz",
        "folder": root / "more",
    }
    paths["csv"].write_text(_csv(), encoding="utf-8")
    paths["rss"].write_text(_rss("storm", "ferry"), encoding="utf-8")
    paths["atom.gz"].write_bytes(gzip.compress(_atom("school").encode()))
    _warc(paths["warc.gz"], ["bridge", "market"])
    lines = [json.dumps({"id": k, "title": f"Title of {k}", "text": TEXTS[k]}) for k in ["power"]]
    paths["jsonl.gz"].write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    paths["txt.gz"].write_bytes(gzip.compress(f"Title of farm\n\n{TEXTS['farm']}\n".encode()))
    folder = paths["folder"]
    (folder / "deeper").mkdir(parents=True)
    (folder / "deeper" / "museum.txt").write_text(f"Title of museum\n\n{TEXTS['museum']}\n")
    (folder / "train.rss").write_text(_rss("train", "tide"))
    (folder / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # not a supported type: skipped
    (folder / ".hidden.txt").write_text(TEXTS["wall"])  # hidden: skipped
    return paths


def _key(article: Article) -> tuple[str, str, str, str]:
    return article.id, article.title, article.text, article.path or ""


def _ingest_read(paths: list[Path]) -> list[Article]:
    """The articles the ingest task reads from ``paths`` (folders walked as ingest does)."""
    from newsprism.read import collect_files

    files, _, _ = collect_files(paths)
    reads = read_files([FileInput(str(f)) for f in files], ReadOptions())
    return [a for r in reads for a in r.articles]


# --- the reader of compare is the reader of ingest --------------------------------------


@pytest.mark.parametrize("kind", ["csv", "rss", "atom.gz", "warc.gz", "jsonl.gz", "txt.gz"])
def test_compare_reads_each_format_as_ingest_does(inputs: dict[str, Path], kind: str) -> None:
    path = inputs[kind]
    articles, _, _ = read_all([path])
    assert articles
    assert [_key(a) for a in articles] == [_key(a) for a in _ingest_read([path])]
    for article in articles:
        assert article.path == str(path)
        assert "<" not in article.text and "id,title" not in article.text  # not the raw file
        assert article.text in TEXTS.values()  # the body of one row, item, page or record


def test_csv_rows_are_the_articles(inputs: dict[str, Path]) -> None:
    path = inputs["csv"]
    articles, failures, _ = read_all([path])
    assert [(a.id, a.title, a.text) for a in articles] == [
        ("wall", "Sea wall approved", TEXTS["wall"]),
        ("dune", "Shrubs on the dunes", TEXTS["dune"]),
    ]
    assert articles[0].published is not None and articles[0].published.isoformat() == "2024-03-08"
    assert [(f.path, "'text' is empty" in f.reason) for f in failures] == [(f"{path}:row 2", True)]


def test_feed_items_are_the_articles(inputs: dict[str, Path]) -> None:
    path = inputs["rss"]
    articles, failures, _ = read_all([path])
    assert [(a.id, a.title, a.text) for a in articles] == [
        ("harbour-1", "Title of storm", TEXTS["storm"]),
        ("harbour-3", "Title of ferry", TEXTS["ferry"]),
    ]
    assert [a.url for a in articles] == [
        "https://harbour.example/storm",
        "https://harbour.example/ferry",
    ]
    assert [f.path for f in failures] == [f"{path}:item 2"]
    assert "no description or content" in failures[0].reason and failures[0].hint


def test_warc_pages_and_gzip_copies_are_the_articles(inputs: dict[str, Path]) -> None:
    articles, failures, _ = read_all([inputs["warc.gz"], inputs["atom.gz"], inputs["txt.gz"]])
    assert not failures
    assert [(a.id, a.title, a.text) for a in articles] == [
        ("crawl-1", "Title of bridge", TEXTS["bridge"]),
        ("crawl-2", "Title of market", TEXTS["market"]),
        ("port-1", "Title of school", TEXTS["school"]),
        ("farm", "Title of farm", TEXTS["farm"]),
    ]
    assert articles[0].url == "https://news.example/bridge"


def test_a_folder_is_read_as_ingest_reads_it(inputs: dict[str, Path]) -> None:
    folder = inputs["folder"]
    articles, failures, warnings = read_all([folder])
    assert [_key(a) for a in articles] == [_key(a) for a in _ingest_read([folder])]
    assert [a.id for a in articles] == ["train-1", "train-3", "museum"]  # ingest's order
    assert [f.path for f in failures] == [f"{folder / 'train.rss'}:item 2"]
    assert warnings == ["2 files in folders skipped (hidden, or not of a supported type)"]


def test_an_empty_folder_and_a_missing_file_fail(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.bin").write_bytes(b"\x00\x01")
    articles, failures, _ = read_all([tmp_path / "empty", tmp_path / "gone.csv"])
    assert articles == []
    assert [f.path for f in failures] == [str(tmp_path / "empty"), str(tmp_path / "gone.csv")]
    assert "directory without files of a supported type" in failures[0].reason
    assert "file not found" in failures[1].reason


def test_shipped_bytes_are_read_as_the_file(inputs: dict[str, Path]) -> None:
    """The Dask engine ships a file's bytes: the same articles as from the file."""
    for kind in ("csv", "rss", "atom.gz", "warc.gz", "jsonl.gz", "txt.gz"):
        path = inputs[kind]
        (shipped,) = read_files([FileInput(str(path), path.read_bytes())], ReadOptions())
        (on_disk,) = read_files([FileInput(str(path))], ReadOptions())
        assert [_key(a) for a in shipped.articles] == [_key(a) for a in on_disk.articles], kind
        assert shipped.failures == on_disk.failures


# --- compare_paths, the CLI and a collection agree --------------------------------------


def _all(inputs: dict[str, Path]) -> list[Path]:
    return list(inputs.values())


@pytest.mark.slow
def test_compare_paths_compares_what_ingest_stores(inputs: dict[str, Path], tmp_path: Path) -> None:
    coverage = compare_paths(_all(inputs), PipelineOptions(cache=False))
    compared = sorted((a.id, a.title, a.text) for a in coverage.articles)
    assert sorted(text for _, _, text in compared) == sorted(TEXTS.values())
    assert {f.path for f in coverage.failures} == {
        f"{inputs['csv']}:row 2",
        f"{inputs['rss']}:item 2",
        f"{inputs['folder'] / 'train.rss'}:item 2",
    }
    with Store(tmp_path / "c.db") as store:
        options = IngestOptions(near_duplicates=None, stories=None)
        summary = ingest(_all(inputs), store, options)
        stored = sorted((a.id, a.title, a.text) for a in store)
    assert (summary.ingested, summary.duplicates, summary.skipped) == (len(TEXTS), 0, 2)
    assert stored == compared


@pytest.mark.slow
def test_cli_compare_reads_every_format(inputs: dict[str, Path]) -> None:
    result = CliRunner().invoke(
        main, ["compare", "--format", "json", *map(str, _all(inputs))], prog_name="newsprism"
    )
    assert result.exit_code == 1, result.stderr  # some records failed, the rest compared
    report = json.loads(result.stdout)
    expected = "wall dune harbour-1 harbour-3 port-1 crawl-1 crawl-2 power farm train-1 train-3"
    assert sorted(a["id"] for a in report["articles"]) == sorted([*expected.split(), "museum"])
    titles = {a["title"] for a in report["articles"]}
    assert "Title of storm" in titles and "Only a title" not in titles
    sentences = {s["text"] for f in report["facts"] for s in f["statements"]}
    assert not any("<" in s or "id,title" in s for s in sentences)
    failed = [line for line in result.stderr.splitlines() if line.startswith("failed: ")]
    assert f"failed: {inputs['csv']}: row 2: 'text' is empty" in "\n".join(failed)
    assert f"failed: {inputs['rss']}: item 2: no description or content" in "\n".join(failed)
    assert len(failed) == 3
