"""Run the quality evaluations named in the baseline and fail on any drop below a floor.

    python scripts/quality_gate.py [--baseline quality/baseline.json] [--tasks T ...]
                                   [--update] [--allow-lower "reason"] [--format text|json]

Data paths in the baseline are relative to the repository root. Tasks whose evaluation
module does not exist are skipped with a note. Exit status: 0 when every gated metric is
at or above ``floor - noise``, 1 on any drop, 2 on a usage error. ``--update`` records the
new measurements and raises floors to them; it lowers a floor only with
``--allow-lower REASON``, and records each lowering in the baseline's ``lowered`` list.
See docs/quality/gate.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsprism.evaluate import gate  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, default=ROOT / "quality" / "baseline.json")
    parser.add_argument("--tasks", nargs="+", help="Only these tasks (default: all).")
    parser.add_argument("--update", action="store_true", help="Record and raise floors.")
    parser.add_argument("--allow-lower", metavar="REASON", help="Let --update lower floors.")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    args = parser.parse_args(argv)
    if args.allow_lower is not None and (not args.update or not args.allow_lower.strip()):
        parser.error("--allow-lower needs --update and a non-empty reason")

    baseline = gate.load_baseline(args.baseline)
    names = gate.tasks_of(baseline)
    if args.tasks:
        unknown = sorted(set(args.tasks) - set(names))
        if unknown:
            parser.error(f"not in the baseline: {', '.join(unknown)}")
        names = [name for name in names if name in args.tasks]
    present, missing = gate.available_tasks(names, baseline)

    started = time.perf_counter()
    results = gate.run_tasks(baseline, ROOT, present)
    seconds = time.perf_counter() - started
    report = gate.rows(baseline, results)
    failures = gate.check(baseline, results)

    if args.format == "json":
        payload = {
            "rows": [row.__dict__ for row in report],
            "failures": [str(f) for f in failures],
            "skipped": missing,
            "seconds": round(seconds, 1),
        }
        print(json.dumps(payload, indent=2, allow_nan=False))
    else:
        print(gate.table(report))
        for name in missing:
            print(f"skipped {name}: evaluation module not available")
        print(f"ran {', '.join(present) or 'nothing'} in {seconds:.1f} s")
        for failure in failures:
            print(f"FAIL {failure}")

    if args.update:
        new = gate.update(baseline, results, allow_lower=args.allow_lower)
        if new != baseline:
            gate.save_baseline(args.baseline, new)
            print(f"updated {args.baseline}", file=sys.stderr)
        failures = gate.check(new, results)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
