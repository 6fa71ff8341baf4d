"""The built wheel is complete: installed outside the source tree, it runs ``compare`` on
the sample and ships its data files (templates, styles, the similarity model, the
licence)."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
         "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    (found,) = out.glob("newsprism-*.whl")
    return found


def test_wheel_holds_the_package_data_and_the_licence(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "newsprism/py.typed",
        "newsprism/data/similarity_model.json",
        "newsprism/web/templates/story.html",
        "newsprism/web/static/style.css",
        "newsprism/cli/main.py",
    ):
        assert needed in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") or n.endswith("/LICENSE") for n in names)


def test_installed_wheel_compares_the_sample(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    # the dependencies come from the interpreter running the tests; newsprism from the wheel
    venv.create(env_dir, system_site_packages=True, with_pip=False)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q",
         "--force-reinstall", str(wheel)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    # nothing from the source tree on the path: no PYTHONPATH, run from elsewhere
    env = {"NEWSPRISM_CACHE": "off", "PATH": "/usr/bin:/bin"}
    where = subprocess.run(
        [str(python), "-c", "import newsprism; print(newsprism.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout
    assert str(env_dir) in where, where  # the installed copy, not the source tree
    samples = sorted(str(p) for p in (ROOT / "examples" / "sample").iterdir())
    result = subprocess.run(
        [str(env_dir / "bin" / "newsprism"), "compare", *samples, "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert len(report["articles"]) == len(samples)
    assert {f["status"] for f in report["facts"]} >= {"agreed", "unique"}
