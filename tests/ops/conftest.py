"""Fault injection with real processes: a real `praxis serve`, a real `chroma run` that is
killed, stopped (SIGSTOP) and restarted, `praxis ingest` runs beside a server, a small file
system (a loop-mounted ext4 image, else a size-limited tmpfs) that fills up.

Every process runs this checkout's code (`python -m ui.cli`) with the hashing embedder, so
the faults, not the model, are what the tests measure.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
API_KEY = "ops-admin-key-0123456789"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def praxis_env(data: Path, **settings: str) -> dict[str, str]:
    """The environment of a Praxis process: this checkout, a data dir, the hashing embedder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRAXIS_")}
    env.update(
        PYTHONPATH=str(ROOT),
        PRAXIS_DATA_DIR=str(data),
        PRAXIS_EMBEDDING__BACKEND="hashing",
        ANONYMIZED_TELEMETRY="False",
    )
    env.update({f"PRAXIS_{key.upper()}": value for key, value in settings.items()})
    return env


def praxis(*args: str, env: dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run the praxis CLI to completion."""
    return subprocess.run(
        [sys.executable, "-m", "ui.cli", *args], env=env, capture_output=True, text=True, timeout=timeout
    )


class PraxisServer:
    """A real `praxis serve --port 0` process; `url` once it printed where it listens."""

    def __init__(self, env: dict[str, str], log_dir: Path, *args: str) -> None:
        log_dir.mkdir(parents=True, exist_ok=True)
        self.out_path, self.err_path = log_dir / "serve.out", log_dir / "serve.err"
        self._out, self._err = self.out_path.open("wb"), self.err_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ui.cli", "serve", "--port", "0", *args],
            env=env,
            stdout=self._out,
            stderr=self._err,
            stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 180
        while True:
            found = re.search(r"at (http://\S+/)", self.out_path.read_text(errors="replace"))
            if found:
                self.url = found.group(1).rstrip("/")
                break
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"praxis serve did not start: {self.log()[-3000:]}")
            time.sleep(0.1)
        self.client = httpx.Client(base_url=self.url, timeout=60)

    def log(self) -> str:
        return self.err_path.read_text(errors="replace")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 60) -> float:
        """Send sig; seconds until the process ended (SIGKILL after timeout)."""
        started = time.monotonic()
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                return float("inf")
        self.client.close()
        self._out.close()
        self._err.close()
        return time.monotonic() - started


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator:
    """start_server(env, *args) -> PraxisServer; every server is stopped after the test."""
    servers: list[PraxisServer] = []

    def start(env: dict[str, str], *args: str) -> PraxisServer:
        servers.append(PraxisServer(env, tmp_path / f"server-{len(servers)}", *args))
        return servers[-1]

    yield start
    for server in servers:
        server.stop(signal.SIGKILL)


class ChromaServer:
    """A real `chroma run` on a fixed port and folder: start, kill, SIGSTOP/SIGCONT, restart."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        executable = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
        assert executable, "the chroma CLI comes with the chromadb package; reinstall chromadb"
        self.executable = executable

    def start(self) -> ChromaServer:
        log = (self.folder / "chroma.log").open("ab")
        self.process = subprocess.Popen(
            [
                self.executable,
                "run",
                "--path",
                str(self.folder / "db"),
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
        )
        deadline = time.monotonic() + 60
        while not self.answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"chroma run did not start: {(self.folder / 'chroma.log').read_text()[-2000:]}"
                )
            time.sleep(0.2)
        return self

    def answers(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/api/v2/heartbeat", timeout=1) as response:
                return response.status == 200
        except OSError:
            return False

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait()

    def pause(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.kill()
            self.process.wait()


@pytest.fixture
def chroma(tmp_path: Path) -> Iterator[ChromaServer]:
    folder = tmp_path / "chroma-server"
    folder.mkdir()
    server = ChromaServer(folder).start()
    yield server
    server.stop()


class SmallDisk:
    """A small file system mounted at `path`: `kind` says which (loop ext4, tmpfs)."""

    def __init__(self, path: Path, kind: str, image: Path | None) -> None:
        self.path, self.kind, self.image = path, kind, image

    def free(self) -> int:
        return shutil.disk_usage(self.path).free

    def fill(self, leave: int = 0) -> Path:
        """A file taking all free space but `leave` bytes."""
        filler = self.path / "filler"
        with filler.open("ab") as handle:
            block = b"\0" * (1024 * 1024)
            while self.free() - leave > len(block):
                handle.write(block)
                handle.flush()
                os.fsync(handle.fileno())
            rest = max(0, self.free() - leave - 4096)
            if rest:
                handle.write(b"\0" * rest)
                handle.flush()
                os.fsync(handle.fileno())
        return filler

    def fail_to_read_only(self) -> None:
        """What the kernel does after an I/O error on an ext4 mounted errors=remount-ro: the file
        system turns read-only under the open files (a plain `remount,ro` is refused while files
        are open for writing). ext4 only: its trigger_fs_error knob simulates the error."""
        assert self.kind == "ext4", "a read-only fault needs the loop-mounted ext4 (tmpfs has no error knob)"
        source = subprocess.run(
            ["findmnt", "-n", "-o", "SOURCE", str(self.path)], check=True, capture_output=True, text=True
        ).stdout.strip()
        Path(f"/sys/fs/ext4/{Path(source).name}/trigger_fs_error").write_text("1")

        def refused() -> bool:
            try:
                (self.path / "probe").write_text("x")
            except OSError:
                return True
            return False

        assert wait_until(refused, timeout=10), "the file system did not turn read-only"


def _mount(image: Path | None, target: Path, size_mb: int) -> str:
    """Mount a small file system at target: a loop-mounted ext4 image where the platform allows
    it, else a size-limited tmpfs. Returns which; raises when neither can be mounted (the caller
    says why)."""
    errors = []
    if image is not None and shutil.which("mkfs.ext4"):
        subprocess.run(["truncate", "-s", f"{size_mb}M", str(image)], check=True)
        made = subprocess.run(
            ["mkfs.ext4", "-q", "-F", "-m", "0", str(image)], capture_output=True, text=True
        )
        mounted = subprocess.run(
            ["mount", "-o", "loop,errors=remount-ro", str(image), str(target)], capture_output=True, text=True
        )
        if made.returncode == 0 and mounted.returncode == 0:
            return "ext4"
        errors.append(f"loop ext4: {made.stderr.strip()} {mounted.stderr.strip()}")
    tmpfs = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_mb}m", "tmpfs", str(target)],
        capture_output=True,
        text=True,
    )
    if tmpfs.returncode == 0:
        return "tmpfs"
    errors.append(f"tmpfs: {tmpfs.stderr.strip()}")
    raise OSError("; ".join(errors))


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[SmallDisk]:
    """A 48 MB file system for the data dir (ext4 on a loop device, else tmpfs). Mounting needs
    root (CAP_SYS_ADMIN): without it this fails and says so, it never skips."""
    target = tmp_path / "small"
    target.mkdir()
    try:
        kind = _mount(tmp_path / "disk.img", target, 48)
    except OSError as exc:
        pytest.fail(
            f"cannot mount a small file system here ({exc}); run the ops tests as root, or in a "
            "container with CAP_SYS_ADMIN and /dev/loop*"
        )
    yield SmallDisk(target, kind, tmp_path / "disk.img")
    subprocess.run(["umount", "-l", str(target)], capture_output=True)


def wait_until(condition, timeout: float = 30, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False
