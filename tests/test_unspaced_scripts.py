"""Articles in languages written without spaces (Japanese, Chinese, Thai) or with particles
glued to their words (Korean), for which ``wordfreq`` would need ``MeCab`` or ``jieba``:
they are ingested, stored, put into stories and compared like any other, and a collection
that holds them keeps working."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import cast

import pytest

from newsprism import Collection
from newsprism.collection.ingest import IngestOptions
from newsprism.dedupe import shingles
from newsprism.model import Article, Mention
from newsprism.pipeline.run import PipelineOptions
from newsprism.sentences import split_sentences
from newsprism.stories import story_docs
from newsprism.stories.features import doc_features, rare_weight
from newsprism.words import unspaced_terms, without_unspaced, zipf

JA_WALL = (
    "焼津市議会、防波堤の建設を承認\n"
    "静岡県焼津市の市議会は金曜日、焼津漁港の新しい防波堤の建設計画を賛成多数で承認した。"
    "事業費は約12億円で、工事は5月に始まり2年で完成する見通しだ。"
    "中野市長は「台風による高潮から漁港と住民を守るために欠かせない」と述べた。\n"
)
JA_WALL_2 = (
    "焼津漁港に新防波堤、市議会が計画を承認\n"
    "焼津市議会は金曜日の本会議で、焼津漁港に新たな防波堤を建設する計画を承認した。"
    "総事業費はおよそ12億円。防波堤の工事は5月に着工し、完成は2年後の予定という。"
    "市によると、近年の台風で漁港では高潮の被害が相次いでいた。\n"
)
JA_OTHER = (
    "札幌で冬季雪まつりが開幕\n"
    "北海道札幌市の大通公園で火曜日、恒例の雪まつりが開幕した。"
    "高さ15メートルの大雪像など約200基の雪像や氷像が並び、初日から多くの観光客が訪れた。"
    "実行委員会は期間中に200万人の来場を見込んでいる。\n"
)
ZH = (
    "上海地铁新线路开通运营\n"
    "上海市交通部门周一宣布，地铁十八号线二期工程正式开通运营。"
    "新线路全长约十五公里，设有八座车站，预计每天运送乘客二十万人次。"
    "市民表示，新线路将大大缩短通勤时间。\n"
)
KO = (
    "부산시, 해운대 해수욕장 개장 연기\n"
    "부산시는 월요일 해운대 해수욕장의 개장을 일주일 연기한다고 발표했다. "
    "시는 최근 폭우로 백사장이 유실돼 복구 작업이 필요하다고 설명했다. "
    "해수욕장은 다음 달 8일에 문을 열 예정이다.\n"
)
TH = (
    "กรุงเทพฯ เปิดสวนสาธารณะแห่งใหม่ริมแม่น้ำเจ้าพระยา\n"
    "กรุงเทพมหานครเปิดสวนสาธารณะแห่งใหม่ริมแม่น้ำเจ้าพระยาเมื่อวันเสาร์ "
    "สวนแห่งนี้มีพื้นที่กว่าสามสิบไร่ และมีทางเดินริมน้ำยาวสองกิโลเมตร "
    "ผู้ว่าราชการกรุงเทพมหานครกล่าวว่าสวนจะเปิดให้บริการทุกวันตั้งแต่เช้าจนถึงค่ำ\n"
)
EN = (
    "Parliament approves new school lunch programme\n"
    "The national parliament on Tuesday approved a programme that will give free lunches "
    "to primary school pupils from next September. Education minister Clara Feldmann said "
    "the scheme would cost 40 million a year and reach 120,000 children in 300 schools.\n"
)


def _write(folder: Path, texts: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def collection(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A collection that got the Japanese, Chinese, Korean and Thai articles in one
    ingest, then an English one, then the second Japanese report of the sea wall."""
    root = tmp_path_factory.mktemp("unspaced")
    db = root / "news.db"
    options = IngestOptions(pipeline=PipelineOptions(cache=False))
    first = _write(
        root / "first",
        {"ja-wall.txt": JA_WALL, "ja-snow.txt": JA_OTHER, "zh.txt": ZH, "ko.txt": KO, "th.txt": TH},
    )
    with Collection(db) as coll:
        summary = coll.ingest([first], options)
        assert (summary.ingested, summary.failed) == (5, 0), summary.failures
        assert summary.stories is not None and summary.stories.articles == 5
        english = coll.ingest([_write(root / "second", {"en.txt": EN})], options)
        assert (english.ingested, english.failed) == (1, 0), english.failures
        assert english.stories is not None and english.stories.articles == 1
        third = coll.ingest([_write(root / "third", {"ja-wall-2.txt": JA_WALL_2})], options)
        assert (third.ingested, third.failed) == (1, 0), third.failures
        assert third.stories is not None and third.stories.articles == 1
    return db


