"""``newsprism serve``: the web UI and JSON API over a collection (docs/web.md)."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import click

from newsprism.cli.common import EXIT_USAGE, db_option, echo_err, open_collection

__all__ = ["register"]

_LOOPBACK_NAMES = {"localhost"}


def is_loopback(host: str) -> bool:
    """Whether ``host`` only listens on this machine (127.0.0.0/8, ::1, localhost)."""
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def register(main: click.Group) -> None:
    """Add ``serve`` to the ``newsprism`` command group."""

    @main.command("serve")
    @db_option
    @click.option("--host", default="127.0.0.1", show_default=True,
                  help="Address to listen on; anything but loopback needs --token.")  # fmt: skip
    @click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
                  help="Port to listen on.")  # fmt: skip
    @click.option("--token", metavar="T", envvar="NEWSPRISM_TOKEN",
                  help="Require this token on every request (also $NEWSPRISM_TOKEN).")  # fmt: skip
    def serve_command(db: Path, host: str, port: int, token: str | None) -> None:
        """Serve a web UI and a JSON API over the collection: stories, each story's
        coverage diff, articles with their annotations, and full-text search.

        Listens on 127.0.0.1 by default. Another address exposes the collection to
        the network and is refused without --token.
        """
        import uvicorn

        from newsprism.web import create_app

        if not is_loopback(host) and not token:
            echo_err(
                f"error: --host {host} makes the collection reachable from other machines"
                " (hint: add --token SECRET, or keep the default --host 127.0.0.1)"
            )
            raise SystemExit(EXIT_USAGE)
        open_collection(db).close()
        from newsprism.web.app import LOOPBACK_HOSTS

        # without a token only loopback names are served: the address served on is one
        app = create_app(db, token, hosts=None if token else (*LOOPBACK_HOSTS, host))
        shown = f"[{host}]" if ":" in host else host
        url = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
        click.echo(f"serving {db} at {url}")
        if token:
            click.echo("every request needs the token: open the URL above once in a browser")
        click.echo("press Ctrl+C to stop")
        uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
