"""No whole-run crash: hostile records, file names and a full disk end in failures with
a reason (or one ``error:`` line), and the exit code tells "some inputs failed" (1),
usage errors (2) and internal errors (3) apart.

Every input is built here; the commands are the real ones (``CliRunner`` on the real
``newsprism`` group, or a subprocess), the store a real SQLite file.
"""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from newsprism.cli.common import remember_db
from newsprism.cli.exits import CommandGroup
from newsprism.cli.main import main
from newsprism.collection.ingest import IngestOptions, ingest
from newsprism.errors import MalformedDocument, StoreError, printable
from newsprism.model import Article
from newsprism.read import ReadOptions, collect_files, read_file
from newsprism.read.json_values import MAX_JSON_DEPTH, load_json
from newsprism.store import Store, storage_error

ROOT = Path(__file__).resolve().parents[1]
FAST = ReadOptions(detect_language=False)
STORY = (
    "The port authority said on Monday that {n} ferries had been cancelled because of the"
    " storm, and that the harbour of Kastrena would stay closed until Wednesday morning."
)


def good(n: int) -> str:
    return json.dumps({"id": f"good-{n}", "language": "en", "text": STORY.format(n=n)})


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), prog_name="newsprism")


def stored_ids(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY id")]


def failure_paths(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [r[0] for r in conn.execute("SELECT path FROM failures ORDER BY path")]


# --- 1. lone surrogates ------------------------------------------------------------------

SURROGATE_RECORD = '{"id": "odd", "language": "en", "text": "The mayor \\ud800 said on Monday'
SURROGATE_RECORD += ' that the harbour of Kastrena would reopen after the storm had passed."}'


def test_a_lone_surrogate_is_replaced_with_a_warning() -> None:
    result = read_file(f"[{good(1)}, {SURROGATE_RECORD}]".encode(), FAST, name="s.json")
    assert [a.id for a in result] == ["good-1", "odd"]
    assert "The mayor \ufffd said" in result[1].text
    assert result.warnings == ("s.json: record 2: 1 lone surrogate replaced by U+FFFD",)
    result[1].text.encode("utf-8")  # storable and printable text


@pytest.mark.slow
def test_ingest_and_compare_go_on_past_a_lone_surrogate(tmp_path: Path) -> None:
    (tmp_path / "s.jsonl").write_text(f"{good(1)}\n{SURROGATE_RECORD}\n{good(2)}\n")
    db = tmp_path / "c.db"
    done = invoke("ingest", str(tmp_path / "s.jsonl"), "--db", str(db))
    assert done.exit_code == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "s.jsonl: line 2: 1 lone surrogate replaced by U+FFFD" in done.stderr
    assert stored_ids(db) == ["good-1", "good-2", "odd"]
    compared = invoke("compare", str(tmp_path / "s.jsonl"), "--format", "json")
    assert compared.exit_code == 0, compared.stderr
    assert len(json.loads(compared.stdout)["articles"]) == 3


class _Pages(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = f"[{good(3)}, {SURROGATE_RECORD}]".encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def json_server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_fetch_goes_on_past_a_lone_surrogate(tmp_path: Path, json_server: str) -> None:
    db = tmp_path / "c.db"
    done = invoke("fetch", f"{json_server}/news.json", "--db", str(db), "--allow-private")
    assert done.exit_code == 0, done.stderr
    assert "Traceback" not in done.stderr
    with sqlite3.connect(db) as conn:
        texts = [r[0] for r in conn.execute("SELECT text FROM articles ORDER BY id")]
    assert len(texts) == 2
    assert any("The mayor \ufffd said" in text for text in texts)


# --- 2. file names -----------------------------------------------------------------------


def test_a_name_that_is_not_utf8_and_a_link_loop_fail_alone(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(STORY.format(n=4))
    with open(os.fsencode(folder) + b"/bad\xff.txt", "wb") as f:
        f.write(STORY.format(n=5).encode())
    (folder / "loop.txt").symlink_to("loop.txt")
    (folder / "a.txt").symlink_to("b.txt")
    (folder / "b.txt").symlink_to("a.txt")
    files, failures, _ = collect_files([folder])
    assert files == [folder / "good.txt"]
    assert [(f.path, f.reason) for f in failures] == [
        (f"{folder}/a.txt", f"{folder}/a.txt: a loop of symbolic links"),
        (f"{folder}/b.txt", f"{folder}/b.txt: a loop of symbolic links"),
        (f"{folder}/bad\\xff.txt", f"{folder}/bad\\xff.txt: the file name is not valid UTF-8"),
        (f"{folder}/loop.txt", f"{folder}/loop.txt: a loop of symbolic links"),
    ]
    db = tmp_path / "c.db"
    done = invoke("ingest", str(folder), "--db", str(db), "--language", "en")
    assert done.exit_code == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert f"failed: {folder}/bad\\xff.txt: the file name is not valid UTF-8" in done.stderr
    assert stored_ids(db) == ["good"]
    assert f"{folder}/bad\\xff.txt" in failure_paths(db)


def test_a_file_name_cannot_forge_lines_on_stderr(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(STORY.format(n=6))
    (folder / "x\nfailed: forged\x1b[31m.txt").write_text("")  # empty: a failure naming it
    done = invoke("ingest", str(folder), "--db", str(tmp_path / "c.db"), "--language", "en")
    assert done.exit_code == 1
    lines = done.stderr.splitlines()
    assert [line for line in lines if "forged" in line] == [
        f"failed: {folder}/x\\nfailed: forged\\x1b[31m.txt: empty file"
        " (hint: the file has no article text; leave it out or fix the export)"
    ]
    assert not any(line.startswith("failed: forged") for line in lines)


def test_printable_escapes_what_could_forge_a_line() -> None:
    assert printable("plain é 中文") == "plain é 中文"
    assert printable("a\nb\r\x1b[2J\t\u2028\u202e") == "a\\nb\\r\\x1b[2J\\t\\u2028\\u202e"
    assert printable(os.fsdecode(b"bad\xff.txt")) == "bad\\xff.txt"


# --- 3. a full disk ----------------------------------------------------------------------


def _capped_store(path: Path) -> Store:
    """A real collection whose file cannot grow more than a few pages."""
    store = Store(path)
    (pages,) = store.connection.execute("PRAGMA page_count").fetchone()
    store.connection.execute(f"PRAGMA max_page_count = {pages + 6}")
    return store


def _fill(store: Store) -> None:
    for n in range(200):
        store.add(Article(f"a{n}", STORY.format(n=n) * 20, language="en"))


def test_a_full_disk_keeps_the_real_error_and_the_stored_articles(tmp_path: Path) -> None:
    store = _capped_store(tmp_path / "full.db")
    with pytest.raises(sqlite3.OperationalError, match="database or disk is full") as raised:
        _fill(store)
    assert not store.connection.in_transaction  # rolled back, no "cannot rollback"
    kept = [a.id for a in store.articles()]
    assert kept  # what was committed before is kept
    assert store.check() == []
    error = storage_error(raised.value, store.path)
    assert isinstance(error, StoreError)
    assert error.message == f"{store.path}: cannot use the collection: database or disk is full"
    assert "free some disk space" in error.hint
    assert storage_error(ValueError("a bug")) is None
    store.close()


def test_ingest_on_a_full_disk_raises_the_real_error(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(12):
        (folder / f"{n:02}.txt").write_text(STORY.format(n=n) * 30)
    store = _capped_store(tmp_path / "full.db")
    opts = IngestOptions(stories=None, near_duplicates=None)
    with pytest.raises(sqlite3.OperationalError, match="database or disk is full"):
        ingest([folder], store, opts)
    store.close()


def test_a_full_disk_is_one_error_line_from_any_command(tmp_path: Path) -> None:
    @click.group(cls=CommandGroup)
    @click.option("--debug", is_flag=True)
    def cli(debug: bool) -> None:
        pass

    @cli.command()
    @click.option("--db", type=click.Path(path_type=Path), callback=remember_db)
    def fill(db: Path) -> None:
        _fill(_capped_store(db))

    done = CliRunner().invoke(cli, ["fill", "--db", str(tmp_path / "full.db")])
    assert done.exit_code == 2
    assert done.stderr.splitlines() == [
        f"error: {tmp_path / 'full.db'}: cannot use the collection: database or disk is full"
        " (hint: free some disk space (or raise the quota) and run the command again;"
        " what was stored before is kept)"
    ]


@pytest.mark.slow
def test_ingest_that_cannot_write_exits_2_with_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(40):
        (folder / f"{n:02}.txt").write_text(STORY.format(n=n) * 30)
    db = tmp_path / "c.db"

    def cap() -> None:  # files of this process may not grow past 1 MB
        resource.setrlimit(resource.RLIMIT_FSIZE, (1_000_000, 1_000_000))

    command = ["ingest", str(folder), "--db", str(db), "--language", "en"]
    done = subprocess.run(
        [sys.executable, "-m", "newsprism", *command],
        capture_output=True,
        text=True,
        preexec_fn=cap,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        timeout=300,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    (line,) = [x for x in done.stderr.splitlines() if x.startswith("error:")]
    assert line.startswith(f"error: {db}: cannot use the collection: disk I/O error (hint: ")
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_met_by_any_write_is_one_error_line() -> None:
    @click.group(cls=CommandGroup)
    def cli() -> None:
        pass

    @cli.command()
    def write() -> None:
        with open("/dev/full", "w") as f:  # every write: "No space left on device"
            f.write("x" * 100_000)

    done = CliRunner().invoke(cli, ["write"])
    assert done.exit_code == 2
    assert done.stderr.splitlines() == [
        "error: No space left on device"
        " (hint: free some disk space (or raise the quota), then run the command again)"
    ]


# --- 4. exit codes -----------------------------------------------------------------------

BUG = """
import sys
from newsprism.cli.main import main

@main.command("boom")
def boom() -> None:
    {}.get("a")["b"]  # a bug: TypeError

@main.command("stop")
def stop() -> None:
    raise KeyboardInterrupt  # as Ctrl-C does

main(sys.argv[1:], prog_name="newsprism")
"""


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", BUG, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        timeout=120,
    )


def test_an_internal_error_exits_3_with_one_line() -> None:
    done = _run("boom")
    assert done.returncode == 3
    assert done.stderr.splitlines() == [
        "internal error: TypeError: 'NoneType' object is not subscriptable;"
        " run again with --debug for the traceback"
    ]


def test_debug_shows_the_traceback_of_an_internal_error() -> None:
    done = _run("--debug", "boom")
    assert done.returncode == 3
    assert done.stderr.startswith("Traceback (most recent call last):")
    assert ", in boom\n" in done.stderr
    assert "TypeError: 'NoneType' object is not subscriptable\n" in done.stderr
    assert done.stderr.splitlines()[-1].startswith("internal error: TypeError:")


def test_ctrl_c_exits_130_with_one_line() -> None:
    done = _run("stop")
    assert (done.returncode, done.stderr) == (130, "interrupted\n")


def test_exit_codes_1_and_2_are_unchanged(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "a.txt").write_text(STORY.format(n=1))
    some = invoke("ingest", str(tmp_path), "--db", str(tmp_path / "c.db"), "--language", "en")
    assert some.exit_code == 1
    assert invoke("ingest", "--no-such-option", "x").exit_code == 2
    assert invoke("articles", "--db", str(tmp_path / "none.db")).exit_code == 2
    unknown = invoke("compare", str(tmp_path / "a.txt"), "--language", "qq")
    assert unknown.exit_code == 2 and "'qq' is not an ISO 639 language code" in unknown.stderr


# --- 5. one bad record fails alone ---------------------------------------------------------


def test_one_bad_line_of_ten_thousand_fails_alone() -> None:
    lines = [good(n) for n in range(10_000)]
    lines[6] = '{"text": "A record with a number for its language.", "language": 5}'
    result = read_file("\n".join(lines).encode(), FAST, name="big.jsonl")
    assert len(result) == 9_999
    (failure,) = result.failures
    assert failure.path == "big.jsonl:line 7"
    assert failure.reason == "big.jsonl: line 7: 'language' is not a string (5)"


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ('{"text": "Some words here.", "language": 5}', "'language' is not a string (5)"),
        ('{"text": "Some words here.", "language": "qq"}', "unknown language code 'qq'"),
        ('{"text": "Some words here.", "language": ["en"]}', "'language' is not a string"),
        ('{"text": "Some words here.", "id": ' + "7" * 5000 + "}", "'id' is an integer of 5000"),
        ('{"text": "x", "a": ' + "[" * 1500 + "]" * 1500 + "}", "JSON nested 1501 levels deep"),
        ('{"text": "Some words here.", "title": ', "invalid JSON at line 3"),
        ("[1, 2]", "expected a JSON object, got list"),
    ],
)
def test_a_bad_jsonl_record_fails_alone_with_its_line(record: str, reason: str) -> None:
    text = "\n".join([good(1), good(2), record, good(3)])
    result = read_file(text.encode(), FAST, name="f.jsonl")
    assert [a.id for a in result] == ["good-1", "good-2", "good-3"]
    (failure,) = result.failures
    assert failure.path == "f.jsonl:line 3"
    assert failure.reason.startswith("f.jsonl: ")
    assert reason in failure.reason


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ('{"text": "Some words here.", "language": 5}', "'language' is not a string (5)"),
        ('{"text": "Some words here.", "lang": "zz-ZZ"}', "unknown language code 'zz-ZZ'"),
        ('{"text": "Words.", "id": ' + "7" * 5000 + "}", "'id' is an integer of 5000 digits"),
        ("7" * 5000, "expected a JSON object, got an integer of 5000 digits"),
    ],
)
def test_a_bad_record_of_a_json_array_fails_alone(record: str, reason: str) -> None:
    result = read_file(f"[{good(1)}, {record}, {good(2)}]".encode(), FAST, name="f.json")
    assert [a.id for a in result] == ["good-1", "good-2"]
    (failure,) = result.failures
    assert failure.path == "f.json:record 2"
    assert failure.reason == f"f.json: record 2: {reason}"


def test_a_bad_csv_row_fails_alone() -> None:
    rows = ["id,text,language", f"a,{STORY.format(n=1)!r},en", "b,Some words here.,qq"]
    rows.append(f"c,{STORY.format(n=2)!r},")
    result = read_file("\n".join(rows).encode(), FAST, name="f.csv")
    assert [a.id for a in result] == ["a", "c"]
    (failure,) = result.failures
    assert failure.path == "f.csv:row 2"
    assert failure.reason == "f.csv: row 2: unknown language code 'qq'"


def test_json_nested_too_deep_is_a_failure_not_a_recursion_error(tmp_path: Path) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    with pytest.raises(MalformedDocument, match=r"nested 100000 levels deep \(the limit is 256"):
        read_file(deep.encode(), FAST, name="deep.json")
    assert load_json("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH, "ok") is not None
    assert load_json('["' + "[" * 5000 + '"]', "brackets in a string") == ["[" * 5000]
    (tmp_path / "deep.txt").write_text('{"a": ' + "[" * 5000 + "]" * 5000 + "}")
    (tmp_path / "deep.json").write_text(deep)
    done = invoke("compare", str(tmp_path / "deep.json"), str(tmp_path / "deep.txt"))
    assert "Traceback" not in done.stderr and "RecursionError" not in done.stderr
    assert f"failed: {tmp_path / 'deep.json'}: JSON nested 100000 levels deep" in done.stderr


def test_ingest_stores_the_good_records_of_a_file_with_bad_ones(tmp_path: Path) -> None:
    lines = [good(n) for n in range(6)]
    lines[1] = '{"text": "A record with a number for its language.", "language": 5}'
    lines[3] = '{"text": "A record in an unknown language.", "language": "qq"}'
    lines[4] = '{"text": "x", "n": ' + "9" * 5000 + "}"
    (tmp_path / "f.jsonl").write_text("\n".join(lines) + "\n")
    db = tmp_path / "c.db"
    done = invoke("ingest", str(tmp_path / "f.jsonl"), "--db", str(db))
    assert done.exit_code == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert stored_ids(db) == ["good-0", "good-2", "good-5"]
    name = tmp_path / "f.jsonl"
    assert failure_paths(db) == [f"{name}:line 2", f"{name}:line 4", f"{name}:line 5"]
