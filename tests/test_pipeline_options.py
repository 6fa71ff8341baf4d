"""One options object reaches every annotation stage, and the stages that annotate their
own input take the pipeline's annotator instead of calling stages with their defaults."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from newsprism.dates.resolve import DateOptions
from newsprism.errors import OptionError
from newsprism.model import Article
from newsprism.pipeline.run import PipelineOptions, annotate, annotate_many, annotator, read_all
from newsprism.quantities.extract import QuantityOptions
from newsprism.quotes.options import QuoteOptions
from newsprism.read import ReadOptions
from newsprism.similarity.model import compare_pair
from newsprism.stories import story_docs

TEXT = (
    "Harbour fire in Norvane\n\n"
    "The port handled about 40 ships a day. Mayor Ana Ruiz said the fire destroyed"
    ' three warehouses. In February the council met. "We will rebuild," she said.'
)
ARTICLE = Article("a", TEXT, title="Harbour fire", language="en", published=date(2024, 3, 1))


def _plain() -> PipelineOptions:
    return PipelineOptions(cache=False)


def test_every_annotation_stage_takes_its_options_from_the_pipeline_options() -> None:
    default = annotate(ARTICLE, _plain())
    changed = annotate(
        ARTICLE,
        PipelineOptions(
            cache=False,
            quantities=QuantityOptions(about_tolerance=0.2),
            quotes=QuoteOptions(indirect=False),
            dates=DateOptions(month_only=False),
        ),
    )
    assert [q.low for q in default.quantities if q.value == 40] == [pytest.approx(36)]
    assert [q.low for q in changed.quantities if q.value == 40] == [pytest.approx(32)]
    assert any(not q.direct for q in default.quotes)
    assert changed.quotes and all(q.direct for q in changed.quotes)
    assert len(changed.dates) < len(default.dates)


def test_the_annotation_settings_cover_every_stage_option() -> None:
    settings = {
        PipelineOptions().annotation_settings(),
        PipelineOptions(quantities=QuantityOptions(about_tolerance=0.2)).annotation_settings(),
        PipelineOptions(quotes=QuoteOptions(indirect=False)).annotation_settings(),
        PipelineOptions(dates=DateOptions(month_only=False)).annotation_settings(),
    }
    assert len(settings) == 4


def test_annotate_many_runs_only_the_stages_asked_for() -> None:
    (done,) = annotate_many([ARTICLE], _plain(), stages=("sentences", "quantities"))
    assert isinstance(done, Article)
    assert done.sentences and done.quantities
    assert not done.mentions and not done.quotes and not done.dates


def test_an_unknown_stage_is_an_option_error() -> None:
    with pytest.raises(OptionError, match="unknown annotation stage 'names'"):
        annotator(_plain())([ARTICLE], ("names",))


def test_stages_that_annotate_their_input_need_the_annotator() -> None:
    with pytest.raises(OptionError, match="not annotated"):
        story_docs([ARTICLE])
    with pytest.raises(OptionError, match="not annotated"):
        compare_pair(ARTICLE, ARTICLE)


@pytest.mark.slow
def test_story_docs_annotate_with_the_callers_options() -> None:
    (doc,) = story_docs([ARTICLE], annotate=annotator(_plain()))
    assert "norvane" in doc.names


def test_the_language_is_set_once_and_reaches_the_readers(tmp_path: Path) -> None:
    with pytest.raises(OptionError, match="set on the pipeline options"):
        PipelineOptions(read=ReadOptions(language="en"))
    options = PipelineOptions(language="de", read=ReadOptions(detect_language=False))
    assert options.reading() == ReadOptions(language="de", detect_language=False)
    assert PipelineOptions().reading() == ReadOptions()
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    (article,), failures, _ = read_all([path], options)
    assert article.language == "de" and not failures


def test_the_annotation_settings_are_the_same_in_every_process() -> None:
    """The disk cache of annotations is shared between processes: its key may not depend on
    the hash seed (options hold sets, such as the dates stage's ``future_words``)."""
    code = (
        "from newsprism.pipeline.run import PipelineOptions as P; print(P().annotation_settings())"
    )
    seen = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(seen) == 1
