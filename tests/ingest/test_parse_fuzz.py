"""The parser never crashes: any bytes give a Practice or a clear CorpusError."""

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.errors import CorpusError
from assistant.types import SECTION_NAMES
from ingest.chunk import chunk_practice
from ingest.parse import load_practice

FRAGMENTS = [
    *SECTION_NAMES,
    *(s.upper() + ":" for s in SECTION_NAMES),
    "# Title",
    "## Extra",
    "Organisation: X",
    "Country: Y",
    "\ufeff",
    "\r\n",
    "\r",
    "\n",
    "",
    "•",
    "1.2",
    "26,000 €.",
    "It worked. It grew!",
    "<script>alert(1)</script>",
    "\x00",
    "\u202e",
    "é",
    "🙂",
]


def check(path: Path) -> None:
    try:
        practice, _ = load_practice(path)
    except CorpusError as error:
        assert path.name in str(error)
        return
    assert practice.title and practice.sections
    for section in practice.sections:
        assert practice.text[section.start : section.end] == section.text
    for chunk in chunk_practice(practice, target_chars=120):
        assert practice.text[chunk.start : chunk.end] == chunk.text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2000))
def test_random_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.txt"
    path.write_bytes(data)
    check(path)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=80)), max_size=40),
    st.sampled_from(["\n", "\r\n", " "]),
    st.sampled_from([".txt", ".md"]),
)
def test_shuffled_template_fragments(tmp_path: Path, parts: list[str], joiner: str, suffix: str) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(joiner.join(parts).encode("utf-8", "surrogatepass"))
    check(path)
