"""Packaging hook: the bundled corpus/ (top-level in the repository) ships inside the wheel as
assistant/corpus/, so that a plain `pip install` can ingest it. Everything else is in pyproject.toml."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithCorpus(build_py):
    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "assistant" / "corpus"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(ROOT / "corpus", target)


setup(cmdclass={"build_py": BuildWithCorpus})
