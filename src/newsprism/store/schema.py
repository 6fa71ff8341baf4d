"""The collection's schema, as versioned migrations.

``MIGRATIONS[i]`` is the SQL script that takes the database from version ``i`` to
``i + 1``. Applied versions are recorded in ``schema_migrations``; each migration runs
in its own ``BEGIN IMMEDIATE`` transaction (:mod:`newsprism.store.transaction`)
together with its bookkeeping row, so a failing script leaves the database exactly as
it was, and two processes opening the same new file never apply a migration twice.
Migrations are append-only: never edit one that has shipped, add a new one.
``docs/schema.md`` describes the tables.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime

from newsprism.errors import SchemaError
from newsprism.store.transaction import immediate_transaction

__all__ = ["MIGRATIONS", "applied_versions", "migrate", "schema_version"]


_V1 = """
CREATE TABLE articles (
    id           TEXT PRIMARY KEY,
    source       TEXT,
    url          TEXT,
    title        TEXT NOT NULL DEFAULT '',
    language     TEXT,
    published    TEXT,                         -- ISO date (YYYY-MM-DD)
    content_hash TEXT NOT NULL UNIQUE,         -- blake2b-128 of text, hex
    text         TEXT NOT NULL,                -- the cleaned body; offsets point into it
    path         TEXT,
    removed      TEXT NOT NULL DEFAULT '[]',   -- JSON array: what cleaning removed
    ingested_at  TEXT NOT NULL                 -- ISO 8601 UTC timestamp
);
CREATE INDEX articles_source ON articles (source);
CREATE INDEX articles_language ON articles (language);
CREATE INDEX articles_published ON articles (published);

CREATE TABLE sentences (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    start      INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    text       TEXT NOT NULL,
    heading    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, idx)
);

CREATE TABLE mentions (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    start      INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    text       TEXT NOT NULL,
    base       TEXT,
    label      TEXT NOT NULL,
    sentence   INTEGER NOT NULL,
    PRIMARY KEY (article_id, idx)
);
CREATE INDEX mentions_text ON mentions (text);
CREATE INDEX mentions_base ON mentions (base);

CREATE TABLE quantities (
    article_id     TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    idx            INTEGER NOT NULL,
    start          INTEGER NOT NULL,
    "end"          INTEGER NOT NULL,
    text           TEXT NOT NULL,
    value          REAL NOT NULL,
    low            REAL,                       -- NULL: unbounded below (-inf)
    high           REAL,                       -- NULL: unbounded above (+inf)
    low_inclusive  INTEGER NOT NULL,
    high_inclusive INTEGER NOT NULL,
    unit           TEXT,
    counted        TEXT,
    qualifier      TEXT NOT NULL,
    sentence       INTEGER NOT NULL,
    PRIMARY KEY (article_id, idx)
);

CREATE TABLE quotes (
    article_id    TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    idx           INTEGER NOT NULL,
    start         INTEGER NOT NULL,
    "end"         INTEGER NOT NULL,
    text          TEXT NOT NULL,
    direct        INTEGER NOT NULL,
    speaker       TEXT,
    speaker_start INTEGER NOT NULL,
    speaker_end   INTEGER NOT NULL,
    cue           TEXT,
    sentence      INTEGER NOT NULL,
    PRIMARY KEY (article_id, idx)
);
CREATE INDEX quotes_speaker ON quotes (speaker);

CREATE TABLE dates (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    start      INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    text       TEXT NOT NULL,
    value      TEXT,                           -- ISO date, NULL when unresolved
    sentence   INTEGER NOT NULL,
    PRIMARY KEY (article_id, idx)
);

CREATE TABLE failures (
    id     INTEGER PRIMARY KEY,
    path   TEXT NOT NULL,
    reason TEXT NOT NULL,
    hint   TEXT NOT NULL DEFAULT '',
    at     TEXT NOT NULL,                      -- ISO 8601 UTC timestamp of the last try
    UNIQUE (path, reason)
);

CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, text,
    content=[articles],
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text)
        VALUES ('delete', old.rowid, old.title, old.text);
END;
CREATE TRIGGER articles_au AFTER UPDATE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text)
        VALUES ('delete', old.rowid, old.title, old.text);
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
"""

_V2_NEAR_DUPLICATES = """
CREATE TABLE minhash (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    scheme     TEXT NOT NULL,                  -- shingling and hashing parameters
    signature  BLOB NOT NULL                   -- MinHash values, little-endian uint32
);

CREATE TABLE minhash_bands (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    band       INTEGER NOT NULL,
    key        INTEGER NOT NULL,               -- 64-bit hash of the band's values
    PRIMARY KEY (band, key, article_id)
) WITHOUT ROWID;
CREATE INDEX minhash_bands_article ON minhash_bands (article_id);

CREATE TABLE near_duplicates (
    article_id   TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    duplicate_of TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    similarity   REAL NOT NULL,                -- estimated Jaccard similarity, 0..1
    PRIMARY KEY (article_id, duplicate_of)
);
CREATE INDEX near_duplicates_of ON near_duplicates (duplicate_of);
"""

_V3_ENTITIES_AND_VECTORS = """
CREATE TABLE entities (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL,                        -- the canonical (first full) name
    type TEXT NOT NULL                         -- PERSON, ORG, LOC, NORP or MISC
);

