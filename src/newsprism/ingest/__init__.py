"""Ingest: read article files (text, HTML, JSON, JSONL) and clean their bodies."""

from newsprism.ingest.clean import CleanOptions, clean_text
from newsprism.ingest.decode import Decoded, decode_bytes, fix_mojibake
from newsprism.ingest.readers import FileTooLarge, ReadOptions, ReadResult, read_path, read_paths

__all__ = [
    "CleanOptions",
    "Decoded",
    "FileTooLarge",
    "ReadOptions",
    "ReadResult",
    "clean_text",
    "decode_bytes",
    "fix_mojibake",
    "read_path",
    "read_paths",
]
