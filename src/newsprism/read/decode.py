"""Bytes to text: BOMs, UTF-8/UTF-16, legacy code pages, binary sniffing, mojibake repair.

``decode_bytes`` uses a forced encoding when given; else the encoding the transport
declared (an HTTP ``charset``) when it decodes; else it tries, in order: a BOM (UTF-8,
UTF-16, UTF-32); UTF-16 without BOM (recognised by its NULs falling on one side of each
byte pair, in Latin, Cyrillic or Chinese text alike); strict UTF-8; lines partly in
UTF-8 and partly in one code page (each line decoded in its own, ``Decoded.mixed``);
then legacy single-byte code pages. For the last step the candidates proposed by
``charset_normalizer`` and a short list of common news code pages (cp1252, cp1250,
cp1251, koi8-r …) are decoded and scored by how plausible the letters look (one script
per word, letters from one alphabet, no case flips inside words, no control characters);
the best wins. ``fix_mojibake`` then repairs UTF-8 text that was once decoded as
cp1252/latin-1 (``Ã©`` → ``é``, ``Ð—ÐµÐ»`` → ``Зел``), line by line, with ``ftfy``'s
encoding fixes only (no other normalisation: quotes, ligatures, widths, line breaks and
HTML entities are left as they are).
"""

from __future__ import annotations

import codecs
import itertools
import re
import unicodedata
from dataclasses import dataclass

import ftfy

from newsprism.errors import BinaryFile, EmptyDocument, EncodingFailure

__all__ = ["Decoded", "decode_bytes", "fix_mojibake"]

# Encodings tried for non-UTF-8 input, in order of preference on a tie.
LEGACY = ("cp1252", "cp1250", "cp1251", "koi8_r", "koi8_u", "iso8859_2", "cp1257", "cp1253")

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF document"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"PK\x03\x04", "ZIP archive (or DOCX/ODT)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xd0\xcf\x11\xe0", "MS Office document"),
    (b"\x7fELF", "executable"),
    (b"SQLite format 3", "SQLite database"),
)

# Alphabets of the letters beyond ASCII that one language uses (for the plausibility score).
_ALPHABETS = (
    "àâæçéèêëîïôœùûüÿ",  # fr
    "áéíñóúü",  # es
    "äöüß",  # de
    "àèéìíòóù",  # it
    "áâãàçéêíóôõú",  # pt
    "čćđšž",  # sl, hr, bs, sr
    "áčďéěíňóřšťúůýž",  # cs, sk
    "ąćęłńóśźż",  # pl
    "áéíóöőúüű",  # hu
    "ăâîșțşţ",  # ro
    "åäöæø",  # nordic
    "āčēģīķļņšūž",  # lv
    "ąčęėįšųūž",  # lt
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў",  # Cyrillic
    "αβγδεζηθικλμνξοπρστυφχψωάέήίόύώϊϋΐΰς",  # Greek
)
_ODD = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd\u2500-\u259f¤¦¨¬¯´¸]")
_WORDS = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Decoded:
    """Decoded text, the encoding used, and whether mojibake was repaired."""

    text: str
    encoding: str
    repaired: bool = False
    mixed: bool = False  # lines in UTF-8 and lines in a code page (``encoding`` names both)


