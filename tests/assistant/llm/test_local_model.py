"""The default local model's one-time assembly: verified, atomic, repaired when damaged."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from assistant.errors import BackendError
from assistant.llm.packaged_model import assemble


@pytest.fixture
def parts(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "parts"
    folder.mkdir()
    paths = []
    for i, size in enumerate((5_000_000, 3_000_000, 1_234_567), 1):
        path = folder / f"part{i:02d}.bin"
        path.write_bytes(bytes([i]) * size)
        paths.append(path)
    return paths


def checksum(parts: list[Path]) -> str:
    return hashlib.sha256(b"".join(p.read_bytes() for p in parts)).hexdigest()


def test_first_use_assembles_the_parts_with_progress_and_records_the_checksum(parts, tmp_path):
    target = tmp_path / "models" / "model.gguf"
    seen: list[tuple[int, int]] = []
    path = assemble(parts, target, sha256=checksum(parts), progress=lambda d, t: seen.append((d, t)))
    assert path == target
    assert target.read_bytes() == b"".join(p.read_bytes() for p in parts)
    total = sum(p.stat().st_size for p in parts)
    assert seen[-1] == (total, total) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    record = json.loads((target.parent / "model.gguf.sha256.json").read_text())
    assert record["sha256"] == checksum(parts) and record["size"] == total
    assert sorted(p.name for p in target.parent.iterdir()) == ["model.gguf", "model.gguf.sha256.json"]


def test_a_verified_model_is_not_assembled_again(parts, tmp_path):
    target = tmp_path / "model.gguf"
    assemble(parts, target, sha256=checksum(parts))
    before = target.stat().st_mtime_ns
    seen: list[int] = []
    assemble(parts, target, sha256=checksum(parts), progress=lambda d, t: seen.append(d))
    assert target.stat().st_mtime_ns == before and seen == []


@pytest.mark.parametrize("damage", ["truncate", "flip", "record-lost"])
def test_a_damaged_model_is_assembled_again(parts, tmp_path, damage):
    target = tmp_path / "model.gguf"
    good = checksum(parts)
    assemble(parts, target, sha256=good)
    if damage == "truncate":  # an interrupted copy by hand, say
        target.write_bytes(target.read_bytes()[:1000])
    elif damage == "flip":
        data = bytearray(target.read_bytes())
        data[4_000_000] ^= 0xFF
        target.write_bytes(bytes(data))
    else:
        (tmp_path / "model.gguf.sha256.json").unlink()
    assemble(parts, target, sha256=good)
    assert hashlib.sha256(target.read_bytes()).hexdigest() == good


def test_a_leftover_partial_file_is_ignored_and_replaced(parts, tmp_path):
    target = tmp_path / "model.gguf"
    (tmp_path / "model.gguf.partial").write_bytes(b"GGUF half a model")
    assemble(parts, target, sha256=checksum(parts))
    assert hashlib.sha256(target.read_bytes()).hexdigest() == checksum(parts)
    assert not (tmp_path / "model.gguf.partial").exists()


def test_damaged_parts_are_refused_and_leave_no_model_behind(parts, tmp_path):
    target = tmp_path / "model.gguf"
    expected = checksum(parts)
    parts[1].write_bytes(b"\0" * 3_000_000)  # a damaged part package
    with pytest.raises(BackendError, match="force-reinstall"):
        assemble(parts, target, sha256=expected)
    assert list(tmp_path.glob("model.gguf*")) == []


def test_missing_parts_are_named(parts, tmp_path):
    parts[2].unlink()
    with pytest.raises(BackendError, match="part03.bin"):
        assemble(parts, tmp_path / "model.gguf", sha256="0" * 64)