CREATE TABLE entity_aliases (
    entity_id INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    alias     TEXT NOT NULL,                   -- a surface form (or lemma) as written
    tokens    TEXT NOT NULL,                   -- its ASCII, lower-cased name tokens
    ntokens   INTEGER NOT NULL,
    PRIMARY KEY (entity_id, alias)
);
CREATE INDEX entity_aliases_tokens ON entity_aliases (tokens);
CREATE INDEX entity_aliases_ntokens ON entity_aliases (ntokens);

CREATE TABLE mention_entities (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,               -- the mention's idx in mentions
    entity_id  INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, idx)
);
CREATE INDEX mention_entities_entity ON mention_entities (entity_id);

CREATE TABLE sentence_embeddings (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,               -- the sentence's idx in sentences
    model      TEXT NOT NULL,                  -- which embedder made the vector
    vector     BLOB NOT NULL,                  -- little-endian float32, L2-normalised
    PRIMARY KEY (article_id, idx, model)
);
CREATE INDEX sentence_embeddings_model ON sentence_embeddings (model);
"""

_V4_STORIES = """
CREATE TABLE story_docs (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    language   TEXT NOT NULL,
    published  TEXT,                           -- ISO date
    anchor     INTEGER,                        -- the year the article is about
    terms      TEXT NOT NULL,                  -- JSON {word: weight}, L2-normalised
    names      TEXT NOT NULL,                  -- JSON {name: weight}, L2-normalised
    vector     BLOB NOT NULL                   -- little-endian float32, L2-normalised
);

CREATE TABLE stories (
    id          TEXT PRIMARY KEY,              -- st-<hash of the founding article id>
    title       TEXT NOT NULL DEFAULT '',
    founder     TEXT NOT NULL,                 -- the article that started it
    first_seen  TEXT,                          -- ISO date of the oldest dated article
    last_seen   TEXT,                          -- ISO date of the newest dated article
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    merged_into TEXT REFERENCES stories (id)   -- set when merged into an older story
);

CREATE TABLE story_articles (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    story_id   TEXT NOT NULL REFERENCES stories (id),
    score      REAL NOT NULL,
    reason     TEXT NOT NULL
);
CREATE INDEX story_articles_story ON story_articles (story_id);

CREATE TABLE story_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT NOT NULL,
    kind       TEXT NOT NULL,                  -- created | joined | merged
    story_id   TEXT NOT NULL,
    other_id   TEXT,                           -- merged: the story merged into story_id
    article_id TEXT,
    score      REAL NOT NULL,
    reason     TEXT NOT NULL
);
CREATE INDEX story_events_story ON story_events (story_id);
"""

MIGRATIONS: tuple[str, ...] = (
    _V1,
    _V2_NEAR_DUPLICATES,
    _V3_ENTITIES_AND_VECTORS,
    _V4_STORIES,
)

_BOOKKEEPING = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    applied_at TEXT NOT NULL
)
"""


def split_statements(script: str) -> list[str]:
    """The statements of ``script``, split where SQLite says a statement is complete
    (so trigger bodies with their inner ``;`` stay whole)."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    leftover = [ln for ln in buffer.splitlines() if ln.strip() and not ln.strip().startswith("--")]
    if leftover:
        raise SchemaError(f"incomplete SQL statement in migration: {buffer.strip()[:60]!r}")
    return statements


def applied_versions(conn: sqlite3.Connection) -> list[int]:
    """Versions recorded in ``schema_migrations`` (empty for a new database)."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
    ).fetchone()
    if exists is None:
        return []
    return [row[0] for row in conn.execute("SELECT version FROM schema_migrations ORDER BY 1")]


def schema_version(conn: sqlite3.Connection) -> int:
    """The highest applied migration (0 for a new database)."""
    versions = applied_versions(conn)
    return versions[-1] if versions else 0


def migrate(conn: sqlite3.Connection, migrations: Sequence[str] = MIGRATIONS) -> list[int]:
    """Apply the pending ``migrations`` in order; return the versions applied now.

    ``conn`` must be in autocommit mode (``isolation_level=None``) so that the
    transactions here are the only ones. Raises :class:`SchemaError` when the database
    is newer than ``migrations`` or a script fails (that migration is rolled back).
    """
    if conn.in_transaction:
        raise SchemaError("migrate() needs a connection outside any transaction")
    conn.execute(_BOOKKEEPING)
    current = schema_version(conn)
    if current > len(migrations):
        raise SchemaError(
            f"the database has schema version {current}; this newsprism knows up to "
            f"{len(migrations)}",
            "upgrade newsprism to open this collection",
        )
    done: list[int] = []
    for version, script in enumerate(migrations, start=1):
        if version in applied_versions(conn):  # cheap check before taking the write lock
            continue
        began = False
        try:
            with immediate_transaction(conn):
                began = True
                if version not in applied_versions(conn):  # another process may have won
                    for statement in split_statements(script):
                        conn.execute(statement)
                    conn.execute(
                        "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                        (version, datetime.now(UTC).isoformat(timespec="seconds")),
                    )
                    done.append(version)
        except sqlite3.Error as err:
            if not began:  # no write lock (a busy or unreadable file): not the script's fault
                raise
            raise SchemaError(f"migration {version} failed: {err}") from err
    return done
