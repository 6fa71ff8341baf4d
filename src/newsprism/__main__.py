"""``python -m newsprism``: the same as the ``newsprism`` command."""

from __future__ import annotations

from newsprism.cli.main import main

if __name__ == "__main__":
    main(prog_name="newsprism")
