"""The `newsprism` command: one module per group of subcommands, each parsing its
arguments, making one library call and rendering the result."""

from newsprism.cli.main import main

__all__ = ["main"]
