"""``newsprism serve``: a local web UI and JSON API over a collection.

:func:`create_app` builds the Starlette app; :func:`render_story_document` renders
a story as one self-contained HTML file with the same templates.
"""

from __future__ import annotations

from newsprism.web.app import create_app
from newsprism.web.render import render_story_document

__all__ = ["create_app", "render_story_document"]