def _by_name(coll: Collection) -> dict[str, Article]:
    out: dict[str, Article] = {}
    for info in coll.articles():
        article = coll.article(info.id).article
        out[Path(article.path or article.id).stem] = article
    return out


def test_every_article_is_stored_with_its_language(
    collection: Path,
) -> None:
    db = collection
    with Collection(db) as coll:
        articles = _by_name(coll)
    languages = {name: a.language for name, a in articles.items()}
    assert languages == {
        "ja-wall": "ja",
        "ja-wall-2": "ja",
        "ja-snow": "ja",
        "zh": "zh",
        "ko": "ko",
        "th": "th",
        "en": "en",
    }
    # the body is kept whole (a paragraph ending in 。 is no heading to drop)
    wall = articles["ja-wall"]
    assert wall.title == "焼津市議会、防波堤の建設を承認" and not wall.removed
    assert wall.text.startswith("静岡県焼津市") and wall.text.endswith("と述べた。")
    # the Japanese full stops end sentences, the quotation inside one stays whole
    assert [s.text[-1] for s in wall.sentences] == ["。", "。", "。"]
    assert not any(s.heading for s in wall.sentences)
    assert len(articles["zh"].sentences) == 3
    assert len(articles["ko"].sentences) == 3
    assert articles["th"].text.startswith("กรุงเทพมหานคร")


def test_every_article_is_in_a_story_and_the_same_event_shares_one(
    collection: Path,
) -> None:
    db = collection
    with Collection(db) as coll:
        articles = _by_name(coll)
        story = {name: coll.article(a.id).story for name, a in articles.items()}
        assert all(story.values()), story
        assert story["ja-wall"] == story["ja-wall-2"]
        assert story["ja-snow"] != story["ja-wall"]
        assert len({story[n] for n in ("ja-wall", "ja-snow", "zh", "ko", "th", "en")}) == 6
        listed = {s.id: s for s in coll.stories()}
        assert listed[story["ja-wall"]].articles == 2
        assert listed[story["ja-wall"]].languages == ("ja",)


def test_story_and_compare_over_the_japanese_reports(
    collection: Path,
) -> None:
    db = collection
    with Collection(db) as coll:
        articles = _by_name(coll)
        story_id = coll.article(articles["ja-wall"].id).story
        assert story_id is not None
        data = coll.story(story_id)
        assert {m.id for m in data.members} == {articles["ja-wall"].id, articles["ja-wall-2"].id}
        assert data.coverage.facts
        ids = [articles[n].id for n in ("ja-wall", "ja-wall-2", "zh", "ko", "th")]
        coverage = coll.compare(ids)
    assert {a.id for a in coverage.articles} == set(ids)
    assert not coverage.failures
    # every fact points back into its article's text
    texts = {a.id: a.text for a in coverage.articles}
    for fact in coverage.facts:
        for statement in fact.statements:
            assert texts[statement.article][statement.start : statement.end] == statement.text


