"""`praxis ingest` on a folder of mixed formats, with an export field mapping from the flag or settings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ui.cli import main


@pytest.fixture
def hashing_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("PRAXIS_EMBEDDING__BACKEND", "hashing")
    monkeypatch.setenv("PRAXIS_DATA_DIR", str(tmp_path / "data"))
    folder = tmp_path / "exports"
    folder.mkdir()
    rows = [{"ref": "A1", "label": "Bike Library", "blurb": "Lends bicycles to students for a semester."}]
    (folder / "export.json").write_text(json.dumps(rows), encoding="utf-8")
    (folder / "notes.md").write_text(
        "# Repair Cafe\n\n## Resources needed\n\nTwo volunteers.\n", encoding="utf-8"
    )
    return folder


def test_fields_flag_maps_an_export(hashing_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fields = '{"id": "ref", "title": "label", "sections": {"About this good practice": "blurb"}}'
    assert main(["ingest", str(hashing_env), "-q", "--fields", fields]) == 0
    assert "added 2, updated 0, unchanged 0, failed 0" in capsys.readouterr().out
    assert main(["ask", "Who lends bicycles to students?", "--json"]) == 0
    passages = json.loads(capsys.readouterr().out)
    assert passages["citations"] and passages["citations"][0]["source"] == "export.json#a1"


def test_fields_from_a_file_and_from_settings(
    hashing_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PRAXIS_INGEST__RECORD_FIELDS", '{"title": "label"}')
    mapping = tmp_path / "fields.json"
    mapping.write_text('{"sections": {"About this good practice": "blurb"}}', encoding="utf-8")
    assert main(["ingest", str(hashing_env), "-q", "--fields", str(mapping)]) == 0
    assert "added 2" in capsys.readouterr().out  # title from settings, sections from the file


def test_without_a_mapping_the_export_record_says_what_to_map(
    hashing_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", str(hashing_env), "-q"]) == 1
    captured = capsys.readouterr()
    assert "added 1" in captured.out
    assert "export.json record 1: no title (looked for title, name, practice_title)" in captured.err
    assert '--fields \'{"title": "name"}\'' in captured.err


def test_a_bad_fields_flag_is_a_clear_error(hashing_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", str(hashing_env), "-q", "--fields", "{title: name}"]) == 2
    assert "--fields must be a JSON object" in capsys.readouterr().err
    assert main(["ingest", str(hashing_env), "-q", "--fields", '{"headline": "name"}']) == 2
    assert "unknown record field target 'headline'" in capsys.readouterr().err