def sniff_binary(data: bytes) -> str | None:
    """A reason when ``data`` is not text (magic number, NUL bytes, control characters)."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    sample = data[:65536]
    if b"\x00" in sample:
        return "NUL bytes"
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    if sample and controls / len(sample) > 0.05:
        return "control characters"
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` for BOM-less UTF-16 text, else ``None``.

    The NUL bytes of UTF-16 fall on one side of each pair: every other byte in Latin
    text, the high byte of spaces, digits and punctuation in Cyrillic or Chinese text
    (whose letters have no NUL). A sample whose NULs are at least 5% of one side and
    four times those of the other is decoded, and kept when the result is plausible
    text (see :func:`_looks_like_text`).
    """
    if any(data.startswith(magic) for magic, _ in _MAGIC):
        return None
    sample = data[: min(len(data), 4096) // 2 * 2]
    if len(sample) < 4:
        return None
    half = len(sample) / 2
    even = sample[0::2].count(0) / half
    odd = sample[1::2].count(0) / half
    if odd >= 0.05 and odd >= 4 * even:
        encoding = "utf-16-le"
    elif even >= 0.05 and even >= 4 * odd:
        encoding = "utf-16-be"
    else:
        return None
    try:
        text = sample.decode(encoding)
    except UnicodeDecodeError:
        return None
    return encoding if _looks_like_text(text) else None


def _looks_like_text(text: str) -> bool:
    """No control, unassigned or private characters, at least half of it letters, and
    nine in ten letters from at most two scripts (random binary decoded as UTF-16 has
    letters of every script)."""
    letters: dict[str, int] = {}
    count = 0
    for ch in text:
        kind = unicodedata.category(ch)
        if kind in ("Cc", "Cn", "Co", "Cs") and ch not in "\t\n\r\f":
            return False
        if kind.startswith("L"):
            count += 1
            script = _script(ch)
            letters[script] = letters.get(script, 0) + 1
    if count < len(text.strip()) / 2:
        return False
    top = sorted(letters.values(), reverse=True)[:2]
    return sum(top) >= 0.9 * count


def _script(ch: str) -> str:
    if ch.isascii():
        return "LATIN"
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0] if name else "other"


def plausibility(text: str) -> float:
    """How much ``text`` looks like natural language: higher is better, 0 for ASCII only."""
    odd = len(_ODD.findall(text))
    flips = 0
    mixed = 0
    special: set[str] = set()
    for word in _WORDS.findall(text):
        if len({_script(ch) for ch in word}) > 1:
            mixed += 1
        flips += sum(1 for a, b in itertools.pairwise(word) if a.islower() and b.isupper())
        special.update(ch for ch in word.lower() if not ch.isascii())
    coverage = max((len(special & set(a)) for a in _ALPHABETS), default=0)
    missing = len(special) - coverage
    return -(5.0 * odd + 3.0 * mixed + 1.0 * flips + 2.0 * missing)


def _legacy(data: bytes, name: str) -> tuple[str, str]:
    candidates: list[str] = []
    try:
        import charset_normalizer

        for match in charset_normalizer.from_bytes(data[:200_000]):
            if match.encoding not in candidates:
                candidates.append(match.encoding)
            if len(candidates) >= 3:
                break
    except ImportError:  # pragma: no cover - charset_normalizer is a dependency of requests
        pass
    candidates += [enc for enc in LEGACY if enc not in candidates]
    best: tuple[float, int, str, str] | None = None
    for rank, enc in enumerate(candidates):
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        # Prefer our common code pages over exotic guesses on equal scores.
        tie = LEGACY.index(enc) if enc in LEGACY else len(LEGACY) + rank
        score = plausibility(text)
        if best is None or (score, -tie) > (best[0], -best[1]):
            best = (score, tie, enc, text)
    # Fail when, even at best, about every other word looks broken.
    if best is None or best[0] < -1.5 * max(1, len(_WORDS.findall(best[3]))):
        raise EncodingFailure(f"{name}: cannot decode: not UTF-8 and no code page fits")
    return best[3], codecs.lookup(best[2]).name


