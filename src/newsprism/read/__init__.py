"""Reading articles from every input format, and cleaning their bodies.

:func:`read_file` is the one entry point: a file path (or the bytes of a document and
its name) of any supported format — text, HTML, JSON, JSONL, CSV, RSS/Atom, WARC, and
gzip copies of these — becomes a :class:`ReadResult` of articles, failures of single
records, and warnings. :func:`read_paths` reads many files and folders.
"""

from newsprism.errors import FileTooLarge
from newsprism.read.articles import ReadOptions, ReadResult
from newsprism.read.clean import CleanOptions, clean_text
from newsprism.read.decode import Decoded, decode_bytes, fix_mojibake
from newsprism.read.files import SUPPORTED_SUFFIXES, collect_files, read_file, read_paths

__all__ = [
    "SUPPORTED_SUFFIXES",
    "CleanOptions",
    "Decoded",
    "FileTooLarge",
    "ReadOptions",
    "ReadResult",
    "clean_text",
    "collect_files",
    "decode_bytes",
    "fix_mojibake",
    "read_file",
    "read_paths",
]
