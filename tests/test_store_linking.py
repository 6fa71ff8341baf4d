"""Collection-wide linking through the in-memory alias index gives exactly the results
of the reference algorithm (a scan of every alias per mention), kept here."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import pytest

from newsprism.collection.entities import EntityLinker, link_missing, link_stored
from newsprism.link.names import LinkOptions, name_tokens, names_match, tokens_match
from newsprism.model import Article, Mention
from newsprism.store import Store
from newsprism.store.entities import entities, prune_entities


def _zelensky(s: Store) -> list[tuple[int, str, str, tuple[str, ...], int]]:
    return [tuple(e) for e in entities(s) if any("zelen" in a.lower() for a in e.aliases)]  # type: ignore[misc]


class _Reference:
    """The linking algorithm before the alias index: SQL scans of every alias."""

    def __init__(self, conn: sqlite3.Connection, opts: LinkOptions) -> None:
        self.conn, self.opts = conn, opts

    def _type(self, entity: int) -> str:
        return str(
            self.conn.execute("SELECT type FROM entities WHERE id = ?", (entity,)).fetchone()[0]
        )

    def _candidates(
        self, ntokens: int, person_only: bool = False
    ) -> list[tuple[int, tuple[str, ...], str]]:
        sql = (
            "SELECT a.entity_id, a.tokens, e.type FROM entity_aliases a"
            " JOIN entities e ON e.id = a.entity_id WHERE a.ntokens "
            + ("> 1" if ntokens < 0 else "= ?")
        )
        params: tuple[int, ...] = () if ntokens < 0 else (ntokens,)
        if person_only:
            sql += " AND e.type = 'PERSON'"
        return [(int(i), tuple(t.split()), str(ty)) for i, t, ty in self.conn.execute(sql, params)]

    def find(self, name: tuple[str, ...], label: str) -> int | None:
        norp = label == "NORP"
        rows = self.conn.execute(
            "SELECT a.entity_id, e.type FROM entity_aliases a JOIN entities e ON e.id = a.entity_id"
            " WHERE a.tokens = ? ORDER BY a.entity_id",
            (" ".join(name),),
        ).fetchall()
        for entity, kind in rows:
            if (kind == "NORP") == norp:
                return int(entity)
        if rows:
            return int(rows[0][0])
        for entity, tokens, kind in self._candidates(len(name)):
            if (kind == "NORP") == norp and names_match(name, tokens, self.opts):
                return entity
        if len(name) >= 3:
            for entity, tokens, _ in self._candidates(2):
                if names_match(name[-2:], tokens, self.opts):
                    return entity
        if len(name) == 1 and label != "LOC":
            owners = self._surname_owners(name[0])
            if len(owners) == 1:
                return owners.pop()
        return None

    def _surname_owners(self, surname: str) -> set[int]:
        return {
            e
            for e, tokens, _ in self._candidates(-1, person_only=True)
            if tokens_match(surname, tokens[-1], self.opts)
        }

    def create(self, surface: str, label: str) -> int:
        cur = self.conn.execute("INSERT INTO entities (name, type) VALUES (?, ?)", (surface, label))
        entity = int(cur.lastrowid or 0)
        self.add_alias(entity, surface, label)
        name = name_tokens(surface)
        if label == "PERSON" and len(name) > 1 and self._surname_owners(name[-1]) == {entity}:
            rows = self.conn.execute(
                "SELECT e.id FROM entities e WHERE e.type IN ('PERSON', 'MISC') AND e.id != ?"
                " AND NOT EXISTS (SELECT 1 FROM entity_aliases a WHERE a.entity_id = e.id"
                " AND a.ntokens != 1)",
                (entity,),
            ).fetchall()
            for (other,) in rows:
                tokens = {
                    t
                    for (t,) in self.conn.execute(
                        "SELECT tokens FROM entity_aliases WHERE entity_id = ?", (other,)
                    )
                }
                if tokens and all(tokens_match(name[-1], t, self.opts) for t in tokens):
                    self.conn.execute(
                        "UPDATE mention_entities SET entity_id = ? WHERE entity_id = ?",
                        (entity, other),
                    )
                    self.conn.execute(
                        "INSERT OR IGNORE INTO entity_aliases (entity_id, alias, tokens, ntokens)"
                        " SELECT ?, alias, tokens, ntokens FROM entity_aliases WHERE entity_id = ?",
                        (entity, other),
                    )
                    self.conn.execute("DELETE FROM entities WHERE id = ?", (other,))
        return entity

    def add_alias(self, entity: int, surface: str, label: str) -> None:
        tokens = name_tokens(surface)
        self.conn.execute(
            "INSERT OR IGNORE INTO entity_aliases (entity_id, alias, tokens, ntokens)"
            " VALUES (?, ?, ?, ?)",
            (entity, surface, " ".join(tokens), len(tokens)),
        )
        if label != "MISC" and self._type(entity) == "MISC":
            self.conn.execute("UPDATE entities SET type = ? WHERE id = ?", (label, entity))
        if len(tokens) > 1:
            name = self.conn.execute("SELECT name FROM entities WHERE id = ?", (entity,))
            if len(name_tokens(str(name.fetchone()[0]))) < 2:
                self.conn.execute("UPDATE entities SET name = ? WHERE id = ?", (surface, entity))

    def link(self, article_id: str) -> None:
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            rows = conn.execute(
                "SELECT idx, coalesce(nullif(base, ''), text), label FROM mentions"
                " WHERE article_id = ? ORDER BY idx",
                (article_id,),
            ).fetchall()
            conn.execute("DELETE FROM mention_entities WHERE article_id = ?", (article_id,))
            rank = {2: 0, 1: 2}
            named = [(int(i), str(s), str(lb), name_tokens(str(s))) for i, s, lb in rows]
            named = sorted((m for m in named if m[3]), key=lambda m: (rank.get(len(m[3]), 1), m[0]))
            seen: dict[tuple[tuple[str, ...], bool], int] = {}
            for idx, surface, label, name in named:
                key = (name, label == "NORP")
                entity = seen.get(key)
                if entity is None:
                    entity = self.find(name, label)
                if entity is None:
                    entity = self.create(surface, label)
                seen[key] = entity
                self.add_alias(entity, surface, label)
                conn.execute(
                    "INSERT INTO mention_entities (article_id, idx, entity_id) VALUES (?, ?, ?)",
                    (article_id, idx, entity),
                )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise  # fmt: skip


_PEOPLE = [
    (["Volodymyr", "Volodimir", "Wolodymyr", "Vladimir", "Володимир"],
     ["Zelensky", "Zelenski", "Zelenskyy", "Selenskyj", "Зеленський"]),
    (["Oleksandr", "Aleksandr", "Alexander", "Олександр"], ["Kowalenko", "Kovalenko", "Коваленко"]),
    (["Dmitry", "Dmitri", "Dmitrij"], ["Peskov", "Peskow", "Песков"]),
    (["Sergei", "Sergey", "Serhiy"], ["Lavrov", "Lawrow", "Лавров"]),
    (["Olaf"], ["Scholz", "Scholtz"]),
    (["Emmanuel", "Emanuel"], ["Macron"]),
    (["Andriy", "Andrii", "Andrij"], ["Yermak", "Jermak", "Єрмак"]),
    (["Recep Tayyip", "Recep"], ["Erdogan", "Erdoğan", "Erdoghan"]),
    (["Vladimir", "Wladimir"], ["Putin", "Poutine", "Путин"]),
    (["Maria", "Mariya"], ["Zakharova", "Sacharowa", "Zaharova"]),
    (["Olena", "Elena", "Jelena"], ["Zelenska", "Zelenskaya", "Selenska"]),
]  # fmt: skip
_TITLES = ["President", "Feuerwehrchef", "Minister", "Chancellor", "Sprecher"]
_PLACES = ["Kyiv", "Kiev", "Kyjiw", "Київ", "Odesa", "Odessa", "Kharkiv", "Charkiw", "Kharkov",
           "Izium", "Izyum", "Izjum", "Warsaw", "Warszawa", "Moscow", "Moskau"]  # fmt: skip
_NORP = ["Ukrainian", "Ukrainians", "Russian", "Russians", "Polish", "Russia", "Ukraine"]
_ORGS = ["NATO", "European Union", "UN", "Kremlin", "Pentagon", "Red Cross", "Rotes Kreuz"]


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    op = rng.randrange(4)
    if op == 0:
        return word[:i] + word[i + 1 :]
    if op == 1:
        return word[:i] + rng.choice("aeioulnrsk") + word[i:]
    if op == 2:
        return word[:i] + rng.choice("aeioulnrsk") + word[i + 1 :]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def _mention(rng: random.Random) -> tuple[str, str, str | None]:
    """A surface, a label and maybe a base form."""
    kind = rng.random()
    if kind < 0.5:
        first, last = rng.choice(_PEOPLE)
        surname = rng.choice(last)
        if rng.random() < 0.1:
            surname = _typo(rng, surname)
        shape = rng.random()
        label = rng.choice(["PERSON"] * 6 + ["MISC", "ORG", "LOC"])
        if shape < 0.35:
            return surname, label, None
        text = f"{rng.choice(first)} {surname}"
        if shape > 0.85:
            text = f"{rng.choice(_TITLES)} {text}"
        return text, label, None
    if kind < 0.7:
        place = rng.choice(_PLACES)
        return (
            (_typo(rng, place) if rng.random() < 0.1 else place),
            rng.choice(["LOC", "LOC", "MISC"]),
            None,
        )
    if kind < 0.85:
        return rng.choice(_NORP), rng.choice(["NORP", "NORP", "LOC", "MISC"]), None
    org = rng.choice(_ORGS)
    return org, rng.choice(["ORG", "ORG", "MISC"]), (org.upper() if rng.random() < 0.1 else None)


def _article(rng: random.Random, ident: str) -> Article:
    mentions: list[Mention] = []
    text = ""
    for _ in range(rng.randrange(1, 12)):
        surface, label, base = _mention(rng)
        start = len(text)
        text += surface + " said something. "
        mentions.append(Mention(surface, start, start + len(surface), label, 0, base))
    return Article(id=ident, text=text + ident, mentions=tuple(mentions))


def _tables(store: Store) -> dict[str, list[tuple[object, ...]]]:
    conn = store.connection
    return {
        "entities": conn.execute("SELECT id, name, type FROM entities ORDER BY id").fetchall(),
        "aliases": conn.execute("SELECT rowid, * FROM entity_aliases ORDER BY rowid").fetchall(),
        "links": conn.execute("SELECT * FROM mention_entities ORDER BY 1, 2").fetchall(),
    }


@pytest.mark.parametrize("seed", range(4))
def test_index_links_exactly_like_the_reference(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    articles = [_article(rng, f"a{i:03d}") for i in range(90)]
    old, new = Store(tmp_path / "old.db"), Store(tmp_path / "new.db")
    reference = _Reference(old.connection, LinkOptions())
    linker = EntityLinker(new)
    for i, article in enumerate(articles):
        assert old.add(article) == new.add(article) == article.id
        reference.link(article.id)
        assert linker.link(article.id) == sum(
            bool(name_tokens(m.base or m.text)) for m in article.mentions
        )
        if i % 30 == 29:  # linking an earlier article again
            again = articles[rng.randrange(i)].id
            reference.link(again)
            linker.link(again)
    tables = _tables(new)
    assert tables == _tables(old)
    assert len(tables["entities"]) < len(tables["aliases"]) < len(tables["links"])


def test_index_follows_other_connections_pruning_and_rollbacks(tmp_path: Path) -> None:
    rng = random.Random(7)
    articles = [_article(rng, f"b{i:03d}") for i in range(40)]
    old, new = Store(tmp_path / "old.db"), Store(tmp_path / "new.db")
    reference = _Reference(old.connection, LinkOptions())
    linker = EntityLinker(new)
    for article in articles:
        old.add(article), new.add(article)
    for i, article in enumerate(articles):
        if i == 10:  # another connection links new names: the index must reload
            extra = _article(random.Random(99), "extra")
            with Store(new.path) as other:
                other.add(extra)
                link_stored(other, extra.id)
                link_stored(other, articles[3].id)
            old.add(extra)
            reference.link(extra.id)
            reference.link(articles[3].id)
        if i == 20:  # pruning on the same connection, outside the linker
            for s in (old, new):
                s.delete(articles[5].id)
                prune_entities(s)
        if i == 30:  # a failure mid-link rolls back; the index must not keep its changes
            new.connection.execute(
                "CREATE TEMP TRIGGER boom BEFORE INSERT ON main.mention_entities"
                " BEGIN SELECT RAISE(ABORT, 'boom'); END"
            )
            with pytest.raises(sqlite3.IntegrityError):
                linker.link(article.id)
            new.connection.execute("DROP TRIGGER boom")
        reference.link(article.id)
        linker.link(article.id)
        assert _tables(new) == _tables(old), i
    assert link_missing(new) == link_missing(old) == 0


def test_one_linker_keeps_zelensky_together(tmp_path: Path) -> None:
    texts = ["Zelensky said so.", "Volodymyr Zelensky spoke.", "Volodimir Zelenski and Зеленський."]
    with Store(tmp_path / "z.db") as s:
        linker = EntityLinker(s)
        for i, text in enumerate(texts):
            words = [w.strip(".") for w in text.split() if w[0].isupper()]
            names = (
                [" ".join(words[:2])]
                if i == 1
                else (words if i == 0 else ["Volodimir Zelenski", "Зеленський"])
            )
            mentions = tuple(
                Mention(n, text.index(n), text.index(n) + len(n), "PERSON", 0) for n in names
            )
            s.add(Article(id=f"z{i}", text=text, mentions=mentions))
            linker.link(f"z{i}")
        found = _zelensky(s)
        assert len(found) == 1 and found[0][1] == "Volodymyr Zelensky" and found[0][4] == 3
        assert set(found[0][3]) == {
            "Zelensky",
            "Volodymyr Zelensky",
            "Volodimir Zelenski",
            "Зеленський",
        }


def _same_as_reference(tmp_path: Path, articles: Sequence[Article]) -> Store:
    old, new = Store(tmp_path / "old.db"), Store(tmp_path / "new.db")
    reference = _Reference(old.connection, LinkOptions())
    linker = EntityLinker(new)
    for article in articles:
        old.add(article), new.add(article)
        reference.link(article.id)
        linker.link(article.id)
        assert _tables(new) == _tables(old), article.id
    old.close()
    return new


def _named(ident: str, *names: tuple[str, str]) -> Article:
    text = ". ".join(n for n, _ in names)
    spans = [(n, text.index(n), label) for n, label in names]
    return Article(
        ident, text, mentions=tuple(Mention(n, s, s + len(n), lb, 0) for n, s, lb in spans)
    )


def test_a_full_name_absorbs_every_surname_only_entity_in_order(tmp_path: Path) -> None:
    # "selenskij" and "zelensky" do not match each other; both match "zelenskij".
    store = _same_as_reference(tmp_path, [
        _named("c1", ("Selenskij", "PERSON")),
        _named("c2", ("Zelensky", "MISC"), ("Russians", "NORP"), ("Russians", "LOC")),
        _named("c3", ("Volodymyr Zelenskij", "PERSON"), ("Russians", "MISC")),
        _named("c4", ("Zelensky", "PERSON"), ("Feuerwehrchef Volodimir Zelenskij", "PERSON")),
        _named("c5", ("Olena Zelenska", "PERSON"), ("Zelenski", "PERSON"), ("Russians", "NORP")),
    ])  # fmt: skip
    zelensky = _zelensky(store)
    assert len(zelensky) == 2  # the surname alone is ambiguous once Olena Zelenska is known
    assert {"Selenskij", "Zelensky", "Volodymyr Zelenskij"} <= set(zelensky[0][3])


@pytest.mark.parametrize("ratio", [85.0, 95.0, 70.0, 40.0])
def test_fuzzy_index_finds_every_token_above_the_ratio(ratio: float) -> None:
    from rapidfuzz import fuzz

    from newsprism.link.alias_index import FuzzyIndex

    rng = random.Random(int(ratio))
    base = ["zelensky", "kowalenko", "scholz", "sacharowa", "erdogan", "nationalversammlung"]
    words = {_typo(rng, _typo(rng, rng.choice(base))) for _ in range(400)}
    words |= {
        "".join(rng.choice("aeiklnorsvyz") for _ in range(rng.randint(5, 16))) for _ in range(300)
    }
    words = {w for w in words if len(w) >= 5}
    index = FuzzyIndex(ratio)
    for word in sorted(words):
        index.add(word)
    for query in [*sorted(words)[::7], "zelenskyy", "zlnsky", "kovalenkoo"]:
        expected = {w for w in words if fuzz.ratio(query, w) >= ratio}
        found = index.candidates(query)
        assert expected <= found, query
        assert all(fuzz.ratio(query, w) >= ratio - 1 for w in found)
