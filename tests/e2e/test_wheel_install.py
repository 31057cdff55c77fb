"""A plain, non-editable `pip install` of the wheel: the bundled corpus ships inside it, the
`praxis` command runs our packages from the install (not the checkout), and a foreign package
called `assistant` is reported with what to do."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def run(
    *args: str | Path, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, env=env, cwd=cwd, timeout=600
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed; its dependencies come from the test environment."""
    base = tmp_path_factory.mktemp("wheel")
    built = run(sys.executable, "-m", "pip", "wheel", ROOT, "--no-deps", "-q", "-w", base / "dist")
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = (base / "dist").glob("praxis_good_practices-*.whl")
    venv = base / "venv"
    assert run(sys.executable, "-m", "venv", venv).returncode == 0
    python = venv / "bin" / "python"
    site = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip()
    # the dependencies (torch, chromadb, ...) are the test environment's: no second download
    Path(site, "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    done = run(python, "-m", "pip", "install", "--no-deps", "-q", wheel)
    assert done.returncode == 0, done.stderr[-2000:]
    return venv


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRAXIS_") and k != "PYTHONPATH"}
    return {**env, "PRAXIS_EMBEDDING__BACKEND": "hashing", **extra}


def test_the_installed_command_ingests_the_bundled_corpus_and_reads_it(
    installed: Path, tmp_path: Path
) -> None:
    praxis = installed / "bin" / "praxis"
    where = run(
        installed / "bin" / "python",
        "-c",
        "import assistant, ui; print(assistant.__file__, ui.__file__)",
        env=clean_env(),
        cwd=tmp_path,
    )
    assert where.returncode == 0 and str(installed) in where.stdout and str(ROOT) not in where.stdout
    ingested = run(praxis, "ingest", "-q", "--data-dir", tmp_path / "data", env=clean_env(), cwd=tmp_path)
    assert ingested.returncode == 0, ingested.stderr[-2000:]
    assert "added 42" in ingested.stdout
    facts = run(praxis, "facts", "laugea", "--data-dir", tmp_path / "data", env=clean_env(), cwd=tmp_path)
    assert facts.returncode == 0 and "21" in facts.stdout, facts.stderr[-2000:]


def test_a_foreign_assistant_package_is_named_with_what_to_do(installed: Path, tmp_path: Path) -> None:
    foreign = tmp_path / "foreign" / "assistant"
    foreign.mkdir(parents=True)
    (foreign / "__init__.py").write_text("'''Some other project's assistant package.'''\n")
    result = run(
        installed / "bin" / "praxis", "config", env=clean_env(PYTHONPATH=str(foreign.parent)), cwd=tmp_path
    )
    assert result.returncode != 0
    assert "is not Praxis's" in result.stderr and "own virtual environment" in result.stderr
