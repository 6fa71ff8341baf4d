"""Ingest: read article files (text, HTML, JSON, JSONL) and clean their bodies."""

from newsprism.read.clean import CleanOptions, clean_text
from newsprism.read.decode import Decoded, decode_bytes, fix_mojibake
from newsprism.read.readers import FileTooLarge, ReadOptions, ReadResult, read_path, read_paths

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
