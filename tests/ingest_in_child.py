"""Run ``newsprism ingest`` on a folder in a child process and measure its peak memory.

A small wrapper process starts the command and reads ``RUSAGE_CHILDREN``, so the peak is
that of the ingest alone (not of the test process, whose memory a forked child's
``ru_maxrss`` would include). ``address_cap`` limits the command's address space, so that
a regression runs out of it instead of the machine running out of memory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

WRAPPER = """
import resource, subprocess, sys
cap = int(sys.argv[1])
limit = (lambda: resource.setrlimit(resource.RLIMIT_AS, (cap, cap))) if cap else None
done = subprocess.run(sys.argv[2:], capture_output=True, text=True, timeout=240,
                      preexec_fn=limit)
sys.stderr.write(done.stderr)
sys.stdout.write(done.stdout)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
sys.stdout.write("\\nPEAK_RSS_MB %.1f\\n" % peak)
sys.exit(done.returncode)
"""


@dataclass(frozen=True)
class Batch:
    root: Path
    db: Path
    returncode: int
    stderr: str
    summary: dict[str, object]
    peak_rss_mb: float


def ingest_in_child(root: Path, db: Path, address_cap: int = 0) -> Batch:
    """``newsprism ingest ROOT --db DB --format json`` in a child process (0: no cap)."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    ingest = [sys.executable, "-m", "newsprism", "ingest", str(root), "--db", str(db)]
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, str(address_cap), *ingest, "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    out, _, peak = done.stdout.rpartition("PEAK_RSS_MB ")
    return Batch(root, db, done.returncode, done.stderr, json.loads(out), float(peak))
