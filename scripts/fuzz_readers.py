"""Fuzz the readers and the cleaning stage with generated and mutated inputs.

    python scripts/fuzz_readers.py [--count N] [--seed S] [--out DIR] [--format text|json]

Each input is random bytes, a seed document of one of the supported formats (text,
HTML, JSON, JSONL, CSV, RSS, Atom, WARC, and gzip copies) mutated in one to four ways
(bit flips, byte changes, truncation, inserted NULs, repeated or spliced slices,
re-encoding in another encoding, inserted HTML/JSON/XML fragments), or a random string.
It is written to a temporary file with one of the supported extensions and read with
:func:`newsprism.read.read_file` (the one reader of every format: text, HTML, JSON,
JSONL, CSV, feeds, WARC, and gunzipping), and its text goes through ``decode_bytes`` and
``clean_text``.

A crash is any exception that is not a ``newsprism.errors.NewsprismError`` (typed input
errors are the expected answer to bad input), or an input that takes longer than
``--timeout`` seconds. Each distinct crash (exception type and place) is reported with
a reproducer file in ``--out`` and the command that replays it. Exit status: 0 when
nothing crashed, 1 on any crash, 2 on a usage error. The run is deterministic for a
given ``--seed``.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import random
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsprism.errors import NewsprismError  # noqa: E402
from newsprism.read import ReadOptions, clean_text, decode_bytes, read_file  # noqa: E402

EXTENSIONS = (".txt", ".html", ".json", ".jsonl", ".csv", ".rss", ".atom", ".xml", ".warc",
              ".warc.gz", ".txt.gz", ".html.gz", ".jsonl.gz", ".csv.gz", ".rss.gz")  # fmt: skip
ENCODINGS = ("utf-8", "utf-16", "utf-16-le", "utf-32", "cp1252", "cp1251", "koi8_r",
             "latin-1", "shift_jis", "gb18030", "utf-8-sig", "iso8859_7")  # fmt: skip
FRAGMENTS = (b"<div>" * 300, b"</p>" * 50, b"<![CDATA[", b"]]>", b"<!DOCTYPE x [<!ENTITY a 'b'>]>",
             b"&nbsp;&amp;&#0;&#x110000;&#xD800;&bogus;", b'{"text": ', b'"}', b"[[[[[[[[" * 40,
             b"\x00" * 8, b"\xef\xbb\xbf", b"\xff\xfe", b"\r\r\n\n", "\u2028\u2029\u200b".encode(),
             b"<?xml version='1.0' encoding='x-bogus'?>", b"<script>", b"<style>", b"<!--",
             b"WARC/1.0\r\nContent-Length: 99999999\r\n\r\n", b"\x1f\x8b\x08\x00", b'"',
             b"Content-Type: text/html; charset=\xff\r\n", b"<item><title>t</title></item>",
             b"\xed\xa0\x80", "Ã©Ã¨ Ð—ÐµÐ» â€™".encode(), b"(Photo: AFP)\n",
             b"1e999999")  # fmt: skip

ARTICLE = (
    "Storm closes the harbour\n\n"
    "More than 1,300 people were evacuated from the harbour district on Monday, the mayor "
    'said. "We are ready for the worst," Mayor Anna Berg told reporters.\n\n'
    "(Photo: Reuters) Read more: Ferry services resume\n\n"
    "Le port a rouvert mardi après la tempête. Совет депутатов утвердил строительство дамбы.\n"
)


class Timeout(Exception):
    """An input took longer than the time limit."""


def _warc(body: bytes) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        "https://news.example/a", "response", payload=io.BytesIO(body), http_headers=headers
    )
    writer.write_record(record)
    return out.getvalue()


def seed_documents() -> dict[str, bytes]:
    """One small valid document per format (keyed by extension)."""
    title, _, body = ARTICLE.partition("\n\n")
    paras = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    html = (
        f"<html><head><title>{title}</title></head><body><article>{paras}</article></body></html>"
    )
    record = {"id": "a", "title": title, "text": body, "url": "https://news.example/a",
              "published": "2024-03-04", "language": "en"}  # fmt: skip
    rss = (
        '<?xml version="1.0"?><rss version="2.0"><channel><language>en</language><item>'
        f"<title>{title}</title><link>https://news.example/a</link>"
        "<pubDate>Mon, 04 Mar 2024 09:30:00 +0000</pubDate>"
        f"<description><![CDATA[{paras}]]></description></item></channel></rss>"
    )
    atom = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>t</title>'
        '<link href="https://news.example/a"/><updated>2024-03-04T10:00:00Z</updated>'
        f'<content type="html">{paras.replace("<", "&lt;")}</content></entry></feed>'
    )
    quoted = body.replace('"', '""')
    csv = f'id,title,text,url\na,"{title}","{quoted}",https://news.example/a\n'
    docs = {
        ".txt": ARTICLE.encode(),
        ".html": html.encode(),
        ".json": json.dumps(record).encode(),
        ".jsonl": (json.dumps(record) + "\n" + json.dumps({**record, "id": "b"}) + "\n").encode(),
        ".csv": csv.encode(),
        ".rss": rss.encode(),
        ".atom": atom.encode(),
        ".warc": _warc(html.encode()),
    }
    for extra in sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))[:2]:
        docs[f".txt#{extra.stem}"] = extra.read_bytes()[:20_000]
    return docs


# --- mutation ---------------------------------------------------------------------------


def _mutate_once(rng: random.Random, data: bytes, docs: list[bytes]) -> bytes:
    op = rng.randrange(9)
    n = len(data)
    pos = rng.randint(0, n)
    if op == 0 and n:  # bit flips
        buf = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            i = rng.randrange(n)
            buf[i] ^= 1 << rng.randrange(8)
        return bytes(buf)
    if op == 1 and n:  # random bytes overwritten
        buf = bytearray(data)
        for _ in range(rng.randint(1, 16)):
            buf[rng.randrange(n)] = rng.randrange(256)
        return bytes(buf)
    if op == 2:  # truncation
        return data[:pos] if rng.random() < 0.7 else data[pos:]
    if op == 3:  # NULs
        return data[:pos] + b"\x00" * rng.randint(1, 4) + data[pos:]
    if op == 4:  # a fragment of markup or an odd sequence
        return data[:pos] + rng.choice(FRAGMENTS) + data[pos:]
    if op == 5 and n:  # a repeated slice
        start = rng.randrange(n)
        piece = data[start : start + rng.randint(1, 200)]
        return data[:pos] + piece * rng.randint(2, 50) + data[pos:]
    if op == 6:  # splice with another document
        other = rng.choice(docs)
        return data[:pos] + other[rng.randint(0, len(other)) :]
    if op == 7:  # re-encode
        text = data.decode("utf-8", errors="replace")
        return text.encode(rng.choice(ENCODINGS), errors="replace")
    if op == 8:  # gzip or damage a gzip stream
        packed = gzip.compress(data, mtime=0)
        return packed[: rng.randint(0, len(packed))] if rng.random() < 0.5 else packed
    return data


def _random_text(rng: random.Random) -> str:
    alphabet = "aé Ж中\n\t.!?«»\"'()<>&;:#0123456789\u00a0\u200b\u2028\r\ufeff\ud7ff"
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 400)))


def generate(rng: random.Random, docs: dict[str, bytes]) -> tuple[str, bytes]:
    """An ``(extension, bytes)`` input."""
    kind = rng.random()
    if kind < 0.1:
        return rng.choice(EXTENSIONS), rng.randbytes(rng.randint(0, 2000))
    if kind < 0.15:
        return rng.choice(EXTENSIONS), _random_text(rng).encode("utf-8", "surrogatepass")
    key = rng.choice(sorted(docs))
    data = docs[key]
    for _ in range(rng.randint(1, 4)):
        data = _mutate_once(rng, data, list(docs.values()))
    base = key.split("#", 1)[0]
    if rng.random() < 0.2:
        ext = rng.choice(EXTENSIONS)  # the wrong extension for the content
    elif rng.random() < 0.15 and base != ".warc":
        ext, data = base + ".gz", gzip.compress(data, mtime=0)
    else:
        ext = base
    return ext, data


# --- running ----------------------------------------------------------------------------


@dataclass
class Crash:
    key: str
    error: str
    ext: str
    data: bytes
    count: int = 1
    target: str = ""


@dataclass
class Report:
    inputs: int = 0
    typed_errors: int = 0
    read_ok: int = 0
    crashes: dict[str, Crash] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def crash_count(self) -> int:
        return sum(c.count for c in self.crashes.values())


def _key(err: BaseException) -> str:
    frames = traceback.extract_tb(err.__traceback__)
    where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
    return f"{type(err).__name__} at {where}"


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise Timeout("input took too long")


Target = Callable[[Path, bytes], object]


def _read(path: Path, data: bytes) -> object:
    return read_file(path, OPTIONS)


def _decode_and_clean(path: Path, data: bytes) -> object:
    try:
        text = decode_bytes(data, path.name).text
    except NewsprismError:
        text = data.decode("utf-8", errors="replace")
    return clean_text(text)


OPTIONS = ReadOptions(detect_language=False)
TARGETS: dict[str, Target] = {"read_file": _read, "clean_text": _decode_and_clean}


def fuzz(count: int, seed: int, timeout: float, targets: dict[str, Target] | None = None) -> Report:
    """Throw ``count`` inputs at every target; crashes are collected, not raised."""
    rng = random.Random(seed)
    docs = seed_documents()
    report = Report()
    started = time.perf_counter()
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    try:
        with tempfile.TemporaryDirectory(prefix="newsprism-fuzz-") as folder:
            for i in range(count):
                ext, data = generate(rng, docs)
                path = Path(folder) / f"input-{i}{ext}"
                path.write_bytes(data)
                report.inputs += 1
                for name, target in (targets or TARGETS).items():
                    signal.setitimer(signal.ITIMER_REAL, timeout)
                    try:
                        target(path, data)
                        report.read_ok += name == "read_file"
                    except NewsprismError:
                        report.typed_errors += 1
                    except (Exception, RecursionError, Timeout) as err:
                        key = f"{name}: {_key(err)}"
                        if key in report.crashes:
                            report.crashes[key].count += 1
                        else:
                            message = f"{type(err).__name__}: {err}"[:300]
                            report.crashes[key] = Crash(key, message, ext, data, target=name)
                    finally:
                        signal.setitimer(signal.ITIMER_REAL, 0)
                path.unlink()
    finally:
        signal.signal(signal.SIGALRM, previous)
    report.seconds = time.perf_counter() - started
    return report


def save(report: Report, out: Path) -> list[dict[str, object]]:
    """Write one reproducer file per distinct crash; their descriptions."""
    found: list[dict[str, object]] = []
    for n, crash in enumerate(report.crashes.values(), start=1):
        out.mkdir(parents=True, exist_ok=True)
        file = out / f"crash-{n}{crash.ext}"
        file.write_bytes(crash.data)
        call = (
            f"from newsprism.read import ReadOptions, read_file; "
            f"read_file('{file}', ReadOptions(detect_language=False))"
            if crash.target == "read_file"
            else "from pathlib import Path; from newsprism.read import clean_text; "
            f"clean_text(Path('{file}').read_bytes().decode('utf-8', 'replace'))"
        )
        found.append({"crash": crash.key, "count": crash.count, "error": crash.error,
                      "file": str(file), "reproduce": f'python -c "{call}"'})  # fmt: skip
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="inputs to generate")
    parser.add_argument("--seed", type=int, default=0, help="random seed")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per input")
    parser.add_argument("--out", type=Path, default=Path("fuzz-crashes"), help="reproducers")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    args = parser.parse_args(argv)
    if args.count < 1 or args.timeout <= 0:
        parser.error("--count and --timeout must be positive")
    report = fuzz(args.count, args.seed, args.timeout)
    crashes = save(report, args.out)
    if args.format == "json":
        summary = {"inputs": report.inputs, "read_ok": report.read_ok,
                   "typed_errors": report.typed_errors, "crashes": report.crash_count,
                   "distinct": crashes, "seconds": round(report.seconds, 1)}  # fmt: skip
        print(json.dumps(summary, indent=2))
    else:
        for crash in crashes:
            print(f"CRASH {crash['crash']} ×{crash['count']}: {crash['error']}")
            print(f"  reproduce: {crash['reproduce']}")
        print(
            f"{report.inputs} inputs, {report.read_ok} read, {report.typed_errors} typed "
            f"errors, {report.crash_count} crashes ({len(crashes)} distinct) "
            f"in {report.seconds:.1f} s"
        )
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