def test_the_cli_ingests_into_a_collection_holding_japanese(tmp_path: Path) -> None:
    """The report that started it: a Japanese file, then an English one, by the CLI."""
    import subprocess
    import sys

    _write(
        tmp_path / "ja", {"ja.txt": "市議会は金曜日、防波堤の建設を承認した。工事は5月に始まる。\n"}
    )
    _write(tmp_path / "en", {"en.txt": EN})
    db = str(tmp_path / "x.db")
    for folder in ("ja", "en", "ja"):
        done = subprocess.run(
            [sys.executable, "-m", "newsprism", "ingest", str(tmp_path / folder), "--db", db,
             "--format", "json"],
            capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
        summary = json.loads(done.stdout)
        assert summary["failed"] == 0
    assert summary["duplicates"] == 1


def test_no_segmenter_package_is_needed() -> None:
    """``wordfreq`` would import ``MeCab``/``jieba`` for these languages; these lookups
    must work when neither is installed (as here) and give the list's figures."""
    assert zipf("建設", "ja") == pytest.approx(4.63, abs=0.3)
    assert zipf("建设", "zh") == pytest.approx(5.58, abs=0.3)
    assert zipf("의회", "ko") == pytest.approx(4.79, abs=0.3)
    # a pair across a word boundary is as common as its commonest character
    assert zipf("した", "ja") == pytest.approx(zipf("た", "ja") or 0.0)
    assert zipf("สวน", "th") is None  # no list, no segmenter: unknown
    assert zipf("tokyo", "ja") is not None
    assert zipf("council", "en") == pytest.approx(4.7, abs=0.5)
    assert rare_weight("นี้", "th") > 0
    for language in ("ja", "zh", "ko", "th", "zh-Hant", "yue", "lo", "km", "my", "und", ""):
        zipf("防波堤", language)
        zipf("Yaizu", language)
    if importlib.util.find_spec("MeCab") is None:
        import sys

        assert "MeCab" not in sys.modules and "jieba" not in sys.modules


def test_unspaced_terms_and_shingles() -> None:
    assert unspaced_terms("焼津の防波堤") == ["焼津", "津の", "の防", "防波", "波堤"]
    assert unspaced_terms("a 市 b") == ["市"]
    assert without_unspaced("Tokyo東京 2024") == "Tokyo  2024"
    # a short Japanese text is cut into character shingles, not into its clauses
    assert all(len(s.decode()) == 6 for s in shingles(JA_WALL))
    english = shingles(EN)
    assert all(len(s.decode().split()) == 3 for s in english)


def test_story_terms_of_japanese_are_content_pairs() -> None:
    article = Article(id="ja", text=JA_WALL, language="ja")
    terms = doc_features(article, _zero_vector()).terms
    assert {"防波", "波堤", "焼津", "漁港"} <= set(terms)
    # pairs made of particles and endings are as common as those and weigh nothing
    assert "した" not in terms and "は金" not in terms


def test_japanese_sentence_splitting_keeps_quotes_whole() -> None:
    text = "市長は「工事は安全だ。すぐ始める。」と述べた。工事は5月に始まる！本当か？"
    assert [s.text for s in split_sentences(text)] == [
        "市長は「工事は安全だ。すぐ始める。」と述べた。",
        "工事は5月に始まる！",
        "本当か？",
    ]
    korean = "시의회는 금요일 방파제 건설을 승인했다. 공사는 5월에 시작된다."
    assert len(split_sentences(korean)) == 2


def _zero_vector() -> object:
    import numpy as np

    return np.zeros(4, dtype=np.float32)


def test_an_article_whose_story_features_fail_is_left_out_alone() -> None:
    """The guard behind ``update_stories``: features that raise on one article (here a
    mention without text, as a broken annotation could leave) take that article out and
    report it; the others get their features. Without ``failed`` the error propagates."""
    good = Article(id="ja", text=JA_WALL, language="ja", sentences=split_sentences(JA_WALL))
    broken = Article(
        id="bad",
        text=EN,
        language="en",
        sentences=split_sentences(EN),
        mentions=(Mention(cast(str, None), 0, 10, "PERSON", 0),),
    )
    seen: list[tuple[str, str]] = []
    docs = story_docs(
        [broken, good], failed=lambda article, err: seen.append((article.id, type(err).__name__))
    )
    assert [d.id for d in docs] == ["ja"]
    assert seen == [("bad", "TypeError")]
    with pytest.raises(TypeError):
        story_docs([broken])
