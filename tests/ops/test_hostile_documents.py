"""Hostile files generated in the test, fed to a real `praxis ingest` process: every one is
refused with a one-line message naming the limit, fast and in bounded memory, while the good
file beside them is ingested.

Before: a 1 MB zip bomb saved as .docx peaked at 2.24 GB (a 4.2 MB one was OOM-killed without a
message); a Markdown file of 100,000 tiny sections became 100,000 chunks; control characters
and ANSI escapes in file names and titles were stored and printed raw to the terminal.
"""

from __future__ import annotations

import io
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests.ops.conftest import CORPUS, praxis, praxis_env

pytestmark = pytest.mark.slow

ESC = "\x1b"


def zip_docx(path: Path, part_bytes: int) -> None:
    """A .docx-shaped zip whose document part unpacks to part_bytes of spaces (a zip bomb)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            block = b" " * (1 << 20)
            for _ in range(part_bytes >> 20):
                part.write(block)
    path.write_bytes(buffer.getvalue())


def many_pages_pdf(path: Path, pages: int) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    for number in range(pages):
        pdf.add_page()
        pdf.cell(text=f"Page {number} of a long report about regional innovation vouchers.")
    pdf.output(str(path))


def hostile_folder(folder: Path) -> None:
    folder.mkdir()
    zip_docx(folder / "bomb.docx", 1024 << 20)  # 1 GB declared in about 1 MB
    zip_docx(folder / "dense.docx", 150 << 20)  # under the size limit, compressed 1,000 times
    sections = "".join(f"## Part {n}\nStep {n}.\n" for n in range(10_000))
    (folder / "sections.md").write_text(f"# Ten Thousand Sections\n\n{sections}", encoding="utf-8")
    (folder / "huge.txt").write_text(
        "Huge Practice\n\n" + "All work and no play. " * 60_000, encoding="utf-8"
    )
    many_pages_pdf(folder / "report.pdf", 30)
    (folder / "big.html").write_text("<h1>Big</h1>" + "<p>filler text</p>" * 400_000, encoding="utf-8")
    (folder / "deep.html").write_text("<h1>Deep</h1>" + "<div>" * 50_000 + "text", encoding="utf-8")
    (folder / "kalundborg-symbiosis.txt").write_bytes((CORPUS / "kalundborg-symbiosis.txt").read_bytes())


def run_measured(args: list[str], env: dict[str, str], logs: Path) -> tuple[int, str, str, float, float]:
    """Run the CLI; (exit code, stdout, stderr, seconds, its peak memory in MB)."""
    out_path, err_path = logs / "out.txt", logs / "err.txt"
    started = time.monotonic()
    with out_path.open("wb") as out, err_path.open("wb") as err:
        process = subprocess.Popen([sys.executable, "-m", "ui.cli", *args], env=env, stdout=out, stderr=err)
        # the peak resident size of the CLI's own image (VmHWM starts afresh at exec; ru_maxrss
        # would keep the size of this test process, which the child was forked from)
        peak_kb = 0
        while process.poll() is None:
            peak_kb = max(peak_kb, _high_water_kb(process.pid))
            time.sleep(0.02)
    seconds = time.monotonic() - started
    return process.returncode, out_path.read_text(), err_path.read_text(), seconds, peak_kb / 1024


def _high_water_kb(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:  # it has just exited
        return 0
    return next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), 0)


def test_hostile_files_are_refused_fast_in_bounded_memory(tmp_path: Path) -> None:
    folder = tmp_path / "hostile"
    hostile_folder(folder)
    env = praxis_env(tmp_path / "data", ingest__max_pages="20")
    code, out, err, seconds, peak_mb = run_measured(["ingest", "-q", str(folder)], env, tmp_path)
    assert code == 1 and "added 1" in out and "failed 7" in out, (out, err)
    lines = [line for line in err.splitlines() if line.startswith("failed: ")]
    assert len(lines) == 7 and "Traceback" not in err, err
    expected = {
        "bomb.docx": "PRAXIS_INGEST__MAX_UNPACKED_MB",
        "dense.docx": "PRAXIS_INGEST__MAX_RATIO",
        "sections.md": "PRAXIS_INGEST__MAX_SECTIONS",
        "huge.txt": "PRAXIS_INGEST__MAX_CHARS",
        "report.pdf": "PRAXIS_INGEST__MAX_PAGES",
        "big.html": "byte limit",
        "deep.html": "nested too deeply",
    }
    for name, reason in expected.items():
        assert any(name in line and reason in line for line in lines), (name, lines)
    assert 20 < peak_mb < 600, f"peak memory {peak_mb:.0f} MB"
    assert seconds < 120


def test_escape_sequences_in_names_and_titles_never_reach_the_terminal(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    name = f"evil{ESC}[31mred{ESC}[0m.txt"
    text = (
        f"Evil {ESC}]0;owned{chr(7)}Harbour{ESC}[2J Practice\n\n"
        f"About this good practice\nThe harbour{ESC}[31m recycles 900 tonnes{ESC}[0m of nets a year.\n"
    )
    (folder / name).write_text(text, encoding="utf-8")
    (folder / f"broken{ESC}[5m.txt").write_bytes(b"\xff\xfe not utf-8")
    env = praxis_env(tmp_path / "data")
    ingested = praxis("ingest", "-q", str(folder), env=env)
    assert "added 1" in ingested.stdout
    for shown in (ingested.stdout, ingested.stderr):
        assert ESC not in shown and "\x9b" not in shown
    assert "broken?.txt" in ingested.stderr  # the bad file is still named, made printable
    listed = praxis("practices", "--json", env=env)
    assert ESC not in listed.stdout and "\\u001b" not in listed.stdout
    asked = praxis("ask", "How many tonnes of nets does the harbour recycle?", "--k", "3", env=env)
    assert ESC not in asked.stdout and "\x07" not in asked.stdout
    assert "evilred.txt" in asked.stdout or "documents do not say" in asked.stdout