def decode_bytes(
    data: bytes, name: str, encoding: str | None = None, *, declared: str | None = None
) -> Decoded:
    """Decode the bytes of the file ``name`` (used in messages) to text.

    ``encoding`` is forced; ``declared`` (the charset a web server or a WARC record
    gives) is tried first and dropped for detection when it does not decode the bytes.
    Raises ``EmptyDocument`` (nothing but whitespace), ``BinaryFile`` and ``EncodingFailure``.
    """
    if encoding is None and declared is not None:
        try:
            return decode_bytes(data, name, declared)
        except EncodingFailure:
            pass  # a wrong or unknown charset label: detect instead
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as err:
            raise EncodingFailure(f"{name}: cannot decode as {encoding}: {err}") from err
        return _finish(text, encoding, name)
    for bom, enc in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return _finish(data.decode(enc), enc, name)
            except UnicodeDecodeError as err:
                raise EncodingFailure(f"{name}: invalid {enc} after its BOM: {err}") from err
    if not data.strip():
        raise EmptyDocument(f"{name}: empty file")
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        try:
            return _finish(data[: len(data) // 2 * 2].decode(utf16), utf16, name)
        except UnicodeDecodeError:
            pass
    kind = sniff_binary(data)
    if kind is not None:
        raise BinaryFile(f"{name}: binary file ({kind}), not text")
    try:
        return _finish(data.decode("utf-8"), "utf-8", name)
    except UnicodeDecodeError:
        pass
    mixed = _mixed_lines(data, name)
    if mixed is not None:
        decoded = _finish(*mixed, name)
        return Decoded(decoded.text, decoded.encoding, decoded.repaired, mixed=True)
    lossy = _mostly_utf8(data)
    if lossy is not None:
        return _finish(lossy, "utf-8", name)
    text, enc = _legacy(data, name)
    return _finish(text, enc, name)


def _foreign(line: bytes) -> int:
    """How many bytes of ``line`` are not UTF-8 when it holds no valid multi-byte UTF-8
    sequence at all (a line in a code page), else 0 (UTF-8, or UTF-8 with damage)."""
    text = line.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    if broken == 0 or any(ord(ch) > 0x7F and ch != "\ufffd" for ch in text):
        return 0
    return broken


def _mixed_lines(data: bytes, name: str) -> tuple[str, str] | None:
    """``(text, "utf-8+<code page>")`` for a file whose lines are partly UTF-8 (with
    letters beyond ASCII) and partly in one legacy code page, each line decoded in the
    encoding it fits; ``None`` for anything else."""
    lines = data.split(b"\n")
    foreign = {i: n for i, line in enumerate(lines) if (n := _foreign(line))}
    if sum(foreign.values()) < 3:
        return None
    utf8 = [line for i, line in enumerate(lines) if i not in foreign]
    if not any(max(line, default=0) > 0x7F for line in utf8):
        return None
    try:
        _, encoding = _legacy(b"\n".join(lines[i] for i in foreign), name)
    except EncodingFailure:
        return None
    text = "\n".join(
        line.decode(encoding) if i in foreign else line.decode("utf-8", errors="replace")
        for i, line in enumerate(lines)
    )
    return text, f"utf-8+{encoding}"


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 text with a few broken bytes, each broken sequence as U+FFFD; else ``None``.

    Legacy code pages almost never form valid multi-byte UTF-8 sequences, so text where
    valid ones outnumber broken ones three to one is UTF-8 damaged in a few places (a
    bad copy, a cut sequence), not a code page: decoding it as one would garble every
    non-ASCII letter.
    """
    text = data[:1_000_000].decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    valid = sum(1 for ch in text if ord(ch) > 0x7F) - broken
    if valid < 3 or valid < 3 * broken:
        return None
    return data.decode("utf-8", errors="replace")


def _finish(text: str, encoding: str, name: str) -> Decoded:
    if not text.strip():
        raise EmptyDocument(f"{name}: empty file (only whitespace)")
    fixed = fix_mojibake(text)
    return Decoded(fixed, encoding, fixed != text)


# --- mojibake -------------------------------------------------------------------------

# ftfy's encoding repairs only: the text is otherwise left exactly as it was decoded.
_ENCODING_FIXES = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)


def fix_mojibake(text: str) -> str:
    """Repair UTF-8 that was decoded as cp1252/latin-1 (``Ã©`` → ``é``), also twice over
    (``ÃƒÂ©``), line by line, with ``ftfy``; ordinary accented text is left alone."""
    return ftfy.fix_text(text, _ENCODING_FIXES)
